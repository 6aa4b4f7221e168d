// weave_table.c — a table block as a numbered <table>: a pipe table written in the block, or rows of a TSV
// file from the chapter program (tsv=FILE with a columns: line).
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "weave_int.h"

// ----- pipe tables -----------------------------------------------------------------------------------------

typedef struct {
    range *cell;  // (n)
    int n;
} row;

// The end of the formula opening at i, or end when it does not close (the scanner then says so).
static size_t S_math_end(const ctx *c, size_t i, size_t end) {
    int display = i + 1 < end && c->src[i + 1] == '$';
    for (size_t j = i + 1 + display; j < end; j++) {
        if (c->src[j] == '\\') j++;
        else if (c->src[j] == '$' && (!display || (j + 1 < end && c->src[j + 1] == '$'))) return j + 1 + display;
    }
    return end;
}

// Split a table row at the '|' that are not escaped, in a code span or in a formula ($\|x\|$ stays whole);
// the optional outer pipes are dropped and cells trimmed.
static row S_row(ctx *c, range r) {
    r = wv_trim(c, r.a, r.b);
    row w = {0};
    int cap = 0;
    size_t start = r.a;
    if (r.a < r.b && c->src[r.a] == '|') start = ++r.a;
    for (size_t i = r.a; i <= r.b;) {
        char ch = i < r.b ? c->src[i] : '|';
        if (ch == '\\') i = i + 2 < r.b ? i + 2 : r.b;
        else if (ch == '`') i = wv_code_end(c, i, r.b) ? wv_code_end(c, i, r.b) : i + 1;
        else if (ch == '$') i = S_math_end(c, i, r.b);
        else if (ch != '|') i++;
        else {
            if (i < r.b || i > start) {
                w.cell = wv_grow(c, w.cell, w.n, &cap, sizeof *w.cell);
                w.cell[w.n++] = wv_trim(c, start, i);
            }
            start = ++i;
        }
    }
    return w;
}

// The alignment of a separator cell (":--", "--:", ":-:", "---"), or NULL when it is not one.
static const char *S_align(const ctx *c, range r) {
    const char *s = c->src;
    int left = r.a < r.b && s[r.a] == ':', right = r.b > r.a && s[r.b - 1] == ':';
    size_t a = r.a + left, b = r.b - right;
    if (b <= a || b < r.a + 1) return NULL;
    for (size_t i = a; i < b; i++)
        if (s[i] != '-') return NULL;
    return left && right ? "center" : right ? "right" : left ? "left" : "";
}

static void S_cell(sbuf *h, const char *tag, const char *align, const char *html) {
    if (align && *align) wv_printf(h, "<%s style=\"text-align: %s\">", tag, align);
    else wv_printf(h, "<%s>", tag);
    wv_puts(h, html);
    wv_printf(h, "</%s>", tag);
}

// One row of a pipe table: each cell's text as inline Markdown.
static void S_pipe_row(ctx *c, sbuf *h, const char *tag, const char **align, const row *w) {
    wv_puts(h, "<tr>");
    for (int k = 0; k < w->n; k++) S_cell(h, tag, align[k], wv_inline_html(c, w->cell[k]));
    wv_puts(h, "</tr>\n");
}

// The alignments of the separator row, or an error naming its line.
static const char **S_separator(ctx *c, int l, int ncol) {
    row w = S_row(c, c->lines[l]);
    const char **align = wv_alloc(c, sizeof *align * (size_t)(ncol + 1));
    for (int k = 0; k < w.n && k < ncol; k++)
        if (!(align[k] = S_align(c, w.cell[k]))) w.n = -1;
    if (w.n != ncol)
        wv_fail(c, c->lines[l].a,
                "bad separator row of a table; expected %d cells like ---, :--, --: or :-: under the "
                "header",
                ncol);
    return align;
}

