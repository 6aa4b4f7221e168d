// test_vector.c — chapter 2's program: its gradients against finite differences and against chapter 1's
// scalar formulas, its matrix loops against naive ones, and its training: exactness of skipping zero
// pixels, determinism, mini-batches, divergence, outputs, and a smoke run on real MNIST when present.
#include "../chapters/02-vector/vector.c"

#include <unistd.h>

#include "tap.h"
#include "tsv.h"

// ----- helpers ----------------------------------------------------------------------------------------

static char S_dir[] = "/tmp/test_vector.XXXXXX";  // outputs of the tests that write files

static double S_max_rel_diff(const float *a, const double *b, int n, double floor) {
    double worst = 0;
    for (int i = 0; i < n; i++) worst = fmax(worst, fabs(a[i] - b[i]) / fmax(fmax(fabs(a[i]), fabs(b[i])), floor));
    return worst;
}

static int S_same_model(const model *a, const model *b) {
    return memcmp(a->W, b->W, (size_t)a->I * a->H * sizeof(float)) == 0 &&
           memcmp(a->b, b->b, a->H * sizeof(float)) == 0 &&
           memcmp(a->Vt, b->Vt, (size_t)a->O * a->H * sizeof(float)) == 0 &&
           memcmp(a->c, b->c, a->O * sizeof(float)) == 0;
}

// A synthetic data set of n images of `dim` >= 10 pixels, like MNIST a third of them exactly 0, with a
// learnable label: the brightest of the first ten pixels.
static mnist_set S_fake_set(int n, int dim, uint32_t seed) {
    rng_state r;
    rng_seed(&r, seed);
    mnist_set s = {n, dim, wb_malloc((size_t)n * dim), wb_malloc(n)};
    for (int i = 0; i < n * dim; i++) s.x[i] = rng_double(&r) < 1.0 / 3 ? 0 : (uint8_t)(1 + rng_below(&r, 255));
    for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < N_CLASSES; k++) best = s.x[i * dim + k] > s.x[i * dim + best] ? k : best;
        s.y[i] = (uint8_t)best;
    }
    return s;
}

// ----- the matrix loops against the obvious ones -------------------------------------------------------

static void test_matrix_ops(void) {
    enum { n = 13, m = 19 };  // not multiples of 8: the remainder loops run too
    float M[n * m], u[n], v[m], out[m], out2[n];
    rng_state r;
    rng_seed(&r, 7);
    for (int i = 0; i < n * m; i++) M[i] = (float)rng_gauss(&r);
    for (int i = 0; i < n; i++) u[i] = i % 3 == 0 ? 0.0f : (float)rng_gauss(&r);
    for (int j = 0; j < m; j++) v[j] = (float)rng_gauss(&r);
    double want[n * m], worst = 0;

    for (int j = 0; j < m; j++) out[j] = 1.0f;
    matvec_t(out, M, u, n, m);
    for (int j = 0; j < m; j++) {
        want[j] = 1.0;
        for (int i = 0; i < n; i++) want[j] += (double)M[i * m + j] * u[i];
    }
    ok(S_max_rel_diff(out, want, m, 1.0) < 1e-5, "matvec_t: out += Mᵀu");

    matvec(out2, M, v, n, m);
    for (int i = 0; i < n; i++) {
        want[i] = 0;
        for (int j = 0; j < m; j++) want[i] += (double)M[i * m + j] * v[j];
    }
    ok(S_max_rel_diff(out2, want, n, 1.0) < 1e-5, "matvec: out = M v (dot products with 8 partial sums)");

    float M2[n * m];
    memcpy(M2, M, sizeof M);
    outer_update(M2, 0.5f, u, v, n, m);
    for (int i = 0; i < n * m; i++) want[i] = M[i] + 0.5 * u[i / m] * v[i % m];
    ok(S_max_rel_diff(M2, want, n * m, 1.0) < 1e-6, "outer_update: M += a u vᵀ");
    for (int j = 0; j < m; j++) worst = fmax(worst, fabs(M2[j] - M[j]));
    ok(worst == 0, "outer_update leaves the row of a zero u_i untouched");
}

// ----- gradients ----------------------------------------------------------------------------------------

