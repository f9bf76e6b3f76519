#include "CPNGDecode.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpng reports errors through a callback that must not return; it jumps back here instead.
   The latest warning is kept because libpng often explains an error in a warning just before it
   ("Image width exceeds user limit in IHDR", then "Invalid IHDR data"). */
typedef struct {
    jmp_buf jump;
    char *message;
    size_t capacity;
    char warning[128];
} failure;

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} memory_source;

static void on_error(png_structp png, png_const_charp text) {
    failure *state = png_get_error_ptr(png);
    if (state->warning[0] != 0) snprintf(state->message, state->capacity, "%s (%s)", text, state->warning);
    else snprintf(state->message, state->capacity, "%s", text);
    longjmp(state->jump, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
    failure *state = png_get_error_ptr(png);
    snprintf(state->warning, sizeof state->warning, "%s", text);
}

static void read_memory(png_structp png, png_bytep out, size_t length) {
    memory_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "file ends early (truncated)");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static int fail(char *message, size_t capacity, const char *text) {
    snprintf(message, capacity, "%s", text);
    return 1;
}

struct bb_png_reader {
    png_structp png;
    png_infop info;
    failure state;
    memory_source source;
    bb_png_header header;
    uint32_t next_row;
    png_bytep *interlaced_rows; /* kept here so that close frees it after a libpng error */
};

/* Every entry point that calls libpng first arms the jump, so that its errors land in that call. */
#define BB_PNG_ARM(reader, text, text_capacity)                    \
    do {                                                           \
        (reader)->state.message = (text);                          \
        (reader)->state.capacity = (text_capacity);                \
        (reader)->state.warning[0] = 0;                            \
        if (setjmp((reader)->state.jump)) return 1;                \
    } while (0)

int bb_png_reader_open(const unsigned char *data, size_t size, bb_png_limits limits, int skip_stream_checksum,
                       bb_png_reader **out, bb_png_header *header, char *message, size_t message_capacity) {
    *out = NULL;
    memset(header, 0, sizeof *header);
    if (size == 0) return fail(message, message_capacity, "empty file");
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) return fail(message, message_capacity, "not a PNG file (no PNG signature)");
    bb_png_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) return fail(message, message_capacity, "out of memory");
    reader->source = (memory_source){.data = data, .size = size, .offset = 0};
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->state, on_error, on_warning);
    if (reader->png != NULL) reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        bb_png_reader_close(reader);
        return fail(message, message_capacity, "out of memory");
    }
    *out = reader;
    BB_PNG_ARM(reader, message, message_capacity);
    png_structp png = reader->png;
    png_infop info = reader->info;
    png_set_user_limits(png, limits.max_width, limits.max_height);
    /* Debian's libpng has no limit on what one chunk may allocate: a 100-byte file naming a 2 GB
       sPLT chunk made it allocate and clear 2 GB (found by fuzzing). Only the chunks that shape the
       pixels are read; the others are skipped unread, and no chunk may take more than 8 MB. */
    static const png_byte ignored[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0"
                                      "sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored, (int)(sizeof ignored / 5));
    png_set_chunk_malloc_max(png, 8 * 1000 * 1000);
#if defined(PNG_IGNORE_ADLER32)
    if (skip_stream_checksum) png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#else
    (void)skip_stream_checksum;
#endif
    png_set_read_fn(png, &reader->source, read_memory);
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    if ((uint64_t)width * height > limits.max_pixels) {
        snprintf(message, message_capacity, "%u×%u pixels is more than the limit of %llu", width, height,
                 (unsigned long long)limits.max_pixels);
        return 1;
    }
    int colour = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_strip_16(png);
    png_set_strip_alpha(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    png_byte channels = png_get_channels(png, info);
    if ((channels != 1 && channels != 3) || png_get_rowbytes(png, info) != (size_t)width * channels)
        png_error(png, "unexpected sample layout");
    reader->header = (bb_png_header){.width = width, .height = height, .channels = channels, .interlaced = passes > 1};
    *header = reader->header;
    return 0;
}

int bb_png_reader_read_rows(bb_png_reader *reader, unsigned char *pixels, uint32_t count,
                            char *message, size_t message_capacity) {
    BB_PNG_ARM(reader, message, message_capacity);
    const bb_png_header *header = &reader->header;
    if (count > header->height - reader->next_row) png_error(reader->png, "more rows asked for than the picture has");
    size_t row_bytes = (size_t)header->width * header->channels;
    if (header->interlaced) {
        if (reader->next_row != 0 || count != header->height) png_error(reader->png, "an interlaced picture is read whole");
        reader->interlaced_rows = malloc(sizeof(png_bytep) * header->height);
        if (reader->interlaced_rows == NULL) png_error(reader->png, "out of memory");
        for (uint32_t y = 0; y < header->height; y++) reader->interlaced_rows[y] = pixels + y * row_bytes;
        png_read_image(reader->png, reader->interlaced_rows);
    } else {
        for (uint32_t y = 0; y < count; y++) png_read_row(reader->png, pixels + y * row_bytes, NULL);
    }
    reader->next_row += count;
    return 0;
}

int bb_png_reader_finish(bb_png_reader *reader, char *message, size_t message_capacity) {
    BB_PNG_ARM(reader, message, message_capacity);
    png_read_end(reader->png, NULL);
    return 0;
}

void bb_png_reader_close(bb_png_reader *reader) {
    if (reader == NULL) return;
    png_destroy_read_struct(&reader->png, reader->info != NULL ? &reader->info : NULL, NULL);
    free(reader->interlaced_rows);
    free(reader);
}