// A pipe table: a header row, a separator row, then rows with as many cells as the header.
static void S_pipe_table(ctx *c, const blocks_block *g, sbuf *h) {
    int lines[2], n = 0;  // the header and the separator: the first two non-blank lines
    for (int l = g->body_a; l < g->body_b && n < 2; l++)
        if (!wv_is_blank(c, l)) lines[n++] = l;
    if (n < 2)
        wv_fail(c, c->lines[g->first].a,
                "table without a header and a separator row; expected | a | b | then |---|---|");
    row head = S_row(c, c->lines[lines[0]]);
    const char **align = S_separator(c, lines[1], head.n);
    wv_puts(h, "<thead>\n");
    S_pipe_row(c, h, "th", align, &head);
    wv_puts(h, "</thead>\n<tbody>\n");
    for (int l = lines[1] + 1; l < g->body_b; l++) {
        if (wv_is_blank(c, l)) continue;
        row w = S_row(c, c->lines[l]);
        if (w.n != head.n)
            wv_fail(c, c->lines[l].a, "table row has %d cells; expected %d, as in the header row", w.n, head.n);
        S_pipe_row(c, h, "td", align, &w);
    }
    wv_puts(h, "</tbody>\n");
}

// ----- tsv=FILE: rows of a program's TSV, columns: chosen --------------------------------------------------

typedef struct {
    int col;       // index in the TSV
    double scale;  // 1 unless "col*scale"
    int scaled;
    range header;  // the quoted header, or the column name
    const char *fmt;
} tsv_column;

// One "col[*scale] ["header"] [%fmt]" of a columns: line.
static tsv_column S_column(ctx *c, range r, const tsv_table *t) {
    const char *s = c->src;
    r = wv_trim(c, r.a, r.b);
    tsv_column k = {.scale = 1};
    size_t i = r.a;
    while (i < r.b && !isspace((unsigned char)s[i]) && s[i] != '*') i++;
    char *name = wv_strndup(c, s + r.a, i - r.a);
    k.header = (range){r.a, i};
    if (i < r.b && s[i] == '*') {
        char *end, *num = wv_strndup(c, s + i + 1, strcspn(s + i + 1, " \t|"));
        k.scale = strtod(num, &end), k.scaled = 1;
        if (!*num || *end || !isfinite(k.scale)) wv_fail(c, i, "bad scale '*%s'; expected a number like *100", num);
        i += 1 + strlen(num);
    }
    range rest = wv_trim(c, i, r.b);
    if (rest.a < rest.b && s[rest.a] == '"') {
        const char *q = memchr(s + rest.a + 1, '"', rest.b - rest.a - 1);
        if (!q) wv_fail(c, rest.a, "unterminated column header; expected a closing '\"'");
        k.header = (range){rest.a + 1, (size_t)(q - s)};
        rest = wv_trim(c, (size_t)(q - s) + 1, rest.b);
    }
    if (rest.a < rest.b && s[rest.a] == '%') {
        k.fmt = wv_str(c, rest);
        wv_check_format(c, rest.a, k.fmt);
        rest.a = rest.b;
    }
    if (!*name || rest.a < rest.b)
        wv_fail(c, r.a, "bad column '%.*s'; expected COLUMN[*SCALE] [\"header\"] [%%format]", (int)(r.b - r.a),
                s + r.a);
    if ((k.col = tsv_col(t, name)) < 0) {
        sbuf *b = wv_buf(c);
        for (int j = 0; j < t->ncols; j++) wv_printf(b, "%s%s", j ? ", " : "", t->names[j]);
        wv_fail(c, r.a, "unknown column '%s' in %s; expected one of: %s", name, t->path, b->s);
    }
    return k;
}

// The columns: line, split at '|' outside quotes.
static tsv_column *S_columns(ctx *c, range r, const tsv_table *t, int *n) {
    tsv_column *cols = NULL;
    int cap = 0, quoted = 0;
    *n = 0;
    for (size_t i = r.a, start = r.a; i <= r.b; i++) {
        if (i < r.b && c->src[i] == '"') quoted = !quoted;
        if (i < r.b && (quoted || c->src[i] != '|')) continue;
        cols = wv_grow(c, cols, *n, &cap, sizeof *cols);
        cols[(*n)++] = S_column(c, (range){start, i}, t);
        start = i + 1;
    }
    return cols;
}

