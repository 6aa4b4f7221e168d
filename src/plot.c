// plot.c — the book's figures: reads the `figure` blocks of a chapter.md and draws them with Cairo.
//
//     build/tools/plot --chapter chapters/NN-name/chapter.md --data build/NN-name/out --out DIR [--png] [--only ID]
//
// Every figure block of the chapter (spec: docs/AUTHORING.md, "Figures") is drawn from the TSV files
// of the data folder into DIR/NAME (the block's file=NAME.svg; NAME.png with --png), each written
// atomically. Two kinds, each one drawing function on a fixed canvas, as in Cairo's samples:
//
//   line     several series with a legend; nice 1-2-5 ticks or decades on log axes; `smooth=N` draws a
//            moving average bold over the faint raw values; `std=COL` a translucent mean ± std band.
//            Long series (300 000 per-step losses) are thinned to about 2 points per pixel column.
//   scatter  points coloured by an integer class over a classifier's decision regions: a grid of
//            P(class 1) painted as one small image, and its p = 0.5 contour (marching squares).
//   bar      horizontal bars, one row of bars per category named in a text column, one bar of each
//            row per `bars:` line (grouped, with a legend), on a linear or logarithmic value axis.
//
// Same input, same bytes: no randomness, no dates, and the ids Cairo numbers from process-wide
// counters are renumbered per document (S_svg_renumber). Every error names `chapter.md:LINE`.
#include <cairo-svg.h>
#include <cairo.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "flags.h"
#include "tsv.h"
#include "wb.h"

// ----- the figure spec ---------------------------------------------------------------------------

typedef enum { PLOT_NONE, PLOT_LINE, PLOT_SCATTER, PLOT_BAR } plot_kind;

// One `series:`, `points:`, `regions:` or `bars:` line: a TSV file of the data folder and the columns it names.
// For bars, x is the value column and y the column of category names (text).
typedef struct {
    int line;       // its line in chapter.md
    char *file;     // NULL when the figure has no such line
    char *x, *y;    // column names; y "*" (series only): every column but x, one series each
    char *extra;    // std= (series), class= (points), p= (regions); NULL when not given
    char *label;    // legend text (series); NULL: the y column's name
    int smooth;     // moving-average window in points; 0: none
    int marker, dashed;
    int max;        // points: draw only the first max; 0: all
} plot_source;

// Axis limits given by the author: NAN when free.
enum { XMIN, XMAX, YMIN, YMAX };

typedef struct {
    char *id, *file;
    int line;  // of the opening fence
    plot_kind kind;
    char *title, *xlabel, *ylabel;
    int xlog, ylog, log_line[2];
    double lim[4];
    int lim_line[4];
    int w, h;
    plot_source *series;  // (nseries)
    int nseries;
    plot_source points, regions;
    plot_source *bars;  // (nbars)
    int nbars;
    int seen[16];  // line of each single-valued spec name already given (see S_names)
} plot_figure;

typedef struct {
    plot_figure *figs;  // (n)
    int n;
} plot_chapter;

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

static void S_source_free(plot_source *s) {
    free(s->file), free(s->x), free(s->y), free(s->extra), free(s->label);
    memset(s, 0, sizeof *s);
}

static void S_figure_free(plot_figure *f) {
    free(f->id), free(f->file), free(f->title), free(f->xlabel), free(f->ylabel);
    for (int i = 0; i < f->nseries; i++) S_source_free(&f->series[i]);
    free(f->series);
    for (int i = 0; i < f->nbars; i++) S_source_free(&f->bars[i]);
    free(f->bars);
    S_source_free(&f->points), S_source_free(&f->regions);
}

void plot_chapter_free(plot_chapter *ch) {
    for (int i = 0; i < ch->n; i++) S_figure_free(&ch->figs[i]);
    free(ch->figs);
    ch->figs = NULL, ch->n = 0;
}

// ----- labels: a little TeX as Unicode ---------------------------------------------------------