// Chapter 1's scalar formulas, written out element by element in double: the oracle for backward().
//   dl/do_k = y_k - [k = t]          dl/dV_jk = h_j dl/do_k       dl/dc_k = dl/do_k
//   dl/dh_j = Σ_k V_jk dl/do_k       dl/dz_j = dl/dh_j h_j (1 - h_j)
//   dl/dW_ij = x_i dl/dz_j           dl/db_j = dl/dz_j
static void S_scalar_gradient(double *gW, double *gb, double *gV, double *gc, const model *m, const float *x, int t) {
    int I = m->I, H = m->H, O = m->O;
    double z[64], h[64], o[16], y[16], dz[64], mx = -INFINITY, s = 0;
    for (int j = 0; j < H; j++) {
        z[j] = m->b[j];
        for (int i = 0; i < I; i++) z[j] += x[i] * (double)m->W[i * H + j];
        h[j] = 1 / (1 + exp(-z[j]));
    }
    for (int k = 0; k < O; k++) {
        o[k] = m->c[k];
        for (int j = 0; j < H; j++) o[k] += h[j] * m->Vt[k * H + j];  // V_jk
        mx = fmax(mx, o[k]);
    }
    for (int k = 0; k < O; k++) s += y[k] = exp(o[k] - mx);
    for (int k = 0; k < O; k++) y[k] /= s;
    for (int k = 0; k < O; k++) {
        gc[k] = y[k] - (k == t);
        for (int j = 0; j < H; j++) gV[k * H + j] = h[j] * gc[k];  // stored like Vt
    }
    for (int j = 0; j < H; j++) {
        double dh = 0;
        for (int k = 0; k < O; k++) dh += m->Vt[k * H + j] * gc[k];
        dz[j] = dh * h[j] * (1 - h[j]);
        gb[j] = dz[j];
        for (int i = 0; i < I; i++) gW[i * H + j] = x[i] * dz[j];
    }
}

static void test_against_scalar(void) {
    model m;
    float *x;
    uint8_t *y;
    gradcheck_problem(&m, &x, &y, 30, 11, N_CLASSES, 1, 3);
    model g = gradient(&m, x, y, 1);
    double gW[30 * 11], gb[11], gV[10 * 11], gc[10];
    S_scalar_gradient(gW, gb, gV, gc, &m, x, y[0]);
    ok(S_max_rel_diff(g.W, gW, 30 * 11, 1e-6) < 1e-4, "∇_W = x ∇_zᵀ matches chapter 1's dl/dW_ij");
    ok(S_max_rel_diff(g.b, gb, 11, 1e-6) < 1e-4, "∇_b = ∇_z matches dl/db_j");
    ok(S_max_rel_diff(g.Vt, gV, 10 * 11, 1e-6) < 1e-4, "∇_V = h ∇_oᵀ matches dl/dV_jk");
    ok(S_max_rel_diff(g.c, gc, 10, 1e-6) < 1e-4, "∇_c = y − onehot(t) matches dl/dc_k");
    int zeros = 1;
    for (int i = 0; i < 30; i++)
        for (int j = 0; j < 11 && x[i] == 0; j++) zeros &= g.W[i * 11 + j] == 0;
    ok(zeros, "the rows of W of zero inputs get exactly zero gradient");
    model_free(&m), model_free(&g), free(x), free(y);
}

#define TOL_REL 1e-2  // float central differences: correct gradients measure below 3e-3 (see vector.c)
#define TOL_ABS 5e-5

static void test_gradcheck(void) {
    const int shapes[][4] = {{20, 7, 10, 4}, {12, 5, 10, 1}, {30, 3, 10, 8}};  // I H O inputs
    for (int s = 0; s < 3; s++)
        for (uint32_t seed = 0; seed < 3; seed++) {
            model m, g;
            float *x;
            uint8_t *y;
            const int *d = shapes[s];
            gradcheck_problem(&m, &x, &y, d[0], d[1], d[2], d[3], seed);
            g = gradient(&m, x, y, d[3]);
            gc_row grp[4];
            gradcheck_compare(grp, &m, &g, x, y, d[3]);
            for (int k = 0; k < 4; k++)
                if (!ok(grp[k].max_rel < TOL_REL && grp[k].max_abs < TOL_ABS,
                        "gradcheck %d-%d-%d, %d inputs, seed %u: %s", d[0], d[1], d[2], d[3], seed, grp[k].name))
                    diag("max abs %.3g, max rel %.3g", grp[k].max_abs, grp[k].max_rel);
            model_free(&m), model_free(&g), free(x), free(y);
        }
}

