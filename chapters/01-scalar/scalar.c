// scalar.c — backpropagation by hand: a 2-3-2 network trained with scalar loops on a synthetic two-class set.
//
// The program of chapter 1. Two inputs, three sigmoid hidden units, two softmax outputs and the cross-entropy
// loss, trained by stochastic gradient descent one sample at a time. Every quantity is a plain C array and
// every computation a plain loop: no matrices, no library. The sections below follow the chapter's sections.
//
//     make build/01-scalar/scalar                          # build (make book builds and runs it for you)
//     build/01-scalar/scalar --out /tmp/scalar             # train; series and results.txt into /tmp/scalar
//     build/01-scalar/scalar --example                     # the worked example: loss and every derivative
//     build/01-scalar/scalar --gradcheck --out /tmp/gc     # backprop against finite differences
//     build/01-scalar/scalar --dump-data --out /tmp/data   # the generated data set, as TSV
//     build/01-scalar/scalar --help                        # every flag and its default
//
// Everything is in double precision. The network is so small that speed does not matter, and doubles make
// the gradient check agree to seven digits or more and every number comparable with a numpy notebook (numpy
// computes in float64 too).
//
// Exit status: 0 trained; 1 bad flags; 3 the training diverged (results.txt then says `status diverged`, with
// the series up to where it happened, as chapters 2 and 3's programs do).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "gradcheck.h"
#include "progress.h"
#include "rng.h"
#include "wb.h"

// ----- the network --------------------------------------------------------------------------------

#define EXIT_DIVERGED 3  // the exit status of a run that diverged
#define MIN_TRAIN 100    // the fewest training points a run takes (--n-train)

enum { N_IN = 2, N_OUT = 2, MAX_HIDDEN = 64 };
enum { MAX_GROUP = MAX_HIDDEN * (N_IN > N_OUT ? N_IN : N_OUT) };  // most parameters in one of W, b, V, c

// The parameters. W[i][j] connects input i to hidden unit j, V[j][k] hidden unit j to output k: the first
// index is where a connection comes from, the second where it goes. The same struct holds a gradient, one
// derivative per parameter: g.W[i][j] is dl/dW_ij.
typedef struct {
    int nh;                       // hidden units in use (3 in the book)
    double W[N_IN][MAX_HIDDEN];   // (N_IN, nh) input -> hidden weights
    double b[MAX_HIDDEN];         // (nh) hidden biases
    double V[MAX_HIDDEN][N_OUT];  // (nh, N_OUT) hidden -> output weights
    double c[N_OUT];              // (N_OUT) output biases
} net;

// What the forward pass computes for one input; the backward pass reads it.
typedef struct {
    double z[MAX_HIDDEN];  // (nh) hidden pre-activations
    double h[MAX_HIDDEN];  // (nh) hidden activations, sigmoid(z)
    double o[N_OUT];       // (N_OUT) output pre-activations (logits)
    double y[N_OUT];       // (N_OUT) softmax probabilities
    double loss;           // -log y[target]
} activations;

// Random weights break the symmetry between hidden units: units that start
// equal receive equal gradients and stay equal forever. With unit-variance
// inputs, a standard deviation of 1/sqrt(fan-in) gives each pre-activation a
// variance near 1, where the sigmoid is neither flat (saturated) nor straight.
// Biases start at zero; the random weights already make the units differ.
static void net_init(net *p, int nh, rng_state *r) {
    memset(p, 0, sizeof *p);
    p->nh = nh;
    for (int i = 0; i < N_IN; i++)
        for (int j = 0; j < nh; j++) p->W[i][j] = rng_gauss(r) / sqrt(N_IN);
    for (int j = 0; j < nh; j++)
        for (int k = 0; k < N_OUT; k++) p->V[j][k] = rng_gauss(r) / sqrt(nh);
}

// ----- the forward pass ---------------------------------------------------------------------------

static double sigmoid(double z) { return 1.0 / (1.0 + exp(-z)); }

// Softmax and cross-entropy loss of the logits o, without overflow.
// Subtracting the largest logit m changes nothing mathematically (numerator
// and denominator both gain a factor e^-m) but makes the largest exponential
// e^0 = 1: no exp overflows, and the sum is at least 1. The loss is
// log-sum-exp minus o[target], not -log(y[target]): y[target] may underflow
// to 0, and -log(0) is infinite although the true loss is not.
static double softmax_xent_forward(double y[N_OUT], const double o[N_OUT],
                                   int target) {
    // BEGIN SOLUTION: y = softmax(o) and the loss -log y[target], computed without overflow; see "Computing the softmax and the loss without overflow"
    // STUB: for (int k = 0; k < N_OUT; k++) y[k] = 1.0 / N_OUT;  // a stub:
    // STUB: return log(N_OUT);  // uniform probabilities
    double m = o[0];
    for (int k = 1; k < N_OUT; k++)
        if (o[k] > m) m = o[k];
    double sum = 0.0;
    for (int k = 0; k < N_OUT; k++) sum += (y[k] = exp(o[k] - m));
    for (int k = 0; k < N_OUT; k++) y[k] /= sum;
    return log(sum) - (o[target] - m);
    // END SOLUTION
}

