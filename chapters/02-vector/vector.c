// vector.c — chapter 2: a 784-300-10 network on MNIST, trained one image at a time, in matrix form.
//
// Chapter 1's derivatives written as matrix-vector products, outer products and elementwise products,
// for a sigmoid hidden layer and a softmax output with the cross-entropy loss. Stochastic gradient descent
// on one image per step: forward, backward, update, 55 000 times an epoch. The matrix operations are a few
// small loops in this file, ordered for the cache; there is no library behind them.
//
//     make build/02-vector/vector
//     build/02-vector/vector --epochs 1 --lr 0.01 --out /tmp/vector     # the book's run, about a second
//     build/02-vector/vector --limit 2000 --out /tmp/draft              # a quick draft on 2 000 images
//     build/02-vector/vector --gradcheck --out /tmp/gc                  # backprop against finite differences
//     build/02-vector/vector --help                                     # every flag and its default
//
// It writes into --out: train_loss.tsv (step samples loss: every step's loss), epochs.tsv (epoch samples
// train_loss val_loss val_acc; epoch 0 is the untrained network), eval_curve.tsv (samples val_loss val_acc:
// before training, every --eval-every images of an epoch and after each epoch) and results.txt (`key value` lines);
// with --final the evaluation columns and keys are test_loss and test_acc. --gradcheck writes only
// gradcheck.tsv. Exit status: 0 ok, 1 bad flags or data, 3 the training diverged (results.txt then says
// `status diverged`; see train()).
//
// Precision: float (32 bits) for the model, double for the sums that are reported (mean losses). A
// gradient computed from one image is noisy in its first digit; float's seven digits are plenty, and
// floats halve the bytes every step moves and double the lanes of every vector instruction. A numpy version
// would use float32 for the same reasons. The price is a coarser gradient check (see there).
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

#define N_CLASSES 10
#define MAX_EPOCHS 999
#define EXIT_DIVERGED 3  // the exit status of a run whose loss became NaN or infinite

// ----- the network and its shapes -------------------------------------------------------------------
//
// I inputs (784 pixels), H hidden units (300), O outputs (10 digits). As in chapter 1, W_ij connects
// input i to hidden unit j and V_jk hidden unit j to output k; with vectors as columns the forward pass
// is z = Wᵀx + b, h = σ(z), o = Vᵀh + c, y = softmax(o).
//
// Storage is chosen per layer, for the loops that use it (see "matrix operations"). W is stored as it
// is written, row i holding the H weights that leave pixel i. V is stored transposed, as Vt (O, H):
// row k holds the H weights that arrive at output k, Vt[k*H + j] = V_jk.

typedef struct {
    int I, H, O;
    float *W;   // (I, H) input -> hidden, W[i*H + j] = W_ij
    float *b;   // (H)
    float *Vt;  // (O, H) hidden -> output, transposed: Vt[k*H + j] = V_jk
    float *c;   // (O)
} model;

// What the forward pass leaves for the backward pass, and the backward pass's own vectors.
typedef struct {
    float *h;     // (H) hidden activations σ(Wᵀx + b)
    float *y;     // (O) output probabilities softmax(Vᵀh + c)
    float *dout;  // (O) ∇_o, the gradient at the output pre-activations
    float *dh;    // (H) ∇_h
    float *dz;    // (H) ∇_z, the gradient at the hidden pre-activations z
} activations;

static model model_new(int I, int H, int O) {
    model m = {I, H, O, wb_calloc((size_t)I * H, sizeof(float)), wb_calloc(H, sizeof(float)),
               wb_calloc((size_t)O * H, sizeof(float)), wb_calloc(O, sizeof(float))};
    return m;
}

static void model_zero(model *m) {
    memset(m->W, 0, (size_t)m->I * m->H * sizeof(float)), memset(m->b, 0, m->H * sizeof(float));
    memset(m->Vt, 0, (size_t)m->O * m->H * sizeof(float)), memset(m->c, 0, m->O * sizeof(float));
}

static void model_free(model *m) {
    free(m->W), free(m->b), free(m->Vt), free(m->c);
}

// Weights from N(0, 1/fan-in), biases zero, as in chapter 1: each pre-activation starts with a variance
// of order one, where the sigmoid is steep. The draws come in numpy's order and rounding,
//     np.random.seed(seed); W = (np.random.randn(I, H) / np.sqrt(I)).astype(np.float32)
//     V = (np.random.randn(H, O) / np.sqrt(H)).astype(np.float32)
// V drawn row by row as written, then stored transposed.
static void model_init(model *m, rng_state *r) {
    model_zero(m);
    for (size_t i = 0; i < (size_t)m->I * m->H; i++) m->W[i] = (float)(rng_gauss(r) / sqrt(m->I));
    for (int j = 0; j < m->H; j++)
        for (int k = 0; k < m->O; k++) m->Vt[(size_t)k * m->H + j] = (float)(rng_gauss(r) / sqrt(m->H));
}

