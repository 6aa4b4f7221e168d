// test_batched.c — chapter 3's program: its gradients against finite differences (its own float check and a
// double-precision oracle written here), the batch gradient against the mean of per-sample gradients, the
// fused SGD update, determinism, divergence, outputs, flags, and a short MNIST run when MNIST is set.
#include "tap.h"

#include "../chapters/03-batched/batched.c"

#include <unistd.h>

#include "tsv.h"

// ----- helpers -------------------------------------------------------------------------------------

static double S_max_abs(const float *a, long n) {
    double m = 0.0;
    for (long i = 0; i < n; i++) m = fmax(m, fabs(a[i]));
    return m;
}

// The four groups of a params as (pointer, count) pairs, in the order W, b, V, c.
static void S_groups(const params *p, float *ptr[4], long count[4]) {
    ptr[0] = p->W, count[0] = (long)p->n_in * p->n_hidden;
    ptr[1] = p->b, count[1] = p->n_hidden;
    ptr[2] = p->V, count[2] = (long)p->n_hidden * p->n_out;
    ptr[3] = p->c, count[3] = p->n_out;
}

static const char *S_group_name[4] = {"W", "b", "V", "c"};

static char *S_tmpdir(void) {
    char *d = wb_strdup("/tmp/test_batched.XXXXXX");
    if (!mkdtemp(d)) wb_die("mkdtemp failed");
    return d;
}

