// weave.c — the weaver: chapters/NN-name/chapter.md plus the chapter's outputs -> one HTML page (libcmark).
//
// Authors write CommonMark plus a few directives (docs/AUTHORING.md): $math$ and $$math$$, {{placeholders}}
// for computed values, code listings included from the chapter program, figure and table blocks, and
// @fig:/@tab:/@sec: references. cmark knows none of them. Worse, it destroys TeX — it eats "\{" and "\\",
// turns "_" and "*" between two formulas into emphasis, makes a "+" line of a display block a list — and
// its tree carries no source positions with which to repair that afterwards. So the weaver works in steps:
//
//   1. split the text into prose and fenced blocks, and number the figures and tables (so that a
//      reference may come before its figure);
//   2. rewrite the prose into plain Markdown, replacing every formula, computed value, reference and
//      directive block by a token (U+E000, an index, U+E001: private-use characters cmark passes through);
//   3. parse with cmark and swap every token in the tree for the node it stands for — HTML for math,
//      references and blocks; a text node, which cmark escapes, for values from the program's outputs;
//   4. number the headings and wrap the article in the page: head, contents sidebar, previous/next links.
//
// Every mistake an author can make is found in steps 1-2, where the line is known, and is reported as
// "chapters/NN-name/chapter.md:LINE: what was wrong; what was expected". Errors unwind with longjmp to
// weave_chapter(), which frees everything: all memory of one weave belongs to its context (a pool freed
// in one go), so an early exit leaks nothing and no output is written.
//
// Limits, on purpose: math and placeholders are recognised everywhere but in fenced code and code spans, so
// a "$" in an indented code block or a raw HTML attribute is read as math (a formula that lands in code is
// put back as written, but write fenced code); every unescaped "$" opens a formula (write \$ for a dollar);
// a figure, table or listing is a block of its own.
//
// Command line (the Makefile's):
//   weave --toc chapters/00-preface chapters/01-scalar ...       one "dir<TAB>page<TAB>number<TAB>title" a line
//   weave --chapter chapters/NN-name --data build/NN-name/out --figures book/figures/NN-name
//         --toc build/toc.tsv --out book/NN-name.html [--math-out build/NN-name/math.tsv]
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark.h>

#include "flags.h"
#include "tsv.h"
#include "wb.h"

// ----- the interface ---------------------------------------------------------------------------------------

// One chapter of the table of contents (one line of `weave --toc`).
typedef struct {
    char *dir;    // the chapter's folder name: "01-scalar"
    char *page;   // "01-scalar.html"; "index.html" for a 00- folder
    int number;   // 1
    char *title;  // the text of its first "# " heading
} weave_entry;

typedef struct {
    weave_entry *e;  // (n) in book order
    int n;
} weave_toc;

typedef struct {
    const char *md_path;      // "chapters/01-scalar/chapter.md": named in every message
    const char *chapter_dir;  // code listings are read from here
    const char *data_dir;     // results (*.txt) and TSV files: build/01-scalar/out
    const char *figures_dir;  // every figure's file must exist here: book/figures/01-scalar
    const char *name;         // "01-scalar": figure URLs and the current entry of the contents
    int number;               // 1: numbers figures, tables and headings
    const weave_toc *toc;     // the book, for the sidebar, previous/next and @sec: (may be NULL)
} weave_opts;

typedef struct {
    char *body;  // the article: cmark's HTML with everything substituted
    char *page;  // the whole page
    char *math;  // every formula, one "line<TAB>display<TAB>tex" a line (tab, newline, backslash escaped)
} weave_output;

// Weave one chapter's text. 0 and *out filled (free with weave_output_free), or -1 with
// "md_path:LINE: what was wrong; what was expected" in err and nothing allocated.
int weave_chapter(const weave_opts *o, const char *md, size_t len, weave_output *out, char *err, size_t errlen);
void weave_output_free(weave_output *out);

// The text of the first "# " heading outside fenced code: 0 and a malloc'd *title, or -1 with a message.
int weave_title(const char *md_path, const char *md, size_t len, char **title, char *err, size_t errlen);

// The table of contents file written by `weave --toc`; NULL with "path:line: ..." in err.
weave_toc *weave_toc_read(const char *path, char *err, size_t errlen);
void weave_toc_free(weave_toc *t);

// One line of `weave --toc` for a chapter folder (malloc'd, ends in "\n"), or NULL with a message.
char *weave_toc_line(const char *dir, char *err, size_t errlen);

// What main does for --chapter: read, weave, write the page (and the formulas) atomically.
// 0, or -1 with the message in err and no file written.
typedef struct {
    const char *chapter, *data, *figures, *toc, *out, *math_out;
} weave_args;
int weave_run(const weave_args *a, char *err, size_t errlen);

// ----- the context: one weave's memory, tables and error exit ----------------------------------------------

typedef struct ctx ctx;
typedef struct {
    size_t a, b;  // [a, b): byte offsets into the chapter text
} range;

// A growing string owned by the context; s is always NUL-terminated.
typedef struct {
    ctx *c;
    char *s;
    size_t len, cap;
} sbuf;

// What a token in the rewritten Markdown stands for.
typedef struct {
    char kind;  // 'i' inline math, 'd' display math (text: TeX); 'v' a value (plain text);
                // 'h' inline HTML, 'b' block HTML (text: HTML)
    const char *text;
    range src;  // the author's text it replaced, put back where a token lands in code
} token;

// A numbered figure or table of this chapter.
typedef struct {
    char kind;  // 'f' or 't'
    const char *id;
    int number;
} label;

typedef struct {
    const char *name;
    void *data;  // results_file* or tsv_table*
} cached;

struct ctx {
    const weave_opts *o;
    const char *src;  // the chapter text, CRLF turned into LF
    size_t len;
    range *lines;  // (nlines) without their '\n'
    int nlines;
    jmp_buf fail;
    char *err;
    size_t errlen;
    void **pool;  // (npool) every block allocated for this weave
    size_t npool, cappool;
    token *tok;
    int ntok, captok;
    label *lab;
    int nlab, caplab;
    cached *res, *tsv;  // results files and TSV tables read so far
    int nres, capres, ntsv, captsv;
    sbuf *math;      // --math-out lines
    sbuf *sections;  // the sidebar's <li> of each "## " heading
    cmark_node *doc;
};

static void S_fail(ctx *c, size_t pos, const char *fmt, ...) WB_PRINTF(3, 4) WB_NORETURN;

static void *S_alloc(ctx *c, size_t n) {
    if (c->npool == c->cappool) {
        c->cappool = c->cappool ? c->cappool * 2 : 256;
        c->pool = wb_realloc(c->pool, sizeof(void *) * c->cappool);
    }
    return c->pool[c->npool++] = wb_malloc(n);
}

// Make room for one more element of a pool-owned array; returns the (maybe moved) array.
static void *S_grow(ctx *c, void *arr, int n, int *cap, size_t size) {
    if (n < *cap) return arr;
    *cap = *cap ? *cap * 2 : 16;
    void *bigger = S_alloc(c, (size_t)*cap * size);
    if (n) memcpy(bigger, arr, (size_t)n * size);
    return bigger;
}

static char *S_strndup(ctx *c, const char *s, size_t n) {
    char *d = S_alloc(c, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *S_str(ctx *c, range r) { return S_strndup(c, c->src + r.a, r.b - r.a); }

static sbuf *S_buf(ctx *c) {
    sbuf *b = S_alloc(c, sizeof *b);
    b->c = c, b->len = 0, b->cap = 64;
    b->s = S_alloc(c, b->cap);
    b->s[0] = '\0';
    return b;
}

// Room for n more bytes and the NUL. Growth takes a new block from the pool; the old one goes with the pool.
static void S_reserve(sbuf *b, size_t n) {
    if (b->len + n + 1 <= b->cap) return;
    while (b->len + n + 1 > b->cap) b->cap *= 2;
    char *bigger = S_alloc(b->c, b->cap);
    memcpy(bigger, b->s, b->len + 1);
    b->s = bigger;
}

static void S_put(sbuf *b, const char *s, size_t n) {
    S_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->s[b->len += n] = '\0';
}

static void S_puts(sbuf *b, const char *s) { S_put(b, s, strlen(s)); }
static void S_putc(sbuf *b, char ch) { S_put(b, &ch, 1); }

static void S_printf(sbuf *b, const char *fmt, ...) WB_PRINTF(2, 3);
static void S_printf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);  // measure, then print in place: no length limit
    va_end(ap);
    if (n <= 0) return;
    S_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

// Append text with &, <, > and " escaped: everything from data files, program output and TeX goes here.
static void S_esc(sbuf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&'   ? "&amp;"
                        : s[i] == '<' ? "&lt;"
                        : s[i] == '>' ? "&gt;"
                        : s[i] == '"' ? "&quot;"
                                      : NULL;
        if (e) S_puts(b, e);
        else S_putc(b, s[i]);
    }
}

static void S_escs(sbuf *b, const char *s) { S_esc(b, s, strlen(s)); }

// The 1-based line of a byte offset into the chapter text.
static int S_line(const ctx *c, size_t pos) {
    int lo = 0, hi = c->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (c->lines[mid].a <= pos) lo = mid;
        else hi = mid - 1;
    }
    return lo + 1;
}

// Report "md_path:LINE: message" and unwind to weave_chapter().
static void S_fail(ctx *c, size_t pos, const char *fmt, ...) {
    int n = snprintf(c->err, c->errlen, "%s:%d: ", c->o->md_path, S_line(c, pos));
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < c->errlen) vsnprintf(c->err + n, c->errlen - n, fmt, ap);
    va_end(ap);
    longjmp(c->fail, 1);
}

static void S_ctx_free(ctx *c) {
    if (c->doc) cmark_node_free(c->doc);
    for (int i = 0; i < c->nres; i++) results_free(c->res[i].data);
    for (int i = 0; i < c->ntsv; i++) tsv_free(c->tsv[i].data);
    for (size_t i = 0; i < c->npool; i++) free(c->pool[i]);
    free(c->pool);
    free(c);
}