// The forward pass for one input x and its target class: fills a with the
// activations and returns the loss.
static double forward(activations *a, const net *p, const double x[N_IN],
                      int target) {
    // BEGIN SOLUTION: the hidden layer z, h = sigmoid(z) and the outputs o, from x and the weights; see "The network"
    // STUB: for (int j = 0; j < p->nh; j++)  // a stub: every output 0, y uniform
    // STUB:     a->z[j] = 0.0, a->h[j] = sigmoid(0.0);
    // STUB: for (int k = 0; k < N_OUT; k++) a->o[k] = 0.0;
    for (int j = 0; j < p->nh; j++) {
        double z = p->b[j];
        for (int i = 0; i < N_IN; i++) z += x[i] * p->W[i][j];
        a->z[j] = z;
        a->h[j] = sigmoid(z);
    }
    for (int k = 0; k < N_OUT; k++) {
        double o = p->c[k];
        for (int j = 0; j < p->nh; j++) o += a->h[j] * p->V[j][k];
        a->o[k] = o;
    }
    // END SOLUTION
    a->loss = softmax_xent_forward(a->y, a->o, target);
    return a->loss;
}

// ----- the backward pass --------------------------------------------------------------------------

// dl/do_k = y_k - [k == target]: the derivative of the cross-entropy through
// the softmax, worked out in full.
static void softmax_xent_backward(double dl_do[N_OUT], const double y[N_OUT],
                                  int target) {
    // BEGIN SOLUTION: dl/do, the derivative of the loss with respect to the outputs o; see "Through the softmax: the chain rule sums"
    // STUB: for (int k = 0; k < N_OUT; k++) dl_do[k] = 0.0;  // a stub: no gradient
    for (int k = 0; k < N_OUT; k++) dl_do[k] = y[k] - (k == target);
    // END SOLUTION
}

// The same derivative without working it out: the two local derivatives,
// evaluated on the forward pass's numbers, composed by the chain rule as a
// sum over k. Slower, and it divides by y[target], but it gives the same
// numbers (the tests check it): backpropagation never needs a global formula.
static void softmax_xent_backward_local(double dl_do[N_OUT],
                                        const double y[N_OUT], int target) {
    double dl_dy[N_OUT];  // (N_OUT) dl/dy_k of l = -log y[target]
    for (int k = 0; k < N_OUT; k++)
        dl_dy[k] = k == target ? -1.0 / y[target] : 0.0;
    for (int m = 0; m < N_OUT; m++) {
        dl_do[m] = 0.0;
        for (int k = 0; k < N_OUT; k++) {
            double dy_do = y[k] * ((k == m) - y[m]);  // dy_k/do_m
            dl_do[m] += dl_dy[k] * dy_do;
        }
    }
}

// The backward pass: the gradient g of the loss for input x and its target
// class, from the activations a that the forward pass kept. Each line is one
// local derivative times the derivative that flows in from above.
static void backward(net *g, const activations *a, const net *p,
                     const double x[N_IN], int target) {
    double dl_do[N_OUT], dl_dh[MAX_HIDDEN];  // (N_OUT), (nh)
    softmax_xent_backward(dl_do, a->y, target);
    g->nh = p->nh;
    // BEGIN SOLUTION: the gradient of c, V, b and W in g, from dl/do back through the network; see "The rest of the network"
    // STUB: memset(g->W, 0, sizeof g->W), memset(g->b, 0, sizeof g->b);  // a stub:
    // STUB: memset(g->V, 0, sizeof g->V), memset(g->c, 0, sizeof g->c);  // no gradient
    // STUB: (void)dl_dh;
    for (int k = 0; k < N_OUT; k++) g->c[k] = dl_do[k];
    for (int j = 0; j < p->nh; j++) {
        dl_dh[j] = 0.0;
        for (int k = 0; k < N_OUT; k++) {
            g->V[j][k] = a->h[j] * dl_do[k];
            dl_dh[j] += p->V[j][k] * dl_do[k];
        }
    }
    for (int j = 0; j < p->nh; j++) {
        double h = a->h[j];
        double dl_dz = dl_dh[j] * h * (1 - h);  // sigmoid'(z) = h (1 - h)
        g->b[j] = dl_dz;
        for (int i = 0; i < N_IN; i++) g->W[i][j] = x[i] * dl_dz;
    }
    // END SOLUTION
}

// One step of stochastic gradient descent: every parameter moves against its derivative.
static void sgd_step(net *p, const net *g, double lr) {
    for (int j = 0; j < p->nh; j++) {
        for (int i = 0; i < N_IN; i++) p->W[i][j] -= lr * g->W[i][j];
        p->b[j] -= lr * g->b[j];
        for (int k = 0; k < N_OUT; k++) p->V[j][k] -= lr * g->V[j][k];
    }
    for (int k = 0; k < N_OUT; k++) p->c[k] -= lr * g->c[k];
}

// ----- the worked example -------------------------------------------------------------------------

// The chapter's example network: x = (1, -1), all biases zero, target class 0.
static const double EXAMPLE_X[N_IN] = {1, -1};
static const int EXAMPLE_CLASS = 0;