static activations activations_new(int H, int O) {
    activations a = {wb_calloc(H, sizeof(float)), wb_calloc(O, sizeof(float)), wb_calloc(O, sizeof(float)),
                     wb_calloc(H, sizeof(float)), wb_calloc(H, sizeof(float))};
    return a;
}

static void activations_free(activations *a) {
    free(a->h), free(a->y), free(a->dout), free(a->dh), free(a->dz);
}

// ----- matrix operations ----------------------------------------------------------------------------
//
// Four loops do all the arithmetic. Each walks its matrix row by row, in the order the rows lie in
// memory, and each inner loop runs along one contiguous row: an axpy (y += a·x) or a dot product.

// Skip the rows of zero inputs: most MNIST pixels are exactly 0, and x_i = 0 adds 0·W_i to z and
// 0·∇_z to W_i. Exact, not an approximation. `--dense` turns it off, to measure what it saves.
static int skip_zeros = 1;

// y += a x, for n floats. Its iterations are independent, so the compiler turns
// the loop into vector instructions (eight floats at a time with AVX2) exactly
// as it is written.
static void axpy(float *restrict y, float a, const float *restrict x, int n) {
    for (int j = 0; j < n; j++) y[j] += a * x[j];
}

// The dot product of a and b (n floats), with eight partial sums. One running
// sum is a chain of dependent additions that the compiler must keep in order
// (floating-point addition is not associative, and reordering it would change
// the result), so it stays scalar and waits on every add. Eight sums, one per
// lane of a vector register, fix the order differently but explicitly, and
// vectorise.
static float dot(const float *a, const float *b, int n) {
    float part[8] = {0};
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int l = 0; l < 8; l++) part[l] += a[j + l] * b[j + l];
    float s = 0;
    for (; j < n; j++) s += a[j] * b[j];
    for (int l = 0; l < 8; l++) s += part[l];
    return s;
}

// out += Mᵀ v, M of shape (n, m): a sum of the rows of M weighted by v, one
// axpy per row, skipping zero weights. M is read once, row after row, in memory
// order.
static void matvec_t(float *out, const float *M, const float *v, int n, int m) {
    for (int i = 0; i < n; i++) {
        if (v[i] == 0 && skip_zeros) continue;
        axpy(out, v[i], M + (size_t)i * m, m);
    }
}

// out = M v, M of shape (n, m): one dot product per row.
static void matvec(float *out, const float *M, const float *v, int n, int m) {
    for (int i = 0; i < n; i++) out[i] = dot(M + (size_t)i * m, v, m);
}

// M += a u vᵀ, M of shape (n, m): the outer-product update, row i gets
// (a u_i) v. A zero u_i leaves its row untouched, so in the first layer only
// the rows of the lit pixels are read and written.
static void outer_update(float *M, float a, const float *u, const float *v,
                         int n, int m) {
    for (int i = 0; i < n; i++) {
        if (u[i] == 0 && skip_zeros) continue;
        axpy(M + (size_t)i * m, a * u[i], v, m);
    }
}

// ----- forward pass ---------------------------------------------------------------------------------

// z = Wᵀx + b: x (I), W (I, H), z and b (H). The sum of the rows of W of the lit pixels.
static void layer1_forward(float *z, const float *x, const float *W, const float *b, int I, int H) {
    memcpy(z, b, H * sizeof(float));
    matvec_t(z, W, x, I, H);
}

// h = σ(z), elementwise; h may be z (in place).
static void sigmoid_forward(float *h, const float *z, int n) {
    for (int j = 0; j < n; j++) h[j] = 1.0f / (1.0f + expf(-z[j]));
}

// o = Vᵀh + c: h (H), Vt (O, H), o and c (O). One dot product of length H
// per output.
static void layer2_forward(float *o, const float *h, const float *Vt,
                           const float *c, int H, int O) {
    matvec(o, Vt, h, O, H);
    for (int k = 0; k < O; k++) o[k] += c[k];
}

// y = softmax(o) and the loss −log y_t for the true class t, from the logits o (n); y may be o.
// The largest logit is subtracted first, so that no exp overflows; the loss is log Σ exp(o − m) −
// (o_t − m), not −log y_t, which is −log 0 = inf for a confident mistake whose y_t underflowed.
static float softmax_xent_forward(float *y, const float *o, int t, int n) {
    float m = o[0], margin = o[t];
    for (int k = 1; k < n; k++) m = o[k] > m ? o[k] : m;
    margin -= m;  // read before y overwrites o
    float s = 0;
    for (int k = 0; k < n; k++) s += y[k] = expf(o[k] - m);
    for (int k = 0; k < n; k++) y[k] /= s;
    return logf(s) - margin;
}

// The whole forward pass for one image x (I) of class t: fills a->h (H) and
// a->y (O), returns the loss.
static float forward(activations *a, const model *m, const float *x, int t) {
    layer1_forward(a->h, x, m->W, m->b, m->I, m->H);      // z = Wᵀx + b  (H)
    sigmoid_forward(a->h, a->h, m->H);                    // h = σ(z)     (H)
    layer2_forward(a->y, a->h, m->Vt, m->c, m->H, m->O);  // o = Vᵀh + c  (O)
    return softmax_xent_forward(a->y, a->y, t, m->O);     // y, −log y_t
}