// The check must fail for a gradient that is wrong by a few percent, or it proves nothing.
static void test_gradcheck_catches_errors(void) {
    model m, g;
    float *x;
    uint8_t *y;
    gradcheck_problem(&m, &x, &y, 20, 7, 10, 4, 0);
    g = gradient(&m, x, y, 4);
    float *groups[4] = {g.W, g.b, g.Vt, g.c};
    int counts[4] = {20 * 7, 7, 10 * 7, 10};
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < counts[k]; i++) groups[k][i] *= 1.05f;
        gc_row grp[4];
        gradcheck_compare(grp, &m, &g, x, y, 4);
        ok(grp[k].max_rel > 2 * TOL_REL, "a gradient 5%% too large in %s is caught (max rel %.3g)", grp[k].name,
           grp[k].max_rel);
        for (int i = 0; i < counts[k]; i++) groups[k][i] /= 1.05f;
    }
    model_free(&m), model_free(&g), free(x), free(y);
}

// The fused step (backward straight into the weights) is the gradient step W − lr ∇_W.
static void test_fused_step(void) {
    model m, g;
    float *x;
    uint8_t *y;
    gradcheck_problem(&m, &x, &y, 20, 7, 10, 1, 5);
    g = gradient(&m, x, y, 1);
    double want[20 * 7];
    for (int i = 0; i < 20 * 7; i++) want[i] = m.W[i] - 0.1 * g.W[i];
    double want_c[10];
    for (int k = 0; k < 10; k++) want_c[k] = m.c[k] - 0.1 * g.c[k];
    activations a = activations_new(7, 10);
    int idx = 0;
    sgd_step(&m, NULL, &a, x, y, &idx, 1, 0.1f);
    ok(S_max_rel_diff(m.W, want, 20 * 7, 1e-3) < 1e-5, "one fused SGD step is W − lr ∇_W");
    ok(S_max_rel_diff(m.c, want_c, 10, 1e-3) < 1e-5, "... and c − lr ∇_c");
    activations_free(&a);
    model_free(&m), model_free(&g), free(x), free(y);
}

// A batch step moves the weights by −lr times the mean of the images' gradients.
static void test_batch_step(void) {
    model m, g, buf;
    float *x;
    uint8_t *y;
    gradcheck_problem(&m, &x, &y, 20, 7, 10, 5, 6);
    g = gradient(&m, x, y, 5);
    buf = model_new(20, 7, 10);
    double want[10 * 7];
    for (int i = 0; i < 10 * 7; i++) want[i] = m.Vt[i] - 0.5 * g.Vt[i];
    activations a = activations_new(7, 10);
    double want_loss = S_mean_loss(&m, &a, x, y, 5);
    int idx[5] = {0, 1, 2, 3, 4};
    double l = sgd_step(&m, &buf, &a, x, y, idx, 5, 0.5f);
    is_close(l, want_loss, 1e-6, "a batch step returns the mean loss of its images");
    ok(S_max_rel_diff(m.Vt, want, 10 * 7, 1e-3) < 1e-5, "a batch step is V − lr × the mean gradient");
    activations_free(&a);
    model_free(&m), model_free(&g), model_free(&buf), free(x), free(y);
}

// ----- training -------------------------------------------------------------------------------------

// Train a fresh 784-H-10 model (seeded) on tr, evaluating on ev.
static model S_train(history *h, const config *c, const mnist_set *tr, const mnist_set *ev) {
    rng_state r;
    rng_seed(&r, (uint32_t)c->seed);
    model m = model_new(tr->dim, c->hidden, N_CLASSES);
    model_init(&m, &r);
    memset(h, 0, sizeof *h);
    train(&m, h, c, tr, ev, &r);
    return m;
}

static void S_history_free(history *h) {
    free(h->step_loss), free(h->step_samples), free(h->curve_samples), free(h->curve_loss), free(h->curve_acc);
}