static void example_net(net *p) {
    static const double W[N_IN][3] = {{1, 1, 1}, {-1, -1, -1}};
    static const double V[3][N_OUT] = {{1, 1}, {-1, -1}, {-1, -1}};
    memset(p, 0, sizeof *p);
    p->nh = 3;
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < N_IN; i++) p->W[i][j] = W[i][j];
        for (int k = 0; k < N_OUT; k++) p->V[j][k] = V[j][k];
    }
}

// Adding 0.0 turns -0.0 into +0.0: a zero derivative prints as 0, not -0.
static void S_put(FILE *f, const char *name, double v) { fprintf(f, "%s %.17g\n", name, v + 0.0); }

static void S_put1(FILE *f, const char *name, int i, double v) {
    char key[32];
    snprintf(key, sizeof key, "%s[%d]", name, i);
    S_put(f, key, v);
}

static void S_put2(FILE *f, const char *name, int i, int j, double v) {
    char key[32];
    snprintf(key, sizeof key, "%s[%d][%d]", name, i, j);
    S_put(f, key, v);
}

// Print the example's forward values, the loss, the intermediate derivatives and the gradient as
// `name value` lines: a results file the chapter's table reads.
static void example_print(FILE *f) {
    net p, g;
    activations a;
    double dl_do[N_OUT], dl_do_local[N_OUT];  // (N_OUT) the two ways of computing dl/do
    example_net(&p);
    forward(&a, &p, EXAMPLE_X, EXAMPLE_CLASS);
    backward(&g, &a, &p, EXAMPLE_X, EXAMPLE_CLASS);
    softmax_xent_backward(dl_do, a.y, EXAMPLE_CLASS);
    softmax_xent_backward_local(dl_do_local, a.y, EXAMPLE_CLASS);
    for (int j = 0; j < p.nh; j++) S_put1(f, "z", j, a.z[j]);
    for (int j = 0; j < p.nh; j++) S_put1(f, "h", j, a.h[j]);
    for (int k = 0; k < N_OUT; k++) S_put1(f, "o", k, a.o[k]);
    for (int k = 0; k < N_OUT; k++) S_put1(f, "y", k, a.y[k]);
    S_put(f, "loss", a.loss);
    for (int k = 0; k < N_OUT; k++) S_put1(f, "dl_do", k, dl_do[k]);
    for (int k = 0; k < N_OUT; k++) S_put1(f, "dl_do_local", k, dl_do_local[k]);
    for (int i = 0; i < N_IN; i++)
        for (int j = 0; j < p.nh; j++) S_put2(f, "dW", i, j, g.W[i][j]);
    for (int j = 0; j < p.nh; j++) S_put1(f, "db", j, g.b[j]);
    for (int j = 0; j < p.nh; j++)
        for (int k = 0; k < N_OUT; k++) S_put2(f, "dV", j, k, g.V[j][k]);
    for (int k = 0; k < N_OUT; k++) S_put1(f, "dc", k, g.c[k]);
}

// ----- the data -----------------------------------------------------------------------------------

typedef struct {
    int n;
    double (*x)[N_IN];  // (n, N_IN) points
    int *y;             // (n) classes, 0 or 1
} dataset;

// Class 1 outside the ellipse x^T Q x = 0.6, class 0 inside. Q is the course's (not symmetric; only its
// symmetric part matters). The sum runs in the same order as numpy's einsum, though no point of the
// seed-0 set lies close enough to the boundary for the order to matter.
static int synth_label(const double x[N_IN]) {
    static const double Q[N_IN][N_IN] = {{1, -0.05}, {1, 0.4}};
    double q = 0.0;
    for (int f = 0; f < N_IN; f++)
        for (int k = 0; k < N_IN; k++) q += x[f] * Q[f][k] * x[k];
    return q > 0.6;
}

static void dataset_alloc(dataset *d, int n) {
    d->n = n;
    d->x = wb_malloc((size_t)n * sizeof *d->x);
    d->y = wb_malloc((size_t)n * sizeof *d->y);
}

static void dataset_free(dataset *d) {
    free(d->x);
    free(d->y);
    d->x = NULL, d->y = NULL, d->n = 0;
}

// The course's load_synth: np.random.seed(seed); x = np.random.randn(n_train + n_val, 2); the first
// n_train rows train, the rest validate. r must be freshly seeded for the numbers to match numpy's.
static void synth_data(dataset *train, dataset *val, int n_train, int n_val, rng_state *r) {
    dataset_alloc(train, n_train);
    dataset_alloc(val, n_val);
    for (int t = 0; t < n_train + n_val; t++) {
        dataset *d = t < n_train ? train : val;
        int row = t < n_train ? t : t - n_train;
        for (int i = 0; i < N_IN; i++) d->x[row][i] = rng_gauss(r);
        d->y[row] = synth_label(d->x[row]);
    }
}

static void dataset_write(const dataset *d, const char *path) {
    wb_out o = wb_out_open(path);
    fprintf(o.f, "x0\tx1\ty\n");
    for (int t = 0; t < d->n; t++) fprintf(o.f, "%.17g\t%.17g\t%d\n", d->x[t][0], d->x[t][1], d->y[t]);
    wb_out_commit(&o);
}

// ----- training -----------------------------------------------------------------------------------

typedef struct {
    double loss, acc;  // mean cross-entropy, fraction classified correctly
} evaluation;

