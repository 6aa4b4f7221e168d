// weave_ctx.c — the context of one weave: its memory pool, growing strings, the error exit, small text helpers.
//
// All memory of one weave belongs to its context and is freed with it, so that an error, which unwinds with
// longjmp from wherever it is found (wv_fail), leaks nothing. A growing string (sbuf) takes its blocks from
// the same pool.
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsv.h"
#include "weave_int.h"

// ----- the context: one weave's memory and error exit ------------------------------------------------------

void *wv_alloc(ctx *c, size_t n) {
    if (c->npool == c->cappool) {
        c->cappool = c->cappool ? c->cappool * 2 : 256;
        c->pool = wb_realloc(c->pool, sizeof(void *) * c->cappool);
    }
    return c->pool[c->npool++] = wb_malloc(n);
}

// Make room for one more element of a pool-owned array; returns the (maybe moved) array.
void *wv_grow(ctx *c, void *arr, int n, int *cap, size_t size) {
    if (n < *cap) return arr;
    *cap = *cap ? *cap * 2 : 16;
    void *bigger = wv_alloc(c, (size_t)*cap * size);
    if (n) memcpy(bigger, arr, (size_t)n * size);
    return bigger;
}

char *wv_strndup(ctx *c, const char *s, size_t n) {
    char *d = wv_alloc(c, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *wv_str(ctx *c, range r) { return wv_strndup(c, c->src + r.a, r.b - r.a); }

sbuf *wv_buf(ctx *c) {
    sbuf *b = wv_alloc(c, sizeof *b);
    b->c = c, b->len = 0, b->cap = 64;
    b->s = wv_alloc(c, b->cap);
    b->s[0] = '\0';
    return b;
}

// Room for n more bytes and the NUL. Growth takes a new block from the pool; the old one goes with the pool.
static void S_reserve(sbuf *b, size_t n) {
    if (b->len + n + 1 <= b->cap) return;
    while (b->len + n + 1 > b->cap) b->cap *= 2;
    char *bigger = wv_alloc(b->c, b->cap);
    memcpy(bigger, b->s, b->len + 1);
    b->s = bigger;
}

void wv_put(sbuf *b, const char *s, size_t n) {
    S_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->s[b->len += n] = '\0';
}

void wv_puts(sbuf *b, const char *s) { wv_put(b, s, strlen(s)); }
void wv_putc(sbuf *b, char ch) { wv_put(b, &ch, 1); }

void wv_printf(sbuf *b, const char *fmt, ...) {
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
void wv_esc(sbuf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&'   ? "&amp;"
                        : s[i] == '<' ? "&lt;"
                        : s[i] == '>' ? "&gt;"
                        : s[i] == '"' ? "&quot;"
                                      : NULL;
        if (e) wv_puts(b, e);
        else wv_putc(b, s[i]);
    }
}

void wv_escs(sbuf *b, const char *s) { wv_esc(b, s, strlen(s)); }

// The 1-based line of a byte offset into the chapter text.
int wv_line(const ctx *c, size_t pos) {
    int lo = 0, hi = c->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (c->lines[mid].a <= pos) lo = mid;
        else hi = mid - 1;
    }
    return lo + 1;
}

// Report "md_path:LINE: message" and unwind to weave_chapter().
void wv_fail(ctx *c, size_t pos, const char *fmt, ...) {
    int n = snprintf(c->err, c->errlen, "%s:%d: ", c->o->md_path, wv_line(c, pos));
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < c->errlen) vsnprintf(c->err + n, c->errlen - n, fmt, ap);
    va_end(ap);
    longjmp(c->fail, 1);
}

// Report "md_path:" and a message that names its line already, "LINE: ...", and unwind.
void wv_fail_lined(ctx *c, const char *msg) {
    snprintf(c->err, c->errlen, "%s:%s", c->o->md_path, msg);
    longjmp(c->fail, 1);
}

void wv_fail_msg(ctx *c, const char *msg) {
    snprintf(c->err, c->errlen, "%s", msg);
    longjmp(c->fail, 1);
}

void wv_ctx_free(ctx *c) {
    if (c->doc) cmark_node_free(c->doc);
    if (c->inline_doc) cmark_node_free(c->inline_doc);
    blocks_free(&c->blocks);
    free(c->lines);
    for (int i = 0; i < c->nres; i++) results_free(c->res[i].data);
    for (int i = 0; i < c->ntsv; i++) tsv_free(c->tsv[i].data);
    for (size_t i = 0; i < c->npool; i++) free(c->pool[i]);
    free(c->pool);
    free(c);
}

// A context for one text: CRLF normalised (offsets and line numbers then agree with the author's
// editor), split into lines.
ctx *wv_ctx_new(const weave_opts *o, const char *md, size_t len, char *err, size_t errlen) {
    ctx *c = wb_calloc(1, sizeof *c);
    c->o = o, c->err = err, c->errlen = errlen;
    char *s = wv_alloc(c, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(md[i] == '\r' && i + 1 < len && md[i + 1] == '\n')) s[n++] = md[i];
    s[n] = '\0';
    c->src = s, c->len = n;
    c->lines = blocks_lines(s, n, &c->nlines);
    c->math = wv_buf(c);
    c->sections = wv_buf(c);
    c->claims = wv_buf(c);
    c->para = wv_alloc(c, sizeof *c->para);
    *c->para = (range){1, 0};  // empty: no i lies in it
    c->para_end = 0;
    return c;
}

