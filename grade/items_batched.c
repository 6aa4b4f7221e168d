// items_batched.c — chapter 3's item that the program's own functions answer: the gradient of a batch is the
// mean of its images' gradients (not their sum, and not zero).
#include "item.h"

enum { ITEM_B = GC_BATCH };

static void batch_mean(void) {
    float X[ITEM_B * GC_IN];
    uint8_t t[ITEM_B];
    params net = gc_problem(3, ITEM_B, X, t), G = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    params one = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    workspace ws = workspace_alloc(&net, ITEM_B);
    long n[4] = {(long)GC_IN * GC_HIDDEN, GC_HIDDEN, (long)GC_HIDDEN * N_CLASSES, N_CLASSES};
    double *mean[4];
    for (int k = 0; k < 4; k++) mean[k] = calloc((size_t)n[k], sizeof(double));
    gradient(&G, &net, &ws, X, t, ITEM_B);
    for (int i = 0; i < ITEM_B; i++) {
        gradient(&one, &net, &ws, X + i * GC_IN, t + i, 1);
        float *po[4] = {one.W, one.b, one.V, one.c};
        for (int k = 0; k < 4; k++)
            for (long j = 0; j < n[k]; j++) mean[k][j] += po[k][j] / ITEM_B;
    }
    float *pg[4] = {G.W, G.b, G.V, G.c};
    const char *name[4] = {"W", "b", "V", "c"};
    int bad = -1;
    double worst = 0, scale = 0, ratio = 0;
    for (int k = 0; k < 4 && bad < 0; k++) {
        double w = 0, s = 0, dot = 0, mm = 0;
        for (long j = 0; j < n[k]; j++) {
            w = fmax(w, fabs(pg[k][j] - mean[k][j]));
            s = fmax(s, fabs(mean[k][j]));
            dot += pg[k][j] * mean[k][j], mm += mean[k][j] * mean[k][j];
        }
        if (!(s > 0) || !(w <= 1e-4 * s + 1e-7)) bad = k, worst = w, scale = s, ratio = mm > 0 ? dot / mm : 0;
    }
    if (bad < 0) item("batch-mean", 1, "the gradient of a batch of %d is the mean of its images' gradients", ITEM_B);
    else if (!(scale > 0)) item("batch-mean", 0, "the images' gradients of %s are all zero: the backward pass "
                                "computes nothing yet", name[bad]);
    else item("batch-mean", 0, "the batch gradient of %s differs from the mean of its %d images' gradients by up to "
              "%.2g (they are up to %.2g); it is %.3g times the mean%s", name[bad], ITEM_B, worst, scale, ratio,
              fabs(ratio - ITEM_B) < 0.01 * ITEM_B ? ": the sum, not the mean" : "");
    for (int k = 0; k < 4; k++) free(mean[k]);
    workspace_free(&ws), params_free(&net), params_free(&G), params_free(&one);
}

int main(void) {
    batch_mean();
    return item_failed;
}