static void S_rmdir(char *dir) {
    const char *files[] = {"train_loss.tsv", "epochs.tsv", "results.txt", "gradcheck.tsv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *p = wb_path_join(dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(dir);
}

static int S_starts(const char *s, const char *prefix) { return s && strncmp(s, prefix, strlen(prefix)) == 0; }

static char *S_slurp(const char *dir, const char *name) {
    char *p = wb_path_join(dir, name);
    char *text = wb_read_file(p, NULL);
    free(p);
    return text;
}

// ----- the double-precision oracle ----------------------------------------------------------------
//
// The mean cross-entropy of the same network, in plain double loops and nothing shared with batched.c:
// central differences of it with eps = 1e-6 are accurate to about 1e-9, so they judge the float gradient
// far more sharply than the program's own float check can.

static double S_loss_double(const params *p, const float *X, const uint8_t *t, int B) {
    double total = 0.0;
    for (int i = 0; i < B; i++) {
        double h[64], o[N_CLASSES], m = -INFINITY, s = 0.0;  // (n_hidden), (n_out)
        for (int j = 0; j < p->n_hidden; j++) {
            double a = p->b[j];
            for (int k = 0; k < p->n_in; k++) a += (double)X[i * p->n_in + k] * p->W[k * p->n_hidden + j];
            h[j] = 1.0 / (1.0 + exp(-a));
        }
        for (int k = 0; k < p->n_out; k++) {
            o[k] = p->c[k];
            for (int j = 0; j < p->n_hidden; j++) o[k] += h[j] * p->V[j * p->n_out + k];
            m = fmax(m, o[k]);
        }
        for (int k = 0; k < p->n_out; k++) s += exp(o[k] - m);
        total += log(s) + m - o[t[i]];
    }
    return total / B;
}

// The largest error of the float gradient G against double central differences, relative to
// max(|analytic|, |numeric|, 1e-4), over all parameters of one group.
static double S_oracle_rel_err(params *net, float *theta, const float *g, long n, const float *X, const uint8_t *t,
                               int B) {
    double worst = 0.0, eps = 1e-6;
    for (long i = 0; i < n; i++) {
        // The parameters are floats: divide by the step they actually took, not by 2 eps.
        float saved = theta[i], up = (float)(saved + eps), down = (float)(saved - eps);
        theta[i] = up;
        double lu = S_loss_double(net, X, t, B);
        theta[i] = down;
        double ld = S_loss_double(net, X, t, B);
        theta[i] = saved;
        double num = (lu - ld) / ((double)up - (double)down);
        worst = fmax(worst, fabs(g[i] - num) / fmax(fmax(fabs(g[i]), fabs(num)), 1e-4));
    }
    return worst;
}

// ----- gradients -----------------------------------------------------------------------------------

static void test_gradcheck_float(void) {
    for (uint32_t seed = 1; seed <= 4; seed++) {
        gc_row g[4];
        gradcheck(g, seed, GC_BATCH);
        for (int k = 0; k < 4; k++) {
            ok(g[k].params > 0 && g[k].max_rel < 1e-2, "float gradient check, seed %u, group %s: largest relative "
               "error %.2e < 1e-2", seed, g[k].name, g[k].max_rel);
            is_str(g[k].name, S_group_name[k], "groups come in the order W b V c");
        }
    }
}

static void test_gradient_oracle(void) {
    for (int B = 1; B <= GC_BATCH; B += 2) {
        float X[GC_BATCH * GC_IN];
        uint8_t t[GC_BATCH];
        params net = gc_problem(7 + B, B, X, t), G = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
        workspace ws = workspace_alloc(&net, B);
        double loss = gradient(&G, &net, &ws, X, t, B);
        is_close(loss, S_loss_double(&net, X, t, B), 1e-5, "the float forward pass gives the double loss");
        float *pn[4], *pg[4];
        long n[4], ng[4];
        S_groups(&net, pn, n), S_groups(&G, pg, ng);
        for (int k = 0; k < 4; k++) {
            double e = S_oracle_rel_err(&net, pn[k], pg[k], n[k], X, t, B);
            ok(e < 1e-4, "batch of %d, group %s: float gradient within %.1e of double central differences (< 1e-4)",
               B, S_group_name[k], e);
        }
        workspace_free(&ws), params_free(&net), params_free(&G);
    }
}

// The batch gradient is the mean of the per-sample ones: run the same code with B = 1 on each row.
static void test_batch_is_mean(void) {
    enum { B = GC_BATCH };
    float X[B * GC_IN];
    uint8_t t[B];
    params net = gc_problem(3, B, X, t), G = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    params one = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES), mean = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    workspace ws = workspace_alloc(&net, B);
    double loss = gradient(&G, &net, &ws, X, t, B), loss_sum = 0.0;
    float *pm[4], *po[4], *pg[4];
    long n[4];
    S_groups(&mean, pm, n), S_groups(&one, po, n), S_groups(&G, pg, n);
    for (int i = 0; i < B; i++) {
        loss_sum += gradient(&one, &net, &ws, X + i * GC_IN, t + i, 1);
        for (int k = 0; k < 4; k++)
            for (long j = 0; j < n[k]; j++) pm[k][j] += po[k][j] / B;
    }
    is_close(loss, loss_sum / B, 1e-6, "the batch loss is the mean of the per-sample losses");
    for (int k = 0; k < 4; k++) {
        double worst = 0.0, scale = S_max_abs(pg[k], n[k]), off_sum = 0.0;
        for (long j = 0; j < n[k]; j++) {
            worst = fmax(worst, fabs(pg[k][j] - pm[k][j]));
            off_sum = fmax(off_sum, fabs(pg[k][j] - B * pm[k][j]));
        }
        ok(scale > 0 && worst <= 1e-5 * scale, "group %s: batch gradient = mean of the %d per-sample gradients "
           "(largest difference %.1e, gradients up to %.1e)", S_group_name[k], B, worst, scale);
        ok(off_sum > 0.5 * scale, "group %s: and not their sum", S_group_name[k]);
    }
    workspace_free(&ws), params_free(&net), params_free(&G), params_free(&one), params_free(&mean);
}