static evaluation evaluate(const net *p, const dataset *d) {
    evaluation e = {0.0, 0.0};
    activations a;
    for (int t = 0; t < d->n; t++) {
        e.loss += forward(&a, p, d->x[t], d->y[t]);
        e.acc += (a.y[1] > a.y[0]) == d->y[t];
    }
    e.loss /= d->n;
    e.acc /= d->n;
    return e;
}

typedef struct {
    int epochs;
    double lr, last_lr;  // the rate of every epoch but the last, and of the last (lr again: a constant rate)
    int eval_every;      // also evaluate the validation set after every this many steps (0: after epochs only)
    int eval_last;       // ... in the last this many epochs only (0: in all of them)
    FILE *steps;         // `step loss` for every step, or NULL
    FILE *val;           // `epoch step val_loss val_acc` for every epoch and before training, or NULL
    FILE *curve;         // `step val_loss val_acc`: the evaluations of those epochs, and where the first begins
} train_config;

typedef struct {
    evaluation start, end;    // on the validation set, before and after training
    evaluation before_last;   // on the validation set when the last epoch begins (start, for one epoch)
    double band_lo, band_hi;  // the lowest and highest validation loss evaluated in the last epoch
    double train_loss;        // mean loss over the steps of the last epoch
    double train_loss_std;    // the standard deviation of those steps' losses
    double seconds;           // time spent in the steps (evaluation and writing excluded)
    long steps;
    int diverged_epoch;       // 0, or the epoch in which training diverged
    long diverged_step;       // the step whose loss was not finite (0: the epoch's validation loss rose)
    double diverged_loss;     // that loss, or that validation loss
} train_summary;

static void S_log_val(FILE *f, int epoch, long step, evaluation e) {
    if (f) fprintf(f, "%d\t%ld\t%.17g\t%.17g\n", epoch, step, e.loss, e.acc);
}

static void S_log_curve(FILE *f, long step, evaluation e) {
    if (f) fprintf(f, "%ld\t%.17g\t%.17g\n", step, e.loss, e.acc);
}

// The learning rate of an epoch (1 to epochs): lr, except in the last
// epoch, which steps with last_lr. With last_lr equal to lr, the rate
// is constant.
static double epoch_lr(const train_config *cfg, int epoch) {
    return epoch == cfg->epochs ? cfg->last_lr : cfg->lr;
}

// The flag that set an epoch's rate, for a message about it.
static const char *S_lr_flag(const train_config *cfg, int epoch) {
    return epoch == cfg->epochs && cfg->last_lr != cfg->lr ? "--last-lr" : "--lr";
}

// The first epoch whose evaluations go on the curve.
static int S_curve_from(const train_config *cfg) {
    return cfg->eval_last > 0 && cfg->eval_last < cfg->epochs ? cfg->epochs - cfg->eval_last + 1 : 1;
}

// What happens between the steps of an epoch besides training: the progress bar, and every eval_every steps of
// an epoch on the curve an evaluation of the validation set, whose time does not count as training time.
typedef struct {
    const train_config *cfg;
    const dataset *val;
    progress *bar;
    train_summary *s;     // its band, in the last epoch
    long done;            // steps before this epoch
    int curve, last;      // 1 in an epoch on the curve, 1 in the last epoch
    double eval_seconds;  // time spent evaluating in this epoch
} watch;

static void S_band(train_summary *s, double loss) {
    s->band_lo = fmin(s->band_lo, loss);
    s->band_hi = fmax(s->band_hi, loss);
}

// Before an epoch: which evaluations it makes; the curve's first point, before the first epoch on it; the
// validation loss the last epoch begins with, and its band still empty.
static void S_watch_begin(watch *w, int epoch) {
    const train_config *cfg = w->cfg;
    train_summary *s = w->s;
    w->done = s->steps, w->eval_seconds = 0.0;
    w->curve = epoch >= S_curve_from(cfg), w->last = epoch == cfg->epochs;
    if (epoch == S_curve_from(cfg)) S_log_curve(cfg->curve, s->steps, s->end);
    if (w->last) s->before_last = s->end, s->band_lo = INFINITY, s->band_hi = -INFINITY;
}

// After an epoch (and S_end_epoch's evaluation): that evaluation on the curve, unless the epoch's last step
// put it there already, and in the band.
static void S_watch_end(watch *w) {
    const train_config *cfg = w->cfg;
    train_summary *s = w->s;
    if (w->curve && (cfg->eval_every == 0 || s->steps % cfg->eval_every != 0))
        S_log_curve(cfg->curve, s->steps, s->end);
    if (w->last) S_band(s, s->end.loss);
}

// After step t of the epoch (1 to n), with mean_loss the mean loss of its steps so far.
static void watch_step(watch *w, const net *p, int t, double mean_loss) {
    long step = w->done + t;
    if (t % 1000 == 0) progress_update(w->bar, step, mean_loss);
    if (!w->curve || w->cfg->eval_every == 0 || step % w->cfg->eval_every != 0) return;
    double t0 = progress_now();
    evaluation e = evaluate(p, w->val);
    S_log_curve(w->cfg->curve, step, e);
    if (w->last) S_band(w->s, e.loss);
    w->eval_seconds += progress_now() - t0;
}

