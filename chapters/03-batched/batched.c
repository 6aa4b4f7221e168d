// batched.c — chapter 3: the 784-300-10 network of chapter 2 trained on mini-batches, its products in CBLAS.
//
// The network is chapter 2's: a sigmoid hidden layer and a softmax output, trained with the cross-entropy
// loss. What changes is that a step now takes B images at once, one row per image, and averages their
// gradients. The matrix-vector products of chapter 2 become matrix-matrix products, and those go to BLAS
// (cblas_sgemm, from Debian's OpenBLAS), as they do under numpy.
//
//     make build/03-batched/batched
//     build/03-batched/batched --batch 16 --lr 0.8 --epochs 10 --out /tmp/b16
//     build/03-batched/batched --gradcheck --out /tmp/gc
//
// It writes into --out: train_loss.tsv (step samples loss: the loss of every batch), epochs.tsv (epoch samples
// train_loss val_loss val_acc: the training set (or its first --eval-train images) and the validation set
// evaluated before training and after every epoch; test_loss test_acc with --final) and results.txt (`key value`
// lines). A run that diverges (a NaN or infinite loss, or an epoch that leaves the training loss more than 10%
// above where it started) stops with exit status 3 and `status diverged`; bad flags or data exit 1. --gradcheck writes
// gradcheck.tsv instead.
//
// Precision: float (32 bits) throughout, accumulating losses in double. SGEMM does twice the arithmetic per
// instruction of DGEMM and moves half the bytes; the noise of stochastic gradients is many orders of
// magnitude larger than float's rounding (a relative 6e-8). The price is a coarser gradient check.
//
// BLAS runs single-threaded unless OPENBLAS_NUM_THREADS says otherwise, so that `make -j` can run several
// trainings side by side; with one thread the same seed gives the same numbers, bit for bit.
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "gradcheck.h"
#include "idx.h"
#include "progress.h"
#include "rng.h"
#include "wb.h"

// OpenBLAS's own extensions, declared in its cblas.h; repeated here so the file says what it uses.
void openblas_set_num_threads(int n);
char *openblas_get_config(void);

#define N_CLASSES 10
#define EVAL_ROWS 500    // rows per forward pass when evaluating a whole data set
#define EXIT_DIVERGED 3  // the exit status of a run whose loss became NaN or infinite

// ----- the network and its parameters --------------------------------------------------------------

// The parameters of the two layers, or a gradient of the same shapes (the backward pass writes either).
typedef struct {
    int n_in, n_hidden, n_out;
    float *W;  // (n_in, n_hidden)  input to hidden
    float *b;  // (n_hidden)
    float *V;  // (n_hidden, n_out) hidden to output
    float *c;  // (n_out)
} params;

static params params_alloc(int n_in, int n_hidden, int n_out) {
    params p = {n_in, n_hidden, n_out, NULL, NULL, NULL, NULL};
    p.W = wb_calloc((size_t)n_in * n_hidden, sizeof(float));
    p.b = wb_calloc(n_hidden, sizeof(float));
    p.V = wb_calloc((size_t)n_hidden * n_out, sizeof(float));
    p.c = wb_calloc(n_out, sizeof(float));
    return p;
}

static void params_free(params *p) {
    free(p->W), free(p->b), free(p->V), free(p->c);
    p->W = p->b = p->V = p->c = NULL;
}

// Weights from N(0, 1/fan_in), biases zero, exactly as chapter 2 draws them:
//     np.random.seed(seed); W = (np.random.randn(n_in, n_hidden) / np.sqrt(n_in)).astype(np.float32)
//     V = (np.random.randn(n_hidden, n_out) / np.sqrt(n_hidden)).astype(np.float32)
// Every unit starts with a pre-activation of order one, where the sigmoid is steep. The same seed gives
// chapter 2's initial network, and (see train_run) its order of images.
static void params_init(params *p, rng_state *rng) {
    for (long i = 0; i < (long)p->n_in * p->n_hidden; i++) p->W[i] = (float)(rng_gauss(rng) / sqrt(p->n_in));
    for (long i = 0; i < (long)p->n_hidden * p->n_out; i++) p->V[i] = (float)(rng_gauss(rng) / sqrt(p->n_hidden));
    memset(p->b, 0, sizeof(float) * p->n_hidden);
    memset(p->c, 0, sizeof(float) * p->n_out);
}

// Every array a step or an evaluation needs, allocated once: a step allocates nothing.
typedef struct {
    int rows;       // the most rows a forward pass may take
    float *X;       // (rows, n_in)     the batch's images, gathered from the shuffled order
    uint8_t *t;     // (rows)           their labels
    float *H;       // (rows, n_hidden) hidden activations
    float *Y;       // (rows, n_out)    softmax probabilities, then the gradient at the output
    float *dH;      // (rows, n_hidden) gradient at the hidden layer
    float *colsum;  // (n_hidden)       a bias gradient being summed over the batch
    int *lit;       // (n_in)           per pixel: 1 if it is lit in some image of the batch
    int *pixel;     // (n_in)           the pixel whose weights are in row q of W (see lit_first)
    float *Xc;      // (rows, n_in)     the batch on its lit pixels only, in the order of W's rows
    long lit_sum;   //                  lit pixels summed over the steps taken, for the results
} workspace;

