// summarize.c — chapter 4's bookkeeping: turns the runs of chapter 3's program into the chapter's tables.
//
// Chapter 4 trains nothing itself. Its Makefile fragment runs `batched` once per (learning rate, seed) of the
// sweep; then, with the rate this program selects, once more per extra seed (--more), so that the selected rate
// has runs with every seed, and once per seed (the sweep's and the extra ones) on the full training set. This
// program reads what those runs wrote (results.txt, epochs.tsv) and writes the summaries the chapter's figures
// and tables draw from. Standard deviations are over seeds, with n - 1 in the denominator (the sample estimate).
//
//   summarize --runs DIR --rates "0.01 0.1" --seeds "1 2" --select
//       prints the selected learning rate: the lowest mean validation loss after the last epoch
//   summarize --runs DIR --rates ... --seeds ... --more DIR --more-seeds "3" --final DIR --out DIR
//       writes sweep.tsv, sweep_curves.tsv, seeds.tsv, train_val.tsv and results.txt into --out; --more and
//       --final hold one s<SEED> folder per seed (--final: the sweep's seeds, then the extra ones)
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "tsv.h"
#include "wb.h"

#define MAX_LIST 32
#define MAX_EPOCHS 1000

// ----- one run: what batched wrote -----------------------------------------------------------------

typedef struct {
    int diverged;               // results.txt says status diverged
    int n_epochs;               // rows of epochs.tsv after epoch 0
    double train[MAX_EPOCHS];   // (n_epochs + 1) training-set loss after each epoch, [0] before training
    double eval[MAX_EPOCHS];    // (n_epochs + 1) validation (or test) loss
    double acc[MAX_EPOCHS];     // (n_epochs + 1) validation (or test) accuracy
    double seconds;             // train_seconds
} run;

static double S_result_num(const results_file *r, const char *key) {
    int line = 0;
    const char *v = results_get(r, key, &line);
    if (!v) wb_die("%s: no key '%s' (expected the results of a finished run)", r->path, key);
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end) wb_die("%s:%d: %s: expected a number, got '%s'", r->path, line, key, v);
    return x;
}

// Read one run folder. eval_prefix is "val" for the sweep and "test" for the final runs.
static void S_read_run(run *out, const char *dir, const char *eval_prefix) {
    char err[512], col[64];
    char *rpath = wb_path_join(dir, "results.txt"), *epath = wb_path_join(dir, "epochs.tsv");
    results_file *r = results_read(rpath, err, sizeof err);
    if (!r) wb_die("%s", err);
    const char *status = results_get(r, "status", NULL);
    if (!status) wb_die("%s: no key 'status' (expected ok or diverged)", rpath);
    out->diverged = strcmp(status, "diverged") == 0;
    out->seconds = out->diverged ? NAN : S_result_num(r, "train_seconds");
    tsv_table *t = tsv_read(epath, err, sizeof err);
    if (!t) wb_die("%s", err);
    const char *names[3] = {"train_loss", "loss", "acc"};
    int cols[3];
    for (int k = 0; k < 3; k++) {
        if (k == 0) snprintf(col, sizeof col, "%s", names[0]);
        else snprintf(col, sizeof col, "%s_%s", eval_prefix, names[k]);
        cols[k] = tsv_col(t, col);
        if (cols[k] < 0) wb_die("%s:1: expected a column '%s'", epath, col);
    }
    if (t->nrows < 1 || t->nrows > MAX_EPOCHS) wb_die("%s: expected 1 to %d rows, found %d", epath, MAX_EPOCHS, t->nrows);
    out->n_epochs = t->nrows - 1;
    for (int i = 0; i < t->nrows; i++) {
        double *dst[3] = {&out->train[i], &out->eval[i], &out->acc[i]};
        for (int k = 0; k < 3; k++)
            if (tsv_num(t, i, cols[k], out->diverged, dst[k], err, sizeof err) != 0) wb_die("%s", err);
    }
    tsv_free(t), results_free(r), free(rpath), free(epath);
}

