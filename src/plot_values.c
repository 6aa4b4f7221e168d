// plot_values.c — computed values in what a figure draws: the {{placeholders}} of its title, axis labels and
// series and bar labels, filled in from the results files of the figure's data folder.
//
// A label that says "B = {{b16/results:batch}}, η = {{b16/results:lr}}" reads the run's settings, so a setting
// is typed once, in chapter.md's figure never. The syntax, the checks and the messages are the weaver's
// (placeholder.h); this file finds the placeholders in a label and puts the figure's line in front of a message.
// It runs after figspec has read the block and before a label's TeX becomes Unicode (plot_label.c).
//
// A value is text, not label syntax: a '$' in it is a dollar sign, never the start or end of math. Inside
// $...$ a value is set as math, as the weaver sets one inside a caption's formula.
#include <stdlib.h>
#include <string.h>

#include "placeholder.h"
#include "plot.h"
#include "wb.h"

// The results files the figure's placeholders read, each read once.
typedef struct {
    const char *dir;
    int n;
    char **names;
    results_file **files;
} S_files;

static results_file *S_results(S_files *fs, const char *name, char *err, size_t errlen) {
    for (int i = 0; i < fs->n; i++)
        if (!strcmp(fs->names[i], name)) return fs->files[i];
    results_file *r = placeholder_read(fs->dir, name, err, errlen);
    if (!r) return NULL;
    fs->names = wb_realloc(fs->names, sizeof *fs->names * (fs->n + 1));
    fs->files = wb_realloc(fs->files, sizeof *fs->files * (fs->n + 1));
    fs->names[fs->n] = wb_strdup(name), fs->files[fs->n++] = r;
    return r;
}

static void S_files_free(S_files *fs) {
    for (int i = 0; i < fs->n; i++) free(fs->names[i]), results_free(fs->files[i]);
    free(fs->names), free(fs->files);
}

// The value of the placeholder at s (n bytes, "{{...}}") onto b, its '$' escaped for plot_label.
static int S_value(S_files *fs, const char *s, size_t n, wb_str *b, char *err, size_t errlen) {
    placeholder p;
    char *words = wb_malloc(n + 1), buf[512];
    const results_file *r = NULL;
    const char *v = NULL;
    if (placeholder_parse(&p, s, n, words, err, errlen) == 0 && (r = S_results(fs, p.file, err, errlen)))
        v = placeholder_value(&p, r, buf, sizeof buf, err, errlen);
    for (const char *c = v; c && *c; c++) wb_str_put(b, *c == '$' ? "\\$" : c, *c == '$' ? 2 : 1);
    free(words);
    return v ? 0 : -1;
}

// *text with its placeholders filled in, as a new string (an unchanged pointer when it has none). 0, or -1
// with "path:LINE: ..." in err.
static int S_fill(S_files *fs, char **text, const char *path, int line, char *err, size_t errlen) {
    const char *t = *text;
    if (!t || !strstr(t, "{{")) return 0;
    wb_str b = {0};
    char msg[2048];
    int r = 0;
    wb_str_put(&b, "", 0);
    for (const char *open; r == 0 && (open = strstr(t, "{{"));) {
        wb_str_put(&b, t, (size_t)(open - t));
        long n = placeholder_end(open, strlen(open), msg, sizeof msg);
        r = n < 0 ? -1 : S_value(fs, open, (size_t)n, &b, msg, sizeof msg);
        t = open + (n < 0 ? 0 : n);
    }
    if (r) {
        free(b.s);
        return wb_errf(err, errlen, "%s:%d: %s", path, line, msg);
    }
    wb_str_put(&b, t, strlen(t));
    *text = b.s;
    return 0;
}

static figspec_source *S_copy(const figspec_source *s, int n) {
    if (!n) return NULL;
    figspec_source *c = wb_malloc(sizeof *c * (size_t)n);
    memcpy(c, s, sizeof *c * (size_t)n);
    return c;
}

int plot_values(const figspec *f, const char *path, const char *dir, figspec *g, char *err, size_t errlen) {
    S_files fs = {.dir = dir};
    *g = *f;
    g->series = S_copy(f->series, f->nseries), g->bars = S_copy(f->bars, f->nbars);
    int r = S_fill(&fs, &g->title, path, f->title_line, err, errlen);
    if (!r) r = S_fill(&fs, &g->xlabel, path, f->xlabel_line, err, errlen);
    if (!r) r = S_fill(&fs, &g->ylabel, path, f->ylabel_line, err, errlen);
    for (int i = 0; !r && i < g->nseries; i++)
        r = S_fill(&fs, &g->series[i].label, path, g->series[i].line, err, errlen);
    for (int i = 0; !r && i < g->nbars; i++) r = S_fill(&fs, &g->bars[i].label, path, g->bars[i].line, err, errlen);
    S_files_free(&fs);
    if (r) plot_values_free(g, f);
    return r;
}

void plot_values_free(figspec *g, const figspec *f) {
    if (g->title != f->title) free(g->title);
    if (g->xlabel != f->xlabel) free(g->xlabel);
    if (g->ylabel != f->ylabel) free(g->ylabel);
    for (int i = 0; i < g->nseries; i++)
        if (g->series[i].label != f->series[i].label) free(g->series[i].label);
    for (int i = 0; i < g->nbars; i++)
        if (g->bars[i].label != f->bars[i].label) free(g->bars[i].label);
    free(g->series), free(g->bars);
    memset(g, 0, sizeof *g);
}