static workspace workspace_alloc(const params *p, int rows) {
    workspace w = {rows, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    w.lit = wb_malloc(sizeof(int) * p->n_in);
    w.pixel = wb_malloc(sizeof(int) * p->n_in);
    for (int i = 0; i < p->n_in; i++) w.pixel[i] = i;  // W in pixel order
    w.Xc = wb_malloc(sizeof(float) * rows * p->n_in);
    w.X = wb_malloc(sizeof(float) * rows * p->n_in);
    w.t = wb_malloc(rows);
    w.H = wb_malloc(sizeof(float) * rows * p->n_hidden);
    w.Y = wb_malloc(sizeof(float) * rows * p->n_out);
    w.dH = wb_malloc(sizeof(float) * rows * p->n_hidden);
    w.colsum = wb_malloc(sizeof(float) * p->n_hidden);
    return w;
}

static void workspace_free(workspace *w) {
    free(w->X), free(w->t), free(w->H), free(w->Y), free(w->dH), free(w->colsum);
    free(w->lit), free(w->pixel), free(w->Xc);
    memset(w, 0, sizeof *w);
}

// ----- the sigmoid, eight at a time ----------------------------------------------------------------
//
// A call to expf cannot be turned into vector instructions (the compiler does not know it has no side
// effects), so a loop of expf computes one sigmoid at a time, and at B = 16 that took about a tenth of an
// epoch. S_exp is e^x in a few multiply-adds that the compiler vectorises, as accurate as expf within 1.4
// units in the last place: x = n ln 2 + r with n a whole number and |r| <= ln 2 / 2, then e^x = 2^n e^r,
// e^r from its Taylor-like polynomial (Cephes's coefficients) and 2^n built directly as the bits of a float.
// It needs x in [-87, 88], where 2^n is a normal float.
static inline float S_exp(float x) {
    const float magic = 12582912.0f;  // 1.5 * 2^23: adding it leaves round(y) in the low bits of y + magic
    float t = x * 1.44269504088896341f + magic, n = t - magic;  // n = round(x / ln 2)
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;        // x - n ln 2, ln 2 in two parts
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;  // e^r
    union { float f; uint32_t u; } s = {t};
    s.u = (s.u - 0x4B400000u + 127u) << 23;  // the float 2^n: exponent field n + 127, mantissa 0
    return p * s.f;
}

// h <- sigmoid(h + b) for a row of n. Two loops, each simple enough to vectorise: first -(h + b) clamped
// to S_exp's range (beyond it the sigmoid is 0 or 1 to float precision anyway; NaN stays NaN), then
// 1 / (1 + e^-z).
static void sigmoid_row(float *h, const float *b, int n) {
    for (int j = 0; j < n; j++) {
        float x = -(h[j] + b[j]);
        h[j] = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    }
    for (int j = 0; j < n; j++) h[j] = 1.0f / (1.0f + S_exp(h[j]));
}

// ----- the forward pass: one row per image ---------------------------------------------------------

// The hidden layer for a batch of B images, one row per image:
//     H = sigmoid(X W + 1 b^T)
//     X (B, n_in), W (n_in, n_hidden), b (n_hidden), H (B, n_hidden)
// The product is one call to cblas_sgemm, which computes
// C <- alpha op(M1) op(M2) + beta C, op() a transpose or not; then one
// pass per row adds b and applies the sigmoid.
static void hidden_forward(float *H, const float *X, const float *W,
                           const float *b, int B, int n_in,
                           int n_hidden) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                B, n_hidden, n_in,           // rows, columns, inner size
                1.0f, X, n_in, W, n_hidden,  // alpha; X times W
                0.0f, H, n_hidden);          // beta; into H
    for (int i = 0; i < B; i++)
        sigmoid_row(H + (long)i * n_hidden, b, n_hidden);
}

// The output layer and the loss: O = H V + 1 c^T, Y = softmax of each row of O, and the sum over the batch
// of the cross-entropy -log Y[i, t_i]. The log-probability is taken as o_t - m - log sum_j exp(o_j - m) with
// m the row's largest output: exp never overflows, and a confident wrong answer gives a large loss, not log 0.
// Y (B, n_out) holds O and then Y. Returns the summed loss (in double: the sum of 500 floats loses digits).
static double output_forward(float *Y, const float *H, const float *V, const float *c, const uint8_t *t, int B,
                             int n_hidden, int n_out) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, n_out, n_hidden,
                1.0f, H, n_hidden, V, n_out, 0.0f, Y, n_out);
    double loss = 0.0;
    for (int i = 0; i < B; i++) {
        float *y = Y + (long)i * n_out;  // (n_out) row i: outputs, then probabilities
        float m = -INFINITY, s = 0.0f;
        for (int k = 0; k < n_out; k++) m = fmaxf(m, y[k] += c[k]);
        float o_t = y[t[i]] - m;  // the true class's output, shifted: log Y[i, t_i] = o_t - log s
        for (int k = 0; k < n_out; k++) s += y[k] = expf(y[k] - m);
        loss += log(s) - o_t;
        for (int k = 0; k < n_out; k++) y[k] /= s;
    }
    return loss;
}

// The whole forward pass of a batch: the mean loss over its B rows (the gradient check's function).
static double forward(const params *net, workspace *ws, const float *X, const uint8_t *t, int B) {
    hidden_forward(ws->H, X, net->W, net->b, B, net->n_in, net->n_hidden);
    return output_forward(ws->Y, ws->H, net->V, net->c, t, B, net->n_hidden, net->n_out) / B;
}

