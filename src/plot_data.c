// plot_data.c — the data: columns of the chapter's TSV files, as numbers, with messages naming
// chapter.md:LINE (the data line) and the TSV file's own line.
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plot.h"
#include "wb.h"

void plot_cols_free(plot_cols *c) {
    free(c->x), free(c->y), free(c->e), free(c->line);
    memset(c, 0, sizeof *c);
}

static int S_cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

// "a.tsv, b.tsv" — the TSV files a folder holds, sorted, for a message about a missing one.
static void S_listing(const char *dir, char *out, size_t len) {
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(out, len, "cannot open the folder: %s", strerror(errno));
        return;
    }
    char **names = NULL;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".tsv")) continue;
        names = wb_realloc(names, sizeof *names * (n + 1));
        names[n++] = wb_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, S_cmp_str);
    snprintf(out, len, "%s", n ? "it has: " : "it has no .tsv files");
    for (int i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", i ? ", " : "", names[i]);
        free(names[i]);
    }
    free(names);
}

// Read a data line's TSV file from the data folder.
tsv_table *plot_read_table(const char *path, const char *dir, const figspec_source *s, char *err, size_t errlen) {
    char *file = wb_path_join(dir, s->file), msg[1024];
    struct stat st;
    tsv_table *t = NULL;
    if (stat(file, &st) != 0) {
        S_listing(dir, msg, sizeof msg);
        wb_errf(err, errlen, "%s:%d: no file '%s' in %s (%s)", path, s->line, s->file, dir, msg);
    } else if (!(t = tsv_read(file, msg, sizeof msg)))
        wb_errf(err, errlen, "%s:%d: %s", path, s->line, msg);
    free(file);
    return t;
}

// The index of a named column, or -1 with a message listing the columns there are.
int plot_column(const char *path, const figspec_source *s, const tsv_table *t, const char *name, char *err,
                    size_t errlen) {
    int c = tsv_col(t, name);
    if (c >= 0) return c;
    char cols[1024] = "";
    for (int i = 0; i < t->ncols; i++) {
        size_t used = strlen(cols);
        snprintf(cols + used, sizeof cols - used, "%s'%s'", i ? ", " : "", t->names[i]);
    }
    return wb_errf(err, errlen, "%s:%d: %s has no column '%s' (its columns: %s)", path, s->line, s->file, name, cols);
}

// The numbers of columns x, y and (when e is not NULL) e, at most max rows (0: all).
// logx, logy: the axis is logarithmic, so every value must be > 0.
int plot_columns(const char *path, const figspec_source *s, const tsv_table *t, const char *y, const char *e,
                     int logx, int logy, plot_cols *out, char *err, size_t errlen) {
    const char *names[3] = {s->x, y, e};
    int col[3], ncol = e ? 3 : 2, n = s->max && s->max < t->nrows ? s->max : t->nrows;
    memset(out, 0, sizeof *out);
    for (int k = 0; k < ncol; k++)
        if ((col[k] = plot_column(path, s, t, names[k], err, errlen)) < 0) return -1;
    if (n == 0) return wb_errf(err, errlen, "%s:%d: %s has no data rows: nothing to draw", path, s->line, s->file);
    double **dst[3] = {&out->x, &out->y, &out->e};
    for (int k = 0; k < ncol; k++) *dst[k] = wb_malloc(sizeof(double) * n);
    out->line = wb_malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) out->line[i] = t->lines[i];
    out->n = n;
    char msg[512];
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ncol; k++) {
            double *v = &(*dst[k])[i];
            int bad = tsv_num(t, i, col[k], 0, v, msg, sizeof msg) != 0;
            if (bad) wb_errf(err, errlen, "%s:%d: %s", path, s->line, msg);
            else if (fabs(*v) > PLOT_MAX_VALUE)  // the axis's span and its padding would overflow: blank axes
                bad = wb_errf(err, errlen, "%s:%d: %s:%d: column '%s': %g is too large to draw; expected values of "
                              "magnitude at most %g (the axis's range would overflow)", path, s->line, s->file,
                              t->lines[i], names[k], *v, PLOT_MAX_VALUE);
            else if (k < 2 && *v <= 0 && (k ? logy : logx))
                bad = wb_errf(err, errlen, "%s:%d: %s: 1 needs values > 0, but %s:%d has %s = %g", path, s->line,
                              k ? "ylog" : "xlog", s->file, t->lines[i], names[k], *v);
            if (bad) return plot_cols_free(out), -1;
        }
    return 0;
}
