#include "CPNGDecode.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#define BB_PNG_SSE2 1
#include <emmintrin.h>
#endif

/* The common photo, an 8-bit grey or RGB PNG that is not interlaced, decoded without libpng: its
   zlib stream in one call to libdeflate, and its rows unfiltered here, the Paeth filter of RGB rows
   on the three channels at once (libpng's, one byte at a time, was most of a photo's decoding).
   Anything else, and anything amiss, is left to libpng, which decodes or reports it as before. */

/* The row filters are inlined into one row loop, built twice on x86-64 with clang: for SSE2, and for
   SSE4.1 (chosen at run time when the processor has it), where the same intrinsics compile to fewer
   instructions (a byte blend for the Paeth choice, an absolute value): a tenth less decoding time. */
#define ROW_FILTER static inline __attribute__((always_inline))
#if defined(BB_PNG_SSE2) && defined(__clang__)
#define BB_PNG_SSE41 1
#endif

static uint32_t big_endian(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int is_letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* One walk over the chunks: the header's layout, and where the pixel data lies. Critical chunks
   must be ones this path knows, with good CRCs; ancillary chunks are passed over unread, as the
   libpng reader does with those it does not use. */
typedef struct {
    bb_png_header header;
    size_t compressed_size; /* the IDAT chunks' data, together */
    size_t first_idat;      /* offset of the first IDAT chunk */
} layout;

static int crc_ok(const unsigned char *chunk, uint32_t length) {
    return libdeflate_crc32(0, chunk + 4, (size_t)length + 4) == big_endian(chunk + 8 + length);
}

static int walk(const unsigned char *data, size_t size, bb_png_limits limits, layout *out) {
    static const unsigned char signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    if (size < 8 + 25 || memcmp(data, signature, 8) != 0) return 0;
    const unsigned char *ihdr = data + 8;
    if (big_endian(ihdr) != 13 || memcmp(ihdr + 4, "IHDR", 4) != 0 || !crc_ok(ihdr, 13)) return 0;
    uint32_t width = big_endian(ihdr + 8), height = big_endian(ihdr + 12);
    unsigned depth = ihdr[16], colour = ihdr[17];
    if (width == 0 || height == 0 || width > limits.max_width || height > limits.max_height ||
        (uint64_t)width * height > limits.max_pixels || width > 0x7fffffff || height > 0x7fffffff)
        return 0;
    if (depth != 8 || (colour != 0 && colour != 2) || ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] != 0) return 0;

    size_t offset = 8 + 25, compressed = 0, first_idat = 0;
    int idat_run = 0; /* 0 before the IDAT chunks, 1 in them, 2 after */
    for (;;) {
        if (size - offset < 12) return 0;
        const unsigned char *chunk = data + offset;
        uint32_t length = big_endian(chunk);
        if (length > 0x7fffffff || (size_t)length > size - offset - 12) return 0;
        const unsigned char *type = chunk + 4;
        if (!is_letter(type[0]) || !is_letter(type[1]) || !is_letter(type[2]) || !is_letter(type[3])) return 0;
        int critical = type[0] >= 'A' && type[0] <= 'Z';
        if (critical && !crc_ok(chunk, length)) return 0;
        if (memcmp(type, "IDAT", 4) == 0) {
            if (idat_run == 2) return 0;
            if (idat_run == 0) first_idat = offset;
            idat_run = 1;
            compressed += length;
        } else {
            if (idat_run == 1) idat_run = 2;
            if (memcmp(type, "IEND", 4) == 0) break;
            if (critical && memcmp(type, "PLTE", 4) != 0) return 0; /* a suggested palette is allowed in RGB */
        }
        offset += 12 + (size_t)length;
    }
    if (compressed == 0) return 0;
    out->header = (bb_png_header){.width = width, .height = height, .channels = colour == 2 ? 3 : 1, .interlaced = 0};
    out->compressed_size = compressed;
    out->first_idat = first_idat;
    return 1;
}

int bb_png_fast_probe(const unsigned char *data, size_t size, bb_png_limits limits, bb_png_header *header) {
    layout found;
    if (!walk(data, size, limits, &found)) return 0;
    *header = found.header;
    return 1;
}

ROW_FILTER unsigned char paeth(int a, int b, int c) {
    int p = b - c, q = a - c;
    int pa = abs(p), pb = abs(q), pc = abs(p + q);
    return (unsigned char)((pa <= pb && pa <= pc) ? a : (pb <= pc) ? b : c);
}

