#ifndef CPNGDECODE_H
#define CPNGDECODE_H

#include <stddef.h>
#include <stdint.h>

/// Size limits checked while the header is read, before any pixel memory is taken.
typedef struct {
    uint32_t max_width;   /* passed to png_set_user_limits */
    uint32_t max_height;  /* passed to png_set_user_limits */
    uint64_t max_pixels;  /* width × height */
} bb_png_limits;

/// A PNG decoder that stops where its caller does: the header first, then rows from the top, as
/// many as wanted. It decodes the way OpenCV's imread does: palette to RGB, 1/2/4-bit grey to 8 bits,
/// 16 bits to their high byte, alpha dropped (not composited), no gamma conversion; rows are packed,
/// 8-bit, 1 channel (grey) or 3 (RGB). Each call returns 0 on success, or 1 with the reason in `message` (after which
/// only bb_png_reader_close may be called). libpng's longjmp never leaves these functions.
typedef struct bb_png_reader bb_png_reader;

/// The picture's size and layout after those conversions. An interlaced file's rows come
/// in seven passes over the whole picture, so it can only be decoded in full.
typedef struct {
    uint32_t width;
    uint32_t height;
    uint32_t channels;
    int interlaced;
} bb_png_header;

/// Reads everything up to the first pixel data. `data` must outlive the reader.
/// `skip_stream_checksum` skips computing zlib's Adler-32 for a caller that will not read to the end
/// of the pixel data (where it is checked): chunk CRCs are still checked.
int bb_png_reader_open(const unsigned char *data, size_t size, bb_png_limits limits, int skip_stream_checksum,
                       bb_png_reader **reader, bb_png_header *header, char *message, size_t message_capacity);

/// Decodes the next `count` rows into `pixels` (count × width × channels bytes). An interlaced file
/// must be read in one call of all its rows.
int bb_png_reader_read_rows(bb_png_reader *reader, unsigned char *pixels, uint32_t count,
                            char *message, size_t message_capacity);

/// After the last row: reads the rest of the file, checking the stream checksum and the chunk CRCs.
int bb_png_reader_finish(bb_png_reader *reader, char *message, size_t message_capacity);

/// Frees the reader, wherever it stopped (NULL is allowed).
void bb_png_reader_close(bb_png_reader *reader);

/// The common photo without libpng (Sources/CPNGDecode/fast.c): an 8-bit grey or RGB file, not
/// interlaced, whose critical chunks' CRCs, zlib stream (and its checksum) and rows are all sound.
/// bb_png_fast_probe returns 1 with the header when the file is such a file as far as its chunks
/// show (within `limits`), else 0. bb_png_fast_decode then decodes it into `pixels` (height × width
/// × channels bytes) and returns 1, or 0 when anything is amiss: the caller then decodes with the
/// libpng reader, which gives the same pixels or names the fault.
int bb_png_fast_probe(const unsigned char *data, size_t size, bb_png_limits limits, bb_png_header *header);
int bb_png_fast_decode(const unsigned char *data, size_t size, bb_png_limits limits, unsigned char *pixels);

#endif
