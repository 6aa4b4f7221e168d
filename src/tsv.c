// tsv.c — parsers for TSV series and `key value` results files, with path:line errors.
#include "tsv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wb.h"

// Split text into lines in place (a private copy), dropping a trailing '\r' of each.
// Returns the number of lines; *out gets the array of line starts.
static int S_lines(char *text, size_t len, char ***out) {
    int n = 0, cap = 64;
    char **lines = wb_malloc(sizeof(char *) * cap);
    size_t i = 0;
    while (i < len) {
        char *start = text + i;
        while (i < len && text[i] != '\n') i++;
        if (i < len) text[i++] = '\0';
        size_t l = strlen(start);
        if (l && start[l - 1] == '\r') start[l - 1] = '\0';
        if (n == cap) lines = wb_realloc(lines, sizeof(char *) * (cap *= 2));
        lines[n++] = start;
    }
    *out = lines;
    return n;
}

static char *S_copy(const char *text, size_t len) {
    char *c = wb_malloc(len + 1);
    memcpy(c, text, len);
    c[len] = '\0';
    return c;
}

// Number of tab-separated cells in a line.
static int S_count(const char *line) {
    int n = 1;
    for (const char *p = line; *p; p++) n += *p == '\t';
    return n;
}

// Split one line on tabs, in place, into exactly S_count(line) cells.
static void S_split(char *line, char **cells) {
    int n = 0;
    for (char *p = line;; n++) {
        char *tab = strchr(p, '\t');
        cells[n] = p;
        if (!tab) return;
        *tab = '\0';
        p = tab + 1;
    }
}

static int S_has_nul(const char *text, size_t len) { return memchr(text, '\0', len) != NULL; }

tsv_table *tsv_parse(const char *path, const char *text, size_t len, char *err, size_t errlen) {
    if (S_has_nul(text, len)) return wb_errf(err, errlen, "%s: expected text, found a NUL byte", path), NULL;
    char *buf = S_copy(text, len), **lines;
    int nl = S_lines(buf, len, &lines);
    if (nl == 0 || !lines[0][0]) {
        wb_errf(err, errlen, "%s:1: expected a header row of tab-separated column names", path);
        free(lines), free(buf);
        return NULL;
    }
    tsv_table *t = wb_calloc(1, sizeof *t);
    t->path = wb_strdup(path);
    t->ncols = S_count(lines[0]);
    t->names = wb_malloc(sizeof(char *) * t->ncols);
    S_split(lines[0], t->names);
    t->cells = wb_malloc(sizeof(char *) * (size_t)t->ncols * nl);
    t->lines = wb_malloc(sizeof(int) * nl);
    for (int c = 0; c < t->ncols; c++) t->names[c] = wb_strdup(t->names[c]);
    for (int c = 0; c < t->ncols; c++)
        if (!t->names[c][0]) {
            wb_errf(err, errlen, "%s:1: column %d has an empty name", path, c + 1);
            goto fail;
        }
    int blank = 0;  // the last blank line seen, 1-based; 0: none since the last row
    for (int l = 1; l < nl; l++) {
        if (!lines[l][0]) {
            blank = blank ? blank : l + 1;
            continue;
        }
        if (blank) {  // a blank line may end the file, but between rows it hides a cut or a joined file
            wb_errf(err, errlen, "%s:%d: a blank line between rows; expected a row of %d tab-separated cells (a blank "
                    "line may only end the file)", path, blank, t->ncols);
            goto fail;
        }
        int got = S_count(lines[l]);
        if (got != t->ncols) {
            wb_errf(err, errlen, "%s:%d: expected %d tab-separated cells (as in the header), found %d", path, l + 1,
                    t->ncols, got);
            goto fail;
        }
        S_split(lines[l], t->cells + (size_t)t->nrows * t->ncols);
        for (int c = 0; c < t->ncols; c++) {
            char **cell = &t->cells[(size_t)t->nrows * t->ncols + c];
            *cell = wb_strdup(*cell);
        }
        t->lines[t->nrows++] = l + 1;
    }
    free(lines), free(buf);
    return t;
fail:
    free(lines), free(buf);
    tsv_free(t);
    return NULL;
}

tsv_table *tsv_read(const char *path, char *err, size_t errlen) {
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!text) return wb_read_errf(err, errlen, path, errno), NULL;
    tsv_table *t = tsv_parse(path, text, len, err, errlen);
    free(text);
    return t;
}

