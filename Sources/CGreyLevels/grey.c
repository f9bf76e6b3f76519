#include "CGreyLevels.h"

/* Swift's compiler leaves this loop scalar (three interleaved channels); clang vectorises it, and
   with SSSE3's byte shuffle the channels separate four times faster than with SSE2 alone, so on
   x86-64 the loop is also built for SSSE3 and chosen when the processor has it. The weights are
   GreyConverter's (OpenCV's B, G, R weights on channels 0, 1, 2); as constants they fit 16-bit
   multiplies, which run-time weights would not (a test compares the two conversions). */
static inline __attribute__((always_inline)) void grey_levels(const uint8_t *restrict rgb, size_t count,
                                                              float *restrict grey) {
    for (size_t i = 0; i < count; i++) {
        int32_t sum = rgb[3 * i] * 3735 + rgb[3 * i + 1] * 19235 + rgb[3 * i + 2] * 9798;
        grey[i] = (float)(uint8_t)((sum + (1 << 14)) >> 15);
    }
}

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("ssse3")))
static void grey_levels_ssse3(const uint8_t *restrict rgb, size_t count, float *restrict grey) {
    grey_levels(rgb, count, grey);
}
#endif

void bb_grey_levels_from_rgb(const uint8_t *rgb, size_t count, float *grey) {
#if defined(__x86_64__) && defined(__clang__)
    if (__builtin_cpu_supports("ssse3")) {
        grey_levels_ssse3(rgb, count, grey);
        return;
    }
#endif
    grey_levels(rgb, count, grey);
}