// ----- backward pass --------------------------------------------------------------------------------
//
// Each *_backward takes the gradient at its layer's output and gives the one at its input. Parameter
// gradients are not stored: they are *added*, times `scale`, into the arrays passed as gW, gb. Passed
// the weights themselves with scale = −lr, that is the SGD step, and no gradient matrix is ever
// written; passed zeroed arrays with scale = 1, it is the plain gradient (for checks and mini-batches).

// ∇_o = y − onehot(t): softmax and cross-entropy together, as derived in chapter 1.
static void softmax_xent_backward(float *dout, const float *y, int t, int n) {
    // BEGIN SOLUTION: the gradient at the outputs, dout (n), of the loss -log y[t]; see "The gradients in matrix form"
    // STUB: memset(dout, 0, sizeof(float) * n);  // a stub: no gradient
    for (int k = 0; k < n; k++) dout[k] = y[k] - (k == t);
    // END SOLUTION
}

// Backward of o = Vᵀh + c. First ∇_h = V ∇_o, the rows of Vt weighted by ∇_o,
// read before V changes; then ∇_V = h ∇_oᵀ, which for Vt is ∇_o hᵀ:
// gVt += scale ∇_o hᵀ, gc += scale ∇_o.
static void layer2_backward(float *dh, float *gVt, float *gc,
                            const float *dout, const float *h,
                            const float *Vt, int H, int O, float scale) {
    // BEGIN SOLUTION: dh (H), then scale times the gradients of V and c added into gVt and gc; see "The gradients in matrix form"
    // STUB: memset(dh, 0, sizeof(float) * H);  // a stub: no gradient
    // STUB: (void)matvec_t, (void)outer_update;  // the helpers this needs
    memset(dh, 0, H * sizeof(float));
    matvec_t(dh, Vt, dout, O, H);
    outer_update(gVt, scale, dout, h, O, H);
    axpy(gc, scale, dout, O);
    // END SOLUTION
}

// Backward of h = σ(z): ∇_z = ∇_h ⊙ h ⊙ (1 − h), from the output h alone.
static void sigmoid_backward(float *dz, const float *dh, const float *h, int n) {
    // BEGIN SOLUTION: dz (n), the gradient at the hidden layer's inputs, from dh and h; see "The gradients in matrix form"
    // STUB: memset(dz, 0, sizeof(float) * n);  // a stub: no gradient
    for (int j = 0; j < n; j++) dz[j] = dh[j] * h[j] * (1.0f - h[j]);
    // END SOLUTION
}

// Backward of z = Wᵀx + b: ∇_W = x ∇_zᵀ, gW += scale x ∇_zᵀ (rows of the lit
// pixels only), gb += scale ∇_z. The gradient at the input, W ∇_z, is not
// needed: nothing comes before the pixels.
static void layer1_backward(float *gW, float *gb, const float *dz,
                            const float *x, int I, int H, float scale) {
    // BEGIN SOLUTION: scale times the gradients of W and b added into gW and gb; see "The gradients in matrix form"
    // STUB: (void)axpy;  // a stub: gW and gb unchanged
    outer_update(gW, scale, x, dz, I, H);
    axpy(gb, scale, dz, H);
    // END SOLUTION
}

// The whole backward pass for one image, after forward(a, m, x, t): adds
// scale × ∇l to g's arrays. g may be m itself (the fused SGD step): layer 2
// reads V for ∇_h before it updates V.
static void backward(model *g, activations *a, const model *m, const float *x,
                     int t, float scale) {
    softmax_xent_backward(a->dout, a->y, t, m->O);  // ∇_o (O)
    layer2_backward(a->dh, g->Vt, g->c, a->dout, a->h, m->Vt, m->H, m->O,
                    scale);                         // ∇_h (H); V, c
    sigmoid_backward(a->dz, a->dh, a->h, m->H);     // ∇_z (H)
    layer1_backward(g->W, g->b, a->dz, x, m->I, m->H, scale);  // W, b
}

// ----- training -------------------------------------------------------------------------------------

// One SGD step on the images idx[0 .. batch) of x (n, I), labels y: returns
// their mean loss. One image: forward, then backward straight into the weights.
// Several: their gradients are averaged in g (zeroed here) and then applied, so
// that every image of the batch sees the same weights.
static double sgd_step(model *m, model *g, activations *a, const float *x,
                       const uint8_t *y, const int *idx, int batch, float lr) {
    if (batch == 1) {
        const float *xi = x + (size_t)idx[0] * m->I;
        float l = forward(a, m, xi, y[idx[0]]);
        backward(m, a, m, xi, y[idx[0]], -lr);
        return l;
    }
    double loss = 0;
    model_zero(g);
    for (int s = 0; s < batch; s++) {
        const float *xi = x + (size_t)idx[s] * m->I;
        loss += forward(a, m, xi, y[idx[s]]);
        backward(g, a, m, xi, y[idx[s]], 1.0f / batch);
    }
    // BEGIN SOLUTION: the SGD step: every parameter of m moves by -lr times its gradient in g; see "Training"
    axpy(m->W, -lr, g->W, m->I * m->H), axpy(m->b, -lr, g->b, m->H);
    axpy(m->Vt, -lr, g->Vt, m->O * m->H), axpy(m->c, -lr, g->c, m->O);
    // END SOLUTION
    return loss / batch;
}