// ----- the backward pass: gradients averaged over the batch ----------------------------------------
//
// Every gradient is written as  G <- keep * G + scale * (gradient), the form cblas_sgemm computes anyway.
// With scale = 1, keep = 0, G is a separate params and receives the gradient itself (the gradient check
// uses this). With G = the network, scale = -lr, keep = 1, it is the SGD update, W <- W - lr * grad W,
// done inside the product: one pass over W instead of three (write the gradient, read it, update W).

// The gradient at the output, of the loss averaged over the batch:
//     dO = (Y - T) / B      Y, T (B, n_out); row i of T: one-hot of t[i]
// In place: Y becomes dO. The 1/B is the mean over the batch; it keeps
// the size of the gradient, and so the learning rate, independent of B.
static void output_loss_backward(float *Y, const uint8_t *t, int B,
                                 int n_out) {
    // BEGIN SOLUTION: dO = (Y - T) / B, in place in Y; see "The gradient of a batch"
    // STUB: memset(Y, 0, sizeof(float) * B * n_out);  // a stub: no gradient
    float inv_b = 1.0f / B;
    for (int i = 0; i < B; i++) {
        float *y = Y + (long)i * n_out;  // (n_out) row i
        y[t[i]] -= 1.0f;
        for (int k = 0; k < n_out; k++) y[k] *= inv_b;
    }
    // END SOLUTION
}

// Back through the output layer, O = H V + 1 c^T:
//     dH = dO V^T                        (B, n_hidden)  computed first: V may be about to change
//     G.V <- keep G.V + scale H^T dO     (n_hidden, n_out)
//     G.c <- keep G.c + scale 1^T dO     (n_out): the column sums of dO
static void output_backward(params *G, float *dH, const float *dO, const float *H, const float *V, float scale,
                            float keep, int B, int n_hidden, int n_out) {
    // BEGIN SOLUTION: dH = dO V^T, then G.V and G.c as the comment above says; see "The gradient of a batch"
    // STUB: memset(dH, 0, sizeof(float) * B * n_hidden);  // a stub: no gradient,
    // STUB: for (long q = 0; q < (long)n_hidden * n_out; q++)  // so G <- keep G
    // STUB:     G->V[q] *= keep;
    // STUB: for (int k = 0; k < n_out; k++) G->c[k] *= keep;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, n_hidden, n_out,
                1.0f, dO, n_out, V, n_out, 0.0f, dH, n_hidden);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n_hidden, n_out, B,
                scale, H, n_hidden, dO, n_out, keep, G->V, n_out);
    for (int k = 0; k < n_out; k++) {
        float s = 0.0f;
        for (int i = 0; i < B; i++) s += dO[(long)i * n_out + k];
        G->c[k] = keep * G->c[k] + scale * s;
    }
    // END SOLUTION
}

// Back through the hidden layer, H = sigmoid(Z), Z = X W + 1 b^T:
//     dZ = dH * H * (1 - H)            (B, n_hidden), elementwise
//     G.W <- keep G.W + scale X^T dZ   (n_in, n_hidden), the big product
//     G.b <- keep G.b + scale 1^T dZ   (n_hidden), the column sums of dZ
// dH becomes dZ in place; colsum (n_hidden) is scratch. The pixels need
// no gradient: nothing comes before them.
static void hidden_backward(params *G, float *dH, float *colsum,
                            const float *H, const float *X, float scale,
                            float keep, int B, int n_in, int n_hidden) {
    // BEGIN SOLUTION: dZ in place of dH, then G.W and G.b as the comment above says; see "The gradient of a batch"
    // STUB: for (long q = 0; q < (long)n_in * n_hidden; q++)  // a stub: no gradient,
    // STUB:     G->W[q] *= keep;                              // so G <- keep G
    // STUB: for (int j = 0; j < n_hidden; j++) G->b[j] *= keep;
    memset(colsum, 0, sizeof(float) * n_hidden);
    for (int i = 0; i < B; i++) {
        float *d = dH + (long)i * n_hidden;       // (n_hidden) row i
        const float *h = H + (long)i * n_hidden;  // (n_hidden)
        for (int j = 0; j < n_hidden; j++)
            colsum[j] += d[j] *= h[j] * (1.0f - h[j]);
    }
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans,
                n_in, n_hidden, B,            // rows, columns, inner size
                scale, X, n_in, dH, n_hidden, // alpha; X^T times dZ
                keep, G->W, n_hidden);        // beta; into G.W
    for (int j = 0; j < n_hidden; j++)
        G->b[j] = keep * G->b[j] + scale * colsum[j];
    // END SOLUTION
}

// The whole backward pass, after forward() on the same batch (it reads ws->H and ws->Y, and consumes Y).
static void backward(params *G, const params *net, workspace *ws, const float *X, const uint8_t *t, int B,
                     float scale, float keep) {
    output_loss_backward(ws->Y, t, B, net->n_out);
    output_backward(G, ws->dH, ws->Y, ws->H, net->V, scale, keep, B, net->n_hidden, net->n_out);
    hidden_backward(G, ws->dH, ws->colsum, ws->H, X, scale, keep, B, net->n_in, net->n_hidden);
}

