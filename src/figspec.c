// figspec.c — the figure description language: one ```figure block parsed into a figspec (figspec.h).
//
// A block is its fence's info string (id=ID file=NAME.svg) and `name: value` lines; the data lines
// (series:, points:, regions:, bars:) are a file name and key=value options, a value "quoted" when it holds
// spaces. Every error names PATH:LINE and what was expected; the spec: docs/AUTHORING.md, "Figures".
#include "figspec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb.h"

// ----- words and numbers -------------------------------------------------------------------------

static char *S_trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

// Next space-separated token of *p, in place: a bare word (*val NULL) or key=value, where the value
// may be "quoted, with \" and \\". Returns 1 for a token, 0 at the end, -1 for an unterminated quote.
static int S_token(char **p, char **key, char **val) {
    char *s = *p + strspn(*p, " \t");
    if (!*s) return 0;
    *key = s, *val = NULL;
    while (*s && *s != ' ' && *s != '\t' && *s != '=') s++;
    if (*s == '=') {
        *s++ = '\0';
        *val = s;
        if (*s == '"') {
            char *w = ++s;
            *val = s;
            for (; *s != '"'; s++, w++) {
                if (!*s) return -1;
                if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
                *w = *s;
            }
            *w = '\0';
            s++;
        } else
            while (*s && *s != ' ' && *s != '\t') s++;
    }
    if (*s) *s++ = '\0';
    *p = s;
    return 1;
}