// TeX names that labels may use inside $...$, and the characters they stand for.
static const char *const S_TEX[][2] = {
    {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"}, {"varepsilon", "ε"},
    {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"},
    {"xi", "ξ"}, {"pi", "π"}, {"rho", "ρ"}, {"sigma", "σ"}, {"tau", "τ"}, {"phi", "φ"}, {"varphi", "φ"},
    {"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"}, {"Theta", "Θ"},
    {"Lambda", "Λ"}, {"Sigma", "Σ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"}, {"cdot", "·"},
    {"times", "×"}, {"pm", "±"}, {"le", "≤"}, {"leq", "≤"}, {"ge", "≥"}, {"geq", "≥"}, {"approx", "≈"},
    {"infty", "∞"}, {"partial", "∂"}, {"nabla", "∇"}, {"ell", "ℓ"}, {"to", "→"}, {"in", "∈"}, {"top", "ᵀ"},
    {",", " "}, {";", " "}, {" ", " "}, {"%", "%"}, {"_", "_"}, {"{", "{"}, {"}", "}"},
};

// The subscript or superscript form of an ASCII character, or NULL when Unicode has none.
static const char *S_script(char c, int sup) {
    static const char *const sub_digit[10] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
    static const char *const sup_digit[10] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    static const char *const sub_other[][2] = {{"+", "₊"}, {"-", "₋"}, {"=", "₌"}, {"(", "₍"}, {")", "₎"},
        {"a", "ₐ"}, {"e", "ₑ"}, {"o", "ₒ"}, {"x", "ₓ"}, {"h", "ₕ"}, {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"},
        {"n", "ₙ"}, {"p", "ₚ"}, {"s", "ₛ"}, {"t", "ₜ"}, {"i", "ᵢ"}, {"j", "ⱼ"}, {"r", "ᵣ"}, {"u", "ᵤ"}, {"v", "ᵥ"}};
    static const char *const sup_other[][2] = {{"+", "⁺"}, {"-", "⁻"}, {"=", "⁼"}, {"(", "⁽"}, {")", "⁾"},
        {"n", "ⁿ"}, {"i", "ⁱ"}, {"T", "ᵀ"}};
    if (c >= '0' && c <= '9') return sup ? sup_digit[c - '0'] : sub_digit[c - '0'];
    int n = sup ? (int)(sizeof sup_other / sizeof sup_other[0]) : (int)(sizeof sub_other / sizeof sub_other[0]);
    for (int i = 0; i < n; i++)
        if ((sup ? sup_other : sub_other)[i][0][0] == c) return (sup ? sup_other : sub_other)[i][1];
    return NULL;
}

// A TeX command at s (after the backslash): appends its character to o, returns the length of its name.
static size_t S_tex_command(const char *s, char **o) {
    if (!*s) return 0;  // a backslash that ends the label names nothing (1 would step over the label's end)
    size_t n = isalpha((unsigned char)*s) ? strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") : 1;
    for (size_t i = 0; i < sizeof S_TEX / sizeof S_TEX[0]; i++)
        if (strlen(S_TEX[i][0]) == n && !strncmp(s, S_TEX[i][0], n)) {
            *o += sprintf(*o, "%s", S_TEX[i][1]);
            return n;
        }
    *o += sprintf(*o, "%.*s", (int)n, s);  // log, exp, max ...: the name itself, upright as TeX sets it
    return n;
}

// Labels may hold a little TeX, as captions do. Inside $...$: Greek letters and a few symbols by
// name (\eta, \sigma, \cdot), subscripts and superscripts (x_1, w^{(2)}) become the Unicode
// characters DejaVu Sans has for them (a character without a script form stays as it is), braces
// go, and '-' becomes a minus sign. Outside math only \$ changes, into a dollar sign.
static char *S_label(const char *in) {
    char *out = wb_malloc(4 * strlen(in) + 1), *o = out;
    int math = 0, script = 0, group = 0;  // script: '_' or '^' applies to the next character or {group}
    for (const char *s = in; *s; s++) {
        if (*s == '\\' && s[1] == '$') *o++ = *++s;
        else if (*s == '$') math = !math, script = 0;
        else if (!math) *o++ = *s;
        else if (*s == '\\') s += S_tex_command(s + 1, &o);
        else if ((*s == '_' || *s == '^') && !script) script = *s, group = 0;
        else if (*s == '{' && script) group = 1;
        else if (*s == '{' || *s == '}') script = *s == '}' ? 0 : script;
        else if (script && S_script(*s, script == '^')) o += sprintf(o, "%s", S_script(*s, script == '^'));
        else o += *s == '-' ? sprintf(o, "%s", "−") : sprintf(o, "%c", *s);
        if (script && !group && *s != '_' && *s != '^') script = 0;
    }
    *o = '\0';
    return out;
}

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
static int S_source_opt(plot_source *s, const char *key, const char *val, const char *where, char *err, size_t errlen) {
    if (!*val) return wb_errf(err, errlen, "%s: %s= needs a value", where, key);
    char **text = !strcmp(key, "x") ? &s->x : !strcmp(key, "y") ? &s->y : !strcmp(key, "label") ? &s->label
                : !strcmp(key, "std") || !strcmp(key, "class") || !strcmp(key, "p") ? &s->extra : NULL;
    if (text && *text) return wb_errf(err, errlen, "%s: %s= is given twice", where, key);
    if (text) return *text = text == &s->label ? S_label(val) : wb_strdup(val), 0;
    int *flag = !strcmp(key, "marker") ? &s->marker : !strcmp(key, "dashed") ? &s->dashed : NULL;
    if (flag && S_int(val, 0, 1, flag) != 0)
        return wb_errf(err, errlen, "%s: %s= expects 0 or 1, got '%s'", where, key, val);
    int *count = !strcmp(key, "smooth") ? &s->smooth : !strcmp(key, "max") ? &s->max : NULL;
    if (count && S_int(val, 1, 100000000, count) != 0)
        return wb_errf(err, errlen, "%s: %s= expects a whole number >= 1, got '%s'", where, key, val);
    return 0;
}

// A data line: `FILE key=value ...`, what is "series", "points" or "regions".
static int S_parse_source(plot_source *s, char *text, const char *what, const char *where, char *err, size_t errlen) {
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

// The names a figure block's lines may start with; all but `series` may be given once.
static const char *const S_names[] = {"caption", "kind", "title", "xlabel", "ylabel", "xlog", "ylog", "xmin",
                                      "xmax", "ymin", "ymax", "size", "points", "regions", "series", "bars"};
enum { N_NAMES = sizeof S_names / sizeof S_names[0] };

static int S_parse_size(plot_figure *f, char *value, const char *where, char *err, size_t errlen) {
    char *w, *h, *extra, *v1, *v2, *v3, *p = value, copy[64];
    snprintf(copy, sizeof copy, "%s", value);
    if (S_token(&p, &w, &v1) != 1 || S_token(&p, &h, &v2) != 1 || S_token(&p, &extra, &v3) != 0 || v1 || v2 ||
        S_int(w, 100, 4000, &f->w) || S_int(h, 100, 4000, &f->h))
        return wb_errf(err, errlen, "%s: size: expected 'W H', two whole numbers of pixels in [100, 4000], got '%s'",
                       where, copy);
    return 0;
}

// The value of one `name: value` line (name index k of S_names) into the figure.
static int S_parse_value(plot_figure *f, int k, char *value, int lineno, const char *where, char *err, size_t errlen) {
    const char *name = S_names[k];
    if (!strcmp(name, "caption")) return 0;  // the weaver's business
    if (!strcmp(name, "kind")) {
        f->kind = !strcmp(value, "line") ? PLOT_LINE : !strcmp(value, "scatter") ? PLOT_SCATTER
                : !strcmp(value, "bar") ? PLOT_BAR : PLOT_NONE;
        if (!f->kind)
            return wb_errf(err, errlen, "%s: unknown kind '%s' (expected line, scatter or bar)", where, value);
        return 0;
    }
    char **text = !strcmp(name, "title") ? &f->title : !strcmp(name, "xlabel") ? &f->xlabel
                : !strcmp(name, "ylabel") ? &f->ylabel : NULL;
    if (text) return *text = S_label(value), 0;
    if (!strcmp(name, "xlog") || !strcmp(name, "ylog")) {
        int axis = name[0] == 'y';
        f->log_line[axis] = lineno;
        if (S_int(value, 0, 1, axis ? &f->ylog : &f->xlog) == 0) return 0;
        return wb_errf(err, errlen, "%s: %s: expected 0 or 1, got '%s'", where, name, value);
    }
    for (int l = XMIN; l <= YMAX; l++)
        if (!strcmp(name, S_names[7 + l])) {
            f->lim_line[l] = lineno;
            if (S_num(value, &f->lim[l]) == 0) return 0;
            return wb_errf(err, errlen, "%s: %s: expected a finite number, got '%s'", where, name, value);
        }
    if (!strcmp(name, "size")) return S_parse_size(f, value, where, err, errlen);
    plot_source *s = !strcmp(name, "points") ? &f->points : !strcmp(name, "regions") ? &f->regions : NULL;
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
static int S_parse_line(plot_figure *f, char *line, int lineno, const char *path, char *err, size_t errlen) {
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
    if (strcmp(name, "series") && strcmp(name, "bars") && f->seen[k])
        return wb_errf(err, errlen, "%s: %s: given twice (first on line %d)", where, name, f->seen[k]);
    f->seen[k] = lineno;
    char *value = S_trim(colon + 1);
    if (!*value) return wb_errf(err, errlen, "%s: %s: expected a value after the colon", where, name);
    return S_parse_value(f, k, value, lineno, where, err, errlen);
}

// The fence's info after "figure": id=ID file=NAME.svg.
static int S_parse_info(plot_figure *f, char *info, const char *where, char *err, size_t errlen) {
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
static int S_check_figure(const plot_figure *f, const char *path, char *err, size_t errlen) {
    int line = f->line;
    if (!f->kind)
        return wb_errf(err, errlen, "%s:%d: figure '%s': expected a line 'kind: line', 'kind: scatter' or 'kind: bar'",
                       path, line, f->id);
    if (f->kind == PLOT_LINE && !f->nseries)
        return wb_errf(err, errlen, "%s:%d: figure '%s': kind: line needs at least one 'series:' line", path, line,
                       f->id);
    if (f->kind == PLOT_SCATTER && !f->points.file)
        return wb_errf(err, errlen, "%s:%d: figure '%s': kind: scatter needs a 'points:' line", path, line, f->id);
    if (f->kind == PLOT_BAR && !f->nbars)
        return wb_errf(err, errlen, "%s:%d: figure '%s': kind: bar needs at least one 'bars:' line", path, line, f->id);
    if (f->kind != PLOT_SCATTER && (f->points.file || f->regions.file))
        return wb_errf(err, errlen, "%s:%d: %s: only in kind: scatter figures", path,
                       f->points.file ? f->points.line : f->regions.line, f->points.file ? "points" : "regions");
    if (f->kind != PLOT_LINE && f->nseries)
        return wb_errf(err, errlen, "%s:%d: series: only in kind: line figures", path, f->series[0].line);
    if (f->kind != PLOT_BAR && f->nbars)
        return wb_errf(err, errlen, "%s:%d: bars: only in kind: bar figures", path, f->bars[0].line);
    if (f->kind == PLOT_BAR && (f->ylog || !isnan(f->lim[YMIN]) || !isnan(f->lim[YMAX]))) {
        int lim = isnan(f->lim[YMIN]) ? YMAX : YMIN;
        return wb_errf(err, errlen, "%s:%d: %s: the y axis of kind: bar holds the categories (the values are on x: "
                       "xlog, xmin, xmax)", path, f->ylog ? f->log_line[1] : f->lim_line[lim],
                       f->ylog ? "ylog" : S_names[7 + lim]);
    }
    if (f->kind == PLOT_SCATTER && (f->xlog || f->ylog))
        return wb_errf(err, errlen, "%s:%d: %s: log axes are only for kind: line figures", path,
                       f->log_line[f->xlog ? 0 : 1], f->xlog ? "xlog" : "ylog");
    for (int a = 0; a < 2; a++) {
        int lo = a ? YMIN : XMIN, hi = lo + 1, logged = a ? f->ylog : f->xlog;
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

// A fence (up to 3 spaces, then 3 or more ` or ~): its character and length, or 0.
static int S_fence(const char *line, char *c, int *indent) {
    int i = 0, n = 0;
    while (i < 3 && line[i] == ' ') i++;
    *indent = i;
    if (line[i] != '`' && line[i] != '~') return 0;
    *c = line[i];
    while (line[i + n] == *c) n++;
    return n >= 3 ? n : 0;
}

// Does this fence line close a block opened with n characters c (nothing after it but spaces)?
static int S_closes(const char *line, char c, int n) {
    char got = 0;
    int indent, len = S_fence(line, &got, &indent);
    return len >= n && got == c && !line[indent + len + strspn(line + indent + len, " \t\r")];
}

static plot_figure *S_new_figure(plot_chapter *ch, int lineno) {
    ch->figs = wb_realloc(ch->figs, sizeof *ch->figs * (ch->n + 1));
    plot_figure *f = &ch->figs[ch->n++];
    memset(f, 0, sizeof *f);
    f->line = lineno;
    f->w = 640, f->h = 400;
    for (int l = 0; l < 4; l++) f->lim[l] = NAN;
    return f;
}

// A figure's id and file must be unique within the chapter.
static int S_check_unique(const plot_chapter *ch, const char *path, char *err, size_t errlen) {
    const plot_figure *f = &ch->figs[ch->n - 1];
    for (int i = 0; i < ch->n - 1; i++) {
        const plot_figure *g = &ch->figs[i];
        if (!strcmp(g->id, f->id) || !strcmp(g->file, f->file))
            return wb_errf(err, errlen, "%s:%d: figure %s '%s' is already used on line %d", path, f->line,
                           strcmp(g->id, f->id) ? "file" : "id", strcmp(g->id, f->id) ? f->file : f->id, g->line);
    }
    return 0;
}

// One line of chapter.md, in whatever block we are: prose, another fenced block, or a figure.
// *open is the fence that is open (its character and length; 0 for prose), *fig the figure being read.
static int S_chapter_line(plot_chapter *ch, char *line, int lineno, char *open_c, int *open_n, plot_figure **fig,
                          const char *path, char *err, size_t errlen) {
    if (*open_n) {
        if (!S_closes(line, *open_c, *open_n))
            return *fig && *S_trim(line) ? S_parse_line(*fig, line, lineno, path, err, errlen) : 0;
        int bad = *fig && (S_check_figure(*fig, path, err, errlen) || S_check_unique(ch, path, err, errlen));
        *open_n = 0, *fig = NULL;
        return bad ? -1 : 0;
    }
    char c;
    int indent, n = S_fence(line, &c, &indent);
    if (!n) return 0;
    *open_c = c, *open_n = n;
    const char *info = line + n;
    if (indent || c != '`' || strncmp(info, "figure", 6) || (info[6] && info[6] != ' ' && info[6] != '\t')) return 0;
    char where[512], *rest = wb_strdup(info + 6);
    snprintf(where, sizeof where, "%s:%d", path, lineno);
    *fig = S_new_figure(ch, lineno);
    int r = S_parse_info(*fig, rest, where, err, errlen);
    free(rest);
    return r;
}

// Read every figure block of a chapter's text. On an error, ch is left empty and err says
// "path:LINE: what was wrong, what was expected".
int plot_parse(const char *path, const char *text, plot_chapter *ch, char *err, size_t errlen) {
    char *buf = wb_strdup(text), *p = buf, open_c = 0;
    int lineno = 0, open_n = 0, r = 0;
    plot_figure *fig = NULL;
    memset(ch, 0, sizeof *ch);
    while (r == 0 && *p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        r = S_chapter_line(ch, p, ++lineno, &open_c, &open_n, &fig, path, err, errlen);
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (r == 0 && fig)
        r = wb_errf(err, errlen, "%s:%d: figure '%s' is never closed (expected a line ``` after its spec lines)", path,
                    fig->line, fig->id);
    free(buf);
    if (r) plot_chapter_free(ch);
    return r;
}

// ----- the data: columns of the chapter's TSV files ----------------------------------------------

// The numbers of a data line's columns, row by row.
typedef struct {
    int n;
    double *x, *y, *e;  // (n) each; e: the std, class or p column, NULL when there is none
    int *line;          // (n) each row's line in its TSV file, for messages
} plot_cols;

static void S_cols_free(plot_cols *c) {
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
static tsv_table *S_read_table(const char *path, const char *dir, const plot_source *s, char *err, size_t errlen) {
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
static int S_column(const char *path, const plot_source *s, const tsv_table *t, const char *name, char *err,
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
static int S_columns(const char *path, const plot_source *s, const tsv_table *t, const char *y, const char *e,
                     int logx, int logy, plot_cols *out, char *err, size_t errlen) {
    const char *names[3] = {s->x, y, e};
    int col[3], ncol = e ? 3 : 2, n = s->max && s->max < t->nrows ? s->max : t->nrows;
    memset(out, 0, sizeof *out);
    for (int k = 0; k < ncol; k++)
        if ((col[k] = S_column(path, s, t, names[k], err, errlen)) < 0) return -1;
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
            else if (k < 2 && *v <= 0 && (k ? logy : logx))
                bad = wb_errf(err, errlen, "%s:%d: %s: 1 needs values > 0, but %s:%d has %s = %g", path, s->line,
                              k ? "ylog" : "xlog", s->file, t->lines[i], names[k], *v);
            if (bad) return S_cols_free(out), -1;
        }
    return 0;
}

// ----- axes: scales, nice ticks, text ------------------------------------------------------------

// The plot area in pixels and the axis limits in axis units (log10 of the value on a log axis).
typedef struct {
    double w, h;                      // the canvas
    double left, top, right, bottom;  // the plot area
    double lo[2], hi[2];              // limits of [0] x, [1] y
    int log[2];
} plot_frame;

// A value in axis units; a value <= 0 on a log axis lands a decade below the plot (clipped away).
static double S_unit(const plot_frame *fr, int a, double v) {
    if (!fr->log[a]) return v;
    return v > 0 ? log10(v) : fr->lo[a] - (fr->hi[a] - fr->lo[a]);
}

// Pixel position of an axis-unit value along axis a (x grows rightwards, y upwards).
static double S_at(const plot_frame *fr, int a, double u) {
    double t = (u - fr->lo[a]) / (fr->hi[a] - fr->lo[a]);
    return a ? fr->bottom - t * (fr->bottom - fr->top) : fr->left + t * (fr->right - fr->left);
}

static double S_px(const plot_frame *fr, double x) { return S_at(fr, 0, S_unit(fr, 0, x)); }
static double S_py(const plot_frame *fr, double y) { return S_at(fr, 1, S_unit(fr, 1, y)); }

// The limits of one axis from the range of its data (in axis units), padded by a fraction of the
// span, then overridden by the author's fixed limits.
static void S_limits(plot_frame *fr, int a, double lo, double hi, double pad, const double *lim) {
    double span = hi - lo, fixed_lo = lim[0], fixed_hi = lim[1];
    if (span <= 1e-12 * fmax(1, fabs(hi))) span = fr->log[a] ? 1 : fmax(fabs(hi), 1), pad = 0.5;
    lo -= span * pad, hi += span * pad;
    if (!isnan(fixed_lo)) lo = fr->log[a] ? log10(fixed_lo) : fixed_lo;
    if (!isnan(fixed_hi)) hi = fr->log[a] ? log10(fixed_hi) : fixed_hi;
    if (hi <= lo) {  // one fixed limit beyond all the data
        if (isnan(fixed_hi)) hi = lo + span;
        else lo = hi - span;
    }
    fr->lo[a] = lo, fr->hi[a] = hi;
}

// Ticks of one axis: positions in axis units and their labels ("10" with the exponent in sup for a decade).
enum { MAX_TICKS = 40 };
typedef struct {
    int n, nminor;
    double at[MAX_TICKS], minor[4 * MAX_TICKS];
    char text[MAX_TICKS][32], sup[MAX_TICKS][16];
} plot_ticks;

static const char *const S_MINUS = "\xe2\x88\x92";  // U+2212, the typographic minus sign

// A tick value as text, with as many decimals as the step needs and a real minus sign.
static void S_format(double v, double step, char *out, size_t len) {
    char tmp[32];
    if (fabs(v) < step * 1e-6) v = 0;
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (decimals > 6 || fabs(v) >= 1e7) snprintf(tmp, sizeof tmp, "%.3g", v);
    else snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    snprintf(out, len, "%s%s", tmp[0] == '-' ? S_MINUS : "", tmp + (tmp[0] == '-'));
}

static void S_tick(plot_ticks *t, double at, const char *text, const char *sup) {
    if (t->n == MAX_TICKS) return;
    t->at[t->n] = at;
    snprintf(t->text[t->n], sizeof t->text[0], "%s", text);
    snprintf(t->sup[t->n], sizeof t->sup[0], "%s", sup);
    t->n++;
}

// Linear ticks at multiples of step within [lo, hi]; on a log axis the values are 10^lo .. 10^hi
// and the ticks sit at their logarithms.
static void S_ticks_linear(double lo, double hi, double step, int logged, plot_ticks *t) {
    double vlo = logged ? pow(10, lo) : lo, vhi = logged ? pow(10, hi) : hi;
    char text[32];
    memset(t, 0, sizeof *t);
    for (double k = ceil(vlo / step - 1e-9); k <= floor(vhi / step + 1e-9) && t->n < MAX_TICKS; k++) {
        double v = k * step;
        if (logged && v <= 0) continue;
        S_format(v, step, text, sizeof text);
        S_tick(t, logged ? log10(v) : v, text, "");
    }
}

// Log ticks of a given coarseness: level 0 at 1, 2 and 5 times each power of ten, level 1 at each
// power of ten, level L > 1 at every L-th power. Plain numbers while they stay short, else 10^k.
// Minor ticks at 2..9 times each power when every power is labelled.
static void S_ticks_log(double lo, double hi, int level, plot_ticks *t) {
    int a = (int)floor(lo), b = (int)ceil(hi), plain = lo >= -3 - 1e-9 && hi <= 4 + 1e-9;
    char text[32], sup[16];
    if (!plain && level == 0) level = 1;  // "2×10^k" would be too long a label
    int stride = level < 2 ? 1 : level;
    memset(t, 0, sizeof *t);
    for (int k = a; k <= b; k++) {
        for (int m = 1; m <= 9; m++) {
            double at = k + log10(m);
            if (at < lo - 1e-9 || at > hi + 1e-9) continue;
            int labelled = m == 1 ? k % stride == 0 : level == 0 && (m == 2 || m == 5);
            if (!labelled) {
                if (stride == 1 && t->nminor < 4 * MAX_TICKS) t->minor[t->nminor++] = at;
                continue;
            }
            if (plain) S_format(m * pow(10, k), pow(10, k), text, sizeof text);
            snprintf(sup, sizeof sup, "%s%d", k < 0 ? S_MINUS : "", abs(k));
            S_tick(t, at, plain ? text : "10", plain ? "" : sup);
        }
    }
}

// Type sizes (pixels) and the muted colours of everything that is not data.
static const double FONT_TICK = 11.5, FONT_LABEL = 13, FONT_TITLE = 14, TICK_LEN = 4;
static const double INK_TEXT[3] = {0.2, 0.2, 0.2}, INK_AXIS[3] = {0.55, 0.55, 0.55};
static const double INK_GRID[3] = {0.91, 0.91, 0.91}, INK_MINOR[3] = {0.96, 0.96, 0.96};

static void S_ink(cairo_t *cr, const double *c) { cairo_set_source_rgb(cr, c[0], c[1], c[2]); }

static void S_font(cairo_t *cr, double size, int bold) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double S_width(cairo_t *cr, const char *s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

// The height of a digit in the current font: what centres a line of numbers or lowercase text.
static double S_cap(cairo_t *cr) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, "0", &e);
    return e.height;
}

// Show text with its left edge at x plus align times its width (0 left, -0.5 centred, -1 right).
static void S_text(cairo_t *cr, double x, double baseline, const char *s, double align) {
    cairo_move_to(cr, x + align * S_width(cr, s), baseline);
    cairo_show_text(cr, s);
}

// Width of tick label i: its text, then the exponent in smaller type.
static double S_tick_width(cairo_t *cr, const plot_ticks *t, int i) {
    S_font(cr, FONT_TICK, 0);
    double w = S_width(cr, t->text[i]);
    if (!t->sup[i][0]) return w;
    S_font(cr, FONT_TICK * 0.75, 0);
    w += S_width(cr, t->sup[i]) + 1;
    S_font(cr, FONT_TICK, 0);
    return w;
}

static void S_tick_label(cairo_t *cr, const plot_ticks *t, int i, double x, double baseline, double align) {
    double w = S_tick_width(cr, t, i), x0 = x + align * w, base = S_width(cr, t->text[i]), cap = S_cap(cr);
    S_text(cr, x0, baseline, t->text[i], 0);
    if (!t->sup[i][0]) return;
    S_font(cr, FONT_TICK * 0.75, 0);
    S_text(cr, x0 + base + 1, baseline - cap * 0.55, t->sup[i], 0);
    S_font(cr, FONT_TICK, 0);
}

// Do these ticks leave room for their labels? Neighbours at least a minimum distance apart, and
// on the x axis each label clear of the next by 12 pixels.
static int S_ticks_fit(cairo_t *cr, const plot_frame *fr, int a, const plot_ticks *t) {
    S_font(cr, FONT_TICK, 0);
    double len = a ? fr->bottom - fr->top : fr->right - fr->left, cap = S_cap(cr);
    for (int i = 0; i + 1 < t->n; i++) {
        double gap = (t->at[i + 1] - t->at[i]) / (fr->hi[a] - fr->lo[a]) * len;
        double need = a ? fmax(40, cap * 2.5)
                        : fmax(60, (S_tick_width(cr, t, i) + S_tick_width(cr, t, i + 1)) / 2 + 12);
        if (gap < need) return 0;
    }
    return 1;
}

// The 1-2-5 number at or above x, and the one after a 1-2-5 step.
static double S_nice(double x) {
    double mag = pow(10, floor(log10(x))), m = x / mag;
    return (m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10) * mag;
}
static double S_next_step(double step) { return S_nice(step * 1.5); }

// The finest ticks that fit: on a log axis levels from 1-2-5 per decade to sparser decades (linear
// values when fewer than two of them fall in range), else linear steps growing 1, 2, 5, 10, ...
static void S_choose_ticks(cairo_t *cr, const plot_frame *fr, int a, plot_ticks *t) {
    double lo = fr->lo[a], hi = fr->hi[a];
    for (int level = 0; fr->log[a] && level < 64; level++) {
        S_ticks_log(lo, hi, level, t);
        if (t->n < 2 && level == 0) break;
        if (t->n < 2) {  // crowded beats a lone tick
            S_ticks_log(lo, hi, level - 1, t);
            return;
        }
        if (S_ticks_fit(cr, fr, a, t)) return;
    }
    double vlo = fr->log[a] ? pow(10, lo) : lo, vhi = fr->log[a] ? pow(10, hi) : hi;
    double step = S_nice((vhi - vlo) / 20), prev = 0;
    for (int i = 0; i < 64; i++, step = S_next_step(step)) {
        S_ticks_linear(lo, hi, step, fr->log[a], t);
        if (t->n < 2 && prev > 0) {
            S_ticks_linear(lo, hi, prev, fr->log[a], t);
            return;
        }
        if (S_ticks_fit(cr, fr, a, t)) return;
        prev = step;
    }
}

// Margins around the plot area from the sizes of the labels, then the ticks that fit it. legend_w:
// room kept right of the plot for a legend outside it (0: none).
static void S_layout(cairo_t *cr, const plot_figure *f, plot_frame *fr, plot_ticks t[2], double legend_w) {
    S_font(cr, FONT_LABEL, 0);
    double label = S_cap(cr) * 1.5;  // a line of label text, with room for descenders
    S_font(cr, FONT_TICK, 0);
    double tick = S_cap(cr), wmax = 0;
    fr->top = 12 + (f->title ? round(FONT_TITLE * 1.6) : 0);
    fr->bottom = round(fr->h - (TICK_LEN + 6 + tick + (f->xlabel ? 9 + label : 0) + 10));
    S_choose_ticks(cr, fr, 1, &t[1]);  // the y ticks need only the height
    for (int i = 0; i < t[1].n; i++) wmax = fmax(wmax, S_tick_width(cr, &t[1], i));
    fr->left = round(10 + (f->ylabel ? label + 8 : 0) + wmax + 5 + TICK_LEN);
    fr->right = round(fr->w - 14 - legend_w);
    S_choose_ticks(cr, fr, 0, &t[0]);
    if (!t[0].n) return;
    // The last x label is centred on its tick: keep it on the canvas.
    double edge = S_at(fr, 0, t[0].at[t[0].n - 1]) + S_tick_width(cr, &t[0], t[0].n - 1) / 2;
    if (edge > fr->w - 6 - legend_w) {
        fr->right = round(fr->right - (edge - (fr->w - 6 - legend_w)));
        S_choose_ticks(cr, fr, 0, &t[0]);
    }
}

// A grid line at axis-unit value u, on a half pixel so that it is one crisp pixel wide.
static void S_grid_line(cairo_t *cr, const plot_frame *fr, int a, double u) {
    double p = floor(S_at(fr, a, u)) + 0.5;
    if (a) cairo_move_to(cr, fr->left, p), cairo_line_to(cr, fr->right, p);
    else cairo_move_to(cr, p, fr->top), cairo_line_to(cr, p, fr->bottom);
}

static void S_draw_grid(cairo_t *cr, const plot_frame *fr, const plot_ticks t[2]) {
    cairo_set_line_width(cr, 1);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < t[a].nminor; i++) S_grid_line(cr, fr, a, t[a].minor[i]);
    S_ink(cr, INK_MINOR);
    cairo_stroke(cr);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < t[a].n; i++) S_grid_line(cr, fr, a, t[a].at[i]);
    S_ink(cr, INK_GRID);
    cairo_stroke(cr);
}

// The frame, ticks and their labels, the axis labels and the title.
static void S_draw_axes(cairo_t *cr, const plot_figure *f, const plot_frame *fr, const plot_ticks t[2]) {
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, fr->left - 0.5, fr->top - 0.5, fr->right - fr->left + 1, fr->bottom - fr->top + 1);
    for (int i = 0; i < t[0].n; i++) {
        double p = floor(S_at(fr, 0, t[0].at[i])) + 0.5;
        cairo_move_to(cr, p, fr->bottom + 0.5), cairo_line_to(cr, p, fr->bottom + 0.5 + TICK_LEN);
    }
    for (int i = 0; i < t[1].n; i++) {
        double p = floor(S_at(fr, 1, t[1].at[i])) + 0.5;
        cairo_move_to(cr, fr->left - 0.5, p), cairo_line_to(cr, fr->left - 0.5 - TICK_LEN, p);
    }
    S_ink(cr, INK_AXIS);
    cairo_stroke(cr);
    S_ink(cr, INK_TEXT);
    S_font(cr, FONT_TICK, 0);
    double tick = S_cap(cr);
    for (int i = 0; i < t[0].n; i++)
        S_tick_label(cr, &t[0], i, S_at(fr, 0, t[0].at[i]), fr->bottom + TICK_LEN + 5 + tick, -0.5);
    for (int i = 0; i < t[1].n; i++)
        S_tick_label(cr, &t[1], i, fr->left - TICK_LEN - 5, S_at(fr, 1, t[1].at[i]) + tick / 2, -1);
    S_font(cr, FONT_LABEL, 0);
    double label = S_cap(cr), mid_x = (fr->left + fr->right) / 2, mid_y = (fr->top + fr->bottom) / 2;
    if (f->xlabel) S_text(cr, mid_x, fr->bottom + TICK_LEN + 6 + tick + 9 + label * 1.15, f->xlabel, -0.5);
    if (f->ylabel) {
        cairo_save(cr);
        cairo_translate(cr, 10 + label * 1.15, mid_y);
        cairo_rotate(cr, -M_PI / 2);
        S_text(cr, 0, 0, f->ylabel, -0.5);
        cairo_restore(cr);
    }
    S_font(cr, FONT_TITLE, 1);
    if (f->title) S_text(cr, mid_x, 12 + S_cap(cr) * 1.1, f->title, -0.5);
}

// ----- legend ------------------------------------------------------------------------------------

// Okabe & Ito's colour-blind-safe palette, in the order series take it (yellow last: faint on white).
static const double S_PALETTE[8][3] = {
    {0.000, 0.447, 0.698}, {0.835, 0.369, 0.000}, {0.000, 0.620, 0.451}, {0.800, 0.475, 0.655},
    {0.902, 0.624, 0.000}, {0.337, 0.706, 0.914}, {0.000, 0.000, 0.000}, {0.941, 0.894, 0.259},
};

static void S_color(cairo_t *cr, int c, double alpha) {
    const double *p = S_PALETTE[c % 8];
    cairo_set_source_rgba(cr, p[0], p[1], p[2], alpha);
}

// One line of the legend: a sample of how the thing is drawn, and its name.
typedef struct {
    const char *label;
    int color;   // palette index; -1: dark ink (the decision boundary)
    int dot;     // a dot (a scatter class) instead of a line
    int dashed, marker, band;
    int box;     // a filled box (a bar) instead of a line
} plot_entry;

enum { LEGEND_PAD = 8, LEGEND_SAMPLE = 26 };

static double S_legend_row(cairo_t *cr) {
    S_font(cr, FONT_TICK, 0);
    return round(S_cap(cr) * 2);
}

static void S_legend_size(cairo_t *cr, const plot_entry *e, int n, double *w, double *h) {
    double wmax = 0;
    S_font(cr, FONT_TICK, 0);
    for (int i = 0; i < n; i++) wmax = fmax(wmax, S_width(cr, e[i].label));
    *w = round(2 * LEGEND_PAD + LEGEND_SAMPLE + 8 + wmax);
    *h = round(2 * LEGEND_PAD - 4 + n * S_legend_row(cr));
}

static void S_set_dash(cairo_t *cr, int dashed) {
    static const double dash[2] = {6, 4};
    cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
}

// A dot of diameter d: a zero-length segment with a round cap (a few bytes in SVG, where an arc
// is four curves).
static void S_dot(cairo_t *cr, double x, double y) {
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x, y);
}

static void S_legend_sample(cairo_t *cr, const plot_entry *e, double x, double y) {
    if (e->box) {
        cairo_rectangle(cr, x + LEGEND_SAMPLE / 2.0 - 7, y - 5, 14, 10);
        S_color(cr, e->color, 0.85);
        cairo_fill(cr);
        return;
    }
    if (e->band) {
        cairo_rectangle(cr, x, y - 5, LEGEND_SAMPLE, 10);
        S_color(cr, e->color, 0.18);
        cairo_fill(cr);
    }
    if (e->color < 0) S_ink(cr, INK_TEXT);
    else S_color(cr, e->color, 1);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    if (!e->dot) {
        cairo_set_line_width(cr, 2);
        S_set_dash(cr, e->dashed);
        cairo_move_to(cr, x, y), cairo_line_to(cr, x + LEGEND_SAMPLE, y);
        cairo_stroke(cr);
        S_set_dash(cr, 0);
    }
    if (e->dot || e->marker) {
        cairo_set_line_width(cr, e->dot ? 7 : 6);
        S_dot(cr, x + LEGEND_SAMPLE / 2.0, y);
        cairo_stroke(cr);
    }
}

// The legend box with its top-left corner at (x, y): white, a little translucent, a muted border.
static void S_draw_legend(cairo_t *cr, const plot_entry *e, int n, double x, double y) {
    double w, h, row = S_legend_row(cr);
    S_legend_size(cr, e, n, &w, &h);
    cairo_rectangle(cr, x + 0.5, y + 0.5, w - 1, h - 1);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 1);
    S_ink(cr, INK_GRID);
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
        double mid = y + LEGEND_PAD - 2 + row * (i + 0.5);
        S_legend_sample(cr, &e[i], x + LEGEND_PAD, mid);
        S_font(cr, FONT_TICK, 0);
        S_ink(cr, INK_TEXT);
        S_text(cr, x + LEGEND_PAD + LEGEND_SAMPLE + 8, mid + S_cap(cr) / 2, e[i].label, 0);
    }
}

// Does the segment (x0,y0)-(x1,y1) meet the rectangle? (Liang–Barsky clipping.)
static int S_segment_hits(double x0, double y0, double x1, double y1, const double r[4]) {
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - r[0], r[2] - x0, y0 - r[1], r[3] - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0) return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) t0 = fmax(t0, t);
        else t1 = fmin(t1, t);
        if (t0 > t1) return 0;
    }
    return 1;
}

// Something drawn, in pixels, that a legend should not hide: a polyline, single points, or
// separate segments (pairs of points).
typedef enum { POLY_LINE, POLY_POINTS, POLY_PAIRS } plot_poly_kind;
typedef struct {
    int n;
    double *x, *y;  // (n)
    plot_poly_kind kind;
} plot_poly;

// How much of the drawing a legend box at r = {left, top, right, bottom} would hide: the number of
// segments (or points) that meet it.
static int S_hidden(const double r[4], const plot_poly *p, int np) {
    int hits = 0;
    for (int k = 0; k < np; k++) {
        int step = p[k].kind == POLY_PAIRS ? 2 : 1;
        for (int i = 0; i < p[k].n; i += step) {
            int a = p[k].kind == POLY_LINE && i > 0 ? i - 1 : i, b = p[k].kind == POLY_PAIRS ? i + 1 : i;
            hits += b < p[k].n && S_segment_hits(p[k].x[a], p[k].y[a], p[k].x[b], p[k].y[b], r);
        }
    }
    return hits;
}

// Where the legend hides nothing: the first inside corner (top-right, top-left, bottom-right,
// bottom-left) that covers no segment or point, with a few pixels to spare. Returns 0 when every
// corner would hide some of the data: the legend then goes right of the plot.
static int S_legend_inside(const plot_frame *fr, double w, double h, const plot_poly *p, int np, double *x,
                           double *y) {
    for (int c = 0; c < 4; c++) {
        *x = c % 2 ? fr->left + 8 : fr->right - 8 - w;
        *y = c < 2 ? fr->top + 8 : fr->bottom - 8 - h;
        double r[4] = {*x - 4, *y - 4, *x + w + 4, *y + h + 4};
        if (!S_hidden(r, p, np)) return 1;
    }
    return 0;
}

// ----- kind: line --------------------------------------------------------------------------------

// One drawn series of a line figure: its numbers, then what is drawn of them in pixels.
typedef struct {
    const plot_source *src;
    char *label;                  // legend text
    plot_cols c;                  // x, y, and e = std (n)
    double *mid, *sd;             // (n) the line (the moving average with smooth=, else y); the std about it
    plot_poly raw, line, lo, hi;  // raw: the faint values behind a smoothed line; lo, hi: band edges
} plot_line;

typedef struct {
    plot_line *s;  // (n)
    int n;
} plot_lines;

static void S_poly_free(plot_poly *p) {
    free(p->x), free(p->y);
    memset(p, 0, sizeof *p);
}

static void S_lines_free(plot_lines *L) {
    for (int i = 0; i < L->n; i++) {
        plot_line *s = &L->s[i];
        if (s->mid != s->c.y) free(s->mid);
        if (s->sd != s->c.e) free(s->sd);
        free(s->label), S_cols_free(&s->c);
        S_poly_free(&s->raw), S_poly_free(&s->line), S_poly_free(&s->lo), S_poly_free(&s->hi);
    }
    free(L->s);
    memset(L, 0, sizeof *L);
}

// The centred moving average over a window of w points (fewer at the ends), from prefix sums.
static double *S_moving_average(const double *v, int n, int w) {
    long double *sum = wb_malloc(sizeof *sum * (n + 1));  // (n + 1)
    double *out = wb_malloc(sizeof *out * n);               // (n)
    sum[0] = 0;
    for (int i = 0; i < n; i++) sum[i + 1] = sum[i] + v[i];
    for (int i = 0; i < n; i++) {
        int a = i - w / 2, b = a + w;
        a = a < 0 ? 0 : a, b = b > n ? n : b;
        out[i] = (double)((sum[b] - sum[a]) / (b - a));
    }
    free(sum);
    return out;
}

// One series of a data line (y: its column) appended to L, with its smoothing done.
static int S_add_line(plot_lines *L, const plot_figure *f, const plot_source *src, const tsv_table *t, const char *y,
                      const char *path, char *err, size_t errlen) {
    plot_cols c;
    if (S_columns(path, src, t, y, src->extra, f->xlog, f->ylog, &c, err, errlen) != 0) return -1;
    L->s = wb_realloc(L->s, sizeof *L->s * (L->n + 1));
    plot_line *s = &L->s[L->n++];
    memset(s, 0, sizeof *s);
    s->src = src, s->c = c;
    s->label = wb_strdup(src->label ? src->label : y);
    s->mid = src->smooth > 1 ? S_moving_average(c.y, c.n, src->smooth) : c.y;
    s->sd = c.e && src->smooth > 1 ? S_moving_average(c.e, c.n, src->smooth) : c.e;
    return 0;
}

// Every series of a line figure; y=* gives one for each column but x, named after it.
static int S_load_lines(const plot_figure *f, const char *path, const char *dir, plot_lines *L, char *err,
                        size_t errlen) {
    memset(L, 0, sizeof *L);
    for (int i = 0; i < f->nseries; i++) {
        const plot_source *src = &f->series[i];
        tsv_table *t = S_read_table(path, dir, src, err, errlen);
        int r = t ? 0 : -1, before = L->n;
        if (t && strcmp(src->y, "*") != 0) r = S_add_line(L, f, src, t, src->y, path, err, errlen);
        for (int c = 0; t && !strcmp(src->y, "*") && r == 0 && c < t->ncols; c++)
            if (strcmp(t->names[c], src->x)) r = S_add_line(L, f, src, t, t->names[c], path, err, errlen);
        if (r == 0 && L->n == before)
            r = wb_errf(err, errlen, "%s:%d: y=*: %s has no column but x '%s'", path, src->line, src->file, src->x);
        tsv_free(t);
        if (r) return S_lines_free(L), -1;
    }
    return 0;
}

// Thinning: a polyline with more than two points per pixel column is drawn from fewer points.
// Consecutive points in the same bucket become their mean (THIN_MEAN, buckets of half a column),
// or their lowest and highest point in the order they come (THIN_MINMAX, one column), which keeps
// the envelope of a noisy curve. Shorter polylines are kept whole.
enum { THIN_MEAN, THIN_MINMAX };

static plot_poly S_thin(const double *px, const double *py, int n, double width, int mode) {
    plot_poly p = {0, wb_malloc(sizeof(double) * n), wb_malloc(sizeof(double) * n), POLY_LINE};
    double per = mode == THIN_MEAN ? 2 : 1;
    int thin = n > 2 * width;
    for (int i = 0, j; i < n; i = j) {
        double key = floor(px[i] * per), sx = 0, sy = 0;
        int lo = i, hi = i;
        for (j = i; j < n && (j == i || (thin && floor(px[j] * per) == key)); j++) {
            sx += px[j], sy += py[j];
            lo = py[j] < py[lo] ? j : lo, hi = py[j] > py[hi] ? j : hi;
        }
        if (mode == THIN_MEAN || j - i == 1) {
            p.x[p.n] = sx / (j - i), p.y[p.n++] = sy / (j - i);
            continue;
        }
        int first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
        p.x[p.n] = px[first], p.y[p.n++] = py[first];
        if (second != first) p.x[p.n] = px[second], p.y[p.n++] = py[second];
    }
    return p;
}

// Data coordinates on a quarter-pixel grid: invisible at any zoom a reader uses, and Cairo writes
// "L 82.25 130.5" instead of "L 82.257812 130.503906", a third less SVG.
static double S_q(double v) { return round(v * 4) / 4; }

static void S_quantise(plot_poly *p) {
    for (int i = 0; i < p->n; i++) p->x[i] = S_q(p->x[i]), p->y[i] = S_q(p->y[i]);
}

// Pixel positions of (x, v + sign * d) (d may be NULL), thinned.
static plot_poly S_trace(const plot_frame *fr, const plot_cols *c, const double *v, const double *d, double sign,
                         int mode) {
    double *px = wb_malloc(sizeof(double) * c->n), *py = wb_malloc(sizeof(double) * c->n);  // (n)
    for (int i = 0; i < c->n; i++) px[i] = S_px(fr, c->x[i]), py[i] = S_py(fr, v[i] + (d ? sign * d[i] : 0));
    plot_poly p = S_thin(px, py, c->n, fr->right - fr->left, mode);
    free(px), free(py);
    S_quantise(&p);
    return p;
}

static void S_line_geometry(const plot_frame *fr, plot_lines *L) {
    for (int i = 0; i < L->n; i++) {
        plot_line *s = &L->s[i];
        S_poly_free(&s->raw), S_poly_free(&s->line), S_poly_free(&s->lo), S_poly_free(&s->hi);
        // The raw values at the figure's resolution: their mean per half pixel column. The envelope
        // (THIN_MINMAX) of single-sample losses fills the whole band from 0 to the largest loss and
        // hides the curve it was meant to show the noise of.
        if (s->mid != s->c.y) s->raw = S_trace(fr, &s->c, s->c.y, NULL, 0, THIN_MEAN);
        s->line = S_trace(fr, &s->c, s->mid, NULL, 0, THIN_MEAN);
        if (s->sd) s->lo = S_trace(fr, &s->c, s->mid, s->sd, -1, THIN_MEAN);
        if (s->sd) s->hi = S_trace(fr, &s->c, s->mid, s->sd, +1, THIN_MEAN);
    }
}

// The axis limits: every drawn value (raw, line, band edges that a log axis can show), the y axis
// padded by 5%, the x axis only when markers would be cut in half at the frame.
static void S_line_limits(const plot_figure *f, const plot_lines *L, plot_frame *fr) {
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    int markers = 0;
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        markers |= s->src->marker;
        for (int j = 0; j < s->c.n; j++) {
            double sd = s->sd ? s->sd[j] : 0, y[4] = {s->c.y[j], s->mid[j], s->mid[j] - sd, s->mid[j] + sd};
            double ux = S_unit(fr, 0, s->c.x[j]);
            lo[0] = fmin(lo[0], ux), hi[0] = fmax(hi[0], ux);
            for (int k = 0; k < 4; k++) {
                if (fr->log[1] && y[k] <= 0) continue;
                double uy = S_unit(fr, 1, y[k]);
                lo[1] = fmin(lo[1], uy), hi[1] = fmax(hi[1], uy);
            }
        }
    }
    S_limits(fr, 0, lo[0], hi[0], markers ? 0.03 : 0, &f->lim[XMIN]);
    S_limits(fr, 1, lo[1], hi[1], 0.05, &f->lim[YMIN]);
}