// The gradient of the mean loss of a batch, into G (same shapes as net). Returns the loss.
static double gradient(params *G, const params *net, workspace *ws, const float *X, const uint8_t *t, int B) {
    double loss = forward(net, ws, X, t, B);
    backward(G, net, ws, X, t, B, 1.0f, 0.0f);
    return loss;
}

// ----- zero pixels: a step computes on the lit pixels only ----------------------------------------
//
// Most MNIST pixels are exactly 0. A pixel that is 0 in every image of a batch is a column of zeros in X:
// it adds nothing to X W, and its row of W receives a zero gradient from X^T dZ. Leaving such columns out
// of X, and their rows out of W, changes no result (only the order of the float additions inside sgemm).
// At B = 16 about half the pixels are blank in the whole batch, and both large products shrink by as much.
// Chapter 2 skips the zero pixels of one image in the same way.
//
// sgemm needs the lit rows of W as one block, its first k rows. So the rows of W are kept in an order of
// their own, pixel[q] naming the pixel of row q, and each batch swaps its lit pixels into the first k rows.
// The order the last batch left already has the often-lit pixels in front, so a batch needs few swaps
// (about 40 of the 784 rows at B = 16). After an epoch pixel_order puts every row back in its place: outside
// the training loop, W is in pixel order. `--dense` turns all this off, to measure what it saves.
static int skip_zeros = 1;

// Which pixels are lit (not 0) in at least one of the B images X (B, n_in): lit[i] is 1 or 0. Returns
// how many are.
static int lit_pixels(int *lit, const float *X, int B, int n_in) {
    memset(lit, 0, sizeof(int) * n_in);
    for (int r = 0; r < B; r++) {
        const float *x = X + (long)r * n_in;  // (n_in) image r
        for (int i = 0; i < n_in; i++) lit[i] |= x[i] != 0.0f;
    }
    int k = 0;
    for (int i = 0; i < n_in; i++) k += lit[i];
    return k;
}

// Swap rows a and b of W (n floats each), and the pixels they belong to.
static void S_swap_rows(float *W, int *pixel, int a, int b, int n) {
    float *u = W + (long)a * n, *v = W + (long)b * n;
    for (int j = 0; j < n; j++) {
        float keep = u[j];
        u[j] = v[j], v[j] = keep;
    }
    int p = pixel[a];
    pixel[a] = pixel[b], pixel[b] = p;
}

// Reorder the rows of W (n_in, n_hidden) so that the first k hold the weights of the k lit pixels: each
// lit pixel found in row k or below trades places with an unlit one above.
static void lit_first(float *W, int *pixel, const int *lit, int k, int n_in, int n_hidden) {
    int up = 0, down = n_in - 1;
    for (;;) {
        while (up < k && lit[pixel[up]]) up++;         // the first unlit row above k
        while (down >= k && !lit[pixel[down]]) down--;  // the last lit row from k on
        if (up >= k || down < k) return;
        S_swap_rows(W, pixel, up, down, n_hidden);
    }
}

// Put the rows of W back in pixel order: row i holds the weights of pixel i. Each swap puts one row in
// its place for good.
static void pixel_order(float *W, int *pixel, int n_in, int n_hidden) {
    for (int q = 0; q < n_in; q++)
        while (pixel[q] != q) S_swap_rows(W, pixel, q, pixel[q], n_hidden);
}

// The network on the lit pixels of the batch in ws: the same arrays, with W cut to its first k rows after
// lit_first has moved the lit pixels' weights there. The batch's k lit columns go into ws->Xc (B, k) in the
// order of W's rows.
static params lit_network(params *net, workspace *ws, int B) {
    int n = net->n_in, k = lit_pixels(ws->lit, ws->X, B, n);
    lit_first(net->W, ws->pixel, ws->lit, k, n, net->n_hidden);
    ws->lit_sum += k;
    k = k > 0 ? k : 1;  // a batch of blank images: one column of zeros, as sgemm needs one
    for (int r = 0; r < B; r++)
        for (int q = 0; q < k; q++) ws->Xc[(long)r * k + q] = ws->X[(long)r * n + ws->pixel[q]];
    params lit = *net;
    lit.n_in = k;
    return lit;
}

// One step of mini-batch SGD on the batch in ws (ws->X, ws->t): the
// forward pass, then the backward pass with every gradient folded into
// the parameters (G = net, scale = -lr, keep = 1), both on the batch's
// lit pixels only. Returns the batch's mean loss, before the step.
static double sgd_step(params *net, workspace *ws, int B, float lr) {
    params lit = skip_zeros ? lit_network(net, ws, B) : *net;
    const float *X = skip_zeros ? ws->Xc : ws->X;  // (B, lit.n_in)
    double loss = forward(&lit, ws, X, ws->t, B);
    backward(&lit, &lit, ws, X, ws->t, B, -lr, 1.0f);
    return loss;
}

// ----- evaluation: loss and accuracy of a whole data set, batched ----------------------------------

typedef struct {
    double loss, acc;
} score;

static int S_argmax(const float *p, int n) {
    int best = 0;
    for (int k = 1; k < n; k++)
        if (p[k] > p[best]) best = k;
    return best;
}

