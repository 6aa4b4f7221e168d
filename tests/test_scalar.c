// test_scalar.c — chapter 1's program: the worked example, finite differences, the data against numpy,
// divergence and bad flags reported, the last epoch's rate, and the files the book reads.
#include "../chapters/01-scalar/scalar.c"

#include <unistd.h>

#include "tap.h"
#include "tsv.h"

// ----- the worked example -------------------------------------------------------------------------

static void test_example(void) {
    net p, g;
    activations a;
    example_net(&p);
    double loss = forward(&a, &p, EXAMPLE_X, EXAMPLE_CLASS);
    backward(&g, &a, &p, EXAMPLE_X, EXAMPLE_CLASS);
    is_close(loss, 0.6931, 1e-4, "example: loss 0.6931");
    is_close(loss, log(2.0), 1e-12, "example: equal logits give the loss log 2");
    double worst_w = 0.0;
    for (int i = 0; i < N_IN; i++)
        for (int j = 0; j < 3; j++) worst_w = fmax(worst_w, fabs(g.W[i][j]));
    double worst_b = fmax(fmax(fabs(g.b[0]), fabs(g.b[1])), fabs(g.b[2]));
    ok(worst_w <= 1e-12, "example: every dW is 0 (largest |dW| %g)", worst_w);
    ok(worst_b <= 1e-12, "example: every db is 0 (largest |db| %g)", worst_b);
    for (int j = 0; j < 3; j++) {
        is_close(g.V[j][0], -0.4404, 1e-4, "example: dV[j][0] = -0.4404");
        is_close(g.V[j][1], 0.4404, 1e-4, "example: dV[j][1] = 0.4404");
    }
    is_close(g.c[0], -0.5, 1e-12, "example: dc[0] = -0.5");
    is_close(g.c[1], 0.5, 1e-12, "example: dc[1] = 0.5");
}

// The --example output is a results file the weaver can read, with every key the chapter's table names.
static void test_example_output(void) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    example_print(f);
    fclose(f);
    char err[256] = "";
    results_file *r = results_parse("example.txt", text, len, err, sizeof err);
    if (!ok(r != NULL, "example output parses as a results file")) {
        diag("%s", err);
        free(text);
        return;
    }
    static const char *const keys[] = {"loss", "dW[0][0]", "dW[1][2]", "db[2]", "dV[2][1]", "dc[0]", "h[0]",
                                       "y[1]", "dl_do[0]", "dl_do_local[1]"};
    for (size_t t = 0; t < sizeof keys / sizeof *keys; t++)
        ok(results_get(r, keys[t], NULL) != NULL, "example output has key %s", keys[t]);
    is_str(results_get(r, "dW[1][0]", NULL), "0", "a zero derivative prints as 0, not -0");
    is_str(results_get(r, "dc[0]", NULL), "-0.5", "dc[0] prints as -0.5");
    results_free(r);
    free(text);
}

// ----- the loss and its derivative ----------------------------------------------------------------

static void test_stable_softmax(void) {
    double y[N_OUT];
    double big[N_OUT] = {1000, 0}, low[N_OUT] = {-1000, -1000};
    double l = softmax_xent_forward(y, big, 1);
    ok(l == 1000.0, "logits (1000, 0), class 1: the loss is 1000, not inf or NaN (got %g)", l);
    ok(y[0] == 1.0 && y[1] == 0.0, "logits (1000, 0): probabilities (1, 0)");
    l = softmax_xent_forward(y, big, 0);
    ok(l == 0.0, "logits (1000, 0), class 0: the loss is 0 (got %g)", l);
    l = softmax_xent_forward(y, low, 0);
    is_close(l, log(2.0), 1e-15, "logits (-1000, -1000): loss log 2, no 0/0");
    ok(y[0] == 0.5 && y[1] == 0.5, "logits (-1000, -1000): probabilities one half each");
}