// Mean loss and accuracy (fraction of argmax y = label) of the model on a whole set.
static void evaluate(const model *m, const mnist_set *s, double *loss, double *acc) {
    activations a = activations_new(m->H, m->O);
    float *x = wb_malloc(sizeof(float) * m->I);  // (I) the image, scaled to [0, 1]
    double total = 0;
    long right = 0;
    for (int n = 0; n < s->n; n++) {
        mnist_scale(x, s->x + (size_t)n * m->I, m->I);
        total += forward(&a, m, x, s->y[n]);
        int best = 0;
        for (int k = 1; k < m->O; k++) best = a.y[k] > a.y[best] ? k : best;
        right += best == s->y[n];
    }
    activations_free(&a);
    free(x);
    *loss = total / s->n;
    *acc = (double)right / s->n;
}

typedef struct {
    int epochs, batch, hidden, seed;
    double lr;
    int eval_every;  // also evaluate after every this many images of each epoch (0: only after each epoch)
} config;

// What a training run measured. Epoch 0 is the untrained network: its train_loss is the mean loss over
// the training set; for later epochs it is the mean of that epoch's step losses.
typedef struct {
    long steps;                // SGD steps taken
    float *step_loss;          // (steps) the loss of each step, before its update
    long *step_samples;        // (steps) training images seen after each step
    double train_loss[MAX_EPOCHS + 1];
    double eval_loss[MAX_EPOCHS + 1], eval_acc[MAX_EPOCHS + 1];
    int epochs_done;
    int n_curve;               // the evaluation curve: before training, every eval_every images, after each epoch
    long *curve_samples;       // (n_curve) training images seen at each point
    double *curve_loss, *curve_acc;  // (n_curve)
    double final_train_loss, final_train_acc;  // the trained network, frozen, on the whole training set
    double train_seconds;      // time in the SGD steps only, evaluations excluded
    double eval_seconds;       // time in the evaluations during epochs
    int diverged, diverged_epoch;  // see train()
    long diverged_step;            // the step whose loss was NaN or infinite, or 0
    double diverged_loss;
} history;

// Evaluate on `eval` and add a point to the curve. The time it takes does not count as training.
static void curve_point(history *h, const model *m, const mnist_set *eval, long seen) {
    double t0 = progress_now();
    evaluate(m, eval, &h->curve_loss[h->n_curve], &h->curve_acc[h->n_curve]);
    h->curve_samples[h->n_curve++] = seen;
    h->eval_seconds += progress_now() - t0;
}

// SGD steps on the images order[from .. to) of tr, each recorded in h. Returns the sum of their losses,
// or NaN at the first loss that is not finite (h->diverged_* then say where). *running is a smoothed
// loss for the progress bar.
static double train_steps(model *m, model *g, activations *a, history *h, const config *c, const mnist_set *tr,
                          const int *order, int from, int to, int epoch, double *running, progress *p) {
    double sum = 0;
    long seen = (long)(epoch - 1) * tr->n + from;
    float *xb = wb_malloc(sizeof(float) * c->batch * m->I);  // (batch, I) the step's images, scaled to [0, 1]
    uint8_t *yb = wb_malloc(c->batch);                       // (batch) their labels
    int *rows = wb_malloc(sizeof(int) * c->batch);           // 0, 1, ...: sgd_step takes rows of xb in order
    for (int s = 0; s < c->batch; s++) rows[s] = s;
    for (int i = from; i < to; i += c->batch) {
        int nb = tr->n - i < c->batch ? tr->n - i : c->batch;
        for (int s = 0; s < nb; s++) {
            mnist_scale(xb + (size_t)s * m->I, tr->x + (size_t)order[i + s] * m->I, m->I);
            yb[s] = tr->y[order[i + s]];
        }
        double l = sgd_step(m, g, a, xb, yb, rows, nb, (float)c->lr);
        h->step_loss[h->steps] = (float)l;
        h->step_samples[h->steps++] = seen += nb;
        if (!isfinite(l)) {
            h->diverged = 1, h->diverged_epoch = epoch, h->diverged_step = h->steps, h->diverged_loss = l;
            sum = NAN;
            break;
        }
        sum += l;
        *running += 0.002 * (l - *running);
        if ((h->steps & 255) == 0) progress_update(p, i + nb, *running);
    }
    free(xb), free(yb), free(rows);
    return sum;
}