#if defined(BB_PNG_SSE2)
/* One Paeth step in 16-bit lanes: the samples `d` plus, lane by lane, whichever of left (`a`), above
   (`b`) and above-left (`c`) is nearest to a + b − c (ties to a, then b), kept to a byte. */
ROW_FILTER __m128i paeth_step(__m128i a, __m128i b, __m128i c, __m128i d) {
    const __m128i zero = _mm_setzero_si128();
    __m128i p = _mm_sub_epi16(b, c), q = _mm_sub_epi16(a, c);
    __m128i pq = _mm_add_epi16(p, q);
    __m128i pa = _mm_max_epi16(p, _mm_sub_epi16(zero, p));
    __m128i pb = _mm_max_epi16(q, _mm_sub_epi16(zero, q));
    __m128i pc = _mm_max_epi16(pq, _mm_sub_epi16(zero, pq));
    __m128i not_a = _mm_or_si128(_mm_cmpgt_epi16(pa, pb), _mm_cmpgt_epi16(pa, pc));
    __m128i take_c = _mm_cmpgt_epi16(pb, pc);
    __m128i b_or_c = _mm_or_si128(_mm_and_si128(take_c, c), _mm_andnot_si128(take_c, b));
    __m128i predicted = _mm_or_si128(_mm_and_si128(not_a, b_or_c), _mm_andnot_si128(not_a, a));
    return _mm_and_si128(_mm_add_epi16(d, predicted), _mm_set1_epi16(0xff));
}

/* Paeth on RGB rows, a pixel's three channels side by side in 16-bit lanes. `raw` may be read one
   byte past each pixel (it is padded); `prev` too (the next row follows it); `out` gets three bytes.
   The fourth lane carries whatever that extra byte holds and is never stored. */
ROW_FILTER void paeth_rgb(unsigned char *out, const unsigned char *raw, const unsigned char *prev, size_t width) {
    const __m128i zero = _mm_setzero_si128();
    __m128i a = zero, c = zero;
    for (size_t x = 0; x < width; x++) {
        uint32_t raw_bytes, prev_bytes;
        memcpy(&raw_bytes, raw + 3 * x, 4);
        memcpy(&prev_bytes, prev + 3 * x, 4);
        __m128i b = _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)prev_bytes), zero);
        __m128i d = _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)raw_bytes), zero);
        a = paeth_step(a, b, c, d);
        c = b;
        uint32_t pixel = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(a, zero));
        memcpy(out + 3 * x, &pixel, 3);
    }
}

/* Two consecutive Paeth rows at once, as a wavefront: pixel x of the upper row in lanes 0–3 beside
   pixel x − 1 of the lower one in lanes 4–7, which needs only what the upper row's chain has just
   made. One chain of dependent steps then makes two pixels, where paeth_rgb's makes one. `prev`
   is the row above the upper row (not NULL); the same one-byte read-ahead as paeth_rgb's. */
ROW_FILTER void paeth_rgb_pair(unsigned char *upper, unsigned char *lower, const unsigned char *raw_upper,
                               const unsigned char *raw_lower, const unsigned char *prev, size_t width) {
    const __m128i zero = _mm_setzero_si128();
    __m128i a = zero, c = zero;
    for (size_t x = 0; x <= width; x++) {
        /* At x = width only the lower row's last pixel is made; the upper half reads past its row
           (into the lower row's filtered bytes, and the upper row's own first pixels) and is dropped. */
        uint32_t above_bytes, raw_bytes, lower_bytes = 0;
        memcpy(&above_bytes, prev + 3 * x, 4);
        memcpy(&raw_bytes, raw_upper + 3 * x, 4);
        if (x > 0) memcpy(&lower_bytes, raw_lower + 3 * (x - 1), 4);
        __m128i above = _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)above_bytes), zero);
        /* b: above the upper pixel, the row above; above the lower pixel, the upper row's pixel x − 1 (0 at x = 0). */
        __m128i b = _mm_unpacklo_epi64(above, x > 0 ? a : zero);
        __m128i d = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)((uint64_t)lower_bytes << 32 | raw_bytes)), zero);
        a = paeth_step(a, b, c, d);
        c = b;
        uint64_t pixels = (uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(a, zero));
        uint32_t upper_pixel = (uint32_t)pixels, lower_pixel = (uint32_t)(pixels >> 32);
        if (x < width) memcpy(upper + 3 * x, &upper_pixel, 3);
        if (x > 0) memcpy(lower + 3 * (x - 1), &lower_pixel, 3);
    }
}