// ----- statistics over seeds -----------------------------------------------------------------------

static double S_mean(const double *x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return s / n;
}

static double S_std(const double *x, int n) {
    if (n < 2) return 0.0;
    double m = S_mean(x, n), s = 0;
    for (int i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (n - 1));
}

// ----- the grid ------------------------------------------------------------------------------------

typedef struct {
    int n_rates, n_seeds;
    char *rates[MAX_LIST], *seeds[MAX_LIST];
    run *runs;  // (n_rates, n_seeds)
} grid;

static int S_split_list(char *text, char **items, const char *flag) {
    int n = 0;
    for (char *tok = strtok(text, " \t,"); tok; tok = strtok(NULL, " \t,")) {
        if (n == MAX_LIST) wb_die("--%s: at most %d values", flag, MAX_LIST);
        items[n++] = tok;
    }
    if (n == 0) wb_die("--%s: expected a list of values, got none", flag);
    return n;
}

static run *S_at(grid *g, int r, int s) { return &g->runs[r * g->n_seeds + s]; }

static void S_read_grid(grid *g, const char *dir) {
    g->runs = wb_calloc((size_t)g->n_rates * g->n_seeds, sizeof(run));
    for (int r = 0; r < g->n_rates; r++)
        for (int s = 0; s < g->n_seeds; s++) {
            char name[128];
            snprintf(name, sizeof name, "lr%s_s%s", g->rates[r], g->seeds[s]);
            char *path = wb_path_join(dir, name);
            S_read_run(S_at(g, r, s), path, "val");
            if (S_at(g, r, s)->n_epochs != S_at(g, 0, 0)->n_epochs && !S_at(g, r, s)->diverged)
                wb_die("%s: %d epochs, but the first run of the grid has %d", path, S_at(g, r, s)->n_epochs,
                       S_at(g, 0, 0)->n_epochs);
            free(path);
        }
}

// The selected rate's runs: one per seed of the sweep, then the extra ones (--more), in that order.
typedef struct {
    int n;
    run *r[MAX_LIST];
} band;

static band S_band(grid *g, int best, run *more, int n_more) {
    band b = {0};
    for (int s = 0; s < g->n_seeds && b.n < MAX_LIST; s++) b.r[b.n++] = S_at(g, best, s);
    for (int s = 0; s < n_more && b.n < MAX_LIST; s++) b.r[b.n++] = &more[s];
    return b;
}

static int S_rate_diverged(grid *g, int r) {
    for (int s = 0; s < g->n_seeds; s++)
        if (S_at(g, r, s)->diverged) return 1;
    return 0;
}

// Mean over seeds of the final validation loss of rate r (the selection criterion).
static double S_final_val_loss(grid *g, int r) {
    double x[MAX_LIST];
    for (int s = 0; s < g->n_seeds; s++) x[s] = S_at(g, r, s)->eval[S_at(g, r, s)->n_epochs];
    return S_mean(x, g->n_seeds);
}

// The rate with the lowest mean final validation loss among those where no seed diverged.
static int S_select(grid *g) {
    int best = -1;
    for (int r = 0; r < g->n_rates; r++)
        if (!S_rate_diverged(g, r) && (best < 0 || S_final_val_loss(g, r) < S_final_val_loss(g, best))) best = r;
    if (best < 0) wb_die("every learning rate of the grid diverged: nothing to select (lower the rates in chapter.mk)");
    return best;
}

// ----- the summaries -------------------------------------------------------------------------------

// Validation loss and accuracy after the last epoch of rate r: mean and std over the sweep's seeds.
typedef struct {
    double loss_mean, loss_std, acc_mean, acc_std;
} final_stats;