// One epoch of SGD over tr in a fresh random order, in stretches of c->eval_every images (a multiple of
// the batch size) with a point of the evaluation curve on `eval` after each; the point after the
// last stretch is train()'s. Returns the mean step loss, or NaN if a loss was not finite.
static double train_epoch(model *m, model *g, history *h, int epoch, const config *c, const mnist_set *tr,
                          const mnist_set *eval, int *order, rng_state *r, progress *p) {
    activations a = activations_new(m->H, m->O);
    for (int i = 0; i < tr->n; i++) order[i] = i;
    rng_shuffle(r, order, tr->n);
    double sum = 0, running = log(m->O);
    long first = h->steps;
    int stretch = c->eval_every ? (c->eval_every + c->batch - 1) / c->batch * c->batch : tr->n;
    for (int from = 0; from < tr->n && !h->diverged; from += stretch) {
        int to = tr->n - from < stretch ? tr->n : from + stretch;
        sum += train_steps(m, g, &a, h, c, tr, order, from, to, epoch, &running, p);
        if (to < tr->n && !h->diverged) curve_point(h, m, eval, (long)(epoch - 1) * tr->n + to);
    }
    progress_end(p, h->step_samples[h->steps - 1] - (long)(epoch - 1) * tr->n, running);
    activations_free(&a);
    return sum / (h->steps - first);
}

// Train for c->epochs epochs, evaluating on `eval` before training and after every epoch.
//
// When has a run diverged? The loss is computed stably, so a learning rate that is too large rarely
// makes it infinite: the sigmoids saturate and the loss just grows, the weights thrown further by every
// step. So training stops with h->diverged set at the first step whose loss is NaN or infinite (an
// overflow, or a bug), or after an epoch whose mean loss is more than 10% above the untrained network's
// (wb_loss_diverged, wb.h).
static void train(model *m, history *h, const config *c, const mnist_set *tr, const mnist_set *eval, rng_state *r) {
    model g = c->batch > 1 ? model_new(m->I, m->H, m->O) : (model){0};  // gradient buffers, for batches only
    int *order = wb_malloc(tr->n * sizeof(int));                  // (n_train) this epoch's order
    long per_epoch = (tr->n + c->batch - 1) / c->batch;
    h->step_loss = wb_malloc(per_epoch * c->epochs * sizeof(float));
    h->step_samples = wb_malloc(per_epoch * c->epochs * sizeof(long));
    long points = 1 + c->epochs * (1 + (c->eval_every ? tr->n / c->eval_every + 1 : 0));
    h->curve_samples = wb_malloc(points * sizeof(long));
    h->curve_loss = wb_malloc(points * sizeof(double)), h->curve_acc = wb_malloc(points * sizeof(double));
    double ignored;
    evaluate(m, tr, &h->train_loss[0], &ignored);
    curve_point(h, m, eval, 0);
    h->eval_loss[0] = h->curve_loss[0], h->eval_acc[0] = h->curve_acc[0];
    for (int e = 1; e <= c->epochs; e++) {
        char label[64];
        snprintf(label, sizeof label, "epoch %d/%d", e, c->epochs);
        progress p;
        progress_start(&p, label, tr->n);
        double t0 = progress_now(), e0 = h->eval_seconds;
        h->train_loss[e] = train_epoch(m, &g, h, e, c, tr, eval, order, r, &p);
        h->train_seconds += progress_now() - t0 - (h->eval_seconds - e0);
        if (h->diverged) break;
        curve_point(h, m, eval, (long)e * tr->n);
        h->eval_loss[e] = h->curve_loss[h->n_curve - 1], h->eval_acc[e] = h->curve_acc[h->n_curve - 1];
        h->epochs_done = e;
        fprintf(stderr, "epoch %d: train loss %.4f, evaluation loss %.4f, accuracy %.2f%%\n", e, h->train_loss[e],
                h->eval_loss[e], 100 * h->eval_acc[e]);
        if (wb_loss_diverged(h->train_loss[0], h->train_loss[e])) {
            h->diverged = 1, h->diverged_epoch = e, h->diverged_loss = h->train_loss[e];
            break;
        }
    }
    if (!h->diverged) evaluate(m, tr, &h->final_train_loss, &h->final_train_acc);
    free(order);
    model_free(&g);
}

// ----- gradient check -------------------------------------------------------------------------------
//
// Central differences (l(θ+ε) − l(θ−ε)) / 2ε of the mean loss over a few random inputs, for every
// parameter of a small random network, against backward's gradient, per group W b V c. In float each
// loss is rounded to about 7 digits, so ε must be large: the rounding error of the difference, about
// 1e-7 · l / ε, falls as ε grows while the truncation error ε² l'''/6 grows. On these networks the two
// balance near ε = 3e-2, with errors around 5e-6; at 1e-2 or 1e-1 they are two to six times larger.

#define GC_EPS 3e-2f
#define GC_TAU 1e-3  // relative errors are taken against max(|analytic|, |numerical|, GC_TAU)
#define GC_TOL 1e-2  // correct gradients measure below 3e-3 in float; a bug gives errors near 1


static double S_mean_loss(const model *m, activations *a, const float *x, const uint8_t *y, int n) {
    double l = 0;
    for (int s = 0; s < n; s++) l += forward(a, m, x + (size_t)s * m->I, y[s]);
    return l / n;
}