// The page says <meta charset=utf-8>: a byte that is not UTF-8 would show as a replacement character (or
// change the characters after it), so it is refused with its line and its offset in the file as read.
void wv_check_utf8(ctx *c, const char *raw, size_t len) {
    long off = wb_utf8_invalid(raw, len);
    if (off < 0) return;
    size_t crs = 0;  // the CRs of CRLF before it, which c->src no longer has
    for (long i = 0; i < off; i++) crs += raw[i] == '\r' && raw[i + 1] == '\n';
    wv_fail(c, (size_t)off - crs, "invalid UTF-8 (byte 0x%02x) at byte offset %ld; expected UTF-8 text, as the page "
            "is declared", (unsigned char)raw[off], off);
}

// ----- small text helpers ----------------------------------------------------------------------------------

int wv_at(const ctx *c, size_t i, size_t end, const char *lit) {
    size_t n = strlen(lit);
    return i + n <= end && memcmp(c->src + i, lit, n) == 0;
}

range wv_trim(const ctx *c, size_t a, size_t b) {
    while (a < b && isspace((unsigned char)c->src[a])) a++;
    while (b > a && isspace((unsigned char)c->src[b - 1])) b--;
    return (range){a, b};
}

int wv_is_blank(const ctx *c, int l) {
    range r = wv_trim(c, c->lines[l].a, c->lines[l].b);
    return r.a == r.b;
}

int wv_idchar(char ch) { return isalnum((unsigned char)ch) || ch == '_' || ch == '-'; }

// The end of the paragraph holding position i: the '\n' before the next blank line, or end.
// Code spans and formulas never cross it, so an unclosed one is reported where it opened.
// Every formula, claim and code span of a paragraph asks for its end: the last answer is kept, so that a
// paragraph is scanned once, not once per formula (quadratic in a long one). From any i in [a, b] the
// answer for the same end is b again, since nothing in [a, b) ends the paragraph.
size_t wv_para_end(const ctx *c, size_t i, size_t end) {
    range *k = c->para;
    if (k->a <= i && i <= k->b && c->para_end == end) return k->b;
    size_t j = i;
    for (; j < end; j++) {
        if (c->src[j] != '\n') continue;
        size_t n = j + 1;
        while (n < end && (c->src[n] == ' ' || c->src[n] == '\t')) n++;
        if (n >= end || c->src[n] == '\n') break;
    }
    *k = (range){i, j};
    ((ctx *)c)->para_end = end;  // a cache, not the weave's state: asking changes no answer
    return j;
}

// If a code span opens at i (a run of n backticks closed by a run of exactly n before end), its end; else 0.
size_t wv_code_end(const ctx *c, size_t i, size_t end) {
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
void wv_check_relpath(ctx *c, size_t pos, const char *p, const char *what) {
    char *msg = wv_alloc(c, c->errlen + 1);
    if (wb_check_relname(p, what, msg, c->errlen + 1) != 0) wv_fail(c, pos, "%s", msg);
}

int wv_exists(const char *path) { return access(path, R_OK) == 0; }

char *wv_join(ctx *c, const char *dir, const char *name) {
    char *p = wb_path_join(dir, name);
    char *q = wv_strndup(c, p, strlen(p));
    free(p);
    return q;
}

// ----- blocks and labels: what step 1 found ----------------------------------------------------------------

const blocks_attr *wv_attr(const ctx *c, const blocks_block *g, const char *key) {
    return blocks_get(&c->blocks, g, key);
}

// The figure or table of this chapter with that id (kind 'f' or 't'), or NULL.
const label *wv_label(const ctx *c, char kind, const char *id) {
    for (int i = 0; i < c->nlab; i++)
        if (c->lab[i].kind == kind && strcmp(c->lab[i].id, id) == 0) return &c->lab[i];
    return NULL;
}

// The ids of one kind, for "expected one of" in messages.
char *wv_known_ids(ctx *c, char kind) {
    sbuf *b = wv_buf(c);
    for (int i = 0; i < c->nlab; i++)
        if (c->lab[i].kind == kind) wv_printf(b, "%s%s", b->len ? ", " : "", c->lab[i].id);
    return b->len ? b->s : "(none in this chapter)";
}

// ----- chapter numbers -------------------------------------------------------------------------------------

// How a chapter's number reads: 1 to 89 as digits; folders 90, 91, ... are the appendices A, B, ...
const char *wv_num(int n) {
    static char s[100][4];
    if (n < 0 || n > 99) return "?";
    if (n >= 90) snprintf(s[n], sizeof s[n], "%c", 'A' + (n - 90));
    else snprintf(s[n], sizeof s[n], "%d", n);
    return s[n];
}

const char *wv_chapword(int n) { return n >= 90 ? "Appendix" : "Chapter"; }