static final_stats S_final_stats(grid *g, int r) {
    double loss[MAX_LIST], acc[MAX_LIST];
    for (int s = 0; s < g->n_seeds; s++) {
        run *u = S_at(g, r, s);
        loss[s] = u->eval[u->n_epochs], acc[s] = u->acc[u->n_epochs];
    }
    final_stats f = {S_mean(loss, g->n_seeds), S_std(loss, g->n_seeds), S_mean(acc, g->n_seeds),
                     S_std(acc, g->n_seeds)};
    return f;
}

static void S_write_sweep(grid *g, const char *out) {
    wb_out o = wb_out_open_in(out, "sweep.tsv");
    fprintf(o.f, "lr\tstatus\tval_loss_mean\tval_loss_std\tval_acc_mean\tval_acc_std\n");
    for (int r = 0; r < g->n_rates; r++) {
        if (S_rate_diverged(g, r)) {
            fprintf(o.f, "%s\tdiverged\tdiverged\t-\tdiverged\t-\n", g->rates[r]);
            continue;
        }
        final_stats f = S_final_stats(g, r);
        fprintf(o.f, "%s\tok\t%.6g\t%.3g\t%.6g\t%.3g\n", g->rates[r], f.loss_mean, f.loss_std, f.acc_mean, f.acc_std);
    }
    wb_out_commit(&o);
}

// The numbers of sweep.tsv for the rates that did not diverge, with the accuracy as an error in percent, in a
// form the plotter can draw on a log axis.
static void S_write_sweep_plot(grid *g, const char *out) {
    wb_out o = wb_out_open_in(out, "sweep_plot.tsv");
    fprintf(o.f, "lr\tval_loss_mean\tval_loss_std\tval_err_mean\tval_err_std\n");
    for (int r = 0; r < g->n_rates; r++) {
        if (S_rate_diverged(g, r)) continue;
        final_stats f = S_final_stats(g, r);
        fprintf(o.f, "%s\t%.6g\t%.3g\t%.6g\t%.3g\n", g->rates[r], f.loss_mean, f.loss_std, 100 * (1 - f.acc_mean),
                100 * f.acc_std);
    }
    wb_out_commit(&o);
}

// Mean validation loss per epoch, one column per rate that did not diverge.
static void S_write_curves(grid *g, const char *out) {
    wb_out o = wb_out_open_in(out, "sweep_curves.tsv");
    fprintf(o.f, "epoch");
    for (int r = 0; r < g->n_rates; r++)
        if (!S_rate_diverged(g, r)) fprintf(o.f, "\tlr = %s", g->rates[r]);
    fprintf(o.f, "\n");
    for (int e = 0; e <= S_at(g, 0, 0)->n_epochs; e++) {
        fprintf(o.f, "%d", e);
        for (int r = 0; r < g->n_rates; r++) {
            if (S_rate_diverged(g, r)) continue;
            double x[MAX_LIST];
            for (int s = 0; s < g->n_seeds; s++) x[s] = S_at(g, r, s)->eval[e];
            fprintf(o.f, "\t%.6g", S_mean(x, g->n_seeds));
        }
        fprintf(o.f, "\n");
    }
    wb_out_commit(&o);
}

// Mean ± std over the runs r[0 .. n) per epoch, into out/name: the training loss, the evaluation loss (ev is
// "val" or "test", the columns' name) and accuracy.
static void S_write_mean_std(run *const *r, int n, const char *ev, const char *out, const char *name) {
    wb_out o = wb_out_open_in(out, name);
    fprintf(o.f, "epoch\ttrain_mean\ttrain_std\t%s_mean\t%s_std\tacc_mean\tacc_std\n", ev, ev);
    for (int e = 0; e <= r[0]->n_epochs; e++) {
        double tr[MAX_LIST], va[MAX_LIST], ac[MAX_LIST];
        for (int s = 0; s < n; s++) tr[s] = r[s]->train[e], va[s] = r[s]->eval[e], ac[s] = r[s]->acc[e];
        fprintf(o.f, "%d\t%.6g\t%.4g\t%.6g\t%.4g\t%.6g\t%.4g\n", e, S_mean(tr, n), S_std(tr, n), S_mean(va, n),
                S_std(va, n), S_mean(ac, n), S_std(ac, n));
    }
    wb_out_commit(&o);
}