static void S_path(cairo_t *cr, const plot_poly *p) {
    for (int i = 0; i < p->n; i++)
        if (i) cairo_line_to(cr, p->x[i], p->y[i]);
        else cairo_move_to(cr, p->x[i], p->y[i]);
}

// Bands first, then the faint raw values, then the lines, then markers, so that nothing hides a line.
static void S_draw_lines(cairo_t *cr, const plot_lines *L, const plot_frame *fr) {
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        if (!s->sd) continue;
        S_path(cr, &s->lo);
        for (int j = s->hi.n - 1; j >= 0; j--) cairo_line_to(cr, s->hi.x[j], s->hi.y[j]);
        cairo_close_path(cr);
        S_color(cr, i, 0.18);
        cairo_fill(cr);
    }
    cairo_set_line_width(cr, 1);
    for (int i = 0; i < L->n; i++) {
        S_path(cr, &L->s[i].raw);
        S_color(cr, i, 0.22);
        cairo_stroke(cr);
    }
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        S_path(cr, &s->line);
        cairo_set_line_width(cr, s->raw.n ? 2.4 : 1.8);
        S_set_dash(cr, s->src->dashed);
        S_color(cr, i, 1);
        cairo_stroke(cr);
        S_set_dash(cr, 0);
        // Markers only where they stay apart; on a thinned line they would only thicken it.
        if (!s->src->marker || s->line.n * 4 > fr->right - fr->left) continue;
        for (int j = 0; j < s->line.n; j++) S_dot(cr, s->line.x[j], s->line.y[j]);
        cairo_set_line_width(cr, 6);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