// A context for one text: CRLF normalised (offsets and line numbers then agree with the author's
// editor), split into lines.
static ctx *S_ctx_new(const weave_opts *o, const char *md, size_t len, char *err, size_t errlen) {
    ctx *c = wb_calloc(1, sizeof *c);
    c->o = o, c->err = err, c->errlen = errlen;
    char *s = S_alloc(c, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(md[i] == '\r' && i + 1 < len && md[i + 1] == '\n')) s[n++] = md[i];
    s[n] = '\0';
    c->src = s, c->len = n;
    int cap = 0;
    size_t a = 0;
    do {  // "a\nb\n" and "a\nb" are two lines; "" is one, empty
        const char *nl = memchr(s + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - s) : n;
        c->lines = S_grow(c, c->lines, c->nlines, &cap, sizeof *c->lines);
        c->lines[c->nlines++] = (range){a, b};
        a = b + 1;
    } while (a < n);
    c->math = S_buf(c);
    c->sections = S_buf(c);
    return c;
}

// ----- small text helpers ----------------------------------------------------------------------------------

static int S_at(const ctx *c, size_t i, size_t end, const char *lit) {
    size_t n = strlen(lit);
    return i + n <= end && memcmp(c->src + i, lit, n) == 0;
}

static range S_trim(const ctx *c, size_t a, size_t b) {
    while (a < b && isspace((unsigned char)c->src[a])) a++;
    while (b > a && isspace((unsigned char)c->src[b - 1])) b--;
    return (range){a, b};
}

static int S_is_blank(const ctx *c, int l) {
    range r = S_trim(c, c->lines[l].a, c->lines[l].b);
    return r.a == r.b;
}

static int S_idchar(char ch) { return isalnum((unsigned char)ch) || ch == '_' || ch == '-'; }

// The end of the paragraph holding position i: the '\n' before the next blank line, or end.
// Code spans and formulas never cross it, so an unclosed one is reported where it opened.
static size_t S_para_end(const ctx *c, size_t i, size_t end) {
    for (size_t j = i; j < end; j++) {
        if (c->src[j] != '\n') continue;
        size_t k = j + 1;
        while (k < end && (c->src[k] == ' ' || c->src[k] == '\t')) k++;
        if (k >= end || c->src[k] == '\n') return j;
    }
    return end;
}

// If a code span opens at i (a run of n backticks closed by a run of exactly n before end), its end; else 0.
static size_t S_code_end(const ctx *c, size_t i, size_t end) {
    const char *s = c->src;
    size_t n = 0;
    while (i + n < end && s[i + n] == '`') n++;
    for (size_t j = i + n; j < end;) {
        if (s[j] != '`') {
            j++;
            continue;
        }
        size_t m = 0;
        while (j + m < end && s[j + m] == '`') m++;
        if (m == n) return j + m;
        j += m;
    }
    return 0;
}

// A name inside out/ or the chapter folder: letters, digits, '.', '_', '-', with '/' between names;
// never absolute and never "..", so that an author's name cannot reach outside the folder.
static void S_check_relpath(ctx *c, size_t pos, const char *p, const char *what) {
    int ok = *p && *p != '/' && p[strlen(p) - 1] != '/' && !strstr(p, "..") && !strstr(p, "//");
    for (const char *q = p; ok && *q; q++) ok = S_idchar(*q) || *q == '.' || *q == '/';
    if (!ok)
        S_fail(c, pos,
               "'%s' is not a file name inside %s; expected a relative name of letters, digits, '.', '_', '-' "
               "and '/', without '..'",
               p, what);
}

static int S_exists(const char *path) { return access(path, R_OK) == 0; }

static char *S_join(ctx *c, const char *dir, const char *name) {
    char *p = wb_path_join(dir, name);
    char *q = S_strndup(c, p, strlen(p));
    free(p);
    return q;
}

// ----- fenced blocks and their attributes ------------------------------------------------------------------

typedef struct {
    char ch;     // '`' or '~'
    int n;       // length of the opening run
    int indent;  // spaces before it
    range info;  // the info string, trimmed
} fence;

typedef struct {
    range key, val;
} attr;

typedef enum { SEG_PROSE, SEG_CODE, SEG_FIGURE, SEG_TABLE, SEG_INCLUDE } seg_kind;

// A run of prose lines, or one fenced block with its body lines [body_a, body_b).
typedef struct {
    seg_kind kind;
    int first, last;  // lines [first, last)
    int body_a, body_b;
    fence f;
    attr *attrs;
    int nattrs;
} segment;

// Whether line l opens a fence ("```" or "~~~", any indent: fences inside list items count too).
static int S_fence_open(const ctx *c, int l, fence *f) {
    const char *s = c->src;
    range r = c->lines[l];
    size_t i = r.a;
    while (i < r.b && s[i] == ' ') i++;
    if (i >= r.b || (s[i] != '`' && s[i] != '~')) return 0;
    size_t j = i;
    while (j < r.b && s[j] == s[i]) j++;
    if (j - i < 3) return 0;
    if (s[i] == '`' && memchr(s + j, '`', r.b - j)) return 0;  // "```x``` y" is a code span, not a fence
    f->ch = s[i], f->n = (int)(j - i), f->indent = (int)(i - r.a);
    f->info = S_trim(c, j, r.b);
    return 1;
}

static int S_fence_close(const ctx *c, int l, const fence *f) {
    range r = S_trim(c, c->lines[l].a, c->lines[l].b);
    size_t j = r.a;
    while (j < r.b && c->src[j] == f->ch) j++;
    return j == r.b && (int)(r.b - r.a) >= f->n;
}

static const char *S_kind_name(seg_kind k) {
    return k == SEG_FIGURE ? "figure" : k == SEG_TABLE ? "table" : k == SEG_INCLUDE ? "include" : "code";
}

// The first word of the info string decides: figure, table, a code include (a word "include=..."), or code.
static seg_kind S_fence_kind(const ctx *c, const fence *f) {
    range r = f->info;
    size_t w = r.a;
    while (w < r.b && !isspace((unsigned char)c->src[w])) w++;
    if (w - r.a == 6 && memcmp(c->src + r.a, "figure", 6) == 0) return SEG_FIGURE;
    if (w - r.a == 5 && memcmp(c->src + r.a, "table", 5) == 0) return SEG_TABLE;
    for (size_t i = r.a; i + 8 <= r.b; i++)
        if ((i == r.a || isspace((unsigned char)c->src[i - 1])) && S_at(c, i, r.b, "include=")) return SEG_INCLUDE;
    return SEG_CODE;
}

// Parse one "key=value" or key="value" at i; returns the position after it.
static size_t S_attr_one(ctx *c, segment *g, size_t i, size_t end, int *cap) {
    const char *s = c->src;
    size_t k = i;
    while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
    if (i == k || i >= end || s[i] != '=')
        S_fail(c, k, "unexpected '%.*s' in a %s block's first line; expected key=value or key=\"value\"",
               (int)strcspn(s + k, " \t\n"), s + k, S_kind_name(g->kind));
    attr a = {{k, i}, {i + 1, i + 1}};
    if (++i < end && s[i] == '"') {
        const char *q = memchr(s + i + 1, '"', end - i - 1);
        if (!q) S_fail(c, k, "unterminated quoted value of '%.*s'; expected a closing '\"'", (int)(a.key.b - k), s + k);
        a.val = (range){i + 1, (size_t)(q - s)};
        i = (size_t)(q - s) + 1;
    } else {
        while (i < end && !isspace((unsigned char)s[i])) i++;
        a.val = (range){a.key.b + 1, i};
    }
    if (a.val.a == a.val.b) S_fail(c, k, "empty value of '%.*s'; expected key=value", (int)(a.key.b - k), s + k);
    g->attrs = S_grow(c, g->attrs, g->nattrs, cap, sizeof *g->attrs);
    g->attrs[g->nattrs++] = a;
    return i;
}

// The attributes of a directive's info string, each checked against the keys its kind accepts.
static void S_attrs(ctx *c, segment *g) {
    static const char *known[] = {
        [SEG_FIGURE] = "id, file", [SEG_TABLE] = "id, caption, tsv", [SEG_INCLUDE] = "include"};
    size_t i = g->f.info.a, end = g->f.info.b;
    int cap = 0;
    while (i < end && !isspace((unsigned char)c->src[i])) i++;  // the first word: figure, table or a language
    if (memchr(c->src + g->f.info.a, '=', i - g->f.info.a))
        S_fail(c, g->f.info.a,
               "a %s block's first word is '%.*s'; expected its kind or language first, like ```c "
               "include=prog.c:forward",
               S_kind_name(g->kind), (int)(i - g->f.info.a), c->src + g->f.info.a);
    for (;;) {
        while (i < end && isspace((unsigned char)c->src[i])) i++;
        if (i >= end) break;
        i = S_attr_one(c, g, i, end, &cap);
        attr *a = &g->attrs[g->nattrs - 1];
        char key[80], list[80];
        snprintf(key, sizeof key, " %.*s,", (int)(a->key.b - a->key.a), c->src + a->key.a);
        snprintf(list, sizeof list, " %s,", known[g->kind]);
        if (!strstr(list, key))
            S_fail(c, a->key.a, "unknown attribute '%.*s' of a %s block; expected one of: %s",
                   (int)(a->key.b - a->key.a), c->src + a->key.a, S_kind_name(g->kind), known[g->kind]);
    }
}

static const attr *S_attr(const ctx *c, const segment *g, const char *key) {
    for (int i = 0; i < g->nattrs; i++)
        if (g->attrs[i].key.b - g->attrs[i].key.a == strlen(key) && S_at(c, g->attrs[i].key.a, g->attrs[i].key.b, key))
            return &g->attrs[i];
    return NULL;
}