void tsv_free(tsv_table *t) {
    if (!t) return;
    for (int c = 0; c < t->ncols; c++) free(t->names[c]);
    for (size_t i = 0; i < (size_t)t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->names), free(t->cells), free(t->lines), free(t->path), free(t);
}

int tsv_col(const tsv_table *t, const char *name) {
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->names[c], name) == 0) return c;
    return -1;
}

// Whether s is a decimal number as a program writes one: [+-] digits [. digits] [e [+-] digits] (or .5), or
// nan, inf, infinity. strtod alone would also take "0x10", " 5" (a leading space) and "1e5 " cut short.
static int S_decimal(const char *s) {
    s += *s == '+' || *s == '-';
    if (!strcasecmp(s, "nan") || !strcasecmp(s, "inf") || !strcasecmp(s, "infinity")) return 1;
    size_t d = strspn(s, "0123456789"), f = 0;
    s += d;
    if (*s == '.') f = strspn(++s, "0123456789"), s += f;
    if (!d && !f) return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        s += *s == '+' || *s == '-';
        size_t e = strspn(s, "0123456789");
        if (!e) return 0;
        s += e;
    }
    return !*s;
}

// The 1-based byte column where cell col of a row starts (the cells before it, and their tabs).
static int S_column(const tsv_table *t, int row, int col) {
    size_t at = 1;
    for (int k = 0; k < col; k++) at += strlen(t->cells[(size_t)row * t->ncols + k]) + 1;
    return (int)at;
}

int tsv_num(const tsv_table *t, int row, int col, int allow_nonfinite, double *out, char *err, size_t errlen) {
    const char *s = t->cells[(size_t)row * t->ncols + col];
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!S_decimal(s) || *end || (errno == ERANGE && fabs(v) > 1)) {
        wb_errf(err, errlen, "%s:%d:%d: column '%s': expected a decimal number, got '%.40s'", t->path, t->lines[row],
                S_column(t, row, col), t->names[col], s);
        return -1;
    }
    if (!allow_nonfinite && !isfinite(v)) {
        wb_errf(err, errlen, "%s:%d: column '%s': expected a finite number, got '%.40s' (did the run diverge?)", t->path,
                t->lines[row], t->names[col], s);
        return -1;
    }
    *out = v;
    return 0;
}

results_file *results_parse(const char *path, const char *text, size_t len, char *err, size_t errlen) {
    if (S_has_nul(text, len)) return wb_errf(err, errlen, "%s: expected text, found a NUL byte", path), NULL;
    char *buf = S_copy(text, len), **lines;
    int nl = S_lines(buf, len, &lines);
    results_file *r = wb_calloc(1, sizeof *r);
    r->path = wb_strdup(path);
    r->keys = wb_malloc(sizeof(char *) * (nl + 1));
    r->values = wb_malloc(sizeof(char *) * (nl + 1));
    r->lines = wb_malloc(sizeof(int) * (nl + 1));
    for (int l = 0; l < nl; l++) {
        char *p = lines[l];
        if (!*p || *p == '#') continue;
        size_t k = strcspn(p, " \t");
        char *v = p + k + strspn(p + k, " \t");
        if (k == 0 || !*v) {
            wb_errf(err, errlen, "%s:%d: expected 'key value', got '%.60s'", path, l + 1, p);
            free(lines), free(buf);
            results_free(r);
            return NULL;
        }
        p[k] = '\0';
        int dup;
        if (results_get(r, p, &dup)) {
            wb_errf(err, errlen, "%s:%d: key '%.60s' already given on line %d", path, l + 1, p, dup);
            free(lines), free(buf);
            results_free(r);
            return NULL;
        }
        r->keys[r->n] = wb_strdup(p);
        r->values[r->n] = wb_strdup(v);
        r->lines[r->n++] = l + 1;
    }
    free(lines), free(buf);
    return r;
}

results_file *results_read(const char *path, char *err, size_t errlen) {
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!text) return wb_read_errf(err, errlen, path, errno), NULL;
    results_file *r = results_parse(path, text, len, err, errlen);
    free(text);
    return r;
}

void results_free(results_file *r) {
    if (!r) return;
    for (int i = 0; i < r->n; i++) free(r->keys[i]), free(r->values[i]);
    free(r->keys), free(r->values), free(r->lines), free(r->path), free(r);
}

const char *results_get(const results_file *r, const char *key, int *line) {
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->keys[i], key) == 0) {
            if (line) *line = r->lines[i];
            return r->values[i];
        }
    return NULL;
}