// sgd_step folds the update into the products (keep = 1, scale = -lr): it must equal theta - lr * gradient.
static void test_fused_update(void) {
    enum { B = GC_BATCH };
    float X[B * GC_IN], lr = 0.7f;
    uint8_t t[B];
    params net = gc_problem(5, B, X, t), G = params_alloc(GC_IN, GC_HIDDEN, N_CLASSES);
    workspace ws = workspace_alloc(&net, B);
    memcpy(ws.X, X, sizeof X), memcpy(ws.t, t, sizeof t);
    double loss_g = gradient(&G, &net, &ws, X, t, B);
    float *before[4], *pn[4], *pg[4];
    long n[4];
    S_groups(&net, pn, n), S_groups(&G, pg, n);
    for (int k = 0; k < 4; k++) before[k] = memcpy(wb_malloc(sizeof(float) * n[k]), pn[k], sizeof(float) * n[k]);
    double loss_s = sgd_step(&net, &ws, B, lr);
    is_close(loss_s, loss_g, 1e-7, "sgd_step returns the loss before the step");
    for (int k = 0; k < 4; k++) {
        double worst = 0.0;
        for (long j = 0; j < n[k]; j++) worst = fmax(worst, fabs(pn[k][j] - (before[k][j] - lr * pg[k][j])));
        ok(worst <= 1e-6 * fmax(1.0, S_max_abs(before[k], n[k])), "group %s: the fused step equals theta - lr * grad "
           "(largest difference %.1e)", S_group_name[k], worst);
        free(before[k]);
    }
    workspace_free(&ws), params_free(&net), params_free(&G);
}

// ----- zero pixels and the sigmoid -----------------------------------------------------------------

// Two copies of a small network, one step each on the same batch with blank columns: skipping them
// (then putting W back in pixel order) must give the dense step's parameters, and leave the rows of the
// blank pixels untouched, bit for bit.
static void S_zero_step_case(uint32_t seed, int blank_all) {
    enum { B = GC_BATCH };
    float X[B * GC_IN];
    uint8_t t[B];
    params a = gc_problem(seed, B, X, t), d = gc_problem(seed, B, X, t);
    for (int r = 0; r < B; r++)
        for (int i = 0; i < GC_IN; i++)  // columns 0, 3, 6, 9 blank in every image; 1 and 7 in some
            if (blank_all || i % 3 == 0 || ((i == 1 || i == 7) && r % 2 == 0)) X[r * GC_IN + i] = 0.0f;
    size_t w_bytes = sizeof(float) * GC_IN * GC_HIDDEN;
    float *W0 = memcpy(wb_malloc(w_bytes), a.W, w_bytes);  // (GC_IN, GC_HIDDEN) before the step
    workspace wa = workspace_alloc(&a, B), wd = workspace_alloc(&d, B);
    memcpy(wa.X, X, sizeof X), memcpy(wa.t, t, sizeof t), memcpy(wd.X, X, sizeof X), memcpy(wd.t, t, sizeof t);
    skip_zeros = 0;
    double ld = sgd_step(&d, &wd, B, 0.7f);
    skip_zeros = 1;
    double la = sgd_step(&a, &wa, B, 0.7f);
    int moved = 0;
    for (int q = 0; q < GC_IN; q++) moved += wa.pixel[q] != q;
    pixel_order(a.W, wa.pixel, GC_IN, GC_HIDDEN);
    int in_order = 1, blank_same = 1;
    for (int q = 0; q < GC_IN; q++) in_order &= wa.pixel[q] == q;
    for (int i = 0; i < GC_IN; i++)
        if (blank_all || i % 3 == 0)
            blank_same &= !memcmp(a.W + i * GC_HIDDEN, W0 + i * GC_HIDDEN, sizeof(float) * GC_HIDDEN);
    const char *what = blank_all ? "a batch of blank images" : "a batch with blank pixels";
    ok(fabs(la - ld) <= 1e-6, "%s: the loss on the lit pixels is the dense loss (%.9f, %.9f)", what, la, ld);
    ok(blank_all || moved > 0, "%s: lit_first moved rows (%d of %d out of pixel order)", what, moved, GC_IN);
    ok(in_order && blank_same, "%s: pixel_order restores the order; blank pixels' rows unchanged", what);
    float *pa[4], *pd[4];
    long n[4];
    S_groups(&a, pa, n), S_groups(&d, pd, n);
    for (int k = 0; k < 4; k++) {
        double worst = 0.0;
        for (long j = 0; j < n[k]; j++) worst = fmax(worst, fabs(pa[k][j] - pd[k][j]));
        ok(worst <= 1e-6 * fmax(1.0, S_max_abs(pd[k], n[k])), "%s, group %s: the step equals the dense step "
           "(largest difference %.1e)", what, S_group_name[k], worst);
    }
    ok(wa.lit_sum == (blank_all ? 0 : GC_IN - 4), "%s: lit pixels counted (%ld)", what, wa.lit_sum);
    free(W0), workspace_free(&wa), workspace_free(&wd), params_free(&a), params_free(&d);
}