// The selected rate: one run's curves, and mean ± std over all its seeds per epoch.
static void S_write_selected(const band *bd, const char *out) {
    wb_out a = wb_out_open_in(out, "train_val.tsv");
    fprintf(a.f, "epoch\ttrain_loss\tval_loss\n");
    for (int e = 0; e <= bd->r[0]->n_epochs; e++)
        fprintf(a.f, "%d\t%.6g\t%.6g\n", e, bd->r[0]->train[e], bd->r[0]->eval[e]);
    wb_out_commit(&a);
    S_write_mean_std(bd->r, bd->n, "val", out, "seeds.tsv");
}

// The final runs (one per seed of the band): their learning curves, mean ± std per epoch, into final.tsv;
// and into final.txt what the text reads off them: the mean test loss after the first and the last epoch, the
// mean training loss after the last, and the gap between the two.
static void S_write_final(run *final, int n, const char *out) {
    run *r[MAX_LIST];
    double first[MAX_LIST], test[MAX_LIST], train[MAX_LIST];
    int last = final[0].n_epochs;
    for (int s = 0; s < n; s++)
        r[s] = &final[s], first[s] = final[s].eval[1 <= last ? 1 : 0], test[s] = final[s].eval[last],
        train[s] = final[s].train[last];
    S_write_mean_std(r, n, "test", out, "final.tsv");
    wb_out o = wb_out_open_in(out, "final.txt");
    fprintf(o.f, "test_loss_first %.6g\ntest_loss_last %.6g\ntrain_loss_last %.6g\ngap_last %.6g\n", S_mean(first, n),
            S_mean(test, n), S_mean(train, n), S_mean(test, n) - S_mean(train, n));
    wb_out_commit(&o);
}

// The settings the prose quotes (batch size, hidden units, split sizes), read from the runs themselves
// so that the text follows an edit of the grid: from the first sweep run and the first final run.
static void S_write_settings(FILE *f, const char *sweep_run, const char *final_run) {
    char err[512];
    char *a = wb_path_join(sweep_run, "results.txt"), *b = wb_path_join(final_run, "results.txt");
    results_file *r = results_read(a, err, sizeof err);
    if (!r) wb_die("%s", err);
    const char *keys[] = {"batch", "hidden", "n_train", "n_val"};
    for (int k = 0; k < 4; k++) fprintf(f, "%s %.0f\n", keys[k], S_result_num(r, keys[k]));
    results_free(r);
    if (!(r = results_read(b, err, sizeof err))) wb_die("%s", err);
    fprintf(f, "final_n_train %.0f\nfinal_n_test %.0f\n", S_result_num(r, "n_train"), S_result_num(r, "n_test"));
    results_free(r), free(a), free(b);
}