// The derivative worked out (y - onehot) and the local derivatives composed numerically agree.
static void test_local_derivatives_compose(void) {
    rng_state r;
    rng_seed(&r, 11);
    double worst = 0.0;
    for (int t = 0; t < 100; t++) {
        double o[N_OUT] = {3 * rng_gauss(&r), 3 * rng_gauss(&r)}, y[N_OUT], d1[N_OUT], d2[N_OUT];
        int target = (int)rng_below(&r, N_OUT);
        softmax_xent_forward(y, o, target);
        softmax_xent_backward(d1, y, target);
        softmax_xent_backward_local(d2, y, target);
        for (int k = 0; k < N_OUT; k++) worst = fmax(worst, fabs(d1[k] - d2[k]));
    }
    ok(worst < 1e-12, "y - onehot equals the chain rule through dl/dy and the softmax Jacobian (worst %g)", worst);
}

// ----- finite differences -------------------------------------------------------------------------

static void test_gradcheck(void) {
    static const int hidden[] = {3, 3, 3, 1, 7, 20};
    rng_state r;
    rng_seed(&r, 2024);
    for (size_t t = 0; t < sizeof hidden / sizeof *hidden; t++) {
        net p;
        double x[N_IN];
        int target;
        gc_row rows[GRADCHECK_GROUPS];
        gradcheck_case(&p, x, &target, hidden[t], &r);
        gradcheck(rows, &p, x, target);
        for (int g = 0; g < GRADCHECK_GROUPS; g++) {
            int want_n = g == 0 ? N_IN * hidden[t] : g == 1 ? hidden[t] : g == 2 ? hidden[t] * N_OUT : N_OUT;
            ok(rows[g].params == want_n, "random net %zu (%d hidden): group %s has %d parameters", t, hidden[t],
               GROUP_NAMES[g], want_n);
            if (!ok(rows[g].max_rel < 1e-6, "random net %zu (%d hidden): %s agrees with finite differences", t,
                    hidden[t], GROUP_NAMES[g]))
                diag("max abs error %.3e, max relative error %.3e", rows[g].max_abs, rows[g].max_rel);
        }
    }
}

// A trained-looking net too: the initialisation of the training run, on data points.
static void test_gradcheck_at_init(void) {
    rng_state r;
    dataset tr, va;
    net p;
    rng_seed(&r, 5);
    synth_data(&tr, &va, 20, 1, &r);
    net_init(&p, 3, &r);
    double worst = 0.0;
    for (int t = 0; t < tr.n; t++) {
        gc_row rows[GRADCHECK_GROUPS];
        gradcheck(rows, &p, tr.x[t], tr.y[t]);
        for (int g = 0; g < GRADCHECK_GROUPS; g++) worst = fmax(worst, rows[g].max_rel);
    }
    ok(worst < 1e-6, "initial network on 20 data points: backprop agrees with finite differences (worst %.2e)",
       worst);
    dataset_free(&tr);
    dataset_free(&va);
}

// ----- the data against numpy ---------------------------------------------------------------------

// np.random.seed(0); quad = np.asarray([[1, -0.05], [1, .4]]); x = np.random.randn(70000, 2)
// q = np.einsum('bf, fk, bk -> b', x, quad, x); y = (q > 0.6).astype(int)
// then repr() of the rows below, y[:60000].sum(), y[60000:].sum()
static void test_data_against_numpy(void) {
    static const double want_x[6][2] = {
        {1.764052345967664, 0.4001572083672233},    {0.9787379841057392, 2.240893199201458},
        {1.8675579901499675, -0.977277879876411},   {0.9500884175255894, -0.1513572082976979},
        {-0.10321885179355784, 0.41059850193837233}, {0.144043571160878, 1.454273506962975}};
    static const int want_y[6] = {1, 1, 1, 1, 0, 1};
    rng_state r;
    dataset tr, va;
    rng_seed(&r, 0);
    synth_data(&tr, &va, 60000, 10000, &r);
    int same_x = 1, same_y = 1;
    for (int t = 0; t < 6; t++) {
        same_x &= tr.x[t][0] == want_x[t][0] && tr.x[t][1] == want_x[t][1];
        same_y &= tr.y[t] == want_y[t];
    }
    ok(same_x, "the first 6 training points are numpy's, bit for bit");
    ok(same_y, "the first 6 training labels are numpy's");
    ok(va.x[0][0] == 1.8565897595745247 && va.x[0][1] == -1.5049403046906484 && va.y[0] == 1,
       "the first validation point is numpy's row 60000");
    ok(va.x[9999][0] == 1.0937455514480714 && va.x[9999][1] == -0.20996169601805517 && va.y[9999] == 1,
       "the last validation point is numpy's row 69999");
    int ones_tr = 0, ones_va = 0;
    for (int t = 0; t < tr.n; t++) ones_tr += tr.y[t];
    for (int t = 0; t < va.n; t++) ones_va += va.y[t];
    ok(ones_tr == 33494, "33494 of the 60000 training labels are 1, as in numpy (got %d)", ones_tr);
    ok(ones_va == 5622, "5622 of the 10000 validation labels are 1, as in numpy (got %d)", ones_va);
    dataset_free(&tr);
    dataset_free(&va);
}