// The mean loss and the fraction classified right, in forward passes of EVAL_ROWS images. The rows of a
// data set are contiguous, so a chunk is scaled to floats in one pass.
static score evaluate(const params *net, workspace *ws, const mnist_set *d) {
    double loss = 0.0;
    long right = 0;
    for (int s = 0; s < d->n; s += ws->rows) {
        int n = d->n - s < ws->rows ? d->n - s : ws->rows;
        mnist_scale(ws->X, d->x + (long)s * d->dim, (size_t)n * d->dim);
        hidden_forward(ws->H, ws->X, net->W, net->b, n, net->n_in, net->n_hidden);
        loss += output_forward(ws->Y, ws->H, net->V, net->c, d->y + s, n, net->n_hidden, net->n_out);
        for (int i = 0; i < n; i++) right += S_argmax(ws->Y + (long)i * net->n_out, net->n_out) == d->y[s + i];
    }
    score r = {loss / d->n, (double)right / d->n};
    return r;
}

// ----- training ------------------------------------------------------------------------------------

typedef struct {
    int epochs, batch, hidden, seed, final, limit, gradcheck;
    double lr;
    const char *out, *mnist;
    int dense, subnormals;
    int eval_train;  // evaluate the training loss on the first this many training images (0: all of them)
} config;

// Copy the images of one batch (indices idx, B of them) into the workspace's contiguous rows, as floats.
static void gather_batch(workspace *ws, const mnist_set *d, const int *idx, int B) {
    for (int i = 0; i < B; i++) {
        mnist_scale(ws->X + (long)i * d->dim, d->x + (long)idx[i] * d->dim, d->dim);
        ws->t[i] = d->y[idx[i]];
    }
}

// What a run writes while it trains; every file is committed together at the end, or when it diverges.
typedef struct {
    wb_out steps, epochs;
    const char *eval_name;  // "val" or "test"
    long step, samples;
    double bad_loss;        // the NaN or infinite loss that stopped an epoch
} run_log;

static void S_log_epoch(run_log *log, int epoch, score tr, score ev) {
    fprintf(log->epochs.f, "%d\t%ld\t%.6g\t%.6g\t%.6g\n", epoch, log->samples, tr.loss, ev.loss, ev.acc);
    fprintf(stderr, "epoch %d: train loss %.4f, %s loss %.4f, %s accuracy %.2f%%\n", epoch, tr.loss,
            log->eval_name, ev.loss, log->eval_name, 100.0 * ev.acc);
}

// One pass over the training set in the order `order` (shuffled by the caller). Returns 0, or the step
// (counted from 1 within the epoch) whose loss was NaN or infinite; *seconds gets the time spent.
static int train_epoch(params *net, workspace *ws, const mnist_set *train, const int *order, const config *cfg,
                       int epoch, run_log *log, double *seconds) {
    char label[64];
    snprintf(label, sizeof label, "epoch %d/%d", epoch, cfg->epochs);
    progress bar;
    progress_start(&bar, label, train->n);
    double sum = 0.0;
    int k = 0;
    for (int s = 0; s < train->n; s += cfg->batch) {
        int B = train->n - s < cfg->batch ? train->n - s : cfg->batch;  // the last batch may be smaller
        gather_batch(ws, train, order + s, B);
        double loss = sgd_step(net, ws, B, (float)cfg->lr);
        k++, log->step++;
        if (!isfinite(loss)) {
            if (bar.tty) fputc('\n', stderr);
            log->bad_loss = loss;
            return k;
        }
        log->samples += B;
        sum += loss;
        fprintf(log->steps.f, "%ld\t%ld\t%.6g\n", log->step, log->samples, loss);
        progress_update(&bar, s + B, sum / k);
    }
    *seconds = progress_end(&bar, train->n, sum / k);
    return 0;
}

// The images the training loss is measured on: the first --eval-train of the training set, or all of it.
// Evaluating the whole training set after every epoch costs about half as much as the epoch itself.
static mnist_set S_train_sample(const config *cfg, const mnist_set *train) {
    mnist_set s = *train;
    if (cfg->eval_train > 0 && cfg->eval_train < s.n) s.n = cfg->eval_train;
    return s;
}

// The `key value` lines every run writes, finished or diverged.
static void S_results_config(FILE *f, const config *cfg, const params *net, const mnist_set *train,
                             const mnist_set *eval, double load_seconds) {
    fprintf(f, "lr %g\nbatch %d\nseed %d\nhidden %d\nepochs %d\nn_train %d\nn_%s %d\nload_seconds %.3f\n",
            cfg->lr, cfg->batch, cfg->seed, net->n_hidden, cfg->epochs, train->n, cfg->final ? "test" : "val",
            eval->n, load_seconds);
    fprintf(f, "n_train_eval %d\nlr_per_image %g\n", S_train_sample(cfg, train).n, cfg->lr / cfg->batch);
    fprintf(f, "precision float32\nblas %s\ndiverged_margin %g\n", openblas_get_config(), WB_DIVERGED_MARGIN);
    wb_write_command(f);
}

// Multiply-adds of the matrix products per training sample, times two: the GFLOP/s the results report.
// They are counted for the dense products, as if no pixel were skipped: the rate is the dense work divided
// by the time taken, the same yardstick for --dense and for numpy.
static double S_flops_per_sample(const params *n) {
    return 2.0 * (2.0 * n->n_in * n->n_hidden + 3.0 * n->n_hidden * n->n_out);
}