// Key/value pairs of the chapter's prose: the selection, the gap, the divergences and the final test. The
// selected rate's numbers are over all its runs (bd), and final holds one run per seed of bd.
static void S_write_results(grid *g, int best, const band *bd, run *final, const char *sweep_run,
                            const char *final_run, const char *out) {
    wb_out o = wb_out_open_in(out, "results.txt");
    run *first = bd->r[0];
    int last = first->n_epochs, n = bd->n, n_div = 0;
    double va[MAX_LIST], ac[MAX_LIST], tr[MAX_LIST], ta[MAX_LIST], tl[MAX_LIST], sec[MAX_LIST];
    for (int s = 0; s < n; s++) {
        va[s] = bd->r[s]->eval[last], ac[s] = bd->r[s]->acc[last], tr[s] = bd->r[s]->train[last];
        ta[s] = final[s].acc[final[s].n_epochs], tl[s] = final[s].eval[final[s].n_epochs], sec[s] = final[s].seconds;
    }
    fprintf(o.f, "chosen_lr %s\nrates %d\nsweep_seeds %d\nseeds %d\nepochs %d\n", g->rates[best], g->n_rates,
            g->n_seeds, n, last);
    fprintf(o.f, "val_loss_mean %.6g\nval_loss_std %.3g\nval_acc_mean %.6g\nval_acc_std %.3g\n", S_mean(va, n),
            S_std(va, n), S_mean(ac, n), S_std(ac, n));
    fprintf(o.f, "train_loss_mean %.6g\ngap_mean %.6g\n", S_mean(tr, n), S_mean(va, n) - S_mean(tr, n));
    fprintf(o.f, "run1_train_loss %.6g\nrun1_val_loss %.6g\n", first->train[last], first->eval[last]);
    // The first run's curve at its ends, and the grid's smallest rate: what the text says of them is checked.
    int prev = last > 0 ? last - 1 : 0, one = last > 0 ? 1 : 0;
    fprintf(o.f, "run1_train_loss_0 %.6g\nrun1_val_loss_0 %.6g\nrun1_train_loss_1 %.6g\nrun1_val_loss_1 %.6g\n",
            first->train[0], first->eval[0], first->train[one], first->eval[one]);
    fprintf(o.f, "run1_train_loss_prev %.6g\nrun1_val_loss_prev %.6g\n", first->train[prev], first->eval[prev]);
    fprintf(o.f, "chosen_index %d\nsmallest_lr %s\nsmallest_lr_val_loss %.6g\n", best, g->rates[0],
            S_rate_diverged(g, 0) ? NAN : S_final_val_loss(g, 0));
    fprintf(o.f, "diverged_rates ");
    for (int r = 0; r < g->n_rates; r++)
        if (S_rate_diverged(g, r)) fprintf(o.f, "%s%s", n_div++ ? ", " : "", g->rates[r]);
    fprintf(o.f, "%s\nn_diverged %d\n", n_div ? "" : "none", n_div);
    fprintf(o.f, "best_is_largest_stable %d\n", best == g->n_rates - 1 || S_rate_diverged(g, best + 1));
    fprintf(o.f, "test_acc_mean %.6g\ntest_acc_std %.3g\ntest_loss_mean %.6g\ntest_loss_std %.3g\n", S_mean(ta, n),
            S_std(ta, n), S_mean(tl, n), S_std(tl, n));
    double lo = ta[0], hi = ta[0];
    for (int s = 1; s < n; s++) lo = fmin(lo, ta[s]), hi = fmax(hi, ta[s]);
    fprintf(o.f, "test_acc_min %.6g\ntest_acc_max %.6g\nfinal_train_seconds %.3g\n", lo, hi, S_mean(sec, n));
    S_write_settings(o.f, sweep_run, final_run);
    wb_out_commit(&o);
}

// Read the runs dir/s<SEED> of one rate, one per seed (the --more and --final folders); a diverged one is an
// error, since the rate was selected among those where no seed diverged.
static run *S_read_seed_runs(const char *dir, char **seeds, int n, const char *eval_prefix, const char *what,
                             const char *rate, char **paths) {
    run *runs = wb_calloc(n ? n : 1, sizeof(run));
    for (int s = 0; s < n; s++) {
        char name[64];
        snprintf(name, sizeof name, "s%s", seeds[s]);
        paths[s] = wb_path_join(dir, name);
        S_read_run(&runs[s], paths[s], eval_prefix);
        if (runs[s].diverged) wb_die("%s: the %s run diverged at the selected rate %s", paths[s], what, rate);
    }
    return runs;
}