// One epoch: a pass over the training set in a fresh random order, one SGD
// step per sample. losses gets each step's loss (before its update); w sees
// every step (the progress bar, the evaluations between steps). Returns the
// index of the first step whose loss is not finite, or -1.
static int train_epoch(net *p, double *losses, const dataset *d, int *order,
                       double lr, rng_state *r, watch *w) {
    activations a;
    net g;
    double sum = 0.0;
    rng_shuffle(r, order, d->n);
    for (int t = 0; t < d->n; t++) {
        const double *x = d->x[order[t]];
        int target = d->y[order[t]];
        losses[t] = forward(&a, p, x, target);
        if (!isfinite(losses[t])) return t;
        backward(&g, &a, p, x, target);
        sgd_step(p, &g, lr);
        sum += losses[t];
        watch_step(w, p, t + 1, sum / (t + 1));
    }
    return -1;
}

// After an epoch: the mean and spread of its losses, its steps into the log, the validation set evaluated and
// logged. On a terminal the line goes above the progress bar (\r, then clear the rest of the bar's line).
static void S_end_epoch(train_summary *s, const double *losses, int n, int epoch, const dataset *val,
                        const net *p, const train_config *cfg, int tty) {
    double sum = 0.0, sq = 0.0;
    for (int t = 0; t < n; t++) sum += losses[t];
    s->train_loss = sum / n;
    for (int t = 0; t < n; t++) sq += (losses[t] - s->train_loss) * (losses[t] - s->train_loss);
    s->train_loss_std = sqrt(sq / n);
    for (int t = 0; t < n && cfg->steps; t++) fprintf(cfg->steps, "%ld\t%.6g\n", s->steps + t + 1, losses[t]);
    s->steps += n;
    s->end = evaluate(p, val);
    S_log_val(cfg->val, epoch, s->steps, s->end);
    fprintf(stderr, "%sepoch %d/%d: training loss %.4f, validation loss %.4f, accuracy %.2f%%%s\n", tty ? "\r" : "",
            epoch, cfg->epochs, s->train_loss, s->end.loss, 100 * s->end.acc, tty ? "\033[K" : "");
}

// Train p by per-sample SGD on train, evaluating on val before training, after every epoch and every
// cfg->eval_every steps of the last cfg->eval_last epochs; the last epoch steps with cfg->last_lr. Returns 0,
// or -1 with a message in err when the loss stops being a finite number or an epoch ends with a validation
// loss above the untrained network's.
static int train(train_summary *s, net *p, const dataset *train, const dataset *val, const train_config *cfg,
                 rng_state *r, char *err, size_t errlen) {
    int *order = wb_malloc((size_t)train->n * sizeof *order);
    double *losses = wb_malloc((size_t)train->n * sizeof *losses);  // (n_train) this epoch's step losses
    for (int t = 0; t < train->n; t++) order[t] = t;
    memset(s, 0, sizeof *s);
    s->start = s->end = evaluate(p, val);
    S_log_val(cfg->val, 0, 0, s->start);
    progress bar;
    progress_start(&bar, "training", (long)cfg->epochs * train->n);
    watch w = {.cfg = cfg, .val = val, .bar = &bar, .s = s};
    int status = 0;
    for (int epoch = 1; epoch <= cfg->epochs; epoch++) {
        double lr = epoch_lr(cfg, epoch), t0 = progress_now();
        S_watch_begin(&w, epoch);
        int bad = train_epoch(p, losses, train, order, lr, r, &w);
        s->seconds += progress_now() - t0 - w.eval_seconds;
        if (bad >= 0) {
            if (bar.tty) fputc('\n', stderr);
            s->diverged_epoch = epoch, s->diverged_step = s->steps + bad + 1, s->diverged_loss = losses[bad];
            snprintf(err, errlen, "epoch %d, step %ld: the loss is %s; training diverged (is the learning rate "
                     "%s %g too high?)", epoch, s->steps + bad + 1, isnan(losses[bad]) ? "NaN" : "infinite",
                     S_lr_flag(cfg, epoch), lr);
            status = -1;
            break;
        }
        S_end_epoch(s, losses, train->n, epoch, val, p, cfg, bar.tty);
        S_watch_end(&w);
        // The loss is computed stably, so too large a rate seldom makes it infinite: the sigmoids saturate and
        // the loss just grows. An epoch that leaves the network clearly worse than it started (wb.h) has
        // diverged too.
        if (wb_loss_diverged(s->start.loss, s->end.loss)) {
            s->diverged_epoch = epoch, s->diverged_loss = s->end.loss;
            snprintf(err, errlen, "after epoch %d the validation loss is %g, more than %.0f%% above the %g before "
                     "training; training diverged (is the learning rate %s %g too high?)", epoch, s->end.loss,
                     100 * WB_DIVERGED_MARGIN, s->start.loss, S_lr_flag(cfg, epoch), lr);
            status = -1;
            break;
        }
    }
    if (status == 0) progress_end(&bar, s->steps, s->train_loss);
    free(order);
    free(losses);
    return status;
}

// ----- the gradient check -------------------------------------------------------------------------

static const char *const GROUP_NAMES[4] = {"W", "b", "V", "c"};

