// gradcheck.c — the verdict of a gradient check: gradcheck.tsv, the lines on stderr, the exit status.
#include "gradcheck.h"

#include <stdio.h>
#include <string.h>

#include "wb.h"

static int S_nothing_compared(const gc_row *r) { return r->params > 0 && r->max_num == 0 && r->max_abs == 0; }

int gc_pass(const gc_row *r, double tol) { return r->max_rel <= tol && !S_nothing_compared(r); }

int gc_report(const char *dir, const gc_row *rows, int n, double tol) {
    wb_mkdirs(dir);
    wb_out o = wb_out_open_in(dir, "gradcheck.tsv");
    fprintf(o.f, "group\tparams\tmax_abs_err\tmax_rel_err\ttolerance\tverdict\n");
    char failed[256] = "";
    for (int k = 0; k < n; k++) {
        int pass = gc_pass(&rows[k], tol);
        fprintf(o.f, "%s\t%ld\t%.3e\t%.3e\t%.0e\t%s\n", rows[k].name, rows[k].params, rows[k].max_abs,
                rows[k].max_rel, tol, pass ? "pass" : "FAIL");
        fprintf(stderr, "gradcheck %-2s %5ld parameters: largest absolute error %.2e, relative %.2e: %s\n",
                rows[k].name, rows[k].params, rows[k].max_abs, rows[k].max_rel,
                pass ? "pass" : S_nothing_compared(&rows[k]) ? "FAIL (the loss does not change with these parameters)"
                                                             : "FAIL (above the tolerance)");
        if (!pass && strlen(failed) + strlen(rows[k].name) + 2 < sizeof failed)
            strcat(strcat(failed, " "), rows[k].name);
    }
    wb_out_commit(&o);
    if (!*failed) {
        fprintf(stderr, "gradcheck: every group within the tolerance %.0e; wrote %s/gradcheck.tsv\n", tol, dir);
        return 0;
    }
    fprintf(stderr, "%s: gradcheck FAILED for%s: the backward pass disagrees with finite differences "
            "(relative error above %.0e); wrote %s/gradcheck.tsv\n", wb_progname(), failed, tol, dir);
    return GC_EXIT_FAILED;
}