// The legend of a line figure, when it has something to say: two series or more, or a label given.
static int S_line_entries(const plot_lines *L, plot_entry *e) {
    int labelled = 0;
    for (int i = 0; i < L->n; i++) labelled |= L->s[i].src->label != NULL;
    if (L->n < 2 && !labelled) return 0;
    for (int i = 0; i < L->n; i++) {
        const plot_source *src = L->s[i].src;
        e[i] = (plot_entry){L->s[i].label, i, 0, src->dashed, src->marker, L->s[i].sd != NULL, 0};
    }
    return L->n;
}

// The polylines a legend must not hide: every line, raw curve and band edge.
static int S_line_obstacles(const plot_lines *L, plot_poly *p) {
    int n = 0;
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        p[n++] = s->line;
        if (s->raw.n) p[n++] = s->raw;
        if (s->sd) p[n++] = s->lo, p[n++] = s->hi;
    }
    return n;
}

static void S_figure_line(cairo_t *cr, const plot_figure *f, plot_lines *L, plot_frame *fr) {
    plot_ticks t[2];
    plot_entry *e = wb_malloc(sizeof *e * L->n);       // (n)
    plot_poly *obst = wb_malloc(sizeof *obst * 4 * L->n);  // (4 n)
    int ne = S_line_entries(L, e);
    double w = 0, h = 0, lx = 0, ly = 0;
    S_line_limits(f, L, fr);
    S_layout(cr, f, fr, t, 0);
    S_line_geometry(fr, L);
    if (ne) S_legend_size(cr, e, ne, &w, &h);
    if (ne && !S_legend_inside(fr, w, h, obst, S_line_obstacles(L, obst), &lx, &ly)) {
        S_layout(cr, f, fr, t, w + 10);
        S_line_geometry(fr, L);
        lx = fr->right + 14, ly = fr->top;
    }
    S_draw_grid(cr, fr, t);
    S_draw_lines(cr, L, fr);
    S_draw_axes(cr, f, fr, t);
    if (ne) S_draw_legend(cr, e, ne, lx, ly);
    free(e), free(obst);
}