// A TSV cell: a number is scaled and formatted; anything else ("diverged") is shown as it is.
static const char *S_tsv_cell(ctx *c, const tsv_column *k, const char *cell) {
    double v;
    if ((k->fmt || k->scaled) && wv_number(cell, &v)) return wv_format(c, k->fmt ? k->fmt : "%g", v * k->scale);
    return cell;
}

static tsv_table *S_tsv(ctx *c, size_t pos, const char *file) {
    for (int i = 0; i < c->ntsv; i++)
        if (strcmp(c->tsv[i].name, file) == 0) return c->tsv[i].data;
    char *path = wv_join(c, c->o->data_dir, file), err[512];
    if (!wv_exists(path)) wv_fail(c, pos, "missing data file %s; expected the chapter program to write it", path);
    tsv_table *t = tsv_read(path, err, sizeof err);
    if (!t) wv_fail(c, pos, "%s; expected a TSV file with a header row", err);
    c->tsv = wv_grow(c, c->tsv, c->ntsv, &c->captsv, sizeof *c->tsv);
    c->tsv[c->ntsv++] = (cached){file, t};
    return t;
}

// The "columns:" line of a tsv table, its only line.
static range S_columns_line(ctx *c, const blocks_block *g) {
    range spec = {0, 0};
    for (int l = g->body_a; l < g->body_b; l++) {
        range r = wv_trim(c, c->lines[l].a, c->lines[l].b);
        if (r.a == r.b) continue;
        if (spec.b || !wv_at(c, r.a, r.b, "columns:"))
            wv_fail(c, r.a, "unexpected line in a tsv table; expected one line 'columns: COL \"header\" %%.4f | ...'");
        spec = wv_trim(c, r.a + 8, r.b);
    }
    if (spec.a == spec.b)
        wv_fail(c, c->lines[g->first].a,
                "tsv table without columns; expected a line 'columns: COL \"header\" %%.4f | ...'");
    return spec;
}

// Numbers line up on the right; a column with neither format nor scale holds text.
static const char *S_column_align(const tsv_column *k) { return k->fmt || k->scaled ? "right" : ""; }

static void S_tsv_table(ctx *c, const blocks_block *g, const blocks_attr *tsv, sbuf *h) {
    char *file = wv_str(c, tsv->val);
    wv_check_relpath(c, tsv->val.a, file, "out/");
    tsv_table *t = S_tsv(c, tsv->val.a, file);
    int n;
    tsv_column *cols = S_columns(c, S_columns_line(c, g), t, &n);
    wv_puts(h, "<thead>\n<tr>");
    for (int k = 0; k < n; k++) S_cell(h, "th", S_column_align(&cols[k]), wv_inline_html(c, cols[k].header));
    wv_puts(h, "</tr>\n</thead>\n<tbody>\n");
    for (int r = 0; r < t->nrows; r++) {
        wv_puts(h, "<tr>");
        for (int k = 0; k < n; k++) {
            sbuf *cell = wv_buf(c);  // data: escaped, never Markdown
            wv_escs(cell, S_tsv_cell(c, &cols[k], t->cells[(size_t)r * t->ncols + cols[k].col]));
            S_cell(h, "td", S_column_align(&cols[k]), cell->s);
        }
        wv_puts(h, "</tr>\n");
    }
    wv_puts(h, "</tbody>\n");
}

const char *wv_table(ctx *c, const blocks_block *g) {
    const blocks_attr *id = wv_attr(c, g, "id"), *cap = wv_attr(c, g, "caption"), *tsv = wv_attr(c, g, "tsv");
    char *ids = wv_str(c, id->val);
    if (!cap)
        wv_fail(c, c->lines[g->first].a, "table '%s' without caption; expected caption=\"...\" on its first line", ids);
    sbuf *h = wv_buf(c);
    int num = wv_label(c, 't', ids)->number;
    wv_printf(h, "<figure class=\"table\" id=\"tab-%s\">\n<figcaption><span class=\"label\">Table %s.%d:</span> ", ids,
              wv_num(c->o->number), num);
    wv_puts(h, wv_inline_html(c, cap->val));
    wv_puts(h, "</figcaption>\n<table>\n");
    if (tsv) S_tsv_table(c, g, tsv, h);
    else S_pipe_table(c, g, h);
    wv_puts(h, "</table>\n</figure>");
    return h->s;
}