// The scores after the first and before the last epoch, beside the last: what the text says about the curves
// (they fall, they flatten) is checked against them.
typedef struct {
    score tr1, ev1, tr_prev, ev_prev;
} epoch_marks;

static void S_write_results(const config *cfg, const params *net, const mnist_set *train, const mnist_set *eval,
                            double load_seconds, double train_seconds, double lit_frac, score tr, score ev,
                            epoch_marks m) {
    wb_out o = wb_out_open_in(cfg->out, "results.txt");
    const char *e = cfg->final ? "test" : "val";
    double samples = (double)cfg->epochs * train->n, sec = train_seconds > 0 ? train_seconds : 1e-9;
    fprintf(o.f, "status ok\n%s_acc %.6g\n%s_loss %.6g\ntrain_loss %.6g\n", e, ev.acc, e, ev.loss, tr.loss);
    S_results_config(o.f, cfg, net, train, eval, load_seconds);
    fprintf(o.f, "train_seconds %.3f\nepoch_seconds %.3f\nsamples_per_s %.0f\ngflop_per_s %.1f\n", train_seconds,
            cfg->epochs ? train_seconds / cfg->epochs : 0.0, samples / sec,
            samples * S_flops_per_sample(net) / sec * 1e-9);
    fprintf(o.f, "skip_zeros %d\nlit_frac %.4f\n", skip_zeros, skip_zeros ? lit_frac : 1.0);
    fprintf(o.f, "flop_per_image %.0f\ngflop_per_epoch %.1f\n", S_flops_per_sample(net),
            S_flops_per_sample(net) * train->n * 1e-9);
    fprintf(o.f, "train_loss_1 %.6g\n%s_loss_1 %.6g\ntrain_loss_prev %.6g\n%s_loss_prev %.6g\n", m.tr1.loss, e,
            m.ev1.loss, m.tr_prev.loss, e, m.ev_prev.loss);
    wb_out_commit(&o);
}

static void S_write_diverged(const config *cfg, const params *net, const mnist_set *train, const mnist_set *eval,
                             double load_seconds, int epoch, int step, double loss, double train_seconds) {
    wb_out o = wb_out_open_in(cfg->out, "results.txt");
    fprintf(o.f, "status diverged\ndiverged_epoch %d\ndiverged_step %d\ndiverged_loss %g\n", epoch, step, loss);
    fprintf(o.f, "train_seconds %.3f\n", train_seconds);  // the epochs trained to the end (make bench times them)
    S_results_config(o.f, cfg, net, train, eval, load_seconds);
    wb_out_commit(&o);
}

// When is a run diverged? The loss is computed stably (see output_forward), so a learning rate that is
// too large does not make it infinite: it makes it grow, the weights thrown further by every step. So a
// run has diverged when a batch's loss is NaN or infinite (an overflow, or a bug), or when an epoch leaves
// the loss on the training set more than 10% higher than it was before training (wb_loss_diverged: a little
// higher is a plateau, not divergence). Either writes the message into err.
static int S_check_epoch(char *err, size_t errlen, const config *cfg, int epoch, int bad_step, double bad_loss,
                         score tr, score ev, double start_loss) {
    const char *hint = "Is the learning rate too high for this batch size? Try a smaller --lr.";
    if (bad_step) {
        snprintf(err, errlen, "training diverged: the loss of step %d of epoch %d is %g (--lr %g, --batch %d). %s",
                 bad_step, epoch, bad_loss, cfg->lr, cfg->batch, hint);
        return 1;
    }
    if (isfinite(ev.loss) && !wb_loss_diverged(start_loss, tr.loss)) return 0;  // wb.h
    snprintf(err, errlen, "training diverged: after epoch %d the loss on the training set is %g, more than %.0f%% "
             "above the %g before training (--lr %g, --batch %d). %s", epoch, tr.loss, 100 * WB_DIVERGED_MARGIN,
             start_loss, cfg->lr, cfg->batch, hint);
    return 1;
}

