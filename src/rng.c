// rng.c — MT19937 and numpy's legacy normal generator (see rng.h).
#include "rng.h"

#include <math.h>

void rng_seed(rng_state *r, uint32_t seed) {
    r->mt[0] = seed;
    for (int i = 1; i < 624; i++) r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->pos = 624;
    r->has_gauss = 0;
    r->gauss = 0.0;
}

// Regenerate the 624 words of state (the reference "genrand" twist).
static void S_twist(rng_state *r) {
    for (int i = 0; i < 624; i++) {
        uint32_t y = (r->mt[i] & 0x80000000u) | (r->mt[(i + 1) % 624] & 0x7fffffffu);
        r->mt[i] = r->mt[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
    }
    r->pos = 0;
}

uint32_t rng_u32(rng_state *r) {
    if (r->pos >= 624) S_twist(r);
    uint32_t y = r->mt[r->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double rng_double(rng_state *r) {
    uint32_t a = rng_u32(r) >> 5, b = rng_u32(r) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double rng_gauss(rng_state *r) {
    if (r->has_gauss) {
        r->has_gauss = 0;
        return r->gauss;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * rng_double(r) - 1.0;
        x2 = 2.0 * rng_double(r) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);  // polar Box–Muller: two deviates per accepted pair
    r->gauss = f * x1;
    r->has_gauss = 1;
    return f * x2;
}

uint32_t rng_below(rng_state *r, uint32_t n) {
    // Rejection from the smallest all-ones mask covering n-1, as numpy's legacy bounded ints do.
    uint32_t max = n - 1, mask = max;
    mask |= mask >> 1, mask |= mask >> 2, mask |= mask >> 4, mask |= mask >> 8, mask |= mask >> 16;
    uint32_t v;
    do v = rng_u32(r) & mask;
    while (v > max);
    return v;
}

void rng_shuffle(rng_state *r, int *a, int n) {
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint32_t)i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