// ----- training -----------------------------------------------------------------------------------

static void S_small_run(dataset *tr, dataset *va, net *p, rng_state *r) {
    rng_seed(r, 0);
    synth_data(tr, va, 5000, 1000, r);
    net_init(p, 3, r);
}

static void test_training_learns(void) {
    rng_state r;
    dataset tr, va;
    net p;
    train_summary s;
    char err[512] = "";
    S_small_run(&tr, &va, &p, &r);
    train_config tc = {.epochs = 2, .lr = 0.1, .last_lr = 0.1};
    int rc = train(&s, &p, &tr, &va, &tc, &r, err, sizeof err);
    ok(rc == 0, "a sane learning rate trains without error");
    ok(s.steps == 10000, "two epochs of 5000 points are 10000 steps");
    ok(s.end.loss < s.start.loss, "the validation loss goes down (%.4f -> %.4f)", s.start.loss, s.end.loss);
    ok(s.end.acc > 0.85, "validation accuracy after two short epochs is above 85%% (%.4f)", s.end.acc);
    dataset_free(&tr);
    dataset_free(&va);
}

static void test_divergence_reported(void) {
    rng_state r;
    dataset tr, va;
    net p;
    train_summary s;
    char err[512] = "";
    S_small_run(&tr, &va, &p, &r);
    train_config tc = {.epochs = 3, .lr = 1e308, .last_lr = 1e308};
    int rc = train(&s, &p, &tr, &va, &tc, &r, err, sizeof err);
    ok(rc == -1, "a learning rate of 1e308 is reported as an error");
    has_str(err, "epoch 1, step ", "the message names the epoch and the step");
    has_str(err, "learning rate", "the message suggests the learning rate");
    ok(strstr(err, "NaN") || strstr(err, "infinite"), "the message says what the loss became: %s", err);
    ok(s.diverged_epoch == 1 && s.diverged_step >= 1 && !isfinite(s.diverged_loss),
       "the summary says where it diverged, for results.txt (epoch %d, step %ld, loss %g)", s.diverged_epoch,
       s.diverged_step, s.diverged_loss);
    dataset_free(&tr);
    dataset_free(&va);
}

// ----- the last epoch's rate ----------------------------------------------------------------------

static void test_epoch_lr(void) {
    train_config tc = {.epochs = 4, .lr = 0.1, .last_lr = 0.01};
    ok(epoch_lr(&tc, 1) == 0.1 && epoch_lr(&tc, 2) == 0.1 && epoch_lr(&tc, 3) == 0.1,
       "epochs 1 to 3 of 4 step with lr");
    ok(epoch_lr(&tc, 4) == 0.01, "epoch 4 of 4, the last, steps with last_lr");
    tc.epochs = 1;
    ok(epoch_lr(&tc, 1) == 0.01, "a single epoch is the last one: last_lr");
}

// A small run whose step and validation logs go into memory, for comparing two runs.
typedef struct {
    net p;
    train_summary s;
    char *steps, *val;
    size_t nsteps, nval;
    int rc;
} S_logged;

