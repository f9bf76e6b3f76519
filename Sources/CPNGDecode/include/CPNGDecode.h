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

/// A decoded picture: 8-bit samples, 1 channel (grey) or 3 (RGB), rows packed. Free with bb_png_free.
typedef struct {
    uint32_t width;
    uint32_t height;
    uint32_t channels;
    unsigned char *pixels;
} bb_png_image;

/// Decodes PNG bytes the way OpenCV's imread does: palette to RGB, 1/2/4-bit grey to 8 bits,
/// 16 bits to their high byte, alpha dropped (not composited), no gamma conversion.
/// Returns 0 on success; otherwise leaves `image` empty, writes libpng's (or our) reason into
/// `message` and returns 1. libpng's longjmp never leaves this function.
int bb_png_decode(const unsigned char *data, size_t size, bb_png_limits limits,
                  bb_png_image *image, char *message, size_t message_capacity);

void bb_png_free(bb_png_image *image);

#endif