// ----- kind: bar ---------------------------------------------------------------------------------

// A bar figure's numbers: n categories (the rows of the first bars: line, drawn top to bottom) and, for
// each of its nb bars: lines, one value per category.
typedef struct {
    int n, nb;
    char **names;   // (n) the categories, from the first bars: line's y column
    double *v;      // (nb, n) the values, row k from bars: line k
    char **labels;  // (nb) legend texts
} plot_bars;

static void S_bars_free(plot_bars *B) {
    for (int i = 0; B->names && i < B->n; i++) free(B->names[i]);
    for (int k = 0; k < B->nb; k++) free(B->labels[k]);
    free(B->names), free(B->v), free(B->labels);
    memset(B, 0, sizeof *B);
}

// bars: line k into B: its values and legend text, and the categories (k = 0) or the check that they are
// the first line's, in the same order.
static int S_load_bar(plot_bars *B, int k, const plot_figure *f, const tsv_table *t, const char *path, char *err,
                      size_t errlen) {
    const plot_source *src = &f->bars[k];
    int cx = S_column(path, src, t, src->x, err, errlen);
    int cy = cx < 0 ? -1 : S_column(path, src, t, src->y, err, errlen);
    if (cy < 0) return -1;
    if (t->nrows == 0)
        return wb_errf(err, errlen, "%s:%d: %s has no data rows: nothing to draw", path, src->line, src->file);
    if (k == 0) {
        B->n = t->nrows;
        B->names = wb_calloc(B->n, sizeof *B->names);
        for (int i = 0; i < B->n; i++) B->names[i] = S_label(t->cells[i * t->ncols + cy]);
        B->v = wb_malloc(sizeof(double) * B->n * f->nbars);
        B->labels = wb_calloc(f->nbars, sizeof *B->labels);
    } else if (t->nrows != B->n)
        return wb_errf(err, errlen, "%s:%d: %s has %d rows, the first bars: line %d (expected the same categories in "
                       "the same order)", path, src->line, src->file, t->nrows, B->n);
    B->labels[k] = wb_strdup(src->label ? src->label : src->x);
    B->nb = k + 1;
    char msg[512];
    for (int i = 0; i < B->n; i++) {
        char *name = S_label(t->cells[i * t->ncols + cy]);
        int same = !strcmp(name, B->names[i]);
        free(name);
        if (!same)
            return wb_errf(err, errlen, "%s:%d: %s:%d: category '%s' where the first bars: line has '%s' (expected the "
                           "same categories in the same order)", path, src->line, src->file, t->lines[i],
                           t->cells[i * t->ncols + cy], B->names[i]);
        double *v = &B->v[k * B->n + i];
        if (tsv_num(t, i, cx, 0, v, msg, sizeof msg) != 0)
            return wb_errf(err, errlen, "%s:%d: %s", path, src->line, msg);
        if (f->xlog && *v <= 0)
            return wb_errf(err, errlen, "%s:%d: xlog: 1 needs values > 0, but %s:%d has %s = %g", path, src->line,
                           src->file, t->lines[i], src->x, *v);
    }
    return 0;
}