// Pointers to every parameter of group g (0..3 for W, b, V, c) of p, in a fixed order; returns the count.
static int S_group(double *ptr[MAX_GROUP], net *p, int g) {
    int n = 0;
    for (int j = 0; j < p->nh; j++) {
        for (int i = 0; i < N_IN && g == 0; i++) ptr[n++] = &p->W[i][j];
        if (g == 1) ptr[n++] = &p->b[j];
        for (int k = 0; k < N_OUT && g == 2; k++) ptr[n++] = &p->V[j][k];
    }
    for (int k = 0; k < N_OUT && g == 3; k++) ptr[n++] = &p->c[k];
    return n;
}

enum { GRADCHECK_GROUPS = 4 };
#define GRADCHECK_EPS 1e-5    // central-difference step: truncation (eps^2) and rounding (1e-16/eps) balance
#define GRADCHECK_FLOOR 1e-8  // a derivative smaller than this counts as zero in the relative error
#define GRADCHECK_TOL 1e-6    // a correct gradient agrees to six digits or more in double precision

// Compare backward's gradient at (x, target) with the central difference (l(w + eps) - l(w - eps)) / 2 eps
// of every parameter w, and fill one row per group with the largest absolute and relative differences
// (gc_row, gradcheck.h, which also decides pass or fail).
static void gradcheck(gc_row rows[GRADCHECK_GROUPS], const net *p0, const double x[N_IN], int target) {
    net p = *p0, g;
    activations a;
    forward(&a, &p, x, target);
    backward(&g, &a, &p, x, target);
    for (int grp = 0; grp < GRADCHECK_GROUPS; grp++) {
        double *w[MAX_GROUP], *dw[MAX_GROUP];
        int n = S_group(w, &p, grp);
        S_group(dw, &g, grp);
        rows[grp] = (gc_row){GROUP_NAMES[grp], n, 0.0, 0.0, 0.0};
        for (int t = 0; t < n; t++) {
            double keep = *w[t];
            *w[t] = keep + GRADCHECK_EPS;
            double up = forward(&a, &p, x, target);
            *w[t] = keep - GRADCHECK_EPS;
            double down = forward(&a, &p, x, target);
            *w[t] = keep;
            double num = (up - down) / (2 * GRADCHECK_EPS), ana = *dw[t], diff = fabs(ana - num);
            double rel = diff / fmax(fmax(fabs(ana), fabs(num)), GRADCHECK_FLOOR);
            rows[grp].max_abs = fmax(rows[grp].max_abs, diff);
            rows[grp].max_rel = fmax(rows[grp].max_rel, rel);
            rows[grp].max_num = fmax(rows[grp].max_num, fabs(num));
        }
    }
}

// A random network (every parameter, biases too, drawn from N(0, 1)), a random input and a random class.
static void gradcheck_case(net *p, double x[N_IN], int *target, int nh, rng_state *r) {
    memset(p, 0, sizeof *p);
    p->nh = nh;
    for (int j = 0; j < nh; j++) {
        for (int i = 0; i < N_IN; i++) p->W[i][j] = rng_gauss(r);
        p->b[j] = rng_gauss(r);
        for (int k = 0; k < N_OUT; k++) p->V[j][k] = rng_gauss(r);
    }
    for (int k = 0; k < N_OUT; k++) p->c[k] = rng_gauss(r);
    for (int i = 0; i < N_IN; i++) x[i] = rng_gauss(r);
    *target = (int)rng_below(r, N_OUT);
}

// ----- outputs ------------------------------------------------------------------------------------

// P(class 1) of the trained network on a GRID x GRID grid over [-GRID_HALF, GRID_HALF]^2, x0 varying
// fastest: the decision-regions figure shades it.
enum { GRID = 200 };
#define GRID_HALF 3.5

static void grid_write(const net *p, const char *path) {
    wb_out o = wb_out_open(path);
    activations a;
    fprintf(o.f, "x0\tx1\tp\n");
    for (int r = 0; r < GRID; r++)
        for (int q = 0; q < GRID; q++) {
            double x[N_IN] = {-GRID_HALF + 2 * GRID_HALF * q / (GRID - 1), -GRID_HALF + 2 * GRID_HALF * r / (GRID - 1)};
            forward(&a, p, x, 0);
            fprintf(o.f, "%.6g\t%.6g\t%.6g\n", x[0], x[1], a.y[1]);
        }
    wb_out_commit(&o);
}

// ----- flags and main -----------------------------------------------------------------------------

typedef struct {
    int epochs, hidden, n_train, n_val, seed, eval_every, eval_last;
    double lr, last_lr;  // last_lr 0: not given, the last epoch steps with lr too (config_last_lr)
    const char *out;
    int example, dump_data, gradcheck;
} config;

// The defaults are the book's settings.
static config config_defaults(void) {
    return (config){.epochs = 10, .hidden = 3, .n_train = 60000, .n_val = 10000, .seed = 0, .lr = 0.01,
                    .out = "scalar-out"};
}

// The rate of the last epoch: --last-lr, or --lr when it was not given.
static double config_last_lr(const config *cfg) { return cfg->last_lr > 0 ? cfg->last_lr : cfg->lr; }

enum { N_FLAGS = 13 };