static void S_logged_run(S_logged *o, int epochs, double lr, double last_lr, int eval_every) {
    rng_state r;
    dataset tr, va;
    char err[512] = "";
    S_small_run(&tr, &va, &o->p, &r);
    FILE *steps = open_memstream(&o->steps, &o->nsteps), *val = open_memstream(&o->val, &o->nval);
    train_config tc = {.epochs = epochs, .lr = lr, .last_lr = last_lr, .eval_every = eval_every, .steps = steps,
                       .val = val};
    o->rc = train(&o->s, &o->p, &tr, &va, &tc, &r, err, sizeof err);
    fclose(steps);
    fclose(val);
    dataset_free(&tr);
    dataset_free(&va);
}

static void S_logged_free(S_logged *o) { free(o->steps), free(o->val); }

// The offset of the first byte where a and b differ (the shorter length when one is a prefix of the other).
static size_t S_first_diff(const char *a, size_t na, const char *b, size_t nb) {
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i]) i++;
    return i;
}

// The line (1 = the first) holding byte offset i of text.
static int S_line_of(const char *text, size_t i) {
    int line = 1;
    for (size_t k = 0; k < i; k++) line += text[k] == '\n';
    return line;
}

// Three epochs of 5000 steps: a lower last rate leaves the first two epochs and the first step of the third
// (its loss is measured before its update) exactly as they were, and changes every step after that.
static void test_last_lr_changes_only_the_last_epoch(void) {
    S_logged a, b;
    S_logged_run(&a, 3, 0.1, 0.1, 0);
    S_logged_run(&b, 3, 0.1, 0.01, 0);
    ok(a.rc == 0 && b.rc == 0, "both runs train");
    size_t d = S_first_diff(a.steps, a.nsteps, b.steps, b.nsteps);
    int line = d < a.nsteps ? S_line_of(a.steps, d) : -1;
    ok(line == 10002, "the step logs agree through step 10001, the last epoch's first, and differ from step 10002 "
       "(first difference on step %d)", line);
    int all_differ = 1;
    const char *pa = a.steps, *pb = b.steps;
    for (int t = 1; t <= 15000; t++) {
        const char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
        if (t > 10002) all_differ &= ea - pa != eb - pb || memcmp(pa, pb, (size_t)(ea - pa)) != 0;
        pa = ea + 1, pb = eb + 1;
    }
    ok(all_differ, "every later step of the last epoch has a different loss");
    d = S_first_diff(a.val, a.nval, b.val, b.nval);
    ok(d < a.nval && S_line_of(a.val, d) == 4, "the validation log agrees for epochs 0, 1, 2 and differs for epoch 3");
    ok(memcmp(&a.s.before_last, &b.s.before_last, sizeof a.s.before_last) == 0 && a.s.before_last.loss < a.s.start.loss,
       "both start the last epoch from the same validation loss (%.6f)", a.s.before_last.loss);
    ok(a.s.end.loss != b.s.end.loss, "and end it elsewhere (%.6f, %.6f)", a.s.end.loss, b.s.end.loss);
    S_logged_free(&a);
    S_logged_free(&b);
}

// With a single epoch, that epoch is the last: it steps with last_lr throughout, exactly as a constant run
// at that rate. With last_lr equal to lr, the run is the constant one. Both bit for bit.
static void test_last_lr_is_the_rate_of_the_last_epoch(void) {
    S_logged a, b;
    S_logged_run(&a, 1, 0.1, 0.01, 0);
    S_logged_run(&b, 1, 0.01, 0.01, 0);
    ok(memcmp(&a.p, &b.p, sizeof a.p) == 0 && a.nsteps == b.nsteps && memcmp(a.steps, b.steps, a.nsteps) == 0,
       "one epoch with --lr 0.1 --last-lr 0.01 is the constant run at 0.01, bit for bit");
    S_logged_free(&a);
    S_logged_free(&b);
    S_logged_run(&a, 2, 0.1, 0.1, 0);
    S_logged_run(&b, 2, 0.1, 0.01, 0);
    ok(memcmp(&a.p, &b.p, sizeof a.p) != 0, "two epochs with a lower last rate end with other weights");
    S_logged_free(&b);
    S_logged_run(&b, 2, 0.1, 0.1, 1000);
    ok(memcmp(&a.p, &b.p, sizeof a.p) == 0 && a.nsteps == b.nsteps && memcmp(a.steps, b.steps, a.nsteps) == 0,
       "evaluating every 1000 steps changes nothing in the training, bit for bit");
    ok(b.s.band_lo <= b.s.end.loss && b.s.end.loss <= b.s.band_hi && b.s.band_lo < b.s.band_hi,
       "the last epoch's evaluations span its final loss (%.6f <= %.6f <= %.6f)", b.s.band_lo, b.s.end.loss,
       b.s.band_hi);
    S_logged_free(&a);
    S_logged_free(&b);
}