static void test_zero_pixels(void) {
    S_zero_step_case(9, 0);
    S_zero_step_case(10, 1);
}

// sigmoid_row against 1 / (1 + e^-z) in double, over the whole float range that matters and beyond.
static void test_sigmoid(void) {
    enum { N = 20001 };
    float *h = wb_malloc(sizeof(float) * N), *b = wb_calloc(N, sizeof(float));
    for (int i = 0; i < N; i++) h[i] = -100.0f + 200.0f * i / (N - 1);
    float *z = memcpy(wb_malloc(sizeof(float) * N), h, sizeof(float) * N);
    sigmoid_row(h, b, N);
    double worst = 0.0;
    for (int i = 0; i < N; i++) {
        double want = 1.0 / (1.0 + exp(-(double)z[i]));
        worst = fmax(worst, fabs(h[i] - want) / fmax(want, 1e-30) * (z[i] > -87.0f));  // below: tiny, compared apart
    }
    ok(worst < 3e-7, "sigmoid_row within %.1e (relative) of the double sigmoid for z in [-87, 100]", worst);
    ok(h[0] >= 0.0f && h[0] < 1e-37f && h[N - 1] == 1.0f, "sigmoid_row(-100) is 0 to float precision (%g), "
       "sigmoid_row(100) is 1", h[0]);
    float odd[3] = {NAN, INFINITY, -INFINITY}, zero[3] = {0, 0, 0};
    sigmoid_row(odd, zero, 3);
    ok(isnan(odd[0]) && odd[1] == 1.0f && odd[2] >= 0.0f && odd[2] < 1e-37f, "sigmoid_row: NaN stays NaN, "
       "+inf gives 1, -inf 0 (%g %g %g)", odd[0], odd[1], odd[2]);
    free(h), free(b), free(z);
}

// ----- whole runs on a synthetic data set ----------------------------------------------------------

// n images of dim pixels (bytes, as MNIST's), labelled by the largest of ten random linear functions of them:
// a problem a small network learns within a few epochs. The first n_train go to train, the rest to eval.
static void S_synthetic(int n_train, int n_eval, int dim, uint32_t seed, mnist_set *train, mnist_set *eval) {
    rng_state r;
    rng_seed(&r, seed);
    double A[N_CLASSES][64];
    for (int k = 0; k < N_CLASSES; k++)
        for (int j = 0; j < dim; j++) A[k][j] = rng_gauss(&r);
    for (int part = 0; part < 2; part++) {
        int n = part ? n_eval : n_train;
        mnist_set d = {n, dim, wb_malloc((size_t)n * dim), wb_malloc(n)};
        for (int i = 0; i < n; i++) {
            double best = -INFINITY;
            for (int j = 0; j < dim; j++) d.x[i * dim + j] = (uint8_t)(256 * rng_double(&r));
            for (int k = 0; k < N_CLASSES; k++) {
                double s = 0.0;
                for (int j = 0; j < dim; j++) s += A[k][j] * (d.x[i * dim + j] / 255.0 - 0.5);
                if (s > best) best = s, d.y[i] = (uint8_t)k;
            }
        }
        *(part ? eval : train) = d;
    }
}

static config S_small_config(const char *out) {
    config c = {.epochs = 3, .batch = 8, .hidden = 16, .seed = 1, .lr = 0.5, .out = out, .mnist = "unused"};
    return c;
}