static int S_int(const char *s, int lo, int hi, int *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int S_num(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static void S_source_free(figspec_source *s) {
    free(s->file), free(s->x), free(s->y), free(s->extra), free(s->label);
    memset(s, 0, sizeof *s);
}

// ----- data lines: series, points, regions, bars -------------------------------------------------

// The keys each kind of data line accepts; "extra" is the column named by std=, class= or p=.
static const char *S_source_keys(const char *what) {
    if (strcmp(what, "series") == 0) return "x y label smooth std marker dashed";
    if (strcmp(what, "points") == 0) return "x y class max";
    if (strcmp(what, "bars") == 0) return "x y label";
    return "x y p";
}

static int S_in_list(const char *word, const char *list) {
    size_t n = strlen(word);
    if (n == 0) return 0;  // strstr finds "" everywhere, without moving on
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return 1;
    return 0;
}

// One key=value of a data line into s.
static int S_source_opt(figspec_source *s, const char *key, const char *val, const char *where, char *err,
                        size_t errlen) {
    if (!*val) return wb_errf(err, errlen, "%s: %s= needs a value", where, key);
    char **text = !strcmp(key, "x") ? &s->x : !strcmp(key, "y") ? &s->y : !strcmp(key, "label") ? &s->label
                : !strcmp(key, "std") || !strcmp(key, "class") || !strcmp(key, "p") ? &s->extra : NULL;
    if (text && *text) return wb_errf(err, errlen, "%s: %s= is given twice", where, key);
    if (text) return *text = wb_strdup(val), 0;
    int *flag = !strcmp(key, "marker") ? &s->marker : !strcmp(key, "dashed") ? &s->dashed : NULL;
    if (flag && S_int(val, 0, 1, flag) != 0)
        return wb_errf(err, errlen, "%s: %s= expects 0 or 1, got '%s'", where, key, val);
    int *count = !strcmp(key, "smooth") ? &s->smooth : !strcmp(key, "max") ? &s->max : NULL;
    if (count && S_int(val, 1, 100000000, count) != 0)
        return wb_errf(err, errlen, "%s: %s= expects a whole number >= 1, got '%s'", where, key, val);
    return 0;
}

// A data line: `FILE key=value ...`, what is "series", "points" or "regions".
static int S_parse_source(figspec_source *s, char *text, const char *what, const char *where, char *err,
                          size_t errlen) {
    char *key, *val;
    int r;
    if (S_token(&text, &key, &val) != 1 || val)
        return wb_errf(err, errlen, "%s: %s: expected a TSV file name first, as in '%s: loss.tsv x=step y=loss'", where,
                       what, what);
    s->file = wb_strdup(key);
    while ((r = S_token(&text, &key, &val)) == 1) {
        if (!val || !S_in_list(key, S_source_keys(what)))
            return wb_errf(err, errlen, "%s: %s: unknown option '%s' (expected key=value with key one of: %s)", where,
                           what, key, S_source_keys(what));
        if (S_source_opt(s, key, val, where, err, errlen) != 0) return -1;
    }
    if (r < 0)
        return wb_errf(err, errlen, "%s: %s: a quoted value is never closed (expected a closing \")", where, what);
    const char *extra = !strcmp(what, "points") ? "class" : !strcmp(what, "regions") ? "p" : NULL;
    if (!s->x || !s->y || (extra && !s->extra))
        return wb_errf(err, errlen, "%s: %s: %s=COLUMN is required", where, what, !s->x ? "x" : !s->y ? "y" : extra);
    if (strcmp(s->y, "*") == 0 && strcmp(what, "series") != 0)
        return wb_errf(err, errlen, "%s: %s: y=* (a series for every column but x) is for series only", where, what);
    if (strcmp(s->y, "*") == 0 && (s->extra || s->label))
        return wb_errf(err, errlen, "%s: %s: y=* (a series for every column but x) cannot go with std= or label=",
                       where, what);
    return 0;
}

// ----- the block: its lines and its fence --------------------------------------------------------

// The names a figure block's lines may start with; all but `series` and `bars` may be given once.
static const char *const S_names[] = {"caption", "kind", "title", "xlabel", "ylabel", "xlog", "ylog", "xmin",
                                      "xmax", "ymin", "ymax", "size", "points", "regions", "series", "bars"};
enum { N_NAMES = sizeof S_names / sizeof S_names[0] };

static int S_parse_size(figspec *f, char *value, const char *where, char *err, size_t errlen) {
    char *w, *h, *extra, *v1, *v2, *v3, *p = value, copy[64];
    snprintf(copy, sizeof copy, "%s", value);
    if (S_token(&p, &w, &v1) != 1 || S_token(&p, &h, &v2) != 1 || S_token(&p, &extra, &v3) != 0 || v1 || v2 ||
        S_int(w, 100, 4000, &f->w) || S_int(h, 100, 4000, &f->h))
        return wb_errf(err, errlen, "%s: size: expected 'W H', two whole numbers of pixels in [100, 4000], got '%s'",
                       where, copy);
    return 0;
}

// The value of one `name: value` line (name index k of S_names) into the figure.
static int S_parse_value(figspec *f, int k, char *value, int lineno, const char *where, char *err, size_t errlen) {
    const char *name = S_names[k];
    if (!strcmp(name, "caption"))  // the weaver's to render
        return f->caption = wb_strdup(value), f->caption_line = lineno, 0;
    if (!strcmp(name, "kind")) {
        f->kind = !strcmp(value, "line") ? FIGSPEC_LINE : !strcmp(value, "scatter") ? FIGSPEC_SCATTER
                : !strcmp(value, "bar") ? FIGSPEC_BAR : FIGSPEC_NONE;
        if (!f->kind)
            return wb_errf(err, errlen, "%s: unknown kind '%s' (expected line, scatter or bar)", where, value);
        return 0;
    }
    char **text = !strcmp(name, "title") ? &f->title : !strcmp(name, "xlabel") ? &f->xlabel
                : !strcmp(name, "ylabel") ? &f->ylabel : NULL;
    int *at = name[0] == 't' ? &f->title_line : name[0] == 'x' ? &f->xlabel_line : &f->ylabel_line;
    if (text) return *text = wb_strdup(value), *at = lineno, 0;
    if (!strcmp(name, "xlog") || !strcmp(name, "ylog")) {
        int axis = name[0] == 'y';
        f->log_line[axis] = lineno;
        if (S_int(value, 0, 1, axis ? &f->ylog : &f->xlog) == 0) return 0;
        return wb_errf(err, errlen, "%s: %s: expected 0 or 1, got '%s'", where, name, value);
    }
    for (int l = FIGSPEC_XMIN; l <= FIGSPEC_YMAX; l++)
        if (!strcmp(name, S_names[7 + l])) {
            f->lim_line[l] = lineno;
            if (S_num(value, &f->lim[l]) == 0) return 0;
            return wb_errf(err, errlen, "%s: %s: expected a finite number, got '%s'", where, name, value);
        }
    if (!strcmp(name, "size")) return S_parse_size(f, value, where, err, errlen);
    figspec_source *s = !strcmp(name, "points") ? &f->points : !strcmp(name, "regions") ? &f->regions : NULL;
    if (!strcmp(name, "bars")) {
        f->bars = wb_realloc(f->bars, sizeof *f->bars * (f->nbars + 1));
        s = &f->bars[f->nbars++];
        memset(s, 0, sizeof *s);
    }
    if (!s) {
        f->series = wb_realloc(f->series, sizeof *f->series * (f->nseries + 1));
        s = &f->series[f->nseries++];
        memset(s, 0, sizeof *s);
    }
    s->line = lineno;
    return S_parse_source(s, value, name, where, err, errlen);
}

// One line inside a figure block: `name: value`.
// seen[k]: the line where name k of S_names was given (0: not yet), for names that may be given once.
static int S_parse_line(figspec *f, int *seen, char *line, int lineno, const char *path, char *err, size_t errlen) {
    char where[512];
    snprintf(where, sizeof where, "%s:%d", path, lineno);
    char *colon = strchr(line, ':');
    if (colon) *colon = '\0';
    const char *name = S_trim(line);
    int k = 0;
    while (k < N_NAMES && (!colon || strcmp(name, S_names[k]))) k++;
    if (k == N_NAMES)
        return wb_errf(err, errlen,
                       "%s: unknown figure line '%.40s' (expected 'name: value' with name one of: caption, kind, "
                       "title, xlabel, ylabel, xlog, ylog, xmin, xmax, ymin, ymax, size, series, points, regions, "
                       "bars)",
                       where, colon ? name : S_trim(line));
    if (strcmp(name, "series") && strcmp(name, "bars") && seen[k])
        return wb_errf(err, errlen, "%s: %s: given twice (first on line %d)", where, name, seen[k]);
    seen[k] = lineno;
    char *value = S_trim(colon + 1);
    if (!*value) return wb_errf(err, errlen, "%s: %s: expected a value after the colon", where, name);
    return S_parse_value(f, k, value, lineno, where, err, errlen);
}

// The fence's info after "figure": id=ID file=NAME.svg.
static int S_parse_info(figspec *f, char *info, const char *where, char *err, size_t errlen) {
    char *key, *val;
    int r;
    while ((r = S_token(&info, &key, &val)) == 1) {
        char **dst = !strcmp(key, "id") ? &f->id : !strcmp(key, "file") ? &f->file : NULL;
        if (!dst || !val || !*val || *dst)
            return wb_errf(err, errlen, "%s: figure fence: unexpected '%s' (expected id=ID file=NAME.svg, each once)",
                           where, key);
        *dst = wb_strdup(val);
    }
    if (r < 0) return wb_errf(err, errlen, "%s: figure fence: a quoted value is never closed", where);
    if (!f->id || !f->file) return wb_errf(err, errlen, "%s: figure fence: expected id=ID file=NAME.svg", where);
    if (strspn(f->id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(f->id))
        return wb_errf(err, errlen, "%s: figure id '%s': expected letters, digits, '-' and '_' only", where, f->id);
    size_t n = strlen(f->file);
    if (strchr(f->file, '/') || f->file[0] == '.' || n < 5 || strcmp(f->file + n - 4, ".svg"))
        return wb_errf(err, errlen, "%s: figure file '%s': expected a plain file name ending in .svg", where, f->file);
    return 0;
}

// What a figure needs once its block is closed: a kind, and the lines that kind draws.
static int S_check_figure(const figspec *f, const char *path, char *err, size_t errlen) {
    int line = f->line;
    if (!f->kind)
        return wb_errf(err, errlen, "%s:%d: figure '%s': expected a line 'kind: line', 'kind: scatter' or 'kind: bar'",
                       path, line, f->id);
    if (f->kind == FIGSPEC_LINE && !f->nseries)
        return wb_errf(err, errlen, "%s:%d: figure '%s': kind: line needs at least one 'series:' line", path, line,
                       f->id);
    if (f->kind == FIGSPEC_SCATTER && !f->points.file)
        return wb_errf(err, errlen, "%s:%d: figure '%s': kind: scatter needs a 'points:' line", path, line, f->id);
    if (f->kind == FIGSPEC_BAR && !f->nbars)
        return wb_errf(err, errlen, "%s:%d: figure '%s': kind: bar needs at least one 'bars:' line", path, line, f->id);
    if (f->kind != FIGSPEC_SCATTER && (f->points.file || f->regions.file))
        return wb_errf(err, errlen, "%s:%d: %s: only in kind: scatter figures", path,
                       f->points.file ? f->points.line : f->regions.line, f->points.file ? "points" : "regions");
    if (f->kind != FIGSPEC_LINE && f->nseries)
        return wb_errf(err, errlen, "%s:%d: series: only in kind: line figures", path, f->series[0].line);
    if (f->kind != FIGSPEC_BAR && f->nbars)
        return wb_errf(err, errlen, "%s:%d: bars: only in kind: bar figures", path, f->bars[0].line);
    if (f->kind == FIGSPEC_BAR && (f->ylog || !isnan(f->lim[FIGSPEC_YMIN]) || !isnan(f->lim[FIGSPEC_YMAX]))) {
        int lim = isnan(f->lim[FIGSPEC_YMIN]) ? FIGSPEC_YMAX : FIGSPEC_YMIN;
        return wb_errf(err, errlen, "%s:%d: %s: the y axis of kind: bar holds the categories (the values are on x: "
                       "xlog, xmin, xmax)", path, f->ylog ? f->log_line[1] : f->lim_line[lim],
                       f->ylog ? "ylog" : S_names[7 + lim]);
    }
    if (f->kind == FIGSPEC_SCATTER && (f->xlog || f->ylog))
        return wb_errf(err, errlen, "%s:%d: %s: log axes are only for kind: line figures", path,
                       f->log_line[f->xlog ? 0 : 1], f->xlog ? "xlog" : "ylog");
    for (int a = 0; a < 2; a++) {
        int lo = a ? FIGSPEC_YMIN : FIGSPEC_XMIN, hi = lo + 1, logged = a ? f->ylog : f->xlog;
        if (!isnan(f->lim[lo]) && !isnan(f->lim[hi]) && f->lim[lo] >= f->lim[hi])
            return wb_errf(err, errlen, "%s:%d: %s: expected a value below %s %g", path, f->lim_line[lo],
                           S_names[7 + lo], S_names[7 + hi], f->lim[hi]);
        for (int l = lo; l <= hi; l++)
            if (logged && !isnan(f->lim[l]) && f->lim[l] <= 0)
                return wb_errf(err, errlen, "%s:%d: %s: a log axis needs a limit > 0, got %g", path, f->lim_line[l],
                               S_names[7 + l], f->lim[l]);
    }
    return 0;
}

// ----- the API -----------------------------------------------------------------------------------

int figspec_parse(figspec *f, const char *path, int fence_line, const char *info, const figspec_line *body, int n,
                  char *err, size_t errlen) {
    int seen[N_NAMES] = {0}, r;
    char where[512], *text = wb_strdup(info);
    memset(f, 0, sizeof *f);
    f->line = fence_line;
    f->w = 640, f->h = 400;
    for (int l = 0; l < 4; l++) f->lim[l] = NAN;
    snprintf(where, sizeof where, "%s:%d", path, fence_line);
    r = S_parse_info(f, text, where, err, errlen);
    for (int i = 0; r == 0 && i < n; i++) {
        free(text);
        text = wb_strdup(body[i].text);
        if (*S_trim(text)) r = S_parse_line(f, seen, text, body[i].line, path, err, errlen);
    }
    free(text);
    if (r == 0) r = S_check_figure(f, path, err, errlen);
    if (r) figspec_free(f);
    return r;
}

int figspec_parse_block(figspec *f, const char *path, const blocks_doc *d, const blocks_block *g, char *err,
                        size_t errlen) {
    int n = g->body_b - g->body_a;
    figspec_line *body = wb_malloc(sizeof *body * (size_t)(n + 1));
    char **copies = wb_malloc(sizeof *copies * (size_t)(n + 2));
    for (int i = 0; i < n; i++) {
        blocks_range r = d->lines[g->body_a + i];
        size_t sp = 0;
        while (sp < (size_t)g->f.indent && r.a + sp < r.b && d->text[r.a + sp] == ' ') sp++;
        copies[i] = wb_strndup(d->text + r.a + sp, r.b - r.a - sp);
        body[i] = (figspec_line){copies[i], g->body_a + i + 1};
    }
    blocks_range info = g->f.info;  // "figure id=... file=...": what follows the word
    size_t skip = info.b - info.a < 6 ? info.b - info.a : 6;
    copies[n] = wb_strndup(d->text + info.a + skip, info.b - info.a - skip);
    int r = figspec_parse(f, path, g->first + 1, copies[n], body, n, err, errlen);
    for (int i = 0; i <= n; i++) free(copies[i]);
    free(copies), free(body);
    return r;
}

void figspec_free(figspec *f) {
    free(f->id), free(f->file), free(f->caption), free(f->title), free(f->xlabel), free(f->ylabel);
    for (int i = 0; i < f->nseries; i++) S_source_free(&f->series[i]);
    free(f->series);
    for (int i = 0; i < f->nbars; i++) S_source_free(&f->bars[i]);
    free(f->bars);
    S_source_free(&f->points), S_source_free(&f->regions);
    memset(f, 0, sizeof *f);
}