// Split the text into prose runs and fenced blocks. An unclosed code fence runs to the end (as in
// CommonMark); an unclosed directive is an error, since its end decides what it holds.
static segment *S_segments(ctx *c, int *nseg) {
    segment *segs = NULL;
    int n = 0, cap = 0;
    for (int l = 0; l < c->nlines;) {
        fence f;
        segs = S_grow(c, segs, n, &cap, sizeof *segs);
        if (!S_fence_open(c, l, &f)) {
            if (n == 0 || segs[n - 1].kind != SEG_PROSE) segs[n++] = (segment){.kind = SEG_PROSE, .first = l};
            segs[n - 1].last = ++l;
            continue;
        }
        int k = l + 1;
        while (k < c->nlines && !S_fence_close(c, k, &f)) k++;
        segment g = {.kind = S_fence_kind(c, &f), .first = l, .body_a = l + 1, .body_b = k, .f = f};
        if (g.kind != SEG_CODE && k == c->nlines)
            S_fail(c, c->lines[l].a, "unterminated %s block; expected a closing %.*s line", S_kind_name(g.kind), f.n,
                   f.ch == '`' ? "``````````````````````````````" : "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
        if (g.kind != SEG_CODE) S_attrs(c, &g);
        l = g.last = k < c->nlines ? k + 1 : k;
        segs[n++] = g;
    }
    *nseg = n;
    return segs;
}

// ----- figure and table numbers: step 1, so that references may point forward ------------------------------

static const label *S_label(const ctx *c, char kind, const char *id) {
    for (int i = 0; i < c->nlab; i++)
        if (c->lab[i].kind == kind && strcmp(c->lab[i].id, id) == 0) return &c->lab[i];
    return NULL;
}

// The ids of one kind, for "expected one of" in messages.
static char *S_known_ids(ctx *c, char kind) {
    sbuf *b = S_buf(c);
    for (int i = 0; i < c->nlab; i++)
        if (c->lab[i].kind == kind) S_printf(b, "%s%s", b->len ? ", " : "", c->lab[i].id);
    return b->len ? b->s : "(none in this chapter)";
}

static void S_number_block(ctx *c, const segment *g, int *nfig, int *ntab) {
    const char *what = g->kind == SEG_FIGURE ? "figure" : "table";
    size_t pos = c->lines[g->first].a;
    const attr *id = S_attr(c, g, "id");
    if (!id) S_fail(c, pos, "%s block without id; expected ```%s id=NAME ...", what, what);
    char *s = S_str(c, id->val);
    for (const char *p = s; *p; p++)
        if (!S_idchar(*p))
            S_fail(c, id->val.a, "%s id '%s' has a character other than letters, digits, '_' and '-'", what, s);
    char kind = g->kind == SEG_FIGURE ? 'f' : 't';
    if (S_label(c, kind, s))
        S_fail(c, id->val.a, "duplicate %s id '%s'; expected each %s id once in a chapter", what, s, what);
    if (g->kind == SEG_FIGURE && !S_attr(c, g, "file"))
        S_fail(c, pos, "figure block without file; expected ```figure id=%s file=NAME.svg", s);
    c->lab = S_grow(c, c->lab, c->nlab, &c->caplab, sizeof *c->lab);
    c->lab[c->nlab++] = (label){kind, s, kind == 'f' ? ++*nfig : ++*ntab};
}

static void S_number_all(ctx *c, const segment *segs, int n) {
    int nfig = 0, ntab = 0;
    for (int i = 0; i < n; i++)
        if (segs[i].kind == SEG_FIGURE || segs[i].kind == SEG_TABLE) S_number_block(c, &segs[i], &nfig, &ntab);
}

// ----- computed values: {{file:key*scale %fmt}} ------------------------------------------------------------

typedef struct {
    const char *file;  // "results" unless named
    const char *key;
    double scale;
    int scaled;
    const char *fmt;  // NULL: the value as written
} placeholder;

// A printf format an author wrote, checked: exactly one %f, %e or %g conversion with flags, width and
// precision (two digits at most) and nothing else — only then is it handed to snprintf.
static void S_check_format(ctx *c, size_t pos, const char *f) {
    const char *p = f;
    int ok = *p == '%';
    p += ok;
    p += strspn(p, "-+ #0");
    size_t w = strspn(p, "0123456789");
    ok = ok && w <= 2;
    p += w;
    if (*p == '.') {
        size_t d = strspn(++p, "0123456789");
        ok = ok && d <= 2;
        p += d;
    }
    ok = ok && *p && strchr("feg", *p) && !p[1];
    if (!ok)
        S_fail(c, pos,
               "bad format '%s'; expected one printf conversion %%f, %%e or %%g with optional flags, width and "
               "precision, like %%.4f",
               f);
}

static int S_number(const char *s, double *v) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s) return 0;
    while (isspace((unsigned char)*end)) end++;
    return !*end && !(errno == ERANGE && fabs(*v) > 1) && isfinite(*v);
}