static void test_skip_zeros_exact_and_deterministic(void) {
    mnist_set tr = S_fake_set(300, 50, 1), ev = S_fake_set(100, 50, 2);
    config c = {2, 1, 16, 4, 0.05, 0};
    history h1, h2, h3;
    model a = S_train(&h1, &c, &tr, &ev), b = S_train(&h2, &c, &tr, &ev);
    ok(S_same_model(&a, &b), "same seed, same data: the same weights, bit for bit");
    ok(h1.steps == 600 && memcmp(h1.step_loss, h2.step_loss, 600 * sizeof(float)) == 0,
       "same seed: the same %ld step losses", h1.steps);
    skip_zeros = 0;
    model d = S_train(&h3, &c, &tr, &ev);
    skip_zeros = 1;
    ok(S_same_model(&a, &d), "skipping zero pixels gives the same weights as the dense loops, bit for bit");
    c.seed = 5;
    S_history_free(&h3);
    model e = S_train(&h3, &c, &tr, &ev);
    ok(!S_same_model(&a, &e), "another seed gives other weights");
    ok(h1.steps == 600 && h1.step_samples[599] == 600 && h1.epochs_done == 2, "2 epochs of 300: 600 steps");
    ok(h1.train_loss[2] < h1.train_loss[1] && h1.train_loss[1] < h1.train_loss[0],
       "the training loss falls epoch by epoch: %.3f %.3f %.3f", h1.train_loss[0],
       h1.train_loss[1], h1.train_loss[2]);
    model_free(&a), model_free(&b), model_free(&d), model_free(&e);
    S_history_free(&h1), S_history_free(&h2), S_history_free(&h3);
    mnist_free(&tr), mnist_free(&ev);
}

static void test_eval_curve(void) {
    mnist_set tr = S_fake_set(100, 20, 9), ev = S_fake_set(30, 20, 10);
    config c = {2, 1, 8, 0, 0.05, 30};
    history h;
    model m = S_train(&h, &c, &tr, &ev);
    const long want[] = {0, 30, 60, 90, 100, 130, 160, 190, 200};
    int same = h.n_curve == 9;
    for (int i = 0; same && i < 9; i++) same = h.curve_samples[i] == want[i];
    ok(same, "--eval-every 30, 2 epochs of 100: points at 0 30 60 90 100 130 160 190 200 (got %d points)", h.n_curve);
    ok(h.curve_loss[0] == h.eval_loss[0] && h.curve_loss[4] == h.eval_loss[1] && h.curve_acc[8] == h.eval_acc[2],
       "the curve's epoch points are the epochs' evaluations");
    ok(h.eval_seconds > 0 && h.train_seconds > 0, "evaluation time is measured apart from training time");
    write_curve(S_dir, &h, "val");
    char err[512], *path = wb_path_join(S_dir, "eval_curve.tsv");
    tsv_table *t = tsv_read(path, err, sizeof err);
    ok(t && t->nrows == 9 && tsv_col(t, "samples") == 0 && tsv_col(t, "val_loss") == 1 && tsv_col(t, "val_acc") == 2,
       "eval_curve.tsv: samples val_loss val_acc, one row per point");
    if (t) tsv_free(t);
    free(path);
    model_free(&m), S_history_free(&h), mnist_free(&tr), mnist_free(&ev);
}

static void test_batches(void) {
    mnist_set tr = S_fake_set(103, 50, 3), ev = S_fake_set(50, 50, 4);
    config c = {1, 10, 8, 1, 0.5, 0};
    history h;
    model m = S_train(&h, &c, &tr, &ev);
    ok(h.steps == 11 && h.step_samples[9] == 100 && h.step_samples[10] == 103,
       "--batch 10 on 103 images: 11 steps, the last of 3 images");
    ok(!h.diverged && isfinite(h.eval_loss[1]), "a batched run finishes");
    model_free(&m), S_history_free(&h), mnist_free(&tr), mnist_free(&ev);
}

static const char *S_result(const char *file, const char *key) {
    static char value[256], err[512];
    char *path = wb_path_join(S_dir, file);
    results_file *r = results_read(path, err, sizeof err);
    const char *v = r ? results_get(r, key, NULL) : NULL;
    snprintf(value, sizeof value, "%s", v ? v : "(missing)");
    if (r) results_free(r);
    free(path);
    return value;
}

