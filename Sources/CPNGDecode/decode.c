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

int bb_png_decode(const unsigned char *data, size_t size, bb_png_limits limits,
                  bb_png_image *image, char *message, size_t message_capacity) {
    memset(image, 0, sizeof *image);
    if (size == 0) return fail(message, message_capacity, "empty file");
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) return fail(message, message_capacity, "not a PNG file (no PNG signature)");

    failure state = {.message = message, .capacity = message_capacity, .warning = ""};
    memory_source source = {.data = data, .size = size, .offset = 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (png == NULL) return fail(message, message_capacity, "out of memory");
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return fail(message, message_capacity, "out of memory");
    }
    /* Written after setjmp and read after longjmp, hence volatile. */
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(state.jump)) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }
    png_set_user_limits(png, limits.max_width, limits.max_height);
    /* Debian's libpng has no limit on what one chunk may allocate: a 100-byte file naming a 2 GB
       sPLT chunk made it allocate and clear 2 GB (found by fuzzing). Only the chunks that shape the
       pixels are read; the others are skipped unread, and no chunk may take more than 8 MB. */
    static const png_byte ignored[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0"
                                      "sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored, (int)(sizeof ignored / 5));
    png_set_chunk_malloc_max(png, 8 * 1000 * 1000);
    png_set_read_fn(png, &source, read_memory);
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    if ((uint64_t)width * height > limits.max_pixels) {
        snprintf(message, message_capacity, "%u×%u pixels is more than the limit of %llu", width, height,
                 (unsigned long long)limits.max_pixels);
        longjmp(state.jump, 1);
    }
    int colour = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    png_byte channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if ((channels != 1 && channels != 3) || row_bytes != (size_t)width * channels) png_error(png, "unexpected sample layout");
    pixels = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (pixels == NULL || rows == NULL) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    image->width = width;
    image->height = height;
    image->channels = channels;
    image->pixels = pixels;
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

void bb_png_free(bb_png_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}