// The analytic gradient of the mean loss over the n inputs x (n, I) with labels y, by backward().
static model gradient(const model *m, const float *x, const uint8_t *y, int n) {
    model g = model_new(m->I, m->H, m->O);
    activations a = activations_new(m->H, m->O);
    for (int s = 0; s < n; s++) {
        forward(&a, m, x + (size_t)s * m->I, y[s]);
        backward(&g, &a, m, x + (size_t)s * m->I, y[s], 1.0f / n);
    }
    activations_free(&a);
    return g;
}

// Fill grp[4] (W b V c) with the largest differences between the gradient g and central differences
// of the mean loss of m over x (n, I), y. m's parameters are perturbed one at a time and restored.
static void gradcheck_compare(gc_row grp[4], model *m, const model *g, const float *x, const uint8_t *y, int n) {
    activations a = activations_new(m->H, m->O);
    float *p[4] = {m->W, m->b, m->Vt, m->c};
    const float *gp[4] = {g->W, g->b, g->Vt, g->c};
    const char *names[4] = {"W", "b", "V", "c"};
    int counts[4] = {m->I * m->H, m->H, m->O * m->H, m->O};
    for (int k = 0; k < 4; k++) {
        grp[k] = (gc_row){names[k], counts[k], 0, 0, 0};
        for (int i = 0; i < counts[k]; i++) {
            float keep = p[k][i], up = keep + GC_EPS, down = keep - GC_EPS;  // the steps as rounded
            p[k][i] = up;
            double lp = S_mean_loss(m, &a, x, y, n);
            p[k][i] = down;
            double lm = S_mean_loss(m, &a, x, y, n);
            p[k][i] = keep;
            double num = (lp - lm) / ((double)up - down), err = fabs(gp[k][i] - num);
            grp[k].max_abs = fmax(grp[k].max_abs, err);
            grp[k].max_rel = fmax(grp[k].max_rel, err / fmax(fmax(fabs(gp[k][i]), fabs(num)), GC_TAU));
            grp[k].max_num = fmax(grp[k].max_num, fabs(num));
        }
    }
    activations_free(&a);
}

// A random I-H-O network, its biases random too so that their gradients are tested, and n random inputs
// in [0, 1), about a third of them exactly 0 like MNIST's background, with random labels.
static void gradcheck_problem(model *m, float **x, uint8_t **y, int I, int H, int O, int n, uint32_t seed) {
    rng_state r;
    rng_seed(&r, seed);
    *m = model_new(I, H, O);
    model_init(m, &r);
    for (int j = 0; j < H; j++) m->b[j] = (float)(0.5 * rng_gauss(&r));
    for (int k = 0; k < O; k++) m->c[k] = (float)(0.5 * rng_gauss(&r));
    *x = wb_malloc((size_t)n * I * sizeof(float));
    *y = wb_malloc(n);
    for (int i = 0; i < n * I; i++) (*x)[i] = rng_double(&r) < 1.0 / 3 ? 0.0f : (float)rng_double(&r);
    for (int s = 0; s < n; s++) (*y)[s] = (uint8_t)rng_below(&r, O);
}

// The --gradcheck run: a 20-7-10 network, the mean loss over 4 random inputs.
static void gradcheck(gc_row grp[4], uint32_t seed) {
    model m, g;
    float *x;
    uint8_t *y;
    gradcheck_problem(&m, &x, &y, 20, 7, N_CLASSES, 4, seed);
    g = gradient(&m, x, y, 4);
    gradcheck_compare(grp, &m, &g, x, y, 4);
    model_free(&m), model_free(&g), free(x), free(y);
}

// ----- outputs --------------------------------------------------------------------------------------

static void write_train_loss(const char *dir, const history *h) {
    wb_out o = wb_out_open_in(dir, "train_loss.tsv");
    fprintf(o.f, "step\tsamples\tloss\n");
    for (long s = 0; s < h->steps; s++) fprintf(o.f, "%ld\t%ld\t%.6g\n", s + 1, h->step_samples[s], h->step_loss[s]);
    wb_out_commit(&o);
}

// eval_curve.tsv: samples, loss and accuracy on the evaluation set at every point of the curve.
static void write_curve(const char *dir, const history *h, const char *ev) {
    wb_out o = wb_out_open_in(dir, "eval_curve.tsv");
    fprintf(o.f, "samples\t%s_loss\t%s_acc\n", ev, ev);
    for (int i = 0; i < h->n_curve; i++)
        fprintf(o.f, "%ld\t%.6g\t%.6g\n", h->curve_samples[i], h->curve_loss[i], h->curve_acc[i]);
    wb_out_commit(&o);
}