static void test_run_outputs(void) {
    mnist_set train, eval;
    S_synthetic(400, 200, 20, 11, &train, &eval);
    char *dir = S_tmpdir(), err[512] = "";
    config c = S_small_config(dir);
    c.lr = 2.0, c.epochs = 10;
    ok(train_run(&c, &train, &eval, 0.25, err, sizeof err) == 0, "a run on synthetic data finishes (%s)", err);
    char rpath[600];
    snprintf(rpath, sizeof rpath, "%s/results.txt", dir);
    results_file *r = results_read(rpath, err, sizeof err);
    ok(r != NULL, "results.txt is readable (%s)", r ? "ok" : err);
    const char *keys[] = {"status", "val_acc", "val_loss", "train_loss", "epochs", "lr", "batch", "seed", "hidden",
                          "n_train", "train_seconds", "samples_per_s", "load_seconds"};
    for (size_t i = 0; r && i < sizeof keys / sizeof keys[0]; i++)
        ok(results_get(r, keys[i], NULL) != NULL, "results.txt has the key %s", keys[i]);
    if (r) {
        is_str(results_get(r, "status", NULL), "ok", "status ok");
        is_str(results_get(r, "n_train", NULL), "400", "n_train counts the training images");
        is_str(results_get(r, "load_seconds", NULL), "0.250", "load_seconds as given");
        ok(atof(results_get(r, "val_acc", NULL)) > 0.4, "the synthetic problem is learnt (val_acc %s, chance 0.1)",
           results_get(r, "val_acc", NULL));
        is_str(results_get(r, "lr_per_image", NULL), "0.25", "lr_per_image: the rate over the batch size (2 / 8)");
        // 2 * (2 * 20 * 16 + 3 * 16 * 10) flops per image; 400 images an epoch
        is_str(results_get(r, "flop_per_image", NULL), "2240", "flop_per_image: the dense products' count");
        is_str(results_get(r, "gflop_per_epoch", NULL), "0.0", "gflop_per_epoch, to one decimal");
        // val_loss_1 and val_loss_prev are epochs.tsv's rows 1 and 9 (of 10), as printed there
        char epath[600];
        snprintf(epath, sizeof epath, "%s/epochs.tsv", dir);
        tsv_table *t = tsv_read(epath, err, sizeof err);
        double v1 = NAN, v9 = NAN, t1 = NAN;
        if (t) tsv_num(t, 1, 3, 0, &v1, err, sizeof err), tsv_num(t, 9, 3, 0, &v9, err, sizeof err),
               tsv_num(t, 1, 2, 0, &t1, err, sizeof err);
        is_close(atof(results_get(r, "val_loss_1", NULL)), v1, 1e-5 * v1, "val_loss_1: after the first epoch");
        is_close(atof(results_get(r, "train_loss_1", NULL)), t1, 1e-5 * t1, "train_loss_1: after the first epoch");
        is_close(atof(results_get(r, "val_loss_prev", NULL)), v9, 1e-5 * v9, "val_loss_prev: before the last epoch");
        tsv_free(t);
    }
    results_free(r);
    char *tl = S_slurp(dir, "train_loss.tsv"), *ep = S_slurp(dir, "epochs.tsv");
    ok(S_starts(tl, "step\tsamples\tloss\n1\t8\t"), "train_loss.tsv: step samples loss, from step 1");
    ok(tl && strstr(tl, "\n500\t4000\t") != NULL, "train_loss.tsv: 50 steps of 8 per epoch, samples counted");
    ok(S_starts(ep, "epoch\tsamples\ttrain_loss\tval_loss\tval_acc\n0\t0\t"),
       "epochs.tsv: header and the row of epoch 0, before training");
    ok(ep && strstr(ep, "\n10\t4000\t") != NULL, "epochs.tsv: the row of epoch 10 after 4000 samples");
    free(tl), free(ep);
    S_rmdir(dir);
    mnist_free(&train), mnist_free(&eval);
}