#ifndef TESTING
int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    const char *runs = NULL, *final_dir = NULL, *out = NULL, *rates = NULL, *seeds = NULL, *more_dir = NULL;
    const char *more_seeds = "";
    int select = 0;
    flag_spec specs[] = {
        {"runs", FLAG_STRING, &runs, "folder of the sweep's runs, one lr<RATE>_s<SEED> folder each", 0, 0},
        {"rates", FLAG_STRING, &rates, "the grid's learning rates, as the run folders name them", 0, 0},
        {"seeds", FLAG_STRING, &seeds, "the sweep's seeds", 0, 0},
        {"select", FLAG_BOOL, &select, "print the selected learning rate and stop", 0, 0},
        {"more", FLAG_STRING, &more_dir, "folder of the selected rate's runs with the extra seeds, s<SEED> each", 0, 0},
        {"more-seeds", FLAG_STRING, &more_seeds, "the extra seeds of the selected rate (default: none)", 0, 0},
        {"final", FLAG_STRING, &final_dir, "folder of the final runs, one s<SEED> folder per seed", 0, 0},
        {"out", FLAG_STRING, &out, "folder for the summaries", 0, 0},
    };
    flags_parse(argc, argv, specs, FLAGS_COUNT(specs),
                "summarize --runs DIR --rates LIST --seeds LIST (--select | [--more DIR --more-seeds LIST] --final DIR "
                "--out DIR)");
    if (!runs || !rates || !seeds) wb_die("--runs, --rates and --seeds are required (see --help)");
    grid g = {0};
    char *rbuf = wb_strdup(rates), *sbuf = wb_strdup(seeds), *mbuf = wb_strdup(more_seeds);
    g.n_rates = S_split_list(rbuf, g.rates, "rates");
    g.n_seeds = S_split_list(sbuf, g.seeds, "seeds");
    S_read_grid(&g, runs);
    int best = S_select(&g);
    if (select) {
        printf("%s\n", g.rates[best]);
        free(g.runs), free(rbuf), free(sbuf), free(mbuf);
        if (fflush(stdout) != 0 || ferror(stdout)) wb_die("writing the selected rate to standard output failed");
        return 0;
    }
    if (!final_dir || !out) wb_die("--final and --out are required unless --select (see --help)");
    char *extra[MAX_LIST], *all[MAX_LIST], *more_paths[MAX_LIST], *final_paths[MAX_LIST];
    int n_more = *more_seeds ? S_split_list(mbuf, extra, "more-seeds") : 0;
    if (n_more && !more_dir) wb_die("--more-seeds needs --more, the folder of those runs");
    if (g.n_seeds + n_more > MAX_LIST) wb_die("--seeds and --more-seeds: at most %d seeds in all", MAX_LIST);
    for (int s = 0; s < g.n_seeds + n_more; s++) all[s] = s < g.n_seeds ? g.seeds[s] : extra[s - g.n_seeds];
    run *more = S_read_seed_runs(more_dir, extra, n_more, "val", "extra", g.rates[best], more_paths);
    for (int s = 0; s < n_more; s++)
        if (more[s].n_epochs != S_at(&g, 0, 0)->n_epochs)
            wb_die("%s: %d epochs, but the sweep's runs have %d", more_paths[s], more[s].n_epochs,
                   S_at(&g, 0, 0)->n_epochs);
    band bd = S_band(&g, best, more, n_more);
    run *final = S_read_seed_runs(final_dir, all, bd.n, "test", "final", g.rates[best], final_paths);
    char first[128];
    snprintf(first, sizeof first, "lr%s_s%s", g.rates[0], g.seeds[0]);
    char *sweep_run = wb_path_join(runs, first);
    wb_mkdirs(out);
    S_write_sweep(&g, out);
    S_write_curves(&g, out);
    S_write_sweep_plot(&g, out);
    S_write_selected(&bd, out);
    S_write_final(final, bd.n, out);
    S_write_results(&g, best, &bd, final, sweep_run, final_paths[0], out);
    for (int s = 0; s < n_more; s++) free(more_paths[s]);
    for (int s = 0; s < bd.n; s++) free(final_paths[s]);
    free(sweep_run), free(final), free(more), free(g.runs), free(rbuf), free(sbuf), free(mbuf);
    return 0;
}
#endif
