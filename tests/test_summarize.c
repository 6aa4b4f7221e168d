// test_summarize.c — chapter 4's bookkeeping on hand-made runs: selection, mean ± std, diverged runs.
#include "../chapters/04-experiments/summarize.c"

#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

static char S_root[256];

// Write a fake run folder as batched would: results.txt and epochs.tsv with the given final losses.
static void S_fake_run(const char *name, const char *prefix, int diverged, double loss, double acc) {
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/%s", S_root, name);
    wb_mkdirs(dir);
    snprintf(path, sizeof path, "%s/results.txt", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "status %s\ntrain_seconds 1.5\nbatch 16\nhidden 300\nn_train 55000\nn_val 5000\nn_test 10000\n", diverged ? "diverged" : "ok");
    fclose(f);
    snprintf(path, sizeof path, "%s/epochs.tsv", dir);
    f = fopen(path, "w");
    fprintf(f, "epoch\tsamples\ttrain_loss\t%s_loss\t%s_acc\n", prefix, prefix);
    fprintf(f, "0\t0\t2.3\t2.3\t0.1\n");
    if (diverged) fprintf(f, "1\t100\tnan\tnan\t0.1\n");
    else fprintf(f, "1\t100\t%g\t%g\t%g\n2\t200\t%g\t%g\t%g\n", loss * 2, loss * 2, acc - 0.1, loss * 0.9, loss, acc);
    fclose(f);
}

static char *S_slurp(const char *name) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", S_root, name);
    return wb_read_file(path, NULL);
}