// epochs.tsv: a row per finished epoch; a run stopped by a NaN or infinite step loss gets a last row of
// nan for the epoch it broke in.
static void write_epochs(const char *dir, const history *h, const char *ev, long n_train) {
    wb_out o = wb_out_open_in(dir, "epochs.tsv");
    fprintf(o.f, "epoch\tsamples\ttrain_loss\t%s_loss\t%s_acc\n", ev, ev);
    for (int e = 0; e <= h->epochs_done; e++)
        fprintf(o.f, "%d\t%ld\t%.6g\t%.6g\t%.6g\n", e, e * n_train, h->train_loss[e], h->eval_loss[e], h->eval_acc[e]);
    if (h->diverged_step) fprintf(o.f, "%d\t%ld\tnan\tnan\tnan\n", h->diverged_epoch, h->step_samples[h->steps - 1]);
    wb_out_commit(&o);
}

static void write_results(const char *dir, const history *h, const config *c, const mnist_set *tr, const char *ev,
                          double load_seconds, double nonzero) {
    wb_out o = wb_out_open_in(dir, "results.txt");
    int e = h->epochs_done;
    long samples = h->steps ? h->step_samples[h->steps - 1] : 0;
    fprintf(o.f, "status %s\n", h->diverged ? "diverged" : "ok");
    if (h->diverged)
        fprintf(o.f, "diverged_epoch %d\ndiverged_step %ld\ndiverged_loss %g\n", h->diverged_epoch, h->diverged_step,
                h->diverged_loss);
    else
        fprintf(o.f, "%s_acc %.6f\n%s_loss %.6f\ntrain_loss %.6f\nfinal_train_loss %.6f\nfinal_train_acc %.6f\n", ev,
                h->eval_acc[e], ev, h->eval_loss[e], h->train_loss[e], h->final_train_loss, h->final_train_acc);
    fprintf(o.f, "%s_acc_0 %.6f\n%s_loss_0 %.6f\ntrain_loss_0 %.6f\n", ev, h->eval_acc[0], ev, h->eval_loss[0],
            h->train_loss[0]);
    fprintf(o.f, "epochs %d\nlr %g\nbatch %d\nseed %d\nhidden %d\neval_every %d\n", c->epochs, c->lr, c->batch, c->seed,
            c->hidden, c->eval_every);
    fprintf(o.f, "n_train %d\nsteps %ld\nsamples %ld\n", tr->n, h->steps, samples);
    fprintf(o.f, "n_in %d\nn_out %d\nparams %d\n", tr->dim, N_CLASSES, (tr->dim + 1) * c->hidden + (c->hidden + 1) * N_CLASSES);
    wb_write_command(o.f);
    fprintf(o.f, "train_seconds %.4f\nepoch_seconds %.4f\nsamples_per_s %.0f\nload_seconds %.4f\n", h->train_seconds,
            h->train_seconds * tr->n / (samples ? samples : 1), samples / fmax(h->train_seconds, 1e-9), load_seconds);
    // The memory traffic of the first layer, which bounds the speed: each step reads the rows of W of
    // the lit pixels (forward), then reads and writes them again (update).
    double w_bytes = (double)tr->dim * c->hidden * sizeof(float), rows = skip_zeros ? nonzero * tr->dim : tr->dim;
    fprintf(o.f, "skip_zeros %d\nnonzero_frac %.4f\nrows_per_step %.1f\n", skip_zeros, nonzero, rows);
    fprintf(o.f, "diverged_margin %g\n", WB_DIVERGED_MARGIN);  // the rule a diverged run failed (wb.h)
    fprintf(o.f, "w_kib %.0f\nw_gb_per_epoch %.2f\n", w_bytes / 1024,
            3 * rows * c->hidden * sizeof(float) * tr->n / 1e9);
    wb_out_commit(&o);
}

// The fraction of pixels that are not exactly zero: the share of W's rows an average step touches.
static double nonzero_fraction(const mnist_set *s) {
    long nz = 0;
    for (size_t i = 0; i < (size_t)s->n * s->dim; i++) nz += s->x[i] != 0;
    return (double)nz / ((double)s->n * s->dim);
}

// ----- flags and main ---------------------------------------------------------------------------------

// Everything a run is told: the training settings train() reads, and what to run on what.
typedef struct {
    config c;
    int final, limit, gradcheck, dense, subnormals;
    const char *out, *mnist;
} options;

// The defaults are the book's settings.
static const options DEFAULTS = {
    .c = {.epochs = 1, .batch = 1, .hidden = 300, .seed = 0, .lr = 0.01, .eval_every = 0},
    .out = "out",
    .mnist = "data/mnist",
};

enum { N_FLAGS = 13 };

