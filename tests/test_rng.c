// test_rng.c — src/rng.c against numpy's legacy RandomState, bit for bit.
//
// Every expected value below was printed by numpy 1.24 (Debian 12's python3-numpy) with /usr/bin/python3;
// the one-liner that produced it is next to it. repr() of a float64 prints the shortest decimal that reads
// back as the same double, so `==` on the parsed constant is an exact, bit-for-bit comparison.
#include "rng.h"

#include "tap.h"

// Draw n standard normals after seeding, keeping the last.
static double S_gauss_at(uint32_t seed, int n) {
    rng_state r;
    double v = 0.0;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++) v = rng_gauss(&r);
    return v;
}

static void test_randn_seed0(void) {
    // np.random.seed(0); np.random.randn(4).tolist()
    static const double want[4] = {1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458};
    rng_state r;
    rng_seed(&r, 0);
    for (int i = 0; i < 4; i++) {
        double got = rng_gauss(&r);
        if (!ok(got == want[i], "randn seed 0, draw %d is numpy's exactly", i))
            diag("got %.17g want %.17g", got, want[i]);
    }
    // np.random.seed(0); a = np.random.randn(2002); repr(a[1000]), repr(a[2001])
    double g1000 = S_gauss_at(0, 1001), g2001 = S_gauss_at(0, 2002);
    if (!ok(g1000 == 0.555962679709798, "randn seed 0, draw 1000 (after a twist of the state) is numpy's"))
        diag("got %.17g", g1000);
    if (!ok(g2001 == -1.7119701640942213, "randn seed 0, draw 2001 is numpy's")) diag("got %.17g", g2001);
}

static void test_randn_seed42(void) {
    // np.random.seed(42); np.random.randn(3).tolist()
    static const double want[3] = {0.4967141530112327, -0.13826430117118466, 0.6476885381006925};
    for (int i = 0; i < 3; i++) {
        double got = S_gauss_at(42, i + 1);
        if (!ok(got == want[i], "randn seed 42, draw %d is numpy's exactly", i)) diag("got %.17g", got);
    }
}

static void test_u32_and_uniform(void) {
    rng_state r;
    // np.random.RandomState(0).randint(2**32, size=3, dtype=np.uint32).tolist()
    static const uint32_t want_u32[3] = {2357136044u, 2546248239u, 3071714933u};
    rng_seed(&r, 0);
    for (int i = 0; i < 3; i++) {
        uint32_t got = rng_u32(&r);
        if (!ok(got == want_u32[i], "32-bit output %d of seed 0 is numpy's", i)) diag("got %u", got);
    }
    // The reference mt19937ar.c: init_genrand(5489), first genrand_int32() is 3499211612.
    rng_seed(&r, 5489);
    ok(rng_u32(&r) == 3499211612u, "seed 5489 gives the reference implementation's first output");
    // np.random.seed(0); np.random.random_sample(3).tolist()
    static const double want[3] = {0.5488135039273248, 0.7151893663724195, 0.6027633760716439};
    rng_seed(&r, 0);
    for (int i = 0; i < 3; i++) {
        double got = rng_double(&r);
        if (!ok(got == want[i], "random_sample seed 0, draw %d is numpy's exactly", i)) diag("got %.17g", got);
    }
}

// numpy keeps the second deviate of a Box–Muller pair across calls to other methods.
static void test_cached_gauss(void) {
    // r = np.random.RandomState(3); x = r.randn(5); y = r.random_sample(2); z = r.randn(1)
    // repr(x[-1]), repr(y.tolist()), repr(z[0])
    rng_state r;
    double x = 0.0;
    rng_seed(&r, 3);
    for (int i = 0; i < 5; i++) x = rng_gauss(&r);
    double y0 = rng_double(&r), y1 = rng_double(&r), z = rng_gauss(&r);
    ok(x == -0.27738820251439905, "randn(5) of seed 3 ends as numpy's");
    ok(y0 == 0.05146720330082988 && y1 == 0.44080984365063647, "random_sample between normals draws numpy's numbers");
    if (!ok(z == -0.35475897926898675, "the cached second normal survives the uniform draws, as in numpy"))
        diag("got %.17g", z);
}

static void test_shuffle(void) {
    rng_state r;
    int a[10], b[100];
    // np.random.seed(0); p = np.arange(10); np.random.shuffle(p); p.tolist()
    static const int want[10] = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5};
    rng_seed(&r, 0);
    for (int i = 0; i < 10; i++) a[i] = i;
    rng_shuffle(&r, a, 10);
    ok(memcmp(a, want, sizeof want) == 0, "shuffle of arange(10), seed 0, is numpy's permutation");
    // r = np.random.RandomState(7); a = np.arange(100); r.shuffle(a); a[:10].tolist()
    static const int want7[10] = {37, 26, 78, 91, 49, 15, 93, 71, 86, 22};
    rng_seed(&r, 7);
    for (int i = 0; i < 100; i++) b[i] = i;
    rng_shuffle(&r, b, 100);
    ok(memcmp(b, want7, sizeof want7) == 0, "shuffle of arange(100), seed 7, starts as numpy's");
    int seen[100] = {0}, perm = 1;
    for (int i = 0; i < 100; i++) perm &= b[i] >= 0 && b[i] < 100 && !seen[b[i]]++;
    ok(perm, "a shuffle is a permutation");
}

static void test_below(void) {
    rng_state r;
    int in_range = 1, hit[7] = {0};
    rng_seed(&r, 1);
    for (int i = 0; i < 7000; i++) {
        uint32_t v = rng_below(&r, 7);
        in_range &= v < 7;
        if (v < 7) hit[v]++;
    }
    int all = 1;
    for (int v = 0; v < 7; v++) all &= hit[v] > 800 && hit[v] < 1200;
    ok(in_range, "rng_below(7) stays in [0, 7)");
    ok(all, "rng_below(7) hits every value about equally often");
    ok(rng_below(&r, 1) == 0, "rng_below(1) is 0");
}

int main(void) {
    test_randn_seed0();
    test_randn_seed42();
    test_u32_and_uniform();
    test_cached_gauss();
    test_shuffle();
    test_below();
    return tap_done();
}