// Train for cfg->epochs epochs on `train`, evaluating on `eval` (validation, or test with --final) before
// training and after every epoch, and write the outputs into cfg->out. Returns 0, or EXIT_DIVERGED with a
// message in err (see S_check_epoch); the outputs so far are written either way.
static int train_run(const config *cfg, const mnist_set *train, const mnist_set *eval, double load_seconds,
                     char *err, size_t errlen) {
    rng_state rng;
    rng_seed(&rng, (uint32_t)cfg->seed);
    params net = params_alloc(train->dim, cfg->hidden, N_CLASSES);
    params_init(&net, &rng);
    workspace ws = workspace_alloc(&net, cfg->batch > EVAL_ROWS ? cfg->batch : EVAL_ROWS);
    int *order = wb_malloc(sizeof(int) * train->n);  // (n_train) the order of this epoch

    wb_mkdirs(cfg->out);
    run_log log = {wb_out_open_in(cfg->out, "train_loss.tsv"), wb_out_open_in(cfg->out, "epochs.tsv"),
                   cfg->final ? "test" : "val", 0, 0, NAN};
    fprintf(log.steps.f, "step\tsamples\tloss\n");
    fprintf(log.epochs.f, "epoch\tsamples\ttrain_loss\t%s_loss\t%s_acc\n", log.eval_name, log.eval_name);

    mnist_set sample = S_train_sample(cfg, train);  // what the training loss is measured on
    score tr = evaluate(&net, &ws, &sample), ev = evaluate(&net, &ws, eval);
    S_log_epoch(&log, 0, tr, ev);
    double start_loss = tr.loss, train_seconds = 0.0;
    epoch_marks m = {tr, ev, tr, ev};
    int status = 0;
    for (int epoch = 1; epoch <= cfg->epochs && status == 0; epoch++) {
        for (int i = 0; i < train->n; i++) order[i] = i;  // a fresh permutation, as np.random.permutation(n)
        rng_shuffle(&rng, order, train->n);
        double seconds = 0.0;
        int bad_step = train_epoch(&net, &ws, train, order, cfg, epoch, &log, &seconds);
        pixel_order(net.W, ws.pixel, net.n_in, net.n_hidden);  // before anything else looks at W
        if (!bad_step) {
            train_seconds += seconds;
            m.tr_prev = tr, m.ev_prev = ev;
            tr = evaluate(&net, &ws, &sample), ev = evaluate(&net, &ws, eval);
            S_log_epoch(&log, epoch, tr, ev);
            if (epoch == 1) m.tr1 = tr, m.ev1 = ev;
        }
        if (S_check_epoch(err, errlen, cfg, epoch, bad_step, log.bad_loss, tr, ev, start_loss)) {
            S_write_diverged(cfg, &net, train, eval, load_seconds, epoch, bad_step, bad_step ? log.bad_loss : tr.loss,
                             train_seconds);
            status = EXIT_DIVERGED;
        }
    }
    double lit_frac = log.step ? ws.lit_sum / ((double)log.step * net.n_in) : 0.0;
    if (status == 0) S_write_results(cfg, &net, train, eval, load_seconds, train_seconds, lit_frac, tr, ev, m);
    wb_out_commit(&log.steps), wb_out_commit(&log.epochs);
    free(order);
    workspace_free(&ws), params_free(&net);
    return status;
}

// ----- gradient check ------------------------------------------------------------------------------
//
// A small random network and batch; the analytic gradient from backward() against central differences
// (l(theta + eps) - l(theta - eps)) / 2 eps of forward(), for every parameter. In float the loss carries about
// seven digits, and the difference of two nearly equal losses loses most of them: eps = 1e-2 balances that
// rounding against the eps^2 truncation error, and the relative error's floor tau = 1e-3 keeps gradients that
// are almost zero from dividing by nothing.

#define GC_IN 12
#define GC_HIDDEN 7
#define GC_BATCH 5
#define GC_EPS 1e-2f
#define GC_TAU 1e-3
#define GC_TOL 1e-2  // correct gradients measure below 4e-3 in float; a bug gives errors near 1


// A small network with every parameter random (biases too, so that no bias gradient is tested at zero),
// and a batch of uniform "pixels" with random labels.
static params gc_problem(uint32_t seed, int B, float *X, uint8_t *t) {
    rng_state rng;
    rng_seed(&rng, seed);
    params p = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    params_init(&p, &rng);
    for (int j = 0; j < p.n_hidden; j++) p.b[j] = (float)(0.5 * rng_gauss(&rng));
    for (int k = 0; k < p.n_out; k++) p.c[k] = (float)(0.5 * rng_gauss(&rng));
    for (int i = 0; i < B * GC_IN; i++) X[i] = (float)rng_double(&rng);
    for (int i = 0; i < B; i++) t[i] = (uint8_t)rng_below(&rng, N_CLASSES);
    return p;
}

// Compare the analytic gradient g (count values) of the parameters theta with central differences.
static gc_row gc_compare(const char *name, float *theta, const float *g, long count, params *net, workspace *ws,
                           const float *X, const uint8_t *t, int B) {
    gc_row r = {name, count, 0.0, 0.0, 0.0};
    for (long i = 0; i < count; i++) {
        float saved = theta[i];
        theta[i] = saved + GC_EPS;
        double up = forward(net, ws, X, t, B);
        theta[i] = saved - GC_EPS;
        double down = forward(net, ws, X, t, B);
        theta[i] = saved;
        double num = (up - down) / (2.0 * GC_EPS), abs_err = fabs(g[i] - num);
        double rel = abs_err / fmax(fmax(fabs(g[i]), fabs(num)), GC_TAU);
        r.max_abs = fmax(r.max_abs, abs_err), r.max_rel = fmax(r.max_rel, rel);
        r.max_num = fmax(r.max_num, fabs(num));
    }
    return r;
}

// Check all four groups on a batch of B rows; out gets them in the order W, b, V, c.
static void gradcheck(gc_row out[4], uint32_t seed, int B) {
    float X[GC_BATCH * GC_IN];  // (B, n_in)
    uint8_t t[GC_BATCH];        // (B)
    params net = gc_problem(seed, B, X, t), G = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    workspace ws = workspace_alloc(&net, B);
    gradient(&G, &net, &ws, X, t, B);
    out[0] = gc_compare("W", net.W, G.W, (long)GC_IN * GC_HIDDEN, &net, &ws, X, t, B);
    out[1] = gc_compare("b", net.b, G.b, GC_HIDDEN, &net, &ws, X, t, B);
    out[2] = gc_compare("V", net.V, G.V, (long)GC_HIDDEN * N_CLASSES, &net, &ws, X, t, B);
    out[3] = gc_compare("c", net.c, G.c, N_CLASSES, &net, &ws, X, t, B);
    workspace_free(&ws), params_free(&net), params_free(&G);
}