// --eval-train N: the training loss of epochs.tsv is measured on the first N images only, and results say N.
static void test_eval_train(void) {
    mnist_set train, eval;
    S_synthetic(400, 100, 20, 13, &train, &eval);
    char *dirs[2] = {S_tmpdir(), S_tmpdir()}, err[512] = "", *ep[2], *res[2];
    for (int i = 0; i < 2; i++) {
        config c = S_small_config(dirs[i]);
        c.eval_train = i ? 50 : 0;
        ok(train_run(&c, &train, &eval, 0.0, err, sizeof err) == 0, "a run with --eval-train %d finishes",
           c.eval_train);
        ep[i] = S_slurp(dirs[i], "epochs.tsv"), res[i] = S_slurp(dirs[i], "results.txt");
    }
    ok(res[0] && strstr(res[0], "\nn_train_eval 400\n"), "without --eval-train: the whole training set (400)");
    ok(res[1] && strstr(res[1], "\nn_train_eval 50\n"), "--eval-train 50: results say 50");
    // Column 3 (train_loss) differs, the validation columns do not: the same training, measured differently.
    double a, b, va, vb;
    int same_val = 1, other_train = 0;
    for (const char *p = ep[0], *q = ep[1]; p && q && (p = strchr(p, '\n')) && (q = strchr(q, '\n')) && p[1];) {
        p++, q++;
        if (sscanf(p, "%*d %*d %lf %lf", &a, &va) != 2 || sscanf(q, "%*d %*d %lf %lf", &b, &vb) != 2) break;
        same_val &= va == vb, other_train |= a != b;
    }
    ok(same_val && other_train, "the training loss comes from the sample, the validation loss is unchanged");
    for (int i = 0; i < 2; i++) free(ep[i]), free(res[i]), S_rmdir(dirs[i]);
    mnist_free(&train), mnist_free(&eval);
}

static void test_final_columns(void) {
    mnist_set train, eval;
    S_synthetic(100, 50, 20, 11, &train, &eval);
    char *dir = S_tmpdir(), err[512] = "";
    config c = S_small_config(dir);
    c.final = 1, c.epochs = 1, c.batch = 7;  // 100 = 14 * 7 + 2: the last batch is smaller
    ok(train_run(&c, &train, &eval, 0.0, err, sizeof err) == 0, "a --final run finishes");
    char *ep = S_slurp(dir, "epochs.tsv"), *res = S_slurp(dir, "results.txt"), *tl = S_slurp(dir, "train_loss.tsv");
    ok(S_starts(ep, "epoch\tsamples\ttrain_loss\ttest_loss\ttest_acc\n"), "--final: test columns");
    ok(res && strstr(res, "\ntest_acc ") && strstr(res, "\ntest_loss ") && !strstr(res, "val_"),
       "--final: test_acc and test_loss in results.txt, no val_ keys");
    ok(tl && strstr(tl, "\n15\t100\t") != NULL, "a smaller last batch: step 15 ends the epoch at 100 samples");
    free(ep), free(res), free(tl);
    S_rmdir(dir);
    mnist_free(&train), mnist_free(&eval);
}

static void test_determinism(void) {
    mnist_set train, eval;
    S_synthetic(300, 100, 20, 21, &train, &eval);
    char *dirs[3] = {S_tmpdir(), S_tmpdir(), S_tmpdir()}, err[512];
    int seeds[3] = {5, 5, 6};
    char *tl[3], *ep[3];
    for (int i = 0; i < 3; i++) {
        config c = S_small_config(dirs[i]);
        c.seed = seeds[i];
        train_run(&c, &train, &eval, 0.0, err, sizeof err);
        tl[i] = S_slurp(dirs[i], "train_loss.tsv"), ep[i] = S_slurp(dirs[i], "epochs.tsv");
    }
    ok(tl[0] && tl[1] && strcmp(tl[0], tl[1]) == 0, "same seed: train_loss.tsv identical");
    ok(ep[0] && ep[1] && strcmp(ep[0], ep[1]) == 0, "same seed: epochs.tsv identical");
    ok(tl[0] && tl[2] && strcmp(tl[0], tl[2]) != 0, "another seed: another train_loss.tsv");
    for (int i = 0; i < 3; i++) free(tl[i]), free(ep[i]), S_rmdir(dirs[i]);
    mnist_free(&train), mnist_free(&eval);
}