/* Eight consecutive Paeth rows of a grey photo as a wavefront: row r in lane r, r pixels behind the
   first row, its above and above-left samples the lane before it made in the last two steps. A grey
   row alone is one chain of dependent steps a byte long per pixel; here one chain makes eight. */
ROW_FILTER void paeth_grey_eight(unsigned char *out, const unsigned char *raw, size_t raw_stride,
                                 const unsigned char *prev, size_t width) {
    __m128i a = _mm_setzero_si128(), c = _mm_setzero_si128();
    for (size_t x = 0; x < width + 7; x++) {
        /* Lanes before their row's first pixel make 0s (all their inputs are 0); lanes past its
           last make samples that only later lanes, also past their ends, take in, and none is kept. */
        __m128i b = _mm_insert_epi16(_mm_slli_si128(a, 2), x < width ? prev[x] : 0, 0);
        __m128i d = _mm_setzero_si128();
#define BB_PNG_LANE_IN(r) \
        if (x >= r && x - r < width) d = _mm_insert_epi16(d, raw[r * raw_stride + x - r], r);
        BB_PNG_LANE_IN(0) BB_PNG_LANE_IN(1) BB_PNG_LANE_IN(2) BB_PNG_LANE_IN(3)
        BB_PNG_LANE_IN(4) BB_PNG_LANE_IN(5) BB_PNG_LANE_IN(6) BB_PNG_LANE_IN(7)
        a = paeth_step(a, b, c, d);
        c = b;
#define BB_PNG_LANE_OUT(r) \
        if (x >= r && x - r < width) out[r * width + x - r] = (unsigned char)_mm_extract_epi16(a, r);
        BB_PNG_LANE_OUT(0) BB_PNG_LANE_OUT(1) BB_PNG_LANE_OUT(2) BB_PNG_LANE_OUT(3)
        BB_PNG_LANE_OUT(4) BB_PNG_LANE_OUT(5) BB_PNG_LANE_OUT(6) BB_PNG_LANE_OUT(7)
#undef BB_PNG_LANE_IN
#undef BB_PNG_LANE_OUT
    }
}

/* Sub (`average` 0) and Average (1) on RGB rows, a pixel at a time as in paeth_rgb; the byte loops
   would carry each channel through its own chain of dependent additions. */
ROW_FILTER void left_rgb(unsigned char *out, const unsigned char *raw, const unsigned char *prev, size_t width,
                         int average) {
    const __m128i zero = _mm_setzero_si128(), low_bytes = _mm_set1_epi16(0xff);
    __m128i a = zero;
    for (size_t x = 0; x < width; x++) {
        uint32_t raw_bytes;
        memcpy(&raw_bytes, raw + 3 * x, 4);
        __m128i d = _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)raw_bytes), zero);
        __m128i predicted = a;
        if (average) {
            uint32_t prev_bytes = 0;
            if (prev != NULL) memcpy(&prev_bytes, prev + 3 * x, 4);
            __m128i b = _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)prev_bytes), zero);
            predicted = _mm_srli_epi16(_mm_add_epi16(a, b), 1);
        }
        a = _mm_and_si128(_mm_add_epi16(d, predicted), low_bytes);
        uint32_t pixel = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(a, zero));
        memcpy(out + 3 * x, &pixel, 3);
    }
}
#endif

/* One row: `raw` (after its filter byte) into `out`, `prev` the row above (NULL for the first). */
ROW_FILTER int unfilter(unsigned filter, unsigned char *out, const unsigned char *raw, const unsigned char *prev,
                        size_t bytes, size_t bpp) {
    if (filter == 4 && prev == NULL) filter = 1; /* Paeth with no row above is Sub */
#if defined(BB_PNG_SSE2)
    if (bpp == 3 && (filter == 1 || filter == 3)) {
        left_rgb(out, raw, prev, bytes / 3, filter == 3);
        return 1;
    }
    if (bpp == 3 && filter == 4) {
        paeth_rgb(out, raw, prev, bytes / 3);
        return 1;
    }
#endif
    switch (filter) {
    case 0:
        memcpy(out, raw, bytes);
        return 1;
    case 1:
        for (size_t i = 0; i < bytes; i++) out[i] = (unsigned char)(raw[i] + (i >= bpp ? out[i - bpp] : 0));
        return 1;
    case 2:
        if (prev == NULL) memcpy(out, raw, bytes);
        else for (size_t i = 0; i < bytes; i++) out[i] = (unsigned char)(raw[i] + prev[i]);
        return 1;
    case 3:
        for (size_t i = 0; i < bytes; i++) {
            int left = i >= bpp ? out[i - bpp] : 0, above = prev != NULL ? prev[i] : 0;
            out[i] = (unsigned char)(raw[i] + ((left + above) >> 1));
        }
        return 1;
    case 4: /* prev is not NULL here */
        for (size_t i = 0; i < bytes; i++) {
            int left = i >= bpp ? out[i - bpp] : 0, corner = i >= bpp ? prev[i - bpp] : 0;
            out[i] = (unsigned char)(raw[i] + paeth(left, prev[i], corner));
        }
        return 1;
    default:
        return 0;
    }
}