static int S_load_bars(const plot_figure *f, const char *path, const char *dir, plot_bars *B, char *err,
                       size_t errlen) {
    memset(B, 0, sizeof *B);
    for (int k = 0; k < f->nbars; k++) {
        tsv_table *t = S_read_table(path, dir, &f->bars[k], err, errlen);
        int r = t ? S_load_bar(B, k, f, t, path, err, errlen) : -1;
        tsv_free(t);
        if (r) return S_bars_free(B), -1;
    }
    return 0;
}

// The value axis (x) over every value, from 0 on a linear axis (a bar's length is its value, so a
// linear axis starts at 0 unpadded); the category axis (y) one unit per category.
static void S_bar_limits(const plot_figure *f, const plot_bars *B, plot_frame *fr) {
    double lo = fr->log[0] ? INFINITY : 0, hi = fr->log[0] ? -INFINITY : 0;
    for (int i = 0; i < B->n * B->nb; i++) {
        double u = S_unit(fr, 0, B->v[i]);
        lo = fmin(lo, u), hi = fmax(hi, u);
    }
    S_limits(fr, 0, lo, hi, 0.05, &f->lim[XMIN]);
    if (!fr->log[0] && lo == 0 && isnan(f->lim[XMIN])) fr->lo[0] = 0;
    fr->lo[1] = 0, fr->hi[1] = B->n;
}

// Margins: the category names left of the plot, the value ticks below it; then the ticks that fit.
// legend_w: room kept right of the plot for a legend outside it (0: none).
static void S_bar_layout(cairo_t *cr, const plot_figure *f, const plot_bars *B, plot_frame *fr, plot_ticks t[2],
                         double legend_w) {
    S_font(cr, FONT_LABEL, 0);
    double label = S_cap(cr) * 1.5;
    S_font(cr, FONT_TICK, 0);
    double tick = S_cap(cr), wmax = 0;
    for (int i = 0; i < B->n; i++) wmax = fmax(wmax, S_width(cr, B->names[i]));
    fr->top = 12 + (f->title ? round(FONT_TITLE * 1.6) : 0);
    fr->bottom = round(fr->h - (TICK_LEN + 6 + tick + (f->xlabel ? 9 + label : 0) + 10));
    fr->left = round(10 + (f->ylabel ? label + 8 : 0) + wmax + 8);
    fr->right = round(fr->w - 14 - legend_w);
    memset(&t[1], 0, sizeof t[1]);  // names, not numbers, on the category axis
    S_choose_ticks(cr, fr, 0, &t[0]);
    if (!t[0].n) return;
    double edge = S_at(fr, 0, t[0].at[t[0].n - 1]) + S_tick_width(cr, &t[0], t[0].n - 1) / 2;
    if (edge > fr->w - 6 - legend_w) {  // keep the last value label on the canvas
        fr->right = round(fr->right - (edge - (fr->w - 6 - legend_w)));
        S_choose_ticks(cr, fr, 0, &t[0]);
    }
}

// Bar k of category i in pixels, r = {left, top, right, bottom}: a category's bars fill 70% of its row.
static void S_bar_rect(const plot_frame *fr, const plot_bars *B, int k, int i, double r[4]) {
    double row = (fr->bottom - fr->top) / B->n, h = 0.7 * row / B->nb, top = fr->top + row * (i + 0.15) + h * k;
    double zero = fr->log[0] ? fr->left : fmin(fmax(S_px(fr, 0), fr->left), fr->right);
    double end = fmin(fmax(S_px(fr, B->v[k * B->n + i]), fr->left), fr->right);
    r[0] = S_q(fmin(zero, end)), r[1] = S_q(top), r[2] = S_q(fmax(zero, end)), r[3] = S_q(top + h);
}

// The top and bottom edge of every bar, for placing the legend where it hides none.
static plot_poly S_bar_edges(const plot_frame *fr, const plot_bars *B) {
    int n = 4 * B->n * B->nb;
    plot_poly p = {0, wb_malloc(sizeof(double) * n), wb_malloc(sizeof(double) * n), POLY_PAIRS};
    for (int k = 0; k < B->nb; k++)
        for (int i = 0; i < B->n; i++) {
            double r[4];
            S_bar_rect(fr, B, k, i, r);
            double xs[4] = {r[0], r[2], r[0], r[2]}, ys[4] = {r[1], r[1], r[3], r[3]};
            for (int j = 0; j < 4; j++) p.x[p.n] = xs[j], p.y[p.n++] = ys[j];
        }
    return p;
}