static void test_last_lr_divergence_names_it(void) {
    S_logged a;
    rng_state r;
    dataset tr, va;
    char err[512] = "";
    S_small_run(&tr, &va, &a.p, &r);
    train_config tc = {.epochs = 2, .lr = 0.1, .last_lr = 1e308};
    ok(train(&a.s, &a.p, &tr, &va, &tc, &r, err, sizeof err) == -1 && a.s.diverged_epoch == 2,
       "a last-epoch rate of 1e308 diverges in epoch 2");
    has_str(err, "--last-lr 1e+308 too high?", "the message names --last-lr and its value");
    dataset_free(&tr);
    dataset_free(&va);
}

// ----- flags --------------------------------------------------------------------------------------

static int S_parse(config *cfg, const char *a1, const char *a2, const char *a3, char *err, size_t errlen) {
    char *argv[5] = {"scalar", (char *)a1, (char *)a2, (char *)a3, NULL};
    int argc = a1 ? (a2 ? (a3 ? 4 : 3) : 2) : 1;
    *cfg = config_defaults();
    err[0] = '\0';
    return parse_args(cfg, argc, argv, err, errlen);
}

// Parse a NULL-terminated list of arguments.
static int S_parse_list(config *cfg, const char *const *args, char *err, size_t errlen) {
    char *argv[16] = {"scalar"};
    int argc = 1;
    while (args[argc - 1] && argc < 15) argv[argc] = (char *)args[argc - 1], argc++;
    *cfg = config_defaults();
    err[0] = '\0';
    return parse_args(cfg, argc, argv, err, errlen);
}

static void test_flags_last_lr(void) {
    config cfg;
    char err[512];
    ok(S_parse_list(&cfg, (const char *[]){"--lr", "0.5", NULL}, err, sizeof err) == 0 && config_last_lr(&cfg) == 0.5,
       "without --last-lr the last epoch takes --lr: a constant rate");
    ok(S_parse_list(&cfg, (const char *[]){"--last-lr", "0.001", "--lr", "0.5", NULL}, err, sizeof err) == 0 &&
           cfg.lr == 0.5 && config_last_lr(&cfg) == 0.001,
       "--last-lr 0.001 --lr 0.5 parse, in either order");
    ok(S_parse_list(&cfg, (const char *[]){"--last-lr=1e-12", "--eval-every", "2000", NULL}, err, sizeof err) == 0 &&
           config_last_lr(&cfg) == 1e-12 && cfg.eval_every == 2000,
       "--last-lr=1e-12 (the smallest) and --eval-every 2000 parse");
    static const char *const bad[][2] = {
        {"--last-lr", "0"},    {"--last-lr", "-0.01"},   {"--last-lr", "nan"},     {"--last-lr", "slow"},
        {"--last-lr", "1e-13"}, {"--last-lr", "1e309"},  {"--last-lr", "0.1x"},    {"--last-lr", ""},
        {"--eval-every", "-1"}, {"--eval-every", "2.5"}, {"--eval-every", "many"},
    };
    for (size_t t = 0; t < sizeof bad / sizeof *bad; t++) {
        int rc = S_parse_list(&cfg, (const char *[]){bad[t][0], bad[t][1], NULL}, err, sizeof err);
        ok(rc == -1 && strstr(err, bad[t][0]), "rejected, naming the flag: %s '%s': %s", bad[t][0], bad[t][1], err);
    }
    ok(S_parse_list(&cfg, (const char *[]){"--last-lr", NULL}, err, sizeof err) == -1,
       "rejected: --last-lr without a value: %s", err);
    S_parse_list(&cfg, (const char *[]){"--last-lr", "0", NULL}, err, sizeof err);
    has_str(err, "in [1e-12, 1e+308], got 0", "a zero rate: the message gives the range");
}

