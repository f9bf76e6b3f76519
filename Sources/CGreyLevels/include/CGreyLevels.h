#ifndef CGREYLEVELS_H
#define CGREYLEVELS_H

#include <stddef.h>
#include <stdint.h>

/// The grey level of each of `count` RGB pixels (`rgb` holds 3 × count bytes) as a float 0…255:
/// GreyConverter.grey's 15-bit weights and rounding, in the same integer arithmetic, so the same levels.
void bb_grey_levels_from_rgb(const uint8_t *rgb, size_t count, float *grey);

#endif