// A learning rate far too large: the training loss rises over the epoch, and the run stops with status 3.
static void test_diverged_rising(void) {
    mnist_set train, eval;
    S_synthetic(200, 50, 20, 31, &train, &eval);
    char *dir = S_tmpdir(), err[512] = "";
    config c = S_small_config(dir);
    c.lr = 1e4;
    ok(train_run(&c, &train, &eval, 0.0, err, sizeof err) == EXIT_DIVERGED, "lr 1e4: the run reports divergence");
    has_str(err, "after epoch 1", "the message names the epoch");
    has_str(err, "--lr", "and hints at the learning rate");
    char *res = S_slurp(dir, "results.txt"), *ep = S_slurp(dir, "epochs.tsv");
    ok(S_starts(res, "status diverged\n"), "results.txt: status diverged");
    ok(res && strstr(res, "diverged_epoch 1\n") != NULL, "results.txt: diverged_epoch 1");
    ok(ep && strstr(ep, "\n0\t0\t") && strstr(ep, "\n1\t200\t") && !strstr(ep, "\n2\t"),
       "epochs.tsv: the rows up to the epoch that diverged");
    free(res), free(ep);
    S_rmdir(dir);
    mnist_free(&train), mnist_free(&eval);
}

// A NaN in the weights (here from a NaN rate, which the flags refuse): the first step's update makes every
// weight NaN, the second step's loss is NaN, and the run stops naming the step.
static void test_diverged_nan(void) {
    mnist_set train, eval;
    S_synthetic(200, 50, 20, 31, &train, &eval);
    char *dir = S_tmpdir(), err[512] = "";
    config c = S_small_config(dir);
    c.epochs = 2;
    c.lr = NAN;
    ok(train_run(&c, &train, &eval, 0.0, err, sizeof err) == EXIT_DIVERGED, "a NaN loss: the run reports divergence");
    has_str(err, "of epoch 1", "the message names the epoch");
    has_str(err, "the loss of step ", "and the step");
    char *res = S_slurp(dir, "results.txt"), *ep = S_slurp(dir, "epochs.tsv");
    ok(res && strstr(res, "status diverged\n") && strstr(res, "nan\n"), "results.txt: diverged, loss nan");
    ok(ep && strstr(ep, "\n0\t0\t") && !strstr(ep, "\n1\t"), "epochs.tsv: only the row before training");
    free(res), free(ep);
    S_rmdir(dir);
    mnist_free(&train), mnist_free(&eval);
}

static void test_gradcheck_file(void) {
    char *dir = S_tmpdir();
    config c = S_small_config(dir);
    c.gradcheck = 1;
    ok(gradcheck_write(&c) == 0, "--gradcheck of the correct program: exit status 0");
    char *text = S_slurp(dir, "gradcheck.tsv"), err[256];
    tsv_table *t = text ? tsv_parse("gradcheck.tsv", text, strlen(text), err, sizeof err) : NULL;
    ok(t && t->ncols == 6 && t->nrows == 4, "gradcheck.tsv: six columns, four groups");
    if (t) {
        is_str(t->names[0], "group", "column group");
        is_str(t->names[3], "max_rel_err", "column max_rel_err");
        for (int k = 0; k < 4; k++) {
            double rel = 1.0;
            tsv_num(t, k, 3, 0, &rel, err, sizeof err);
            ok(strcmp(t->cells[k * 6], S_group_name[k]) == 0 && rel < 1e-2, "row %s: relative error %.1e", S_group_name[k], rel);
            is_str(t->cells[k * 6 + 5], "pass", "its verdict");
        }
    }
    tsv_free(t), free(text);
    S_rmdir(dir);
}