static void flag_table(flag_spec specs[N_FLAGS], options *o) {
    config *c = &o->c;
    flag_spec t[N_FLAGS] = {
        {"epochs", FLAG_INT, &c->epochs, "passes over the training set", 1, MAX_EPOCHS},
        {"lr", FLAG_DOUBLE, &c->lr, "learning rate", 1e-12, 1e30},
        {"batch", FLAG_INT, &c->batch, "images per SGD step (1: the chapter's per-sample SGD)", 1, 60000},
        {"hidden", FLAG_INT, &c->hidden, "hidden units", 1, 100000},
        {"seed", FLAG_INT, &c->seed, "random seed: initial weights and the order of the images", 0, 2147483647},
        {"final", FLAG_BOOL, &o->final, "train on all 60 000 images and evaluate on the 10 000 test images", 0, 0},
        {"eval-every", FLAG_INT, &c->eval_every, "also evaluate after every N images of an epoch (0: never)", 0, 1e9},
        {"limit", FLAG_INT, &o->limit, "train on the first N training images only (0: all)", 0, 60000},
        {"mnist", FLAG_STRING, &o->mnist, "folder holding the four MNIST IDX files", 0, 0},
        {"out", FLAG_STRING, &o->out, "folder for the results (created if missing)", 0, 0},
        {"gradcheck", FLAG_BOOL, &o->gradcheck, "check the gradients of a small random network, write gradcheck.tsv",
         0, 0},
        {"dense", FLAG_BOOL, &o->dense, "do not skip zero pixels (same numbers, slower)", 0, 0},
        {"subnormals", FLAG_BOOL, &o->subnormals, "keep subnormal floats (slow where sigmoids saturate; for make bench)",
         0, 0},
    };
    memcpy(specs, t, sizeof t);
}

// Parse argv into o: 0 when it is fine, 1 for --help (the usage printed, with the defaults), -1 with a
// message in err.
static int parse_args(options *o, int argc, char **argv, char *err, size_t errlen) {
    flag_spec specs[N_FLAGS];
    flag_table(specs, o);
    int rc = flags_try_parse(argc, argv, specs, N_FLAGS, err, errlen);
    if (rc == 1) {
        options d = DEFAULTS;
        flag_table(specs, &d);
        flags_usage(stdout, specs, N_FLAGS, "vector [flags]");
    }
    if (rc == 0 && o->limit > 0 && o->c.batch > o->limit)
        return wb_errf(err, errlen, "--batch %d is larger than the training set (--limit %d)", o->c.batch, o->limit);
    return rc;
}

// --gradcheck: gradcheck.tsv with a verdict per group. Returns the exit status: 0, or 4 when a group fails.
static int run_gradcheck(const options *o) {
    gc_row grp[4];
    gradcheck(grp, (uint32_t)o->c.seed);
    return gc_report(o->out, grp, 4, GC_TOL);
}

// Say why a run diverged; the results already say that it did.
static void S_report_diverged(const history *h, const config *c) {
    fprintf(stderr, "%s: training diverged: ", wb_progname());
    if (h->diverged_step)
        fprintf(stderr, "the loss of step %ld (epoch %d) is %g", h->diverged_step, h->diverged_epoch, h->diverged_loss);
    else
        fprintf(stderr, "after epoch %d the mean training loss is %g, more than %.0f%% above the %g before training",
                h->diverged_epoch, h->diverged_loss, 100 * WB_DIVERGED_MARGIN, h->train_loss[0]);
    fprintf(stderr, ". Is the learning rate too high? Try a smaller --lr than %g.\n", c->lr);
}

// Load MNIST, train, and write every output into o->out. Returns the exit status: 0, or EXIT_DIVERGED.
static int run_training(const options *o) {
    wb_mkdirs(o->out);
    double t0 = progress_now();
    mnist_set tr, ev;
    mnist_load_split(o->mnist, o->final, wb_quick_cap(o->limit), &tr, &ev);  // wb.h
    // A batch larger than the set would run one short step while results.txt says --batch: refuse it.
    if (o->c.batch > tr.n) wb_die("--batch %d is larger than the training set (%d images)", o->c.batch, tr.n);
    double load_seconds = progress_now() - t0, nonzero = nonzero_fraction(&tr);
    const char *evname = o->final ? "test" : "val";
    fprintf(stderr, "loaded %d training and %d %s images in %.3f s; %.1f%% of the pixels are nonzero\n", tr.n, ev.n,
            evname, load_seconds, 100 * nonzero);
    rng_state r;
    rng_seed(&r, (uint32_t)o->c.seed);
    model m = model_new(tr.dim, o->c.hidden, N_CLASSES);
    model_init(&m, &r);
    history h = {0};
    train(&m, &h, &o->c, &tr, &ev, &r);
    write_train_loss(o->out, &h);
    write_epochs(o->out, &h, evname, tr.n);
    write_curve(o->out, &h, evname);
    write_results(o->out, &h, &o->c, &tr, evname, load_seconds, nonzero);
    if (h.diverged) S_report_diverged(&h, &o->c);
    free(h.step_loss), free(h.step_samples), free(h.curve_samples), free(h.curve_loss), free(h.curve_acc);
    model_free(&m), mnist_free(&tr), mnist_free(&ev);
    return h.diverged ? EXIT_DIVERGED : 0;
}

#ifndef TESTING
int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    wb_set_command(argc, argv);
    options o = DEFAULTS;
    char err[512];
    int rc = parse_args(&o, argc, argv, err, sizeof err);
    if (rc == 1) return 0;
    if (rc != 0) wb_die("%s", err);
    skip_zeros = !o.dense;
    if (!o.subnormals) wb_flush_subnormals();  // tiny floats as 0: the same numbers, and no slow path (wb.h)
    return o.gradcheck ? run_gradcheck(&o) : run_training(&o);
}
#endif
