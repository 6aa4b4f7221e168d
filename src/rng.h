// rng.h — numpy's legacy random stream (np.random.seed + randn / random_sample), bit for bit.
//
// MT19937 seeded with init_genrand(seed), as `np.random.seed(seed)` does for an integer seed;
// doubles with 53 random bits from two 32-bit draws, as `random_sample`; normal deviates by
// the polar Box–Muller method that caches its second value, as `legacy_gauss` (`randn`).
// So `rng_seed(&r, 0)` followed by rng_gauss() calls gives np.random.randn's numbers.
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

typedef struct {
    uint32_t mt[624];
    int pos;
    int has_gauss;
    double gauss;
} rng_state;

void rng_seed(rng_state *r, uint32_t seed);
uint32_t rng_u32(rng_state *r);
double rng_double(rng_state *r);                // uniform in [0, 1), 53 bits
double rng_gauss(rng_state *r);                 // standard normal
uint32_t rng_below(rng_state *r, uint32_t n);   // uniform in [0, n), unbiased (n > 0)
void rng_shuffle(rng_state *r, int *a, int n);  // Fisher–Yates, in place

#endif