static void flag_table(flag_spec specs[N_FLAGS], config *cfg) {
    flag_spec t[N_FLAGS] = {
        {"epochs", FLAG_INT, &cfg->epochs, "passes over the training set", 1, 1000},
        {"lr", FLAG_DOUBLE, &cfg->lr, "learning rate of SGD", 1e-12, 1e308},
        {"last-lr", FLAG_DOUBLE, &cfg->last_lr, "learning rate of the last epoch; not given, the same as --lr",
         1e-12, 1e308},
        {"hidden", FLAG_INT, &cfg->hidden, "hidden units", 1, MAX_HIDDEN},
        {"seed", FLAG_INT, &cfg->seed, "seed of the data (as np.random.seed), the initial weights and the order",
         0, 2147483647},
        {"n-train", FLAG_INT, &cfg->n_train, "training points", 1, 10000000},
        {"n-val", FLAG_INT, &cfg->n_val, "validation points", 1, 10000000},
        {"eval-every", FLAG_INT, &cfg->eval_every, "also evaluate the validation set after every N steps (0: never), "
         "into eval_curve.tsv", 0, 1000000000},
        {"eval-last", FLAG_INT, &cfg->eval_last, "evaluate between steps in the last N epochs only (0: in all)", 0,
         1000},
        {"out", FLAG_STRING, &cfg->out, "directory for the results (created if missing)", 0, 0},
        {"example", FLAG_BOOL, &cfg->example, "print the worked example's loss and derivatives, and stop", 0, 0},
        {"dump-data", FLAG_BOOL, &cfg->dump_data, "write train_data.tsv and val_data.tsv into --out, and stop", 0, 0},
        {"gradcheck", FLAG_BOOL, &cfg->gradcheck, "write gradcheck.tsv into --out, and stop", 0, 0},
    };
    memcpy(specs, t, sizeof t);
}

static const char USAGE[] =
    "scalar [--epochs N] [--lr X] [--last-lr X] [--eval-every N [--eval-last N]] [--seed N] [--out DIR] "
    "[--example | --dump-data | --gradcheck]";

// Parse argv into cfg: 0 when it is fine, 1 for --help, -1 with a message in err.
static int parse_args(config *cfg, int argc, char **argv, char *err, size_t errlen) {
    flag_spec specs[N_FLAGS];
    flag_table(specs, cfg);
    int rc = flags_try_parse(argc, argv, specs, N_FLAGS, err, errlen);
    if (rc != 0) return rc;
    if (cfg->example + cfg->dump_data + cfg->gradcheck > 1) {
        snprintf(err, errlen, "--example, --dump-data and --gradcheck are separate runs: give at most one");
        return -1;
    }
    // An epoch of a few steps can leave the validation loss a little above the untrained network's by chance,
    // which train() would report as a learning rate that diverged: ask for enough points instead.
    if (cfg->n_train < MIN_TRAIN && !cfg->example && !cfg->gradcheck) {
        snprintf(err, errlen, "--n-train %d: too few training points to tell learning from divergence; expected at "
                 "least %d", cfg->n_train, MIN_TRAIN);
        return -1;
    }
    cfg->n_train = wb_quick_cap(cfg->n_train), cfg->n_val = wb_quick_cap(cfg->n_val);  // wb.h
    return 0;
}

// --gradcheck: gradcheck.tsv with a verdict per group. Returns the exit status: 0, or 4 when a group fails.
static int run_gradcheck(const config *cfg) {
    rng_state r;
    net p;
    double x[N_IN];
    int target;
    gc_row rows[GRADCHECK_GROUPS];
    rng_seed(&r, (uint32_t)cfg->seed);
    gradcheck_case(&p, x, &target, cfg->hidden, &r);
    gradcheck(rows, &p, x, target);
    return gc_report(cfg->out, rows, GRADCHECK_GROUPS, GRADCHECK_TOL);
}

static void run_dump_data(const config *cfg) {
    rng_state r;
    dataset train, val;
    rng_seed(&r, (uint32_t)cfg->seed);
    synth_data(&train, &val, cfg->n_train, cfg->n_val, &r);
    wb_mkdirs(cfg->out);
    char *tp = wb_path_join(cfg->out, "train_data.tsv"), *vp = wb_path_join(cfg->out, "val_data.tsv");
    dataset_write(&train, tp);
    dataset_write(&val, vp);
    free(tp), free(vp);
    dataset_free(&train);
    dataset_free(&val);
}

static double S_frac1(const dataset *d) {
    long ones = 0;
    for (int t = 0; t < d->n; t++) ones += d->y[t];
    return (double)ones / d->n;
}