static void test_divergence(void) {
    mnist_set tr = S_fake_set(200, 50, 5), ev = S_fake_set(50, 50, 6);
    config c = {3, 1, 16, 0, 1e6, 0};
    history h;
    model m = S_train(&h, &c, &tr, &ev);
    ok(h.diverged && h.diverged_epoch == 1 && h.epochs_done == 1, "--lr 1e6: diverged in epoch 1");
    ok(h.diverged_loss > h.train_loss[0], "... because its mean loss %g exceeds the untrained %g", h.diverged_loss,
       h.train_loss[0]);
    write_results(S_dir, &h, &c, &tr, "val", 0, 0.5);
    write_epochs(S_dir, &h, "val", tr.n);
    is_str(S_result("results.txt", "status"), "diverged", "results.txt says status diverged");
    is_str(S_result("results.txt", "diverged_epoch"), "1", "... and the epoch");
    model_free(&m), S_history_free(&h);

    // A NaN loss (here from a NaN bias) stops at once, at the step where it appears.
    c.lr = 0.01;
    rng_state r;
    rng_seed(&r, 0);
    m = model_new(50, 16, N_CLASSES);
    model_init(&m, &r);
    m.c[3] = NAN;
    memset(&h, 0, sizeof h);
    train(&m, &h, &c, &tr, &ev, &r);
    ok(h.diverged && h.diverged_step == 1 && h.diverged_epoch == 1 && isnan(h.diverged_loss),
       "a NaN loss stops the run at epoch 1, step 1");
    write_epochs(S_dir, &h, "val", tr.n);
    char err[512], *path = wb_path_join(S_dir, "epochs.tsv");
    tsv_table *t = tsv_read(path, err, sizeof err);
    ok(t && t->nrows == 2 && strcmp(t->cells[1 * t->ncols + 2], "nan") == 0,
       "epochs.tsv: the untrained row, then a row of nan for the broken epoch");
    if (t) tsv_free(t);
    free(path);
    model_free(&m), S_history_free(&h), mnist_free(&tr), mnist_free(&ev);
}