// The bars, one colour per bars: line, and the category names right-aligned left of the plot.
static void S_draw_bars(cairo_t *cr, const plot_frame *fr, const plot_bars *B) {
    for (int k = 0; k < B->nb; k++) {
        for (int i = 0; i < B->n; i++) {
            double r[4];
            S_bar_rect(fr, B, k, i, r);
            cairo_rectangle(cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
        }
        S_color(cr, k, 0.85);
        cairo_fill(cr);
    }
    S_font(cr, FONT_TICK, 0);
    S_ink(cr, INK_TEXT);
    double row = (fr->bottom - fr->top) / B->n, cap = S_cap(cr);
    for (int i = 0; i < B->n; i++) S_text(cr, fr->left - 8, fr->top + row * (i + 0.5) + cap / 2, B->names[i], -1);
}

static void S_figure_bar(cairo_t *cr, const plot_figure *f, const plot_bars *B, plot_frame *fr) {
    plot_ticks t[2];
    plot_entry *e = wb_malloc(sizeof *e * B->nb);  // (nb)
    int labelled = 0;
    for (int k = 0; k < B->nb; k++) {
        e[k] = (plot_entry){B->labels[k], k, 0, 0, 0, 0, 1};
        labelled |= f->bars[k].label != NULL;
    }
    int ne = B->nb > 1 || labelled ? B->nb : 0;
    double w = 0, h = 0, lx = 0, ly = 0;
    S_bar_limits(f, B, fr);
    S_bar_layout(cr, f, B, fr, t, 0);
    if (ne) {
        S_legend_size(cr, e, ne, &w, &h);
        plot_poly edges = S_bar_edges(fr, B);
        int inside = S_legend_inside(fr, w, h, &edges, 1, &lx, &ly);
        S_poly_free(&edges);
        if (!inside) {
            S_bar_layout(cr, f, B, fr, t, w + 10);
            lx = fr->right + 14, ly = fr->top;
        }
    }
    S_draw_grid(cr, fr, t);
    S_draw_bars(cr, fr, B);
    S_draw_axes(cr, f, fr, t);
    if (ne) S_draw_legend(cr, e, ne, lx, ly);
    free(e);
}

// ----- kind: scatter -----------------------------------------------------------------------------

// The decision regions: P(class 1) on a regular grid.
typedef struct {
    int nx, ny;
    double *xs, *ys;  // (nx), (ny) the grid's coordinates, increasing
    double *p;        // (ny, nx) row j at y = ys[j]
} plot_grid;

typedef struct {
    plot_cols pts;  // x, y, and e = class (n)
    plot_grid g;    // nx = 0 without regions
    plot_poly dots, boundary;
} plot_scatter;

enum { MAX_CLASSES = 64 };

static void S_scatter_free(plot_scatter *d) {
    S_cols_free(&d->pts);
    free(d->g.xs), free(d->g.ys), free(d->g.p);
    S_poly_free(&d->dots), S_poly_free(&d->boundary);
    memset(d, 0, sizeof *d);
}

static int S_cmp_num(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// The distinct values of v, sorted, into a new array; *n gets their count.
static double *S_distinct(const double *v, int n, int *count) {
    double *u = wb_malloc(sizeof *u * n);  // (n)
    memcpy(u, v, sizeof *u * n);
    qsort(u, n, sizeof *u, S_cmp_num);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!k || u[i] != u[k - 1]) u[k++] = u[i];
    *count = k;
    return u;
}

// Are the sorted values evenly spaced? To 2% of a step: what printing with a few digits leaves.
static int S_even(const double *v, int n) {
    double step = (v[n - 1] - v[0]) / (n - 1);
    for (int i = 1; i < n; i++)
        if (fabs(v[i] - v[i - 1] - step) > 0.02 * step) return 0;
    return 1;
}

static int S_index(const double *v, int n, double x) {
    const double *at = bsearch(&x, v, n, sizeof *v, S_cmp_num);
    return (int)(at - v);
}

// The regions' rows as a grid: every x with every y, evenly spaced, each once, p in [0, 1].
static int S_make_grid(const char *path, const plot_source *src, plot_cols *c, plot_grid *g, char *err, size_t errlen) {
    g->xs = S_distinct(c->x, c->n, &g->nx), g->ys = S_distinct(c->y, c->n, &g->ny);
    if (g->nx < 2 || g->ny < 2 || (long)g->nx * g->ny != c->n)
        return wb_errf(err, errlen,
                       "%s:%d: regions: %s is not a regular grid (expected every x with every y: %d x values and %d y "
                       "values make %ld rows, found %d)",
                       path, src->line, src->file, g->nx, g->ny, (long)g->nx * g->ny, c->n);
    if (!S_even(g->xs, g->nx) || !S_even(g->ys, g->ny))
        return wb_errf(err, errlen, "%s:%d: regions: the %s values of %s are not evenly spaced", path, src->line,
                       S_even(g->xs, g->nx) ? "y" : "x", src->file);
    g->p = wb_malloc(sizeof(double) * c->n);
    for (int k = 0; k < c->n; k++) g->p[k] = NAN;
    for (int k = 0; k < c->n; k++) {
        double *cell = &g->p[(size_t)S_index(g->ys, g->ny, c->y[k]) * g->nx + S_index(g->xs, g->nx, c->x[k])];
        if (!isnan(*cell))
            return wb_errf(err, errlen, "%s:%d: regions: %s:%d repeats the grid point (%g, %g)", path, src->line,
                           src->file, c->line[k], c->x[k], c->y[k]);
        if (c->e[k] < 0 || c->e[k] > 1)
            return wb_errf(err, errlen, "%s:%d: regions: %s:%d has %s = %g, expected a probability in [0, 1]", path,
                           src->line, src->file, c->line[k], src->extra, c->e[k]);
        *cell = c->e[k];
    }
    return 0;
}

// The points (their classes whole numbers 0..63) and, when asked for, the regions' grid.
static int S_load_scatter(const plot_figure *f, const char *path, const char *dir, plot_scatter *d, char *err,
                          size_t errlen) {
    memset(d, 0, sizeof *d);
    const plot_source *src[2] = {&f->points, &f->regions};
    for (int k = 0; k < 2 && src[k]->file; k++) {
        plot_cols c;
        tsv_table *t = S_read_table(path, dir, src[k], err, errlen);
        int r = t ? S_columns(path, src[k], t, src[k]->y, src[k]->extra, 0, 0, &c, err, errlen) : -1;
        tsv_free(t);
        if (r == 0 && k == 0) d->pts = c;
        if (r == 0 && k == 1) {
            r = S_make_grid(path, src[k], &c, &d->g, err, errlen);
            S_cols_free(&c);
        }
        if (r) return S_scatter_free(d), -1;
    }
    for (int i = 0; i < d->pts.n; i++) {
        double v = d->pts.e[i];
        if (v == floor(v) && v >= 0 && v < MAX_CLASSES) continue;
        wb_errf(err, errlen, "%s:%d: points: %s:%d has %s = %g, expected a class number 0..%d", path, f->points.line,
                f->points.file, d->pts.line[i], f->points.extra, v, MAX_CLASSES - 1);
        return S_scatter_free(d), -1;
    }
    return 0;
}

// The axis limits: the points padded by 5%, and all of the regions' cells (half a step beyond
// the outer grid points), which then fill the plot area exactly.
static void S_scatter_limits(const plot_figure *f, const plot_scatter *d, plot_frame *fr) {
    for (int a = 0; a < 2; a++) {
        const double *v = a ? d->pts.y : d->pts.x;
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < d->pts.n; i++) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
        S_limits(fr, a, lo, hi, 0.05, (const double[2]){NAN, NAN});
        if (d->g.nx) {
            const double *gv = a ? d->g.ys : d->g.xs;
            int n = a ? d->g.ny : d->g.nx;
            double half = (gv[n - 1] - gv[0]) / (n - 1) / 2;
            fr->lo[a] = fmin(fr->lo[a], gv[0] - half), fr->hi[a] = fmax(fr->hi[a], gv[n - 1] + half);
        }
        S_limits(fr, a, fr->lo[a], fr->hi[a], 0, &f->lim[a ? YMIN : XMIN]);
    }
}

// The colour of the regions where P(class 1) = p: white at 0.5, deepening towards a pale tint of
// class 0's colour at p = 0 and of class 1's at p = 1.
static uint32_t S_region_pixel(double p) {
    const double *c = S_PALETTE[p >= 0.5], t = fabs(p - 0.5) * 2 * 0.3;
    uint32_t px = 0xffu << 24;
    for (int k = 0; k < 3; k++) px |= (uint32_t)lround(255 * (1 - t + t * c[k])) << (16 - 8 * k);
    return px;
}

// The regions as an image of one pixel per grid cell, scaled onto the cells' place in the plot:
// a small embedded PNG in the SVG, where a rectangle per cell would be many times larger.
static void S_draw_regions(cairo_t *cr, const plot_frame *fr, const plot_grid *g) {
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, g->nx, g->ny);
    int stride = cairo_image_surface_get_stride(img);
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    for (int j = 0; j < g->ny; j++) {
        uint32_t *row = (uint32_t *)(data + (size_t)(g->ny - 1 - j) * stride);  // top row: highest y
        for (int i = 0; i < g->nx; i++) row[i] = S_region_pixel(g->p[(size_t)j * g->nx + i]);
    }
    cairo_surface_mark_dirty(img);
    double hx = (g->xs[1] - g->xs[0]) / 2, hy = (g->ys[1] - g->ys[0]) / 2;
    double x0 = S_px(fr, g->xs[0] - hx), x1 = S_px(fr, g->xs[g->nx - 1] + hx);
    double y0 = S_py(fr, g->ys[g->ny - 1] + hy), y1 = S_py(fr, g->ys[0] - hy);
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    cairo_translate(cr, x0, y0);
    cairo_scale(cr, (x1 - x0) / g->nx, (y1 - y0) / g->ny);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_rectangle(cr, 0, 0, g->nx, g->ny);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

// The p = 0.5 contour by marching squares, as separate segments in pixels. In each square of four
// neighbouring grid points, p crosses 0.5 on the edges whose ends lie on either side (placed by
// linear interpolation); two crossings make a segment; four (a saddle) are paired by the square's
// mean, which says whether the two corners above 0.5 are joined through the middle.
static plot_poly S_contour(const plot_frame *fr, const plot_grid *g) {
    size_t cap = 64;
    plot_poly b = {0, wb_malloc(sizeof(double) * cap), wb_malloc(sizeof(double) * cap), POLY_PAIRS};
    for (int j = 0; j + 1 < g->ny; j++)
        for (int i = 0; i + 1 < g->nx; i++) {
            static const int ci[4] = {0, 1, 1, 0}, cj[4] = {0, 0, 1, 1};  // corners counter-clockwise
            double v[4], ex[4], ey[4], mean = 0;
            for (int k = 0; k < 4; k++) mean += (v[k] = g->p[(size_t)(j + cj[k]) * g->nx + i + ci[k]] - 0.5) / 4;
            int cross[4], n = 0;
            for (int k = 0, l = 1; k < 4; k++, l = (k + 1) % 4) {
                if ((v[k] > 0) == (v[l] > 0)) continue;
                double t = v[k] / (v[k] - v[l]);
                ex[k] = S_px(fr, g->xs[i + ci[k]] + t * (g->xs[i + ci[l]] - g->xs[i + ci[k]]));
                ey[k] = S_py(fr, g->ys[j + cj[k]] + t * (g->ys[j + cj[l]] - g->ys[j + cj[k]]));
                cross[n++] = k;
            }
            if (n == 4 && (mean > 0) != (v[0] > 0)) cross[0] = 3, cross[1] = 0, cross[2] = 1, cross[3] = 2;
            if ((size_t)b.n + 4 > cap) {
                b.x = wb_realloc(b.x, sizeof(double) * (cap *= 2)), b.y = wb_realloc(b.y, sizeof(double) * cap);
            }
            for (int k = 0; k < n; k++) b.x[b.n] = ex[cross[k]], b.y[b.n++] = ey[cross[k]];
        }
    S_quantise(&b);
    return b;
}