static char *S_format(ctx *c, const char *fmt, double v) {
    char buf[512];
    int n = snprintf(buf, sizeof buf, fmt, v);  // fmt passed S_check_format (or is "%g")
    return S_strndup(c, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static const char *S_malformed =
    "malformed placeholder '%.*s'; expected {{key}}, {{file:key}}, {{key %%.4f}} or {{key*100 %%.1f}}";

// Parse the reference part "file:key*scale" of a placeholder's text.
static void S_placeholder_ref(ctx *c, size_t pos, char *ref, placeholder *p, range whole) {
    char *star = strchr(ref, '*'), *colon = strchr(ref, ':');
    if (star) {
        *star = '\0';
        char *end;
        p->scale = strtod(star + 1, &end);
        p->scaled = 1;
        if (end == star + 1 || *end || !isfinite(p->scale))
            S_fail(c, pos, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
    }
    p->file = "results", p->key = ref;
    if (colon && (!star || colon < star)) {
        *colon = '\0';
        p->file = ref, p->key = colon + 1;
        S_check_relpath(c, pos, p->file, "out/");
    }
    if (!*p->key || strpbrk(p->key, "{}$:")) S_fail(c, pos, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
}

// Parse the placeholder opening at i ("{{"); it must close on the same line. Returns the offset after "}}".
static size_t S_placeholder_parse(ctx *c, size_t i, size_t end, placeholder *p) {
    const char *nl = memchr(c->src + i, '\n', end - i);
    size_t stop = nl ? (size_t)(nl - c->src) : end, j = i + 2;
    while (j + 1 < stop && !(c->src[j] == '}' && c->src[j + 1] == '}')) j++;
    if (j + 1 >= stop)
        S_fail(c, i, "unterminated placeholder '%.*s'; expected {{...}} closed by }} on the same line",
               (int)(stop - i > 40 ? 40 : stop - i), c->src + i);
    range whole = {i, j + 2}, in = S_trim(c, i + 2, j);
    char *text = S_str(c, in), *words[3] = {0};
    int nw = 0;
    for (char *w = strtok(text, " \t"); w; w = strtok(NULL, " \t")) words[nw < 3 ? nw : 2] = w, nw++;
    if (nw < 1 || nw > 2) S_fail(c, i, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
    *p = (placeholder){.scale = 1, .fmt = nw == 2 ? words[1] : NULL};
    if (p->fmt && p->fmt[0] != '%') S_fail(c, i, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
    if (p->fmt) S_check_format(c, i, p->fmt);
    S_placeholder_ref(c, i, words[0], p, whole);
    return whole.b;
}

// The results file out/NAME.txt, read once.
static results_file *S_results(ctx *c, size_t pos, const char *name) {
    for (int i = 0; i < c->nres; i++)
        if (strcmp(c->res[i].name, name) == 0) return c->res[i].data;
    sbuf *file = S_buf(c);
    S_printf(file, "%s.txt", name);
    char *path = S_join(c, c->o->data_dir, file->s), err[512];
    if (!S_exists(path))
        S_fail(c, pos, "missing results file %s; expected the chapter program to write it (into its --out folder)",
               path);
    results_file *r = results_read(path, err, sizeof err);
    if (!r) S_fail(c, pos, "%s; expected a results file of 'key value' lines", err);
    c->res = S_grow(c, c->res, c->nres, &c->capres, sizeof *c->res);
    c->res[c->nres++] = (cached){S_strndup(c, name, strlen(name)), r};
    return r;
}

static const char *S_known_keys(ctx *c, const results_file *r) {
    sbuf *b = S_buf(c);
    for (int i = 0; i < r->n && i < 12; i++) S_printf(b, "%s%s", i ? ", " : "", r->keys[i]);
    if (r->n > 12) S_puts(b, ", ...");
    return r->n ? b->s : "(the file is empty)";
}

// The text a placeholder stands for: the value as written, or scaled and formatted.
static const char *S_placeholder_value(ctx *c, size_t pos, const placeholder *p) {
    results_file *r = S_results(c, pos, p->file);
    const char *v = results_get(r, p->key, NULL);
    if (!v) S_fail(c, pos, "unknown key '%s' in %s; expected one of: %s", p->key, r->path, S_known_keys(c, r));
    if (!p->fmt && !p->scaled) return v;
    double x;
    if (!S_number(v, &x))
        S_fail(c, pos, "value '%.40s' of key '%s' in %s is not a number; expected a finite number for %s", v, p->key,
               r->path, p->fmt ? p->fmt : "the scale");
    return S_format(c, p->fmt ? p->fmt : "%g", x * p->scale);
}

// ----- tokens: what cmark must not see ---------------------------------------------------------------------

#define TOK_OPEN "\xEE\x80\x80"   // U+E000
#define TOK_CLOSE "\xEE\x80\x81"  // U+E001

static void S_token(ctx *c, sbuf *out, char kind, const char *text, range src) {
    c->tok = S_grow(c, c->tok, c->ntok, &c->captok, sizeof *c->tok);
    c->tok[c->ntok] = (token){kind, text, src};
    S_printf(out, TOK_OPEN "%d" TOK_CLOSE, c->ntok++);
}

// The token starting at s, or -1; *len gets its length.
static int S_token_at(const ctx *c, const char *s, size_t *len) {
    if (strncmp(s, TOK_OPEN, 3) != 0 || !isdigit((unsigned char)s[3])) return -1;
    char *end;
    long t = strtol(s + 3, &end, 10);
    if (strncmp(end, TOK_CLOSE, 3) != 0 || t >= c->ntok) return -1;
    *len = (size_t)(end + 3 - s);
    return (int)t;
}

// ----- step 2: prose into Markdown with tokens -------------------------------------------------------------

static void S_scan(ctx *c, sbuf *out, size_t i, size_t end);

// Record a formula for --math-out: line, display, TeX with tab, newline and backslash escaped.
static void S_math_record(ctx *c, size_t pos, int display, const char *tex) {
    S_printf(c->math, "%d\t%d\t", S_line(c, pos), display);
    for (const char *p = tex; *p; p++)
        if (*p == '\t') S_puts(c->math, "\\t");
        else if (*p == '\n') S_puts(c->math, "\\n");
        else if (*p == '\\') S_puts(c->math, "\\\\");
        else S_putc(c->math, *p);
    S_putc(c->math, '\n');
}

// The blockquote markers ("> ", "> > ") that open the line holding i: inside a quote, a formula's
// continuation lines carry them too, and they are Markdown, not TeX.
static range S_quote_prefix(const ctx *c, size_t i) {
    range line = c->lines[S_line(c, i) - 1];
    size_t e = line.a + strspn(c->src + line.a, " >");
    if (e > i) e = i;
    return memchr(c->src + line.a, '>', e - line.a) ? (range){line.a, e} : (range){0, 0};
}

// A formula opening at i ("$" or "$$"): its TeX, placeholders substituted, becomes a token. It closes
// at the next unescaped "$" (or "$$") in the same paragraph.
static size_t S_math(ctx *c, sbuf *out, size_t i, size_t end) {
    const char *s = c->src;
    int display = i + 1 < end && s[i + 1] == '$';
    size_t j = i + 1 + display, pend = S_para_end(c, i, end);
    range quote = S_quote_prefix(c, i);
    const char *qs = quote.b > quote.a ? S_str(c, quote) : NULL;
    sbuf *tex = S_buf(c);
    for (;;) {
        if (j >= pend)
            S_fail(c, i, "unterminated %s; expected a closing %s in the same paragraph (write \\$ for a dollar sign)",
                   display ? "$$" : "$", display ? "$$" : "$");
        if (s[j] == '\n' && qs && S_at(c, j + 1, pend, qs)) {
            S_putc(tex, '\n'), j += 1 + quote.b - quote.a;
        } else if (s[j] == '\\' && j + 1 < pend) {
            S_put(tex, s + j, 2), j += 2;
        } else if (S_at(c, j, pend, "{{")) {
            placeholder p;
            size_t after = S_placeholder_parse(c, j, pend, &p);
            S_puts(tex, S_placeholder_value(c, j, &p));
            j = after;
        } else if (s[j] == '$' && (!display || (j + 1 < pend && s[j + 1] == '$'))) {
            break;
        } else {
            S_putc(tex, s[j++]);
        }
    }
    S_math_record(c, i, display, tex->s);
    S_token(c, out, display ? 'd' : 'i', tex->s, (range){i, j + 1 + display});
    return j + 1 + display;
}

// How a chapter's number reads: 1 to 89 as digits; folders 90, 91, ... are the appendices A, B, ...
static const char *S_num(int n) {
    static char s[100][4];
    if (n < 0 || n > 99) return "?";
    if (n >= 90) snprintf(s[n], sizeof s[n], "%c", 'A' + (n - 90));
    else snprintf(s[n], sizeof s[n], "%d", n);
    return s[n];
}

static const char *S_chapword(int n) { return n >= 90 ? "Appendix" : "Chapter"; }

// The link "@sec:NN-name" stands for: "Chapter N, Title" (the preface: its title).
static const char *S_sec_link(ctx *c, size_t pos, const char *dir) {
    const weave_toc *t = c->o->toc;
    int k = 0;
    while (t && k < t->n && strcmp(t->e[k].dir, dir) != 0) k++;
    if (!t || k == t->n)
        S_fail(c, pos, "unknown reference @sec:%s; expected the folder name of a chapter, like @sec:01-scalar", dir);
    sbuf *h = S_buf(c);
    S_puts(h, "<a class=\"ref\" href=\"");
    S_escs(h, t->e[k].page);
    S_puts(h, "\">");
    if (t->e[k].number > 0) S_printf(h, "%s %s, ", S_chapword(t->e[k].number), S_num(t->e[k].number));
    S_escs(h, t->e[k].title);
    S_puts(h, "</a>");
    return h->s;
}

// The link "@fig:id" or "@tab:id" stands for: "Figure N.k", "Table N.k".
static const char *S_label_link(ctx *c, size_t pos, char kind, const char *id) {
    const char *what = kind == 'f' ? "figure" : "table";
    const label *L = S_label(c, kind, id);
    if (!L)
        S_fail(c, pos, "unknown reference @%.3s:%s; expected the id of a %s in this chapter: %s", what, id, what,
               S_known_ids(c, kind));
    sbuf *h = S_buf(c);  // ids passed S_idchar: nothing to escape
    S_printf(h, "<a class=\"ref\" href=\"#%.3s-%s\">%s %s.%d</a>", what, id, kind == 'f' ? "Figure" : "Table",
             S_num(c->o->number), L->number);
    return h->s;
}

// "@fig:id", "@tab:id" or "@sec:NN-name" at i becomes a link; any other '@' stays text.
static size_t S_reference(ctx *c, sbuf *out, size_t i, size_t end) {
    const char *s = c->src;
    size_t j = i + 5;
    while (j < end && S_idchar(s[j])) j++;
    while (j > i + 5 && s[j - 1] == '-') j--;  // "see @fig:loss--" ends before the dashes
    int known = S_at(c, i, end, "@fig:") || S_at(c, i, end, "@tab:") || S_at(c, i, end, "@sec:");
    if (!known || j == i + 5) return S_putc(out, '@'), i + 1;
    char *id = S_strndup(c, s + i + 5, j - i - 5);
    S_token(c, out, 'h', s[i + 1] == 's' ? S_sec_link(c, i, id) : S_label_link(c, i, s[i + 1], id), (range){i, j});
    return j;
}

// One step of the prose scanner at i; returns where to continue.
static size_t S_scan_one(ctx *c, sbuf *out, size_t i, size_t end) {
    const char *s = c->src;
    if (s[i] == '\\' && i + 1 < end) return S_put(out, s + i, 2), i + 2;  // "\$" stays an escape for cmark
    if (s[i] == '`') {
        size_t e = S_code_end(c, i, S_para_end(c, i, end));
        if (!e)  // an unmatched run is literal backticks
            for (e = i; e < end && s[e] == '`';) e++;
        S_put(out, s + i, e - i);  // a code span goes to cmark verbatim
        return e;
    }
    if (S_at(c, i, end, "{{")) {
        placeholder p;
        size_t after = S_placeholder_parse(c, i, end, &p);
        S_token(c, out, 'v', S_placeholder_value(c, i, &p), (range){i, after});
        return after;
    }
    if (s[i] == '$') return S_math(c, out, i, end);
    if (s[i] == '@') return S_reference(c, out, i, end);
    S_putc(out, s[i]);
    return i + 1;
}

static void S_scan(ctx *c, sbuf *out, size_t i, size_t end) {
    while (i < end) i = S_scan_one(c, out, i, end);
}

// ----- step 3: tokens back into the cmark tree -------------------------------------------------------------

static const char *S_token_html(ctx *c, int t, int block) {
    const token *k = &c->tok[t];
    if (k->kind == 'h' || k->kind == 'b') return k->text;
    sbuf *b = S_buf(c);
    const char *tag = block ? "div" : "span";
    S_printf(b, "<%s class=\"math %s\">", tag, k->kind == 'd' ? "display" : "inline");
    S_escs(b, k->text);
    S_printf(b, "</%s>", tag);
    return b->s;
}

static cmark_node *S_new_node(cmark_node_type type, const char *literal) {
    cmark_node *n = cmark_node_new(type);
    cmark_node_set_literal(n, literal);
    return n;
}

// Put the author's text back for every token in s: tokens that landed in code or raw HTML.
static const char *S_restore(ctx *c, const char *s) {
    sbuf *b = S_buf(c);
    for (size_t len; *s;) {
        int t = S_token_at(c, s, &len);
        if (t < 0) S_putc(b, *s++);
        else S_put(b, c->src + c->tok[t].src.a, c->tok[t].src.b - c->tok[t].src.a), s += len;
    }
    return b->s;
}

// A text node holding tokens becomes text and the nodes they stand for; a paragraph holding nothing but
// a display formula or a block becomes an HTML block (a <div> may not sit inside a <p>).
static void S_expand(ctx *c, cmark_node *text) {
    const char *s = cmark_node_get_literal(text);
    cmark_node *par = cmark_node_parent(text);
    size_t len;
    int t = S_token_at(c, s, &len);
    if (t >= 0 && !s[len] && cmark_node_get_type(par) == CMARK_NODE_PARAGRAPH && cmark_node_first_child(par) == text &&
        cmark_node_last_child(par) == text && (c->tok[t].kind == 'd' || c->tok[t].kind == 'b')) {
        cmark_node_replace(par, S_new_node(CMARK_NODE_HTML_BLOCK, S_token_html(c, t, 1)));
        cmark_node_free(par);
        return;
    }
    for (const char *p = s; *p;) {
        const char *q = strstr(p, TOK_OPEN);
        if (!q) q = p + strlen(p);
        if (q > p) cmark_node_insert_before(text, S_new_node(CMARK_NODE_TEXT, S_strndup(c, p, q - p)));
        if (!*q) break;
        if ((t = S_token_at(c, q, &len)) < 0) {  // cannot happen: the text has no U+E000 of its own
            cmark_node_insert_before(text, S_new_node(CMARK_NODE_TEXT, TOK_OPEN));
            p = q + 3;
            continue;
        }
        if (c->tok[t].kind == 'v') cmark_node_insert_before(text, S_new_node(CMARK_NODE_TEXT, c->tok[t].text));
        else cmark_node_insert_before(text, S_new_node(CMARK_NODE_HTML_INLINE, S_token_html(c, t, 0)));
        p = q + len;
    }
    cmark_node_unlink(text);
    cmark_node_free(text);
}

// Raw HTML written in a caption or a table cell is shown as text, not run: those texts also reach
// places that are not HTML (the plotter, a TSV), and the contract says they are escaped.
static void S_html_to_text(cmark_node *n) {
    cmark_node *t = S_new_node(CMARK_NODE_TEXT, cmark_node_get_literal(n));
    if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
        cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node_append_child(p, t);
        t = p;
    }
    cmark_node_replace(n, t);
    cmark_node_free(n);
}

static int S_has_token(const char *s) { return s && strstr(s, TOK_OPEN); }

// The nodes step 3 must change, collected first: cmark's iterator must not see the tree change under it.
static cmark_node **S_collect(ctx *c, cmark_node *root, int raw_html_as_text, int *n) {
    cmark_node **nodes = NULL;
    int cap = 0;
    *n = 0;
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type ty = cmark_node_get_type(node);
        int html = ty == CMARK_NODE_HTML_INLINE || ty == CMARK_NODE_HTML_BLOCK;
        int want = ty == CMARK_NODE_LINK || ty == CMARK_NODE_IMAGE
                       ? S_has_token(cmark_node_get_url(node)) || S_has_token(cmark_node_get_title(node))
                       : S_has_token(cmark_node_get_literal(node)) || (html && raw_html_as_text);
        want = want || (ty == CMARK_NODE_CODE_BLOCK && S_has_token(cmark_node_get_fence_info(node)));
        if (ev != CMARK_EVENT_ENTER || !want) continue;
        nodes = S_grow(c, nodes, *n, &cap, sizeof *nodes);
        nodes[(*n)++] = node;
    }
    cmark_iter_free(it);
    return nodes;
}

static void S_untokenize(ctx *c, cmark_node *root, int raw_html_as_text) {
    int n;
    cmark_node **nodes = S_collect(c, root, raw_html_as_text, &n);
    for (int i = 0; i < n; i++) {
        cmark_node *node = nodes[i];
        cmark_node_type ty = cmark_node_get_type(node);
        if (ty == CMARK_NODE_TEXT) {
            S_expand(c, node);
        } else if (ty == CMARK_NODE_LINK || ty == CMARK_NODE_IMAGE) {
            if (cmark_node_get_url(node)) cmark_node_set_url(node, S_restore(c, cmark_node_get_url(node)));
            if (cmark_node_get_title(node)) cmark_node_set_title(node, S_restore(c, cmark_node_get_title(node)));
        } else {
            cmark_node_set_literal(node, S_restore(c, cmark_node_get_literal(node)));
            if (ty == CMARK_NODE_CODE_BLOCK)  // a fence the weaver took for prose ("> ```$x$") has one in its info
                cmark_node_set_fence_info(node, S_restore(c, cmark_node_get_fence_info(node)));
            if (raw_html_as_text && (ty == CMARK_NODE_HTML_INLINE || ty == CMARK_NODE_HTML_BLOCK)) S_html_to_text(node);
        }
    }
}

// Where a one-line text would start a block in Markdown ("- x", "1. x", "# x", "> x", "---"), the offset
// at which a backslash keeps it inline; -1 when it would not. Captions and cells are inline text.
static long S_block_start(const ctx *c, range r) {
    const char *s = c->src + r.a;
    size_t n = r.b - r.a, d = 0;
    if (!n) return -1;
    int spaced = n == 1 || s[1] == ' ' || s[1] == '\t';
    if (strchr("#>", s[0]) || (strchr("-+*", s[0]) && spaced)) return 0;
    if (n >= 3 && strchr("`~", s[0]) && s[1] == s[0] && s[2] == s[0]) return 0;
    if (strchr("-*_=", s[0]) && strspn(s, "-*_= \t") >= n) return 0;
    while (d < n && d < 9 && isdigit((unsigned char)s[d])) d++;
    if (d && d < n && strchr(".)", s[d]) && (d + 1 == n || s[d + 1] == ' ')) return (long)d;
    return -1;
}

// A caption, cell or header [a, b) of the chapter text as inline HTML: math, values and references
// substituted, Markdown rendered, raw HTML escaped.
static const char *S_inline_html(ctx *c, range r) {
    r = S_trim(c, r.a, r.b);
    sbuf *md = S_buf(c);
    long k = S_block_start(c, r);
    if (k >= 0) {
        S_put(md, c->src + r.a, (size_t)k);
        S_putc(md, '\\');
        r.a += (size_t)k;
    }
    S_scan(c, md, r.a, r.b);
    cmark_node *doc = cmark_parse_document(md->s, md->len, CMARK_OPT_DEFAULT);
    S_untokenize(c, doc, 1);
    char *html = cmark_render_html(doc, CMARK_OPT_UNSAFE);
    cmark_node_free(doc);
    size_t n = strlen(html);
    const char *res = n >= 8 && strncmp(html, "<p>", 3) == 0 && strcmp(html + n - 5, "</p>\n") == 0
                          ? S_strndup(c, html + 3, n - 8)
                          : S_strndup(c, html, n);
    free(html);
    return res;
}

// ----- code listings: ```c include=FILE[:function | :lines=A-B] --------------------------------------------

typedef struct {
    char **l;  // (n) lines without '\n'
    int n;
} src_lines;

static src_lines S_split(ctx *c, char *text) {
    src_lines s = {0};
    int cap = 0;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        s.l = S_grow(c, s.l, s.n, &cap, sizeof *s.l);
        s.l[s.n++] = p;
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    return s;
}

// Whether line s mentions name as a whole word followed by '('.
static int S_mentions_call(const char *s, const char *name) {
    size_t n = strlen(name);
    for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
        const char *q = p + n;
        while (*q == ' ') q++;
        if (*q == '(' && (p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) return 1;
    }
    return 0;
}

// After line l names the function, the line holding the '{' of its body, or -1 when a ';' comes first
// (a prototype, not a definition).
static int S_brace_line(const src_lines *s, int l) {
    for (int k = l; k < s->n && k < l + 20; k++) {
        size_t i = strcspn(s->l[k], ";{");
        if (s->l[k][i]) return s->l[k][i] == '{' ? k : -1;
    }
    return -1;
}

// Whether the braces of a line balance, with at least one pair: "f(x) { return x; }" is a whole body.
static int S_one_line_body(const char *s) {
    int depth = 0, closed = 0;
    for (; *s; s++) {
        depth += (*s == '{') - (*s == '}');
        closed |= *s == '}';
    }
    return closed && depth == 0;
}

static int S_col0_code(const char *s) { return *s && !isspace((unsigned char)*s) && !strchr("#/*}", *s); }

// Walk up from a definition's first line over a return type on its own line, then over the comment
// block right above it ("//" lines or one "/* ... */").
static int S_with_comment(const src_lines *s, int first) {
    while (first > 0 && S_col0_code(s->l[first - 1])) {
        const char *p = s->l[first - 1];
        char last = p[strlen(p) - 1];
        if (strchr(";{}),", last)) break;
        first--;
    }
    while (first > 0) {
        const char *p = s->l[first - 1];
        p += strspn(p, " \t");
        size_t n = strlen(p);
        if (strncmp(p, "//", 2) == 0) {
            first--;
        } else if (n >= 2 && strcmp(p + n - 2, "*/") == 0) {
            int k = first - 1;
            while (k > 0 && !strstr(s->l[k], "/*")) k--;
            first = k;
        } else {
            break;
        }
    }
    return first;
}

// Lines [*a, *b] of the definition of name: from a line at column 0 naming it (not a prototype)
// through the first '}' at column 0 after it (or through its one line), with the comment block above.
// 0 when not found.
static int S_find_function(const src_lines *s, const char *name, int *a, int *b) {
    for (int l = 0; l < s->n; l++) {
        int e = S_col0_code(s->l[l]) && S_mentions_call(s->l[l], name) ? S_brace_line(s, l) : -1;
        if (e < 0) continue;
        if (!S_one_line_body(s->l[e]))
            while (e < s->n && s->l[e][0] != '}') e++;
        if (e == s->n) return 0;
        *a = S_with_comment(s, l), *b = e;
        return 1;
    }
    return 0;
}

static void S_body_empty(ctx *c, const segment *g, const char *what) {
    for (int l = g->body_a; l < g->body_b; l++)
        if (!S_is_blank(c, l))
            S_fail(c, c->lines[l].a, "%s; expected the closing fence right after the opening line", what);
}

// Which lines of the file an include takes, and the rest of the caption after the file's name.
static void S_include_span(ctx *c, size_t pos, const src_lines *s, const char *file, const char *spec, int *a, int *b,
                           sbuf *cap) {
    *a = 0, *b = s->n - 1;
    if (!spec) return;
    if (strncmp(spec, "lines=", 6) == 0) {
        char *end;
        long from = strtol(spec + 6, &end, 10), to = *end == '-' ? strtol(end + 1, &end, 10) : 0;
        if (*end || from < 1 || to < from || to > s->n)
            S_fail(c, pos, "bad line range '%s' for %s (%d lines); expected lines=A-B with 1 <= A <= B <= %d", spec + 6,
                   file, s->n, s->n);
        *a = (int)from - 1, *b = (int)to - 1;
        S_printf(cap, ", lines %ld&ndash;%ld", from, to);
        return;
    }
    for (const char *p = spec; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            S_fail(c, pos, "bad function name '%s'; expected a C identifier", spec);
    if (!S_find_function(s, spec, a, b))
        S_fail(c, pos,
               "unknown function '%s' in %s; expected a definition of %s starting at column 0, closed by '}' at "
               "column 0",
               spec, file, spec);
    S_printf(cap, ": <code>%s()</code>", spec);
}

static const char *S_include(ctx *c, const segment *g) {
    S_body_empty(c, g, "an include block has a body");
    const attr *at = S_attr(c, g, "include");
    char *file = S_str(c, at->val), *spec = strchr(file, ':');
    if (spec) *spec++ = '\0';
    S_check_relpath(c, at->val.a, file, "the chapter folder");
    char *path = S_join(c, c->o->chapter_dir, file);
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!text)
        S_fail(c, at->val.a, "unknown file '%s' in include: cannot read %s; expected a file of the chapter folder",
               file, path);
    char *mine = S_strndup(c, text, len);
    free(text);
    src_lines s = S_split(c, mine);
    int a, b;
    sbuf *h = S_buf(c), *span = S_buf(c);
    S_include_span(c, at->val.a, &s, file, spec, &a, &b, span);
    // The file's name links to its page in the book (src/NN-name/FILE.html, made by the build beside the
    // chapters) at the listing's first line; file passed S_check_relpath: no characters to escape.
    S_puts(h, "<figure class=\"listing\">\n<figcaption><a class=\"source\" href=\"src/");
    S_escs(h, c->o->name);
    S_printf(h, "/%s.html#L%d\"><code>%s</code></a>%s</figcaption>\n<pre><code class=\"language-", file, a + 1, file,
             span->s);
    S_esc(h, c->src + g->f.info.a, strcspn(c->src + g->f.info.a, " \t\n"));
    S_puts(h, "\">");
    for (int l = a; l <= b; l++) {  // each line numbered as in the file (style.css shows data-n)
        S_printf(h, "%s<span class=\"line\" data-n=\"%d\">", l > a ? "\n" : "", l + 1);
        S_escs(h, s.l[l]);
        S_puts(h, "</span>");
    }
    S_puts(h, "</code></pre>\n</figure>");
    return h->s;
}

// ----- figures ---------------------------------------------------------------------------------------------

// The value of the body line "name: value" of a block, or {0, 0}.
static range S_body_line(const ctx *c, const segment *g, const char *name, size_t *pos) {
    size_t n = strlen(name);
    for (int l = g->body_a; l < g->body_b; l++) {
        range r = S_trim(c, c->lines[l].a, c->lines[l].b);
        if (r.b - r.a > n && S_at(c, r.a, r.b, name) && c->src[r.a + n] == ':') {
            *pos = r.a;
            return S_trim(c, r.a + n + 1, r.b);
        }
    }
    return (range){0, 0};
}

static const char *S_figure(ctx *c, const segment *g) {
    const attr *id = S_attr(c, g, "id"), *file = S_attr(c, g, "file");
    char *ids = S_str(c, id->val), *files = S_str(c, file->val);
    S_check_relpath(c, file->val.a, files, "the figures folder");
    char *path = S_join(c, c->o->figures_dir, files);
    if (!S_exists(path))
        S_fail(c, file->val.a,
               "missing figure %s; expected the plotter to draw it from this block (is its kind known?)", path);
    size_t pos;
    range cap = S_body_line(c, g, "caption", &pos);
    if (cap.a == cap.b)
        S_fail(c, c->lines[g->first].a, "figure '%s' without caption; expected a line 'caption: ...'", ids);
    sbuf *h = S_buf(c);
    int num = S_label(c, 'f', ids)->number;
    S_printf(h, "<figure class=\"figure\" id=\"fig-%s\">\n<img src=\"figures/", ids);
    S_escs(h, c->o->name);
    S_printf(h, "/%s\" alt=\"Figure %s.%d\">\n", files, S_num(c->o->number), num);
    S_printf(h, "<figcaption><span class=\"label\">Figure %s.%d:</span> ", S_num(c->o->number), num);
    S_puts(h, S_inline_html(c, cap));
    S_puts(h, "</figcaption>\n</figure>");
    return h->s;
}

// ----- tables: pipe tables, and tsv=FILE with columns: -----------------------------------------------------

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
    r = S_trim(c, r.a, r.b);
    row w = {0};
    int cap = 0;
    size_t start = r.a;
    if (r.a < r.b && c->src[r.a] == '|') start = ++r.a;
    for (size_t i = r.a; i <= r.b;) {
        char ch = i < r.b ? c->src[i] : '|';
        if (ch == '\\') i = i + 2 < r.b ? i + 2 : r.b;
        else if (ch == '`') i = S_code_end(c, i, r.b) ? S_code_end(c, i, r.b) : i + 1;
        else if (ch == '$') i = S_math_end(c, i, r.b);
        else if (ch != '|') i++;
        else {
            if (i < r.b || i > start) {
                w.cell = S_grow(c, w.cell, w.n, &cap, sizeof *w.cell);
                w.cell[w.n++] = S_trim(c, start, i);
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
    if (align && *align) S_printf(h, "<%s style=\"text-align: %s\">", tag, align);
    else S_printf(h, "<%s>", tag);
    S_puts(h, html);
    S_printf(h, "</%s>", tag);
}

// One row of a pipe table: each cell's text as inline Markdown.
static void S_pipe_row(ctx *c, sbuf *h, const char *tag, const char **align, const row *w) {
    S_puts(h, "<tr>");
    for (int k = 0; k < w->n; k++) S_cell(h, tag, align[k], S_inline_html(c, w->cell[k]));
    S_puts(h, "</tr>\n");
}

// The alignments of the separator row, or an error naming its line.
static const char **S_separator(ctx *c, int l, int ncol) {
    row w = S_row(c, c->lines[l]);
    const char **align = S_alloc(c, sizeof *align * (size_t)(ncol + 1));
    for (int k = 0; k < w.n && k < ncol; k++)
        if (!(align[k] = S_align(c, w.cell[k]))) w.n = -1;
    if (w.n != ncol)
        S_fail(c, c->lines[l].a,
               "bad separator row of a table; expected %d cells like ---, :--, --: or :-: under the "
               "header",
               ncol);
    return align;
}

// A pipe table: a header row, a separator row, then rows with as many cells as the header.
static void S_pipe_table(ctx *c, const segment *g, sbuf *h) {
    int lines[2], n = 0;  // the header and the separator: the first two non-blank lines
    for (int l = g->body_a; l < g->body_b && n < 2; l++)
        if (!S_is_blank(c, l)) lines[n++] = l;
    if (n < 2)
        S_fail(c, c->lines[g->first].a,
               "table without a header and a separator row; expected | a | b | then |---|---|");
    row head = S_row(c, c->lines[lines[0]]);
    const char **align = S_separator(c, lines[1], head.n);
    S_puts(h, "<thead>\n");
    S_pipe_row(c, h, "th", align, &head);
    S_puts(h, "</thead>\n<tbody>\n");
    for (int l = lines[1] + 1; l < g->body_b; l++) {
        if (S_is_blank(c, l)) continue;
        row w = S_row(c, c->lines[l]);
        if (w.n != head.n)
            S_fail(c, c->lines[l].a, "table row has %d cells; expected %d, as in the header row", w.n, head.n);
        S_pipe_row(c, h, "td", align, &w);
    }
    S_puts(h, "</tbody>\n");
}

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
    r = S_trim(c, r.a, r.b);
    tsv_column k = {.scale = 1};
    size_t i = r.a;
    while (i < r.b && !isspace((unsigned char)s[i]) && s[i] != '*') i++;
    char *name = S_strndup(c, s + r.a, i - r.a);
    k.header = (range){r.a, i};
    if (i < r.b && s[i] == '*') {
        char *end, *num = S_strndup(c, s + i + 1, strcspn(s + i + 1, " \t|"));
        k.scale = strtod(num, &end), k.scaled = 1;
        if (!*num || *end || !isfinite(k.scale)) S_fail(c, i, "bad scale '*%s'; expected a number like *100", num);
        i += 1 + strlen(num);
    }
    range rest = S_trim(c, i, r.b);
    if (rest.a < rest.b && s[rest.a] == '"') {
        const char *q = memchr(s + rest.a + 1, '"', rest.b - rest.a - 1);
        if (!q) S_fail(c, rest.a, "unterminated column header; expected a closing '\"'");
        k.header = (range){rest.a + 1, (size_t)(q - s)};
        rest = S_trim(c, (size_t)(q - s) + 1, rest.b);
    }
    if (rest.a < rest.b && s[rest.a] == '%') {
        k.fmt = S_str(c, rest);
        S_check_format(c, rest.a, k.fmt);
        rest.a = rest.b;
    }
    if (!*name || rest.a < rest.b)
        S_fail(c, r.a, "bad column '%.*s'; expected COLUMN[*SCALE] [\"header\"] [%%format]", (int)(r.b - r.a), s + r.a);
    if ((k.col = tsv_col(t, name)) < 0) {
        sbuf *b = S_buf(c);
        for (int j = 0; j < t->ncols; j++) S_printf(b, "%s%s", j ? ", " : "", t->names[j]);
        S_fail(c, r.a, "unknown column '%s' in %s; expected one of: %s", name, t->path, b->s);
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
        cols = S_grow(c, cols, *n, &cap, sizeof *cols);
        cols[(*n)++] = S_column(c, (range){start, i}, t);
        start = i + 1;
    }
    return cols;
}

// A TSV cell: a number is scaled and formatted; anything else ("diverged") is shown as it is.
static const char *S_tsv_cell(ctx *c, const tsv_column *k, const char *cell) {
    double v;
    if ((k->fmt || k->scaled) && S_number(cell, &v)) return S_format(c, k->fmt ? k->fmt : "%g", v * k->scale);
    return cell;
}

static tsv_table *S_tsv(ctx *c, size_t pos, const char *file) {
    for (int i = 0; i < c->ntsv; i++)
        if (strcmp(c->tsv[i].name, file) == 0) return c->tsv[i].data;
    char *path = S_join(c, c->o->data_dir, file), err[512];
    if (!S_exists(path)) S_fail(c, pos, "missing data file %s; expected the chapter program to write it", path);
    tsv_table *t = tsv_read(path, err, sizeof err);
    if (!t) S_fail(c, pos, "%s; expected a TSV file with a header row", err);
    c->tsv = S_grow(c, c->tsv, c->ntsv, &c->captsv, sizeof *c->tsv);
    c->tsv[c->ntsv++] = (cached){file, t};
    return t;
}

// The "columns:" line of a tsv table, its only line.
static range S_columns_line(ctx *c, const segment *g) {
    range spec = {0, 0};
    for (int l = g->body_a; l < g->body_b; l++) {
        range r = S_trim(c, c->lines[l].a, c->lines[l].b);
        if (r.a == r.b) continue;
        if (spec.b || !S_at(c, r.a, r.b, "columns:"))
            S_fail(c, r.a, "unexpected line in a tsv table; expected one line 'columns: COL \"header\" %%.4f | ...'");
        spec = S_trim(c, r.a + 8, r.b);
    }
    if (spec.a == spec.b)
        S_fail(c, c->lines[g->first].a,
               "tsv table without columns; expected a line 'columns: COL \"header\" %%.4f | ...'");
    return spec;
}

// Numbers line up on the right; a column with neither format nor scale holds text.
static const char *S_column_align(const tsv_column *k) { return k->fmt || k->scaled ? "right" : ""; }

static void S_tsv_table(ctx *c, const segment *g, const attr *tsv, sbuf *h) {
    char *file = S_str(c, tsv->val);
    S_check_relpath(c, tsv->val.a, file, "out/");
    tsv_table *t = S_tsv(c, tsv->val.a, file);
    int n;
    tsv_column *cols = S_columns(c, S_columns_line(c, g), t, &n);
    S_puts(h, "<thead>\n<tr>");
    for (int k = 0; k < n; k++) S_cell(h, "th", S_column_align(&cols[k]), S_inline_html(c, cols[k].header));
    S_puts(h, "</tr>\n</thead>\n<tbody>\n");
    for (int r = 0; r < t->nrows; r++) {
        S_puts(h, "<tr>");
        for (int k = 0; k < n; k++) {
            sbuf *cell = S_buf(c);  // data: escaped, never Markdown
            S_escs(cell, S_tsv_cell(c, &cols[k], t->cells[(size_t)r * t->ncols + cols[k].col]));
            S_cell(h, "td", S_column_align(&cols[k]), cell->s);
        }
        S_puts(h, "</tr>\n");
    }
    S_puts(h, "</tbody>\n");
}

static const char *S_table(ctx *c, const segment *g) {
    const attr *id = S_attr(c, g, "id"), *cap = S_attr(c, g, "caption"), *tsv = S_attr(c, g, "tsv");
    char *ids = S_str(c, id->val);
    if (!cap)
        S_fail(c, c->lines[g->first].a, "table '%s' without caption; expected caption=\"...\" on its first line", ids);
    sbuf *h = S_buf(c);
    int num = S_label(c, 't', ids)->number;
    S_printf(h, "<figure class=\"table\" id=\"tab-%s\">\n<figcaption><span class=\"label\">Table %s.%d:</span> ", ids,
             S_num(c->o->number), num);
    S_puts(h, S_inline_html(c, cap->val));
    S_puts(h, "</figcaption>\n<table>\n");
    if (tsv) S_tsv_table(c, g, tsv, h);
    else S_pipe_table(c, g, h);
    S_puts(h, "</table>\n</figure>");
    return h->s;
}

// ----- steps 1-3 for the whole chapter ---------------------------------------------------------------------

// A directive's HTML as a paragraph of its own, at the fence's indent (so it stays inside a list item).
static void S_block_token(ctx *c, sbuf *md, const segment *g, const char *html) {
    if (md->len && !(md->len >= 2 && md->s[md->len - 1] == '\n' && md->s[md->len - 2] == '\n')) S_putc(md, '\n');
    for (int k = 0; k < g->f.indent; k++) S_putc(md, ' ');
    range src = {c->lines[g->first].a, c->lines[g->last - 1].b};
    S_token(c, md, 'b', html, src);
    S_puts(md, "\n\n");
}

static void S_check_reserved(ctx *c) {
    const char *s = c->src, *bad = NULL;
    for (const char *p = s; (p = memchr(p, '\xEE', c->len - (size_t)(p - s))); p++)
        if (strncmp(p, TOK_OPEN, 3) == 0 || strncmp(p, TOK_CLOSE, 3) == 0) {
            bad = p;
            break;
        }
    if (bad)
        S_fail(c, (size_t)(bad - s),
               "the private-use character U+E000 or U+E001; expected text without them (the weaver reserves them)");
    if (strlen(s) != c->len) S_fail(c, strlen(s), "a NUL byte; expected UTF-8 text");
}

// Steps 1 and 2: the Markdown cmark will parse, every directive replaced by a token.
static sbuf *S_rewrite(ctx *c) {
    S_check_reserved(c);
    int n;
    segment *segs = S_segments(c, &n);
    S_number_all(c, segs, n);
    sbuf *md = S_buf(c);
    for (int i = 0; i < n; i++) {
        const segment *g = &segs[i];
        size_t a = c->lines[g->first].a, b = g->last < c->nlines ? c->lines[g->last].a : c->len;
        switch (g->kind) {
        case SEG_PROSE: S_scan(c, md, a, b); break;
        case SEG_CODE: S_put(md, c->src + a, b - a); break;
        case SEG_FIGURE: S_block_token(c, md, g, S_figure(c, g)); break;
        case SEG_TABLE: S_block_token(c, md, g, S_table(c, g)); break;
        case SEG_INCLUDE: S_block_token(c, md, g, S_include(c, g)); break;
        }
    }
    return md;
}

// The book's name, in every <title> and atop the contents.
#define WEAVE_BOOK_TITLE "Backprop workbook"

// ----- step 4: headings and the page -----------------------------------------------------------------------

// A node's HTML without its outer tag: "<h2>x</h2>\n" -> "x".
static const char *S_inner_html(ctx *c, cmark_node *n) {
    char *html = cmark_render_html(n, CMARK_OPT_UNSAFE);
    const char *open = strchr(html, '>'), *close = strrchr(html, '<');
    const char *inner = open && close && close > open ? S_strndup(c, open + 1, (size_t)(close - open - 1)) : "";
    free(html);
    return inner;
}

// The chapter's number in its first "# " heading; "## " headings numbered N.k, with an anchor and an
// entry in the sidebar. The preface (chapter 0) gets anchors but no numbers.
static void S_number_headings(ctx *c, cmark_node *doc) {
    int nsec = 0, h1 = 0, n = c->o->number;
    for (cmark_node *h = cmark_node_first_child(doc); h; h = cmark_node_next(h)) {
        if (cmark_node_get_type(h) != CMARK_NODE_HEADING) continue;
        int level = cmark_node_get_heading_level(h);
        sbuf *b = S_buf(c);
        if (level == 1 && !h1++ && n > 0) S_printf(b, "<span class=\"chapnum\">%s %s</span> ", S_chapword(n), S_num(n));
        if (level == 2) {
            nsec++;
            S_printf(c->sections, "<li><a href=\"#sec-%d\">", nsec);
            if (n > 0) S_printf(c->sections, "<span class=\"num\">%s.%d</span> ", S_num(n), nsec);
            S_printf(c->sections, "%s</a></li>\n", S_inner_html(c, h));
            if (n > 0) S_printf(b, "<span class=\"secnum\" id=\"sec-%d\">%s.%d</span> ", nsec, S_num(n), nsec);
            else S_printf(b, "<span id=\"sec-%d\"></span>", nsec);
        }
        if (b->len) cmark_node_prepend_child(h, S_new_node(CMARK_NODE_HTML_INLINE, b->s));
    }
}

static int S_current(const ctx *c) {
    const weave_toc *t = c->o->toc;
    for (int i = 0; t && i < t->n; i++)
        if (strcmp(t->e[i].dir, c->o->name) == 0) return i;
    return -1;
}

static void S_entry_label(sbuf *h, const weave_entry *e) {
    if (e->number > 0) S_printf(h, "<span class=\"num\">%s</span> ", S_num(e->number));
    S_escs(h, e->title);
}

// The contents: every chapter, the current one marked and opened onto its sections. book.js folds it
// on narrow screens, where it sits above the text.
static void S_sidebar(ctx *c, sbuf *h) {
    const weave_toc *t = c->o->toc;
    int cur = S_current(c);
    S_puts(h,
           "<nav class=\"toc\" aria-label=\"Contents\">\n<a class=\"book-title\" href=\"index.html\">" WEAVE_BOOK_TITLE
           "</a>\n<details open>\n<summary>Contents</summary>\n<ol class=\"chapters\">\n");
    for (int i = 0; t && i < t->n; i++) {
        S_printf(h, "<li%s><a href=\"", i == cur ? " class=\"current\"" : "");
        S_escs(h, t->e[i].page);
        S_printf(h, "\"%s>", i == cur ? " aria-current=\"page\"" : "");
        S_entry_label(h, &t->e[i]);
        S_puts(h, "</a>");
        if (i == cur && c->sections->len) {
            S_puts(h, "\n<ol class=\"sections\">\n");
            S_puts(h, c->sections->s);
            S_puts(h, "</ol>");
        }
        S_puts(h, "</li>\n");
    }
    S_puts(h, "</ol>\n</details>\n</nav>\n");
}

static void S_pager(ctx *c, sbuf *h) {
    const weave_toc *t = c->o->toc;
    int cur = S_current(c);
    if (cur < 0) return;
    S_puts(h, "<nav class=\"pager\" aria-label=\"Previous and next chapter\">\n");
    for (int d = -1; d <= 1; d += 2) {
        int k = cur + d;
        if (k < 0 || k >= t->n) continue;
        S_printf(h, "<a class=\"%s\" rel=\"%s\" href=\"", d < 0 ? "prev" : "next", d < 0 ? "prev" : "next");
        S_escs(h, t->e[k].page);
        S_printf(h, "\"><span class=\"dir\">%s</span> ", d < 0 ? "&larr; Previous" : "Next &rarr;");
        S_entry_label(h, &t->e[k]);
        S_puts(h, "</a>\n");
    }
    S_puts(h, "</nav>\n");
}

static const char *S_page(ctx *c, const char *body, const char *title) {
    sbuf *h = S_buf(c);
    const char *book = WEAVE_BOOK_TITLE;
    S_puts(h, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=utf-8>\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if (c->o->number > 0) S_printf(h, "%s. ", S_num(c->o->number));
    S_escs(h, title);
    if (strcmp(title, book) != 0) S_puts(h, " — "), S_escs(h, book);
    S_puts(h, "</title>\n<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">\n"
              "<link rel=\"stylesheet\" href=\"assets/style.css\">\n"
              "<script src=\"assets/katex/katex.min.js\" defer></script>\n"
              "<script src=\"assets/book.js\" defer></script>\n</head>\n<body>\n");
    S_sidebar(c, h);
    S_puts(h, "<main>\n<article>\n");
    S_puts(h, body);
    S_puts(h, "</article>\n");
    S_pager(c, h);
    S_puts(h, "</main>\n</body>\n</html>\n");
    return h->s;
}

// ----- the entry points ------------------------------------------------------------------------------------

// The title in --toc and <title>: the first "# " heading outside fenced code, closing #s dropped.
static const char *S_title(ctx *c) {
    for (int l = 0; l < c->nlines; l++) {
        fence f;
        if (S_fence_open(c, l, &f)) {
            while (++l < c->nlines && !S_fence_close(c, l, &f)) {}
            continue;
        }
        range r = c->lines[l];
        size_t i = r.a;
        while (i < r.b && i < r.a + 3 && c->src[i] == ' ') i++;
        if (!(S_at(c, i, r.b, "# ") || (i + 1 == r.b && c->src[i] == '#'))) continue;
        range t = S_trim(c, i + 1, r.b);
        size_t e = t.b;
        while (e > t.a && c->src[e - 1] == '#') e--;
        if (e < t.b && (e == t.a || c->src[e - 1] == ' ')) t = S_trim(c, t.a, e);
        if (t.a == t.b) S_fail(c, r.a, "empty title; expected '# Title of the chapter'");
        return S_str(c, t);
    }
    S_fail(c, 0, "no '# ' heading; expected the chapter's title as its first '# ' heading");
}

int weave_title(const char *md_path, const char *md, size_t len, char **title, char *err, size_t errlen) {
    weave_opts o = {.md_path = md_path};
    ctx *c = S_ctx_new(&o, md, len, err, errlen);
    if (setjmp(c->fail)) {
        S_ctx_free(c);
        return -1;
    }
    *title = wb_strdup(S_title(c));
    for (char *p = *title; *p; p++)
        if (*p == '\t') *p = ' ';
    S_ctx_free(c);
    return 0;
}

int weave_chapter(const weave_opts *o, const char *md, size_t len, weave_output *out, char *err, size_t errlen) {
    ctx *c = S_ctx_new(o, md, len, err, errlen);
    if (setjmp(c->fail)) {
        S_ctx_free(c);
        return -1;
    }
    int cur = S_current(c);
    const char *title = cur >= 0 ? o->toc->e[cur].title : S_title(c);  // --toc has checked the heading
    sbuf *rewritten = S_rewrite(c);
    c->doc = cmark_parse_document(rewritten->s, rewritten->len, CMARK_OPT_DEFAULT);
    S_untokenize(c, c->doc, 0);
    S_number_headings(c, c->doc);
    char *body = cmark_render_html(c->doc, CMARK_OPT_UNSAFE);  // UNSAFE: our HTML nodes would be dropped
    out->page = wb_strdup(S_page(c, body, title));
    out->body = body;
    out->math = wb_strdup(c->math->s);
    S_ctx_free(c);
    return 0;
}

void weave_output_free(weave_output *out) {
    free(out->body), free(out->page), free(out->math);
    out->body = out->page = out->math = NULL;
}

// ----- the table of contents: `weave --toc` and reading its file -------------------------------------------

// A chapter folder's name ("chapters/01-scalar/" -> "01-scalar") and number; -1 unless it is NN-name.
static int S_chapter_name(const char *dir, char *name, size_t cap, int *number) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    size_t s = n;
    while (s > 0 && dir[s - 1] != '/') s--;
    snprintf(name, cap, "%.*s", (int)(n - s), dir + s);
    if (!(isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]) && name[2] == '-' && name[3])) return -1;
    *number = (name[0] - '0') * 10 + (name[1] - '0');
    return 0;
}

char *weave_toc_line(const char *dir_arg, char *err, size_t errlen) {
    char name[256], dir[1024], *title;
    int number;
    snprintf(dir, sizeof dir, "%s", dir_arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/';) dir[--n] = '\0';  // "chapters/01-x/" from a shell glob
    if (S_chapter_name(dir, name, sizeof name, &number) != 0)
        return wb_errf(err, errlen, "%s: a chapter folder is named NN-name, like 01-scalar", dir), NULL;
    char *md_path = wb_path_join(dir, "chapter.md");
    size_t len;
    char *md = wb_read_file(md_path, &len);
    if (!md) {
        wb_errf(err, errlen, "%s: cannot read: %s", md_path, strerror(errno));
        return free(md_path), NULL;
    }
    int bad = weave_title(md_path, md, len, &title, err, errlen);
    free(md), free(md_path);
    if (bad) return NULL;
    size_t n = strlen(dir) + strlen(name) + strlen(title) + 64;
    char *line = wb_malloc(n);
    snprintf(line, n, "%s\t%s.html\t%d\t%s\n", dir, number == 0 ? "index" : name, number, title);
    free(title);
    return line;
}

void weave_toc_free(weave_toc *t) {
    if (!t) return;
    for (int i = 0; i < t->n; i++) free(t->e[i].dir), free(t->e[i].page), free(t->e[i].title);
    free(t->e), free(t);
}

// One "dir<TAB>page<TAB>number<TAB>title" line into e; -1 when it is not one.
static int S_toc_entry(char *line, weave_entry *e) {
    char *f[4];
    for (int k = 0; k < 4; k++) {
        f[k] = line;
        line = k < 3 ? strchr(line, '\t') : NULL;
        if (k < 3 && !line) return -1;
        if (line) *line++ = '\0';
    }
    char name[256], *end;
    int number;
    long num = strtol(f[2], &end, 10);
    if (S_chapter_name(f[0], name, sizeof name, &number) != 0 || *end || num != number || !*f[1] || !*f[3]) return -1;
    *e = (weave_entry){wb_strdup(name), wb_strdup(f[1]), number, wb_strdup(f[3])};
    return 0;
}

weave_toc *weave_toc_read(const char *path, char *err, size_t errlen) {
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!text) return wb_errf(err, errlen, "%s: cannot read: %s", path, strerror(errno)), NULL;
    weave_toc *t = wb_calloc(1, sizeof *t);
    int lineno = 0;
    for (char *p = text, *nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
        lineno++;
        if ((nl = strchr(p, '\n'))) *nl = '\0';
        if (!*p) continue;
        t->e = wb_realloc(t->e, sizeof *t->e * (size_t)(t->n + 1));
        if (S_toc_entry(p, &t->e[t->n]) != 0) {
            wb_errf(err, errlen, "%s:%d: expected dir<TAB>page<TAB>number<TAB>title, as `weave --toc` writes", path,
                    lineno);
            free(text), weave_toc_free(t);
            return NULL;
        }
        t->n++;
        if (!nl) break;
    }
    free(text);
    return t;
}

// ----- the command line ------------------------------------------------------------------------------------

int weave_run(const weave_args *a, char *err, size_t errlen) {
    char name[256];
    int number;
    if (S_chapter_name(a->chapter, name, sizeof name, &number) != 0)
        return wb_errf(err, errlen, "%s: a chapter folder is named NN-name, like 01-scalar", a->chapter);
    weave_toc *toc = weave_toc_read(a->toc, err, errlen);
    if (!toc) return -1;
    int listed = 0;
    for (int i = 0; i < toc->n; i++) listed |= strcmp(toc->e[i].dir, name) == 0;
    if (!listed) {
        weave_toc_free(toc);
        return wb_errf(err, errlen,
                       "%s does not list %s; expected `weave --toc` over every chapter (make rebuilds it)", a->toc,
                       name);
    }
    char *md_path = wb_path_join(a->chapter, "chapter.md");
    size_t len;
    char *md = wb_read_file(md_path, &len);
    weave_output out = {0};
    weave_opts o = {md_path, a->chapter, a->data, a->figures, name, number, toc};
    int rc = md ? weave_chapter(&o, md, len, &out, err, errlen)
                : wb_errf(err, errlen, "%s: cannot read: %s", md_path, strerror(errno));
    if (rc == 0) {
        wb_write_file(a->out, out.page, strlen(out.page));
        if (a->math_out) wb_write_file(a->math_out, out.math, strlen(out.math));
    }
    weave_output_free(&out);
    free(md), free(md_path);
    weave_toc_free(toc);
    return rc;
}

#ifndef TESTING
// `weave --toc DIR...`: every chapter's line of the contents, in the order given.
static int S_main_toc(int argc, char **argv) {
    char err[1024];
    for (int i = 2; i < argc; i++) {
        char *line = weave_toc_line(argv[i], err, sizeof err);
        if (!line) wb_die("%s", err);
        fputs(line, stdout);
        free(line);
    }
    if (fflush(stdout) != 0) wb_die("cannot write the table of contents: %s", strerror(errno));
    return 0;
}

int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    int toc_mode = argc >= 2 && strcmp(argv[1], "--toc") == 0;
    for (int i = 1; i < argc; i++) toc_mode = toc_mode && strncmp(argv[i], "--chapter", 9) != 0;
    if (toc_mode) return S_main_toc(argc, argv);
    weave_args a = {0};
    flag_spec specs[] = {
        {"chapter", FLAG_STRING, &a.chapter, "the chapter folder, chapters/NN-name", 0, 0},
        {"data", FLAG_STRING, &a.data, "its program's outputs, build/NN-name/out", 0, 0},
        {"figures", FLAG_STRING, &a.figures, "its drawn figures, book/figures/NN-name", 0, 0},
        {"toc", FLAG_STRING, &a.toc, "the table of contents from `weave --toc`", 0, 0},
        {"out", FLAG_STRING, &a.out, "the page to write, book/NN-name.html", 0, 0},
        {"math-out", FLAG_STRING, &a.math_out, "also write every formula (line, display, TeX) for katex-check.js", 0,
         0},
    };
    const char *usage =
        "weave --toc chapters/NN-name...  |  weave --chapter DIR --data DIR --figures DIR --toc FILE --out FILE";
    flags_parse(argc, argv, specs, FLAGS_COUNT(specs), usage);
    if (!a.chapter || !a.data || !a.figures || !a.toc || !a.out)
        wb_die("--chapter, --data, --figures, --toc and --out are all needed; see --help");
    char err[1024];
    if (weave_run(&a, err, sizeof err) != 0) wb_die("%s", err);
    return 0;
}
#endif