// --gradcheck: gradcheck.tsv with a verdict per group. Returns the exit status: 0, or 4 when a group fails.
static int gradcheck_write(const config *cfg) {
    gc_row g[4];
    gradcheck(g, (uint32_t)cfg->seed, GC_BATCH);
    fprintf(stderr, "gradient check: %d-%d-%d network, batch of %d, eps %g, in float\n", GC_IN, GC_HIDDEN,
            N_CLASSES, GC_BATCH, GC_EPS);
    return gc_report(cfg->out, g, 4, GC_TOL);
}

// ----- main: flags, data, run ----------------------------------------------------------------------

#define USAGE "batched [--epochs N] [--lr X] [--batch N] [--hidden N] [--seed N] [--final] [--limit N] " \
              "[--eval-train N] [--dense] [--mnist DIR] [--out DIR] | batched --gradcheck [--seed N] [--out DIR]"

// The defaults are the book's settings.
static const config DEFAULTS = {
    .epochs = 10, .batch = 16, .hidden = 300, .seed = 0, .lr = 0.8, .out = "out", .mnist = "data/mnist",
};

enum { N_FLAGS = 13 };

static void flag_table(flag_spec specs[N_FLAGS], config *c) {
    flag_spec t[N_FLAGS] = {
        {"epochs", FLAG_INT, &c->epochs, "passes over the training set", 1, 10000},
        {"lr", FLAG_DOUBLE, &c->lr, "learning rate (the gradient is averaged over the batch)", 0, 1e30},
        {"batch", FLAG_INT, &c->batch, "images per step", 1, 60000},
        {"hidden", FLAG_INT, &c->hidden, "hidden units", 1, 100000},
        {"seed", FLAG_INT, &c->seed, "seed of the initial weights and the shuffling", 0, 2147483647},
        {"final", FLAG_BOOL, &c->final, "train on all 60 000 images and evaluate on the 10 000 test images", 0, 0},
        {"limit", FLAG_INT, &c->limit, "train on the first N images only (0: all)", 0, 60000},
        {"mnist", FLAG_STRING, &c->mnist, "folder of the four MNIST IDX files", 0, 0},
        {"out", FLAG_STRING, &c->out, "folder for the results", 0, 0},
        {"gradcheck", FLAG_BOOL, &c->gradcheck, "write gradcheck.tsv for a small random network and stop", 0, 0},
        {"dense", FLAG_BOOL, &c->dense, "do not skip the pixels blank in a whole batch (same numbers, slower)", 0, 0},
        {"eval-train", FLAG_INT, &c->eval_train, "measure the training loss on the first N images (0: all)", 0,
         60000},
        {"subnormals", FLAG_BOOL, &c->subnormals, "keep subnormal floats (slow where sigmoids saturate; for make bench)",
         0, 0},
    };
    memcpy(specs, t, sizeof t);
}

// The book's defaults, then the flags. 0 when parsed, 1 for --help (the usage printed, with the defaults),
// -1 with the message in err.
static int config_parse(config *c, int argc, char **argv, char *err, size_t errlen) {
    *c = DEFAULTS;
    flag_spec specs[N_FLAGS];
    flag_table(specs, c);
    int r = flags_try_parse(argc, argv, specs, N_FLAGS, err, errlen);
    if (r == 1) {
        config d = DEFAULTS;
        flag_table(specs, &d);
        flags_usage(stdout, specs, N_FLAGS, USAGE);
    }
    if (r == 0 && c->limit > 0 && c->batch > c->limit) {
        snprintf(err, errlen, "--batch %d is larger than the training set (--limit %d)", c->batch, c->limit);
        return -1;
    }
    return r;
}

// Load MNIST and train. Returns the exit status: 0, or EXIT_DIVERGED (with the message on the screen).
static int run_training(const config *cfg) {
    mnist_set train, eval;
    double t0 = progress_now();
    mnist_load_split(cfg->mnist, cfg->final, wb_quick_cap(cfg->limit), &train, &eval);  // wb.h
    double load_seconds = progress_now() - t0;
    if (cfg->batch > train.n) wb_die("--batch %d is larger than the training set (%d images)", cfg->batch, train.n);
    char err[512];
    int status = train_run(cfg, &train, &eval, load_seconds, err, sizeof err);
    if (status != 0) fprintf(stderr, "%s: %s\n", wb_progname(), err);
    mnist_free(&train), mnist_free(&eval);
    return status;
}

#ifndef TESTING
int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    wb_set_command(argc, argv);
    char err[512];
    config cfg;
    int r = config_parse(&cfg, argc, argv, err, sizeof err);
    if (r == 1) return 0;
    if (r != 0) wb_die("%s", err);
    if (!getenv("OPENBLAS_NUM_THREADS")) openblas_set_num_threads(1);
    skip_zeros = !cfg.dense;
    if (!cfg.subnormals) wb_flush_subnormals();  // tiny floats as 0: the same numbers, and no slow path (wb.h)
    if (cfg.gradcheck) return gradcheck_write(&cfg);
    return run_training(&cfg);
}
#endif