int main(void) {
    snprintf(S_root, sizeof S_root, "%s/wb-summarize.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(S_root)) return 1;
    // Rate 0.1 has the lowest mean loss (0.2, 0.4 -> 0.3); rate 1 diverges for one seed; rate 0.01 is worse.
    S_fake_run("runs/lr0.01_s1", "val", 0, 0.5, 0.85), S_fake_run("runs/lr0.01_s2", "val", 0, 0.7, 0.83);
    S_fake_run("runs/lr0.1_s1", "val", 0, 0.2, 0.95), S_fake_run("runs/lr0.1_s2", "val", 0, 0.4, 0.93);
    S_fake_run("runs/lr1_s1", "val", 0, 0.1, 0.97), S_fake_run("runs/lr1_s2", "val", 1, 0, 0);
    // The selected rate once more with an extra seed (--more): its band has three runs, the sweep's two.
    S_fake_run("more/s3", "val", 0, 0.6, 0.91);
    S_fake_run("final/s1", "test", 0, 0.1, 0.97), S_fake_run("final/s2", "test", 0, 0.1, 0.98);
    S_fake_run("final/s3", "test", 0, 0.1, 0.99);

    grid g = {0};
    char rates[] = "0.01 0.1 1", seeds[] = "1 2", runs[600], final_dir[600], out[600];
    g.n_rates = S_split_list(rates, g.rates, "rates");
    g.n_seeds = S_split_list(seeds, g.seeds, "seeds");
    snprintf(runs, sizeof runs, "%s/runs", S_root);
    S_read_grid(&g, runs);
    ok(S_rate_diverged(&g, 2) && !S_rate_diverged(&g, 1), "a rate with one diverged seed counts as diverged");
    is_close(S_final_val_loss(&g, 1), 0.3, 1e-12, "mean final validation loss of rate 0.1");
    int best = S_select(&g);
    is_str(g.rates[best], "0.1", "selects the lowest mean validation loss among stable rates");

    char more_dir[600], *extra[] = {"3"}, *all[] = {"1", "2", "3"}, *more_paths[1], *final_paths[3];
    snprintf(more_dir, sizeof more_dir, "%s/more", S_root);
    snprintf(final_dir, sizeof final_dir, "%s/final", S_root);
    run *more = S_read_seed_runs(more_dir, extra, 1, "val", "extra", g.rates[best], more_paths);
    band bd = S_band(&g, best, more, 1);
    ok(bd.n == 3 && bd.r[0] == S_at(&g, best, 0) && bd.r[2] == &more[0], "the band: the sweep's runs, then the extra");
    run *final = S_read_seed_runs(final_dir, all, 3, "test", "final", g.rates[best], final_paths);
    snprintf(out, sizeof out, "%s", S_root);
    S_write_sweep(&g, out), S_write_curves(&g, out), S_write_selected(&bd, out), S_write_sweep_plot(&g, out);
    char sweep_run[600], final_run[600];
    snprintf(sweep_run, sizeof sweep_run, "%s/runs/lr0.01_s1", S_root);
    snprintf(final_run, sizeof final_run, "%s/final/s1", S_root);
    S_write_results(&g, best, &bd, final, sweep_run, final_run, out);
    S_write_final(final, 3, out);
    char *ftsv = S_slurp("final.tsv"), *ftxt = S_slurp("final.txt");
    has_str(ftsv, "epoch\ttrain_mean\ttrain_std\ttest_mean\ttest_std\tacc_mean\tacc_std\n", "final.tsv: test columns");
    has_str(ftsv, "\n2\t0.09\t", "final.tsv: the mean training loss after the last epoch");
    has_str(ftsv, "\t0.98\t0.01\n", "final.tsv: mean and std of the test accuracy over the three final runs");
    has_str(ftxt, "test_loss_first 0.2\ntest_loss_last 0.1\ntrain_loss_last 0.09\ngap_last 0.01\n",
            "final.txt: what the text reads off the curves");
    free(ftsv), free(ftxt);

    char *plot = S_slurp("sweep_plot.tsv");
    ok(plot && !strstr(plot, "\n1\t"), "the sweep plot leaves out the diverged rate");
    has_str(plot, "\n0.1\t0.3\t0.141\t6\t1.41\n", "validation error in percent, mean and std over seeds");
    free(plot);
    char *sweep = S_slurp("sweep.tsv"), *curves = S_slurp("sweep_curves.tsv"), *res = S_slurp("results.txt");
    has_str(sweep, "1\tdiverged\tdiverged", "the sweep table marks the diverged rate");
    has_str(sweep, "0.1\tok\t0.3\t0.141", "mean and sample std (n-1) of the final loss");
    ok(curves && !strstr(curves, "lr = 1\t") && !strstr(curves, "lr = 1\n"), "diverged rates are not drawn");
    has_str(curves, "epoch\tlr = 0.01\tlr = 0.1\n", "one curve column per stable rate");
    has_str(res, "chosen_lr 0.1\n", "results name the chosen rate");
    has_str(res, "diverged_rates 1\n", "results list the diverged rates");
    has_str(res, "test_acc_mean 0.98\n", "test accuracy is the mean over the final runs, one per seed");
    has_str(res, "test_acc_min 0.97\ntest_acc_max 0.99\n", "test accuracy range over seeds");
    has_str(res, "sweep_seeds 2\nseeds 3\n", "the sweep's seeds and the selected rate's");
    has_str(res, "val_loss_mean 0.4\nval_loss_std 0.2\n", "the selected rate's loss is over its three runs");
    char *seeds_tsv = S_slurp("seeds.tsv");
    has_str(seeds_tsv, "\n2\t0.36\t0.18\t0.4\t0.2\t", "seeds.tsv: mean and std over the three runs");
    free(seeds_tsv);
    has_str(res, "best_is_largest_stable 1\n", "0.1 is the largest rate before a diverged one");
    has_str(res, "run1_train_loss_0 2.3\nrun1_val_loss_0 2.3\nrun1_train_loss_1 0.4\nrun1_val_loss_1 0.4\n",
            "the first run's losses before training and after the first epoch, for the text's claims");
    has_str(res, "run1_train_loss_prev 0.4\nrun1_val_loss_prev 0.4\n", "... and before its last epoch");
    has_str(res, "chosen_index 1\nsmallest_lr 0.01\nsmallest_lr_val_loss 0.6\n",
            "where the chosen rate is in the grid, and how the smallest rate ended");
    has_str(res, "batch 16\nhidden 300\nn_train 55000\nn_val 5000\nfinal_n_train 55000\nfinal_n_test 10000\n",
            "the settings the prose quotes come from the runs");
    free(sweep), free(curves), free(res), free(g.runs), free(more), free(final), free(more_paths[0]);
    for (int s = 0; s < 3; s++) free(final_paths[s]);

    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_root);
    if (system(cmd) != 0) diag("could not remove %s", S_root);
    return tap_done();
}