static void test_flags(void) {
    config cfg;
    char err[512];
    ok(S_parse(&cfg, "--epochs", "3", "--lr=0.5", err, sizeof err) == 0 && cfg.epochs == 3 && cfg.lr == 0.5,
       "--epochs 3 --lr=0.5 parse");
    ok(S_parse(&cfg, "--help", NULL, NULL, err, sizeof err) == 1, "--help is recognised");
    static const char *const bad[][3] = {
        {"--epoch", "3", NULL},         {"--lr", "fast", NULL},      {"--lr", "-0.1", NULL},
        {"--lr", "0", NULL},            {"--epochs", "0", NULL},     {"--epochs", "2.5", NULL},
        {"--hidden", "65", NULL},       {"--n-train", "0", NULL},    {"--seed", "-1", NULL},
        {"--lr", NULL, NULL},           {"epochs", "3", NULL},       {"--example", "--gradcheck", NULL},
        {"--dump-data", "--example", NULL}, {"--out", "", NULL},     {"--example=1", NULL, NULL},
    };
    for (size_t t = 0; t < sizeof bad / sizeof *bad; t++) {
        int rc = S_parse(&cfg, bad[t][0], bad[t][1], bad[t][2], err, sizeof err);
        ok(rc == -1 && err[0], "rejected: %s %s%s: %s", bad[t][0], bad[t][1] ? bad[t][1] : "",
           bad[t][2] ? " ..." : "", err);
    }
    S_parse(&cfg, "--lr", "fast", NULL, err, sizeof err);
    has_str(err, "--lr", "the message names the flag");
}

// ----- the files the book reads -------------------------------------------------------------------

static tsv_table *S_tsv(const char *dir, const char *name) {
    char *path = wb_path_join(dir, name), err[512] = "";
    tsv_table *t = tsv_read(path, err, sizeof err);
    if (!t) diag("%s", err);
    free(path);
    return t;
}

static int S_has_cols(const tsv_table *t, const char *const *cols, int n) {
    if (!t || t->ncols != n) return 0;
    for (int c = 0; c < n; c++)
        if (tsv_col(t, cols[c]) != c) return 0;
    return 1;
}