// ----- flags ---------------------------------------------------------------------------------------

static int S_parse(config *c, char *err, size_t n, const char *a1, const char *a2, const char *a3, const char *a4) {
    char *argv[] = {"batched", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
    int argc = 1;
    while (argc < 5 && argv[argc]) argc++;
    return config_parse(c, argc, argv, err, n);
}

static void test_flags(void) {
    config c;
    char err[512] = "";
    ok(S_parse(&c, err, sizeof err, "--batch", "8", "--lr=0.4", NULL) == 0 && c.batch == 8 && c.lr == 0.4 &&
       c.epochs == 10 && c.hidden == 300, "flags parse, defaults kept");
    ok(S_parse(&c, err, sizeof err, "--final", "--limit", "2000", "--gradcheck") == 0 && c.final && c.limit == 2000 &&
       c.gradcheck, "--final --limit --gradcheck");
    struct {
        const char *a[4], *want;
    } bad[] = {
        {{"--nope", NULL}, "--nope"},
        {{"--batch", "0", NULL}, "--batch"},
        {{"--lr", "-1", NULL}, "--lr"},
        {{"--epochs", "ten", NULL}, "--epochs"},
        {{"--hidden", NULL}, "--hidden"},
        {{"--limit", "10", "--batch", "16"}, "larger than the training set"},
        {{"stray", NULL}, "unexpected argument"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        int r = S_parse(&c, err, sizeof err, bad[i].a[0], bad[i].a[1], bad[i].a[2], bad[i].a[3]);
        ok(r == -1 && strstr(err, bad[i].want), "bad flags '%s %s': rejected, naming %s (%s)", bad[i].a[0],
           bad[i].a[1] ? bad[i].a[1] : "", bad[i].want, err);
    }
}

// ----- MNIST ---------------------------------------------------------------------------------------

static void test_mnist_smoke(void) {
    const char *dir = tap_mnist();
    if (!dir) return;
    mnist_set train, eval;
    mnist_load_split(dir, 0, 2000, &train, &eval);
    char *out = S_tmpdir(), err[512] = "";
    config c = {.epochs = 2, .batch = 16, .hidden = 300, .seed = 1, .limit = 2000, .lr = 0.8, .out = out, .mnist = dir};
    ok(train.n == 2000 && eval.n == 5000, "--limit 2000: 2000 training images, 5000 for validation");
    ok(train_run(&c, &train, &eval, 0.0, err, sizeof err) == 0, "2 epochs on 2000 MNIST images finish");
    char rpath[600];
    snprintf(rpath, sizeof rpath, "%s/results.txt", out);
    results_file *r = results_read(rpath, err, sizeof err);
    const char *acc = r ? results_get(r, "val_acc", NULL) : NULL;
    ok(acc && atof(acc) > 0.8, "validation accuracy %s, well above chance (0.1)", acc ? acc : "(none)");
    results_free(r);
    c.lr = 1e30, c.epochs = 1, c.limit = 160;
    ok(run_training(&c) == EXIT_DIVERGED, "the program's run with --lr 1e30 returns the exit status 3");
    char *text = wb_read_file(rpath, NULL);
    has_str(text, "status diverged\n", "and its results.txt says status diverged, not the earlier run's results");
    free(text);
    S_rmdir(out);
    mnist_free(&train), mnist_free(&eval);
}

int main(void) {
    if (!getenv("OPENBLAS_NUM_THREADS")) openblas_set_num_threads(1);
    test_gradcheck_float();
    test_gradient_oracle();
    test_batch_is_mean();
    test_fused_update();
    test_zero_pixels();
    test_sigmoid();
    test_run_outputs();
    test_final_columns();
    test_eval_train();
    test_determinism();
    test_diverged_rising();
    test_diverged_nan();
    test_gradcheck_file();
    test_flags();
    test_mnist_smoke();
    return tap_done();
}
