// machine.c — the limits of this machine that bound an epoch: single-core SGEMM rate and memory bandwidth.
//
//     make build/bench/machine && OPENBLAS_NUM_THREADS=1 build/bench/machine
//
// Prints `key value` lines (the bench runner reads them):
//   sgemm_n, sgemm_gflops     the best of a few square n x n float products through OpenBLAS, one thread:
//                             the peak rate a matrix-matrix program can hope for on one core
//   w_kib                     the size of the first-layer weights W (784 x 300 floats)
//   w_read_gbs, w_update_gbs  bandwidth on a buffer the size of W, read as chapter 2's forward pass reads it
//                             (z += x_i W_i, row by row) and updated as its SGD step updates it (W_i += a dz):
//                             the limit of a matrix-vector program, whose every step streams W
//   big_update_gbs            the same update over 64 MiB: main memory, for comparison (W fits in the caches)
// Bytes are counted as moved: a read is one, an update (read then write) two.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "wb.h"

#define N_IN 784
#define N_HIDDEN 300
#define MIN_SECONDS 0.25  // each bandwidth measurement repeats its pass for at least this long

// The best rate of `tries` square products C = A B of size n, in GFLOP/s (2 n^3 operations each).
static double S_sgemm_gflops(int n, int tries) {
    size_t nn = (size_t)n * n;
    float *a = wb_malloc(sizeof(float) * nn), *b = wb_malloc(sizeof(float) * nn), *c = wb_calloc(nn, sizeof(float));
    for (size_t i = 0; i < nn; i++) a[i] = (float)(i % 7) * 1e-3f, b[i] = (float)(i % 5) * 1e-3f;
    double best = 0.0;
    for (int t = 0; t < tries; t++) {
        double t0 = progress_now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        double s = progress_now() - t0, rate = 2.0 * n * n * (double)n / s * 1e-9;
        best = rate > best ? rate : best;
    }
    free(a), free(b), free(c);
    return best;
}

// acc += each row of M (rows, N_HIDDEN) in turn: one read of M, the way z += x_i W_i reads W.
static void S_read_pass(float *restrict acc, const float *restrict M, long rows) {
    for (long i = 0; i < rows; i++)
        for (int j = 0; j < N_HIDDEN; j++) acc[j] += M[i * N_HIDDEN + j];
}

// Each row of M (rows, N_HIDDEN) += a v: a read and a write of M, the way an SGD step updates W.
static void S_update_pass(float *restrict M, float a, const float *restrict v, long rows) {
    for (long i = 0; i < rows; i++)
        for (int j = 0; j < N_HIDDEN; j++) M[i * N_HIDDEN + j] += a * v[j];
}

// GB/s of repeated passes over a buffer of `rows` rows: reads (update 0) or read-and-write updates (1).
static double S_bandwidth(long rows, int update) {
    float *M = wb_calloc((size_t)rows * N_HIDDEN, sizeof(float)), acc[N_HIDDEN] = {0}, v[N_HIDDEN];
    for (int j = 0; j < N_HIDDEN; j++) v[j] = 1e-7f * j;
    update ? S_update_pass(M, 1e-3f, v, rows) : S_read_pass(acc, M, rows);  // first touch, untimed
    long passes = 0;
    double t0 = progress_now(), s;
    do {
        update ? S_update_pass(M, 1e-3f, v, rows) : S_read_pass(acc, M, rows);
        passes++;
        s = progress_now() - t0;
    } while (s < MIN_SECONDS);
    volatile float sink = acc[N_HIDDEN - 1] + M[0];  // keep the passes from being optimised away
    (void)sink;
    free(M);
    return (update ? 2.0 : 1.0) * passes * rows * N_HIDDEN * sizeof(float) / s * 1e-9;
}

#ifndef TESTING
int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    int n = argc > 1 ? atoi(argv[1]) : 2048;
    if (n < 64 || n > 8192) wb_die("expected a matrix size in [64, 8192], got '%s'", argv[1]);
    printf("sgemm_n %d\nsgemm_gflops %.1f\n", n, S_sgemm_gflops(n, 4));
    printf("w_kib %.0f\n", N_IN * N_HIDDEN * sizeof(float) / 1024.0);
    printf("w_read_gbs %.1f\nw_update_gbs %.1f\n", S_bandwidth(N_IN, 0), S_bandwidth(N_IN, 1));
    printf("big_update_gbs %.1f\n", S_bandwidth(64L * 1024 * 1024 / (N_HIDDEN * sizeof(float)), 1));
    return fflush(stdout) == 0 ? 0 : 1;
}
#endif