#if defined(BB_PNG_SSE2)
/* Whether the `count` filtered rows from `row` on, `stride` bytes apart, are all Paeth rows. */
ROW_FILTER int all_paeth(const unsigned char *row, size_t stride, size_t count) {
    for (size_t k = 0; k < count; k++)
        if (row[k * stride] != 4) return 0;
    return 1;
}
#endif

/* Every row of `filtered` (each after its filter byte) into `pixels`. */
ROW_FILTER int unfilter_rows(const unsigned char *filtered, unsigned char *pixels, size_t height, size_t row_bytes,
                             size_t bpp) {
    int ok = 1;
    for (size_t y = 0; ok && y < height; y++) {
        const unsigned char *row = filtered + y * (row_bytes + 1);
        unsigned char *out = pixels + y * row_bytes;
        const unsigned char *prev = y > 0 ? out - row_bytes : NULL;
#if defined(BB_PNG_SSE2)
        if (bpp == 3 && prev != NULL && y + 1 < height && row[0] == 4 && row[row_bytes + 1] == 4) {
            paeth_rgb_pair(out, out + row_bytes, row + 1, row + row_bytes + 2, prev, row_bytes / 3);
            y++;
            continue;
        }
        if (bpp == 1 && prev != NULL && y + 8 <= height && all_paeth(row, row_bytes + 1, 8)) {
            paeth_grey_eight(out, row + 1, row_bytes + 1, prev, row_bytes);
            y += 7;
            continue;
        }
#endif
        ok = unfilter(row[0], out, row + 1, prev, row_bytes, bpp);
    }
    return ok;
}

#if defined(BB_PNG_SSE41)
__attribute__((target("sse4.1")))
static int unfilter_rows_sse41(const unsigned char *filtered, unsigned char *pixels, size_t height, size_t row_bytes,
                               size_t bpp) {
    return unfilter_rows(filtered, pixels, height, row_bytes, bpp);
}
#endif

/* unfilter_rows as built for SSE4.1 when the processor has it. */
static int unfilter_rows_here(const unsigned char *filtered, unsigned char *pixels, size_t height, size_t row_bytes,
                              size_t bpp) {
#if defined(BB_PNG_SSE41)
    if (__builtin_cpu_supports("sse4.1")) return unfilter_rows_sse41(filtered, pixels, height, row_bytes, bpp);
#endif
    return unfilter_rows(filtered, pixels, height, row_bytes, bpp);
}

int bb_png_fast_decode(const unsigned char *data, size_t size, bb_png_limits limits, unsigned char *pixels) {
    layout found;
    if (!walk(data, size, limits, &found)) return 0;
    size_t bpp = found.header.channels, row_bytes = (size_t)found.header.width * bpp;
    size_t height = found.header.height, filtered_size = height * (row_bytes + 1);
    unsigned char *compressed = malloc(found.compressed_size);
    unsigned char *filtered = malloc(filtered_size + 1); /* + 1: the RGB Paeth reads a byte ahead */
    struct libdeflate_decompressor *inflater = libdeflate_alloc_decompressor();
    int ok = compressed != NULL && filtered != NULL && inflater != NULL;
    if (ok) {
        size_t offset = found.first_idat, gathered = 0;
        while (gathered < found.compressed_size) { /* the IDAT chunks are consecutive (walk checked) */
            uint32_t length = big_endian(data + offset);
            memcpy(compressed + gathered, data + offset + 8, length);
            gathered += length;
            offset += 12 + (size_t)length;
        }
        size_t used = 0;
        ok = libdeflate_zlib_decompress_ex(inflater, compressed, gathered, filtered, filtered_size, &used, NULL) ==
                 LIBDEFLATE_SUCCESS && used == gathered;
    }
    if (ok) ok = unfilter_rows_here(filtered, pixels, height, row_bytes, bpp);
    libdeflate_free_decompressor(inflater);
    free(filtered);
    free(compressed);
    return ok;
}