// The points in pixels, for the legend to avoid.
static plot_poly S_dots(const plot_frame *fr, const plot_cols *c) {
    plot_poly p = {c->n, wb_malloc(sizeof(double) * c->n), wb_malloc(sizeof(double) * c->n), POLY_POINTS};
    for (int i = 0; i < c->n; i++) p.x[i] = S_px(fr, c->x[i]), p.y[i] = S_py(fr, c->y[i]);
    S_quantise(&p);
    return p;
}

static void S_scatter_geometry(const plot_frame *fr, plot_scatter *d) {
    S_poly_free(&d->dots), S_poly_free(&d->boundary);
    d->dots = S_dots(fr, &d->pts);
    if (d->g.nx) d->boundary = S_contour(fr, &d->g);
}

// The boundary, then the points class by class: a white halo under each dot keeps it apart from
// its neighbours and from the boundary line. Past HALO_MAX points the halos would double the SVG
// and, that dense, no longer separate much: plain dots then.
enum { HALO_MAX = 1500 };
static void S_draw_points(cairo_t *cr, const plot_frame *fr, const plot_scatter *d) {
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i + 1 < d->boundary.n; i += 2) {
        cairo_move_to(cr, d->boundary.x[i], d->boundary.y[i]);
        cairo_line_to(cr, d->boundary.x[i + 1], d->boundary.y[i + 1]);
    }
    cairo_set_line_width(cr, 2);
    S_ink(cr, INK_TEXT);
    cairo_stroke(cr);
    for (int c = 0; c < MAX_CLASSES; c++) {
        int any = 0;
        for (int i = 0; i < d->pts.n; i++)
            if (d->pts.e[i] == c) S_dot(cr, d->dots.x[i], d->dots.y[i]), any = 1;
        if (!any) continue;
        if (d->pts.n <= HALO_MAX) {
            cairo_set_line_width(cr, 8.5);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_stroke_preserve(cr);
        }
        cairo_set_line_width(cr, 6.5);
        S_color(cr, c, 1);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

// A legend line for each class present, and one for the boundary.
static int S_scatter_entries(const plot_scatter *d, plot_entry *e, char names[][16]) {
    int n = 0;
    for (int c = 0; c < MAX_CLASSES; c++) {
        int any = 0;
        for (int i = 0; i < d->pts.n && !any; i++) any = d->pts.e[i] == c;
        if (!any) continue;
        snprintf(names[n], 16, "class %d", c % MAX_CLASSES);
        e[n] = (plot_entry){names[n], c, 1, 0, 0, 0, 0};
        n++;
    }
    if (d->g.nx) e[n++] = (plot_entry){"decision boundary (p = 0.5)", -1, 0, 0, 0, 0, 0};
    return n;
}

static void S_figure_scatter(cairo_t *cr, const plot_figure *f, plot_scatter *d, plot_frame *fr) {
    plot_ticks t[2];
    plot_entry e[MAX_CLASSES + 1];
    char names[MAX_CLASSES][16];
    int ne = S_scatter_entries(d, e, names);
    double w, h, lx, ly;
    S_scatter_limits(f, d, fr);
    S_layout(cr, f, fr, t, 0);
    S_scatter_geometry(fr, d);
    S_legend_size(cr, e, ne, &w, &h);
    plot_poly obst[2] = {d->dots, d->boundary};
    if (!S_legend_inside(fr, w, h, obst, 2, &lx, &ly)) {
        S_layout(cr, f, fr, t, w + 10);
        S_scatter_geometry(fr, d);
        lx = fr->right + 14, ly = fr->top;
    }
    if (d->g.nx) S_draw_regions(cr, fr, &d->g);
    S_draw_grid(cr, fr, t);
    S_draw_points(cr, fr, d);
    S_draw_axes(cr, f, fr, t);
    S_draw_legend(cr, e, ne, lx, ly);
}

// ----- output: SVG or PNG, in memory, then written atomically -------------------------------------

typedef struct {
    unsigned char *data;
    size_t len, cap;
} plot_buf;

static void S_append(plot_buf *b, const void *data, size_t len) {
    if (b->len + len > b->cap) {
        b->cap = b->len + len > 2 * b->cap ? b->len + len : 2 * b->cap;
        b->data = wb_realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static cairo_status_t S_write(void *closure, const unsigned char *data, unsigned int len) {
    S_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

// Cairo names some SVG ids after process-wide counters ("surface9", "image13"): the same figure
// drawn after another in one process would get other ids. Renumber them from 1 in order of first
// appearance, so that a figure's bytes depend on nothing but the figure.
static void S_svg_renumber(plot_buf *b) {
    static const char *const prefix[] = {"surface", "image", "source", "pattern", "mask", "clip"};
    enum { NP = sizeof prefix / sizeof prefix[0] };
    long *seen[NP] = {NULL};  // (nseen[k]) the old numbers of prefix k, in order of appearance
    int nseen[NP] = {0};
    plot_buf out = {0};
    for (size_t i = 0; i < b->len;) {
        int k = NP;
        size_t n = 0;
        if (b->data[i] == '"' || b->data[i] == '#')
            for (k = 0; k < NP; k++) {
                n = strlen(prefix[k]);
                if (i + 1 + n < b->len && !memcmp(b->data + i + 1, prefix[k], n) && isdigit(b->data[i + 1 + n])) break;
            }
        if (k == NP) {
            S_append(&out, b->data + i++, 1);
            continue;
        }
        char *end, num[32];
        long id = strtol((char *)b->data + i + 1 + n, &end, 10);
        int j = 0;
        while (j < nseen[k] && seen[k][j] != id) j++;
        if (j == nseen[k]) {
            seen[k] = wb_realloc(seen[k], sizeof(long) * (nseen[k] + 1));
            seen[k][nseen[k]++] = id;
        }
        snprintf(num, sizeof num, "%c%s%d", b->data[i], prefix[k], j + 1);
        S_append(&out, num, strlen(num));
        i = (size_t)(end - (char *)b->data);
    }
    for (int k = 0; k < NP; k++) free(seen[k]);
    free(b->data);
    *b = out;
}

// Draw one figure into memory: SVG, or PNG when png is set. Returns 0, or -1 with
// "chapter.md:LINE: ..." in err (bad data); nothing is written anywhere.
int plot_render(const plot_figure *f, const char *path, const char *dir, int png, plot_buf *out, char *err,
                size_t errlen) {
    plot_lines L = {0};
    plot_scatter d = {0};
    plot_bars bars = {0};
    memset(out, 0, sizeof *out);
    int bad = f->kind == PLOT_LINE  ? S_load_lines(f, path, dir, &L, err, errlen)
              : f->kind == PLOT_BAR ? S_load_bars(f, path, dir, &bars, err, errlen)
                                    : S_load_scatter(f, path, dir, &d, err, errlen);
    if (bad) return -1;
    cairo_surface_t *s = png ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, f->w, f->h)
                             : cairo_svg_surface_create_for_stream(S_write, out, f->w, f->h);
    if (!png) cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    plot_frame fr = {.w = f->w, .h = f->h, .log = {f->xlog, f->ylog}};
    if (f->kind == PLOT_LINE) S_figure_line(cr, f, &L, &fr);
    else if (f->kind == PLOT_BAR) S_figure_bar(cr, f, &bars, &fr);
    else S_figure_scatter(cr, f, &d, &fr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (png && !status) status = cairo_surface_write_to_png_stream(s, S_write, out);
    cairo_surface_finish(s);
    if (!status) status = cairo_surface_status(s);
    cairo_surface_destroy(s);
    S_lines_free(&L), S_scatter_free(&d), S_bars_free(&bars);
    if (status) {
        free(out->data), memset(out, 0, sizeof *out);
        return wb_errf(err, errlen, "%s:%d: figure '%s': drawing failed: %s", path, f->line, f->id,
                       cairo_status_to_string(status));
    }
    if (!png) S_svg_renumber(out);
    return 0;
}

// The output file's name: the block's file=NAME.svg, or NAME.png.
static char *S_out_name(const plot_figure *f, int png) {
    char *name = wb_strdup(f->file);
    if (png) strcpy(name + strlen(name) - 4, ".png");
    return name;
}

// Draw every figure of a chapter (only the one with id only, unless NULL) into the folder out,
// each file written atomically. Returns the number drawn, or -1 with the message in err.
int plot_draw_chapter(const char *chapter, const char *data, const char *out, int png, const char *only, char *err,
                      size_t errlen) {
    char *text = wb_read_file(chapter, NULL);
    if (!text) return wb_errf(err, errlen, "%s: cannot read: %s", chapter, strerror(errno));
    plot_chapter ch;
    int r = plot_parse(chapter, text, &ch, err, errlen), drawn = 0;
    free(text);
    if (r) return -1;
    for (int i = 0; i < ch.n && r == 0; i++) {
        if (only && strcmp(only, ch.figs[i].id)) continue;
        plot_buf buf;
        if ((r = plot_render(&ch.figs[i], chapter, data, png, &buf, err, errlen)) != 0) break;
        if (!drawn++) wb_mkdirs(out);
        char *name = S_out_name(&ch.figs[i], png), *file = wb_path_join(out, name);
        wb_write_file(file, (const char *)buf.data, buf.len);
        free(name), free(file), free(buf.data);
    }
    plot_chapter_free(&ch);
    if (r == 0 && only && !drawn) r = wb_errf(err, errlen, "%s: no figure with id '%s'", chapter, only);
    return r ? -1 : drawn;
}

#ifndef TESTING
int main(int argc, char **argv) {
    const char *chapter = NULL, *data = NULL, *out = NULL, *only = NULL;
    int png = 0;
    flag_spec specs[] = {
        {"chapter", FLAG_STRING, &chapter, "the chapter.md whose figure blocks to draw", 0, 0},
        {"data", FLAG_STRING, &data, "the chapter's out/ folder, holding the TSV files", 0, 0},
        {"out", FLAG_STRING, &out, "folder to write the figures into", 0, 0},
        {"png", FLAG_BOOL, &png, "write PNG instead of SVG (NAME.png)", 0, 0},
        {"only", FLAG_STRING, &only, "draw only the figure with this id", 0, 0},
    };
    wb_set_progname(argv[0]);
    flags_parse(argc, argv, specs, FLAGS_COUNT(specs),
                "plot --chapter chapters/NN-name/chapter.md --data build/NN-name/out --out DIR [--png] [--only ID]");
    if (!chapter || !data || !out) wb_die("expected --chapter FILE, --data DIR and --out DIR (see --help)");
    char err[2048];
    if (plot_draw_chapter(chapter, data, out, png, only, err, sizeof err) < 0) wb_die("%s", err);
    return 0;
}
#endif