static void test_outputs(void) {
    mnist_set tr = S_fake_set(40, 50, 7), ev = S_fake_set(20, 50, 8);
    config c = {2, 1, 8, 0, 0.05, 0};
    history h;
    model m = S_train(&h, &c, &tr, &ev);
    write_train_loss(S_dir, &h);
    write_epochs(S_dir, &h, "test", tr.n);
    write_results(S_dir, &h, &c, &tr, "test", 0.25, 0.5);
    char err[512], *p1 = wb_path_join(S_dir, "train_loss.tsv"), *p2 = wb_path_join(S_dir, "epochs.tsv");
    tsv_table *a = tsv_read(p1, err, sizeof err), *b = tsv_read(p2, err, sizeof err);
    ok(a && a->ncols == 3 && a->nrows == 80 && tsv_col(a, "samples") == 1 && tsv_col(a, "loss") == 2,
       "train_loss.tsv: step samples loss, one row per step");
    ok(b && b->nrows == 3 && tsv_col(b, "test_loss") == 3 && tsv_col(b, "test_acc") == 4,
       "epochs.tsv with --final: epoch samples train_loss test_loss test_acc, epochs 0..2");
    double v = 0;
    ok(b && tsv_num(b, 2, 1, 0, &v, err, sizeof err) == 0 && v == 80, "epochs.tsv: samples after epoch 2 is 80");
    is_str(S_result("results.txt", "status"), "ok", "results.txt: status ok");
    ok(strcmp(S_result("results.txt", "test_acc"), "(missing)") != 0, "results.txt: test_acc");
    const char *keys[] = {"test_loss", "epochs", "lr", "seed", "hidden", "n_train", "train_seconds", "samples_per_s",
                          "load_seconds", "params"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        ok(strcmp(S_result("results.txt", keys[k]), "(missing)") != 0, "results.txt: %s", keys[k]);
    gc_row grp[4];
    gradcheck(grp, 0);
    ok(gc_report(S_dir, grp, 4, GC_TOL) == 0, "gc_report: every group passes");
    char *p3 = wb_path_join(S_dir, "gradcheck.tsv");
    tsv_table *g = tsv_read(p3, err, sizeof err);
    ok(g && g->nrows == 4 && tsv_col(g, "max_rel_err") == 3 && strcmp(g->cells[2 * g->ncols], "V") == 0,
       "gradcheck.tsv: group params max_abs_err max_rel_err, groups W b V c");
    ok(g && tsv_col(g, "verdict") == 5 && strcmp(g->cells[2 * g->ncols + 5], "pass") == 0, "gradcheck.tsv: verdict pass");
    if (a) tsv_free(a);
    if (b) tsv_free(b);
    if (g) tsv_free(g);
    free(p1), free(p2), free(p3);
    model_free(&m), S_history_free(&h), mnist_free(&tr), mnist_free(&ev);
}

// The smoke run of the issue: the first 2 000 MNIST images, one epoch, well above chance on validation.
static void test_smoke_mnist(void) {
    const char *dir = tap_mnist();
    if (!dir) return;
    mnist_set tr, ev;
    mnist_load_split(dir, 0, 2000, &tr, &ev);
    double nz = nonzero_fraction(&tr);
    ok(nz > 0.15 && nz < 0.25, "about a fifth of MNIST's pixels are nonzero (%.3f)", nz);
    config c = {1, 1, 300, 0, 0.01, 0};
    history h;
    model m = S_train(&h, &c, &tr, &ev);
    ok(!h.diverged && h.steps == 2000, "--limit 2000: 2000 steps, not diverged");
    ok(h.eval_acc[0] < 0.2, "before training: chance level on validation (%.3f)", h.eval_acc[0]);
    ok(h.eval_acc[1] > 0.6, "after one epoch on 2000 images: validation accuracy %.3f > 0.6", h.eval_acc[1]);
    ok(h.eval_loss[1] < 0.5 * h.eval_loss[0], "validation loss %.3f, down from %.3f", h.eval_loss[1], h.eval_loss[0]);
    model_free(&m), S_history_free(&h), mnist_free(&tr), mnist_free(&ev);
}

// The flags reach the settings; --help and a bad value are told apart; the defaults are the book's.
static void test_flags(void) {
    options o = DEFAULTS;
    char err[256] = "";
    char *argv[] = {"vector", "--lr", "0.5", "--hidden", "7", "--final", NULL};
    ok(parse_args(&o, 6, argv, err, sizeof err) == 0 && o.c.lr == 0.5 && o.c.hidden == 7 && o.final,
       "--lr 0.5 --hidden 7 --final reach the settings");
    ok(o.c.epochs == DEFAULTS.c.epochs && o.c.batch == 1 && strcmp(o.out, "out") == 0, "the rest keep their defaults");
    options p = DEFAULTS;
    char *bad[] = {"vector", "--lr", "x", NULL};
    ok(parse_args(&p, 3, bad, err, sizeof err) == -1, "--lr x is an error");
    has_str(err, "--lr", "the message names the flag");
}

// The whole program's run, from MNIST to the files of --out, with a diverging rate: exit status 3.
static void test_run_training(void) {
    const char *dir = tap_mnist();
    if (!dir) return;
    options o = DEFAULTS;
    o.limit = 300, o.out = S_dir, o.mnist = dir, o.c.lr = 1e30;
    ok(run_training(&o) == EXIT_DIVERGED, "--lr 1e30: run_training returns the exit status 3");
    char *p = wb_path_join(S_dir, "results.txt"), *text = wb_read_file(p, NULL);
    has_str(text, "status diverged\n", "results.txt says status diverged");
    free(p), free(text);
    o.c.lr = 0.01;
    ok(run_training(&o) == 0 && run_gradcheck(&o) == 0, "--lr 0.01 trains; --gradcheck passes: exit status 0");
}

int main(void) {
    if (!mkdtemp(S_dir)) wb_die("%s: cannot create a temporary folder", S_dir);
    test_matrix_ops();
    test_against_scalar();
    test_gradcheck();
    test_gradcheck_catches_errors();
    test_fused_step();
    test_batch_step();
    test_skip_zeros_exact_and_deterministic();
    test_eval_curve();
    test_batches();
    test_divergence();
    test_outputs();
    test_smoke_mnist();
    test_flags();
    test_run_training();
    const char *files[] = {"results.txt", "epochs.tsv", "train_loss.tsv", "gradcheck.tsv", "eval_curve.tsv"};
    for (int i = 0; i < 5; i++) {
        char *p = wb_path_join(S_dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(S_dir);
    return tap_done();
}