// results.txt: what the chapter's text quotes. prior_loss is the loss of the best network that ignores its
// input, one that always predicts the training set's class frequencies: their entropy. A diverged run says so
// (status diverged, where and at what loss) in place of the trained network's measurements.
static void results_write(const config *cfg, const train_summary *s, const net *p, const dataset *train_set,
                          const dataset *val_set, const char *path) {
    double f1 = S_frac1(train_set), prior = -(f1 * log(f1) + (1 - f1) * log(1 - f1));
    wb_out o = wb_out_open(path);
    if (s->diverged_epoch)
        fprintf(o.f, "status diverged\ndiverged_epoch %d\ndiverged_step %ld\ndiverged_loss %g\n", s->diverged_epoch,
                s->diverged_step, s->diverged_loss);
    else
        fprintf(o.f, "status ok\nval_acc %.6f\nval_loss %.6f\ntrain_loss %.6f\ntrain_loss_std %.6f\ntrain_acc %.6f\n"
                "val_loss_before_last %.6f\nval_acc_before_last %.6f\n", s->end.acc, s->end.loss, s->train_loss,
                s->train_loss_std, evaluate(p, train_set).acc, s->before_last.loss, s->before_last.acc);
    fprintf(o.f, "diverged_margin %g\n", WB_DIVERGED_MARGIN);  // the rule a diverged run failed (wb.h)
    if (!s->diverged_epoch && cfg->eval_every)
        fprintf(o.f, "last_val_loss_min %.6f\nlast_val_loss_max %.6f\nlast_val_loss_range %.6f\n", s->band_lo,
                s->band_hi, s->band_hi - s->band_lo);
    fprintf(o.f, "val_acc_0 %.6f\nval_loss_0 %.6f\nval_frac1 %.6f\nprior_loss %.6f\n", s->start.acc, s->start.loss,
            S_frac1(val_set), isfinite(prior) ? prior : 0.0);
    fprintf(o.f, "epochs %d\nlr %g\nlast_lr %g\neval_every %d\neval_last %d\nseed %d\nhidden %d\nn_train %d\nn_val %d\n"
            "steps %ld\n", cfg->epochs, cfg->lr, config_last_lr(cfg), cfg->eval_every, cfg->eval_last, cfg->seed,
            cfg->hidden, cfg->n_train, cfg->n_val, s->steps);
    fprintf(o.f, "train_seconds %.4f\nsamples_per_s %.0f\n", s->seconds,
            s->steps / (s->seconds > 1e-9 ? s->seconds : 1e-9));
    wb_write_command(o.f);
    wb_out_commit(&o);
}

// Generate the data, initialise, train, and write the series, the grid and results.txt into cfg->out, also
// when training diverged (results.txt then says so). The data and then the weights and the orders are drawn
// from one stream, as a numpy notebook would. Returns the exit status: 0, or EXIT_DIVERGED.
static int run_training(const config *cfg) {
    rng_state r;
    dataset train_set, val_set;
    net p;
    rng_seed(&r, (uint32_t)cfg->seed);
    synth_data(&train_set, &val_set, cfg->n_train, cfg->n_val, &r);
    net_init(&p, cfg->hidden, &r);
    wb_mkdirs(cfg->out);
    wb_out steps = wb_out_open_in(cfg->out, "train_loss.tsv"), vlog = wb_out_open_in(cfg->out, "val.tsv"),
           curve = wb_out_open_in(cfg->out, "eval_curve.tsv");
    fprintf(steps.f, "step\tloss\n");
    fprintf(vlog.f, "epoch\tstep\tval_loss\tval_acc\n");
    fprintf(curve.f, "step\tval_loss\tval_acc\n");
    train_config tc = {.epochs = cfg->epochs, .lr = cfg->lr, .last_lr = config_last_lr(cfg),
                       .eval_every = cfg->eval_every, .eval_last = cfg->eval_last, .steps = steps.f, .val = vlog.f,
                       .curve = curve.f};
    train_summary s;
    char err[512];
    int status = train(&s, &p, &train_set, &val_set, &tc, &r, err, sizeof err) == 0 ? 0 : EXIT_DIVERGED;
    wb_out_commit(&steps);
    wb_out_commit(&vlog);
    wb_out_commit(&curve);
    char *grid_path = wb_path_join(cfg->out, "grid.tsv"), *res_path = wb_path_join(cfg->out, "results.txt");
    grid_write(&p, grid_path);
    results_write(cfg, &s, &p, &train_set, &val_set, res_path);
    if (status)
        fprintf(stderr, "%s: %s\n", wb_progname(), err);
    else
        fprintf(stderr, "the training steps took %.2f s; validation accuracy %.2f%%; wrote %s\n", s.seconds,
                100 * s.end.acc, res_path);
    free(grid_path), free(res_path);
    dataset_free(&train_set);
    dataset_free(&val_set);
    return status;
}

#ifndef TESTING
int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    wb_set_command(argc, argv);
    config cfg = config_defaults(), defaults = config_defaults();
    char err[512];
    int rc = parse_args(&cfg, argc, argv, err, sizeof err);
    if (rc == 1) {
        flag_spec specs[N_FLAGS];
        defaults.last_lr = defaults.lr;  // --help shows the rate the last epoch takes when neither flag is given
        flag_table(specs, &defaults);
        flags_usage(stdout, specs, N_FLAGS, USAGE);
        return 0;
    }
    if (rc != 0) wb_die("%s", err);
    int status = 0;
    if (cfg.example) example_print(stdout);
    else if (cfg.gradcheck) status = run_gradcheck(&cfg);
    else if (cfg.dump_data) run_dump_data(&cfg);
    else status = run_training(&cfg);
    if (fflush(stdout) != 0 || ferror(stdout)) wb_die("writing to standard output failed");
    return status;
}
#endif