static void test_output_files(void) {
    char dir[] = "/tmp/test_scalar.XXXXXX";
    if (!ok(mkdtemp(dir) != NULL, "a temporary folder")) return;
    config cfg = config_defaults();
    cfg.epochs = 2, cfg.n_train = 300, cfg.n_val = 100, cfg.out = dir;
    cfg.eval_every = 70;
    run_training(&cfg);
    static const char *const steps_cols[] = {"step", "loss"};
    static const char *const curve_cols[] = {"step", "val_loss", "val_acc"};
    static const char *const val_cols[] = {"epoch", "step", "val_loss", "val_acc"};
    static const char *const grid_cols[] = {"x0", "x1", "p"};
    static const char *const gc_cols[] = {"group", "params", "max_abs_err", "max_rel_err", "tolerance", "verdict"};
    static const char *const data_cols[] = {"x0", "x1", "y"};
    tsv_table *t = S_tsv(dir, "train_loss.tsv");
    ok(S_has_cols(t, steps_cols, 2) && t->nrows == 600, "train_loss.tsv: step loss, one row per step");
    tsv_free(t);
    t = S_tsv(dir, "val.tsv");
    ok(S_has_cols(t, val_cols, 4) && t->nrows == 3, "val.tsv: epoch step val_loss val_acc, epochs 0..2");
    if (t && t->nrows == 3) is_str(t->cells[2 * 4 + 1], "600", "val.tsv: epoch 2 ends at step 600");
    tsv_free(t);
    t = S_tsv(dir, "eval_curve.tsv");
    // 0, every 70 steps (70 ... 280, 350 ... 560) and the two epochs' ends (300, 600)
    ok(S_has_cols(t, curve_cols, 3) && t->nrows == 11, "eval_curve.tsv: step val_loss val_acc, 11 points");
    if (t && t->nrows == 11)
        ok(!strcmp(t->cells[0], "0") && !strcmp(t->cells[4 * 3], "280") && !strcmp(t->cells[5 * 3], "300") &&
               !strcmp(t->cells[6 * 3], "350") && !strcmp(t->cells[10 * 3], "600"),
           "eval_curve.tsv: before training, every 70 steps, and at the end of each epoch");
    tsv_free(t);
    t = S_tsv(dir, "grid.tsv");
    ok(S_has_cols(t, grid_cols, 3) && t->nrows == GRID * GRID, "grid.tsv: x0 x1 p on a %dx%d grid", GRID, GRID);
    tsv_free(t);
    char *path = wb_path_join(dir, "results.txt"), err[512] = "";
    results_file *r = results_read(path, err, sizeof err);
    static const char *const keys[] = {"val_acc",       "val_loss",  "train_loss", "epochs",    "lr",
                                       "seed",          "n_train",   "n_val",      "val_acc_0", "val_frac1",
                                       "train_seconds", "samples_per_s", "prior_loss", "last_lr",
                                       "eval_every", "train_loss_std", "val_loss_before_last",
                                       "val_acc_before_last", "last_val_loss_min", "last_val_loss_max",
                                       "last_val_loss_range"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        ok(r && results_get(r, keys[k], NULL), "results.txt has %s", keys[k]);
    if (r) is_str(results_get(r, "n_train", NULL), "300", "results.txt: n_train as run");
    if (r) is_str(results_get(r, "last_lr", NULL), "0.01", "results.txt: last_lr, --lr's when not given");
    results_free(r);
    free(path);

    ok(run_gradcheck(&cfg) == 0, "--gradcheck of the correct program: exit status 0");
    t = S_tsv(dir, "gradcheck.tsv");
    ok(S_has_cols(t, gc_cols, 6) && t->nrows == 4, "gradcheck.tsv: group params max_abs_err max_rel_err tolerance verdict, 4 rows");
    tsv_free(t);
    run_dump_data(&cfg);
    t = S_tsv(dir, "val_data.tsv");
    ok(S_has_cols(t, data_cols, 3) && t->nrows == 100, "val_data.tsv: x0 x1 y, one row per validation point");
    // np.random.seed(0); repr(np.random.randn(400, 2)[300, 0])
    if (t) is_str(t->cells[0], "-1.550429345083481", "val_data.tsv: the first validation point is numpy's row 300");
    tsv_free(t);
    t = S_tsv(dir, "train_data.tsv");
    ok(S_has_cols(t, data_cols, 3) && t->nrows == 300, "train_data.tsv: one row per training point");
    if (t) is_str(t->cells[0], "1.764052345967664", "train_data.tsv starts with numpy's first draw");
    tsv_free(t);
    static const char *const files[] = {"train_loss.tsv", "val.tsv", "eval_curve.tsv", "grid.tsv", "results.txt",
                                        "gradcheck.tsv", "val_data.tsv", "train_data.tsv"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char *p = wb_path_join(dir, files[k]);
        unlink(p);
        free(p);
    }
    ok(rmdir(dir) == 0, "the output folder holds nothing else (no temporary files left)");
}

int main(void) {
    test_example();
    test_example_output();
    test_stable_softmax();
    test_local_derivatives_compose();
    test_gradcheck();
    test_gradcheck_at_init();
    test_data_against_numpy();
    test_training_learns();
    test_divergence_reported();
    test_epoch_lr();
    test_last_lr_changes_only_the_last_epoch();
    test_last_lr_is_the_rate_of_the_last_epoch();
    test_last_lr_divergence_names_it();
    test_flags();
    test_flags_last_lr();
    test_output_files();
    return tap_done();
}
