// blocks.c — a chapter's text as prose runs and fenced blocks, and a directive's attributes (blocks.h).
#include "blocks.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb.h"

const char *const blocks_known[BLOCKS_NKINDS] = {
    [BLOCKS_FIGURE] = "id, file", [BLOCKS_TABLE] = "id, caption, tsv", [BLOCKS_INCLUDE] = "include"};

// ----- lines and fences ------------------------------------------------------------------------------------

blocks_range *blocks_lines(const char *text, size_t len, int *n) {
    blocks_range *lines = NULL;
    int cap = 0;
    size_t a = 0;
    *n = 0;
    do {  // "a\nb\n" and "a\nb" are two lines; "" is one, empty
        const char *nl = memchr(text + a, '\n', len - a);
        size_t b = nl ? (size_t)(nl - text) : len;
        if (*n == cap) lines = wb_realloc(lines, sizeof *lines * (size_t)(cap = cap ? cap * 2 : 64));
        lines[(*n)++] = (blocks_range){a, b};
        a = b + 1;
    } while (a < len);
    return lines;
}

static blocks_range S_trim(const char *s, size_t a, size_t b) {
    while (a < b && isspace((unsigned char)s[a])) a++;
    while (b > a && isspace((unsigned char)s[b - 1])) b--;
    return (blocks_range){a, b};
}

int blocks_fence_open(const char *s, blocks_range r, blocks_fence *f) {
    size_t i = r.a;
    while (i < r.b && s[i] == ' ') i++;
    if (i >= r.b || (s[i] != '`' && s[i] != '~')) return 0;
    size_t j = i;
    while (j < r.b && s[j] == s[i]) j++;
    if (j - i < 3) return 0;
    if (s[i] == '`' && memchr(s + j, '`', r.b - j)) return 0;  // "```x``` y" is a code span, not a fence
    f->ch = s[i], f->n = (int)(j - i), f->indent = (int)(i - r.a);
    f->info = S_trim(s, j, r.b);
    return 1;
}

int blocks_fence_close(const char *s, blocks_range line, const blocks_fence *f) {
    blocks_range r = S_trim(s, line.a, line.b);
    size_t j = r.a;
    while (j < r.b && s[j] == f->ch) j++;
    return j == r.b && (int)(r.b - r.a) >= f->n;
}

const char *blocks_kind_name(blocks_kind k) {
    return k == BLOCKS_FIGURE ? "figure" : k == BLOCKS_TABLE ? "table" : k == BLOCKS_INCLUDE ? "include" : "code";
}

static int S_word(const char *s, blocks_range r, const char *w) {
    size_t n = strlen(w);
    return r.b - r.a == n && memcmp(s + r.a, w, n) == 0;
}

blocks_kind blocks_fence_kind(const char *s, const blocks_fence *f) {
    blocks_range r = f->info;
    size_t w = r.a;
    while (w < r.b && !isspace((unsigned char)s[w])) w++;
    if (S_word(s, (blocks_range){r.a, w}, "figure")) return BLOCKS_FIGURE;
    if (S_word(s, (blocks_range){r.a, w}, "table")) return BLOCKS_TABLE;
    for (size_t i = r.a; i + 8 <= r.b; i++)
        if ((i == r.a || isspace((unsigned char)s[i - 1])) && memcmp(s + i, "include=", 8) == 0) return BLOCKS_INCLUDE;
    return BLOCKS_CODE;
}

// ----- errors: "LINE: message" into the caller's buffer ----------------------------------------------------

static int S_err(char *err, size_t errlen, int line, const char *fmt, ...) WB_PRINTF(4, 5);
static int S_err(char *err, size_t errlen, int line, const char *fmt, ...) {
    int n = snprintf(err, errlen, "%d: ", line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < errlen) vsnprintf(err + n, errlen - n, fmt, ap);
    va_end(ap);
    return -1;
}

// ----- attributes: key=value and key="value" ---------------------------------------------------------------

typedef struct {
    const blocks_doc *d;
    int line;  // 1-based, for messages
    const char *known;
    char *err;
    size_t errlen;
} attr_parse;

static void S_add_attr(blocks_block *g, blocks_attr a) {
    g->attrs = wb_realloc(g->attrs, sizeof *g->attrs * (size_t)(g->nattrs + 1));
    g->attrs[g->nattrs++] = a;
}

// Parse one "key=value" or key="value" at *i, up to end; *i moves after it. 0 or -1.
static int S_attr_one(const attr_parse *p, blocks_block *g, size_t *at, size_t end) {
    const char *s = p->d->text;
    size_t i = *at, k = i, eol = p->d->lines[g->first].b;
    while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
    if (i == k || i >= end || s[i] != '=') {
        size_t w = k;
        while (w < eol && !strchr(" \t\n", s[w])) w++;
        return S_err(p->err, p->errlen, p->line,
                     "unexpected '%.*s' in a %s block's first line; expected key=value or key=\"value\"", (int)(w - k),
                     s + k, blocks_kind_name(g->kind));
    }
    blocks_attr a = {{k, i}, {i + 1, i + 1}};
    if (++i < end && s[i] == '"') {
        const char *q = memchr(s + i + 1, '"', end - i - 1);
        if (!q)
            return S_err(p->err, p->errlen, p->line, "unterminated quoted value of '%.*s'; expected a closing '\"'",
                         (int)(a.key.b - k), s + k);
        a.val = (blocks_range){i + 1, (size_t)(q - s)};
        i = (size_t)(q - s) + 1;
    } else {
        while (i < end && !isspace((unsigned char)s[i])) i++;
        a.val = (blocks_range){a.key.b + 1, i};
    }
    if (a.val.a == a.val.b)
        return S_err(p->err, p->errlen, p->line, "empty value of '%.*s'; expected key=value", (int)(a.key.b - k),
                     s + k);
    S_add_attr(g, a);
    *at = i;
    return 0;
}

// Whether key is in the list "id, file" (a key too long for any list is not).
static int S_known_key(const char *s, blocks_range key, const char *known) {
    char k[80], list[80];
    snprintf(k, sizeof k, " %.*s,", (int)(key.b - key.a), s + key.a);
    snprintf(list, sizeof list, " %s,", known);
    return strstr(list, k) != NULL;
}

// The attributes of a directive's info string, each checked against the keys its kind accepts.
static int S_attrs(const attr_parse *p, blocks_block *g) {
    const char *s = p->d->text;
    size_t i = g->f.info.a, end = g->f.info.b;
    while (i < end && !isspace((unsigned char)s[i])) i++;  // the first word: figure, table or a language
    if (memchr(s + g->f.info.a, '=', i - g->f.info.a))
        return S_err(p->err, p->errlen, p->line,
                     "a %s block's first word is '%.*s'; expected its kind or language first, like ```c "
                     "include=prog.c:forward",
                     blocks_kind_name(g->kind), (int)(i - g->f.info.a), s + g->f.info.a);
    for (;;) {
        while (i < end && isspace((unsigned char)s[i])) i++;
        if (i >= end) return 0;
        if (S_attr_one(p, g, &i, end) != 0) return -1;
        const blocks_attr *a = &g->attrs[g->nattrs - 1];
        if (p->known && !S_known_key(s, a->key, p->known))
            return S_err(p->err, p->errlen, p->line, "unknown attribute '%.*s' of a %s block; expected one of: %s",
                         (int)(a->key.b - a->key.a), s + a->key.a, blocks_kind_name(g->kind), p->known);
    }
}

const blocks_attr *blocks_get(const blocks_doc *d, const blocks_block *b, const char *key) {
    size_t n = strlen(key);
    for (int i = 0; i < b->nattrs; i++)
        if (b->attrs[i].key.b - b->attrs[i].key.a == n && memcmp(d->text + b->attrs[i].key.a, key, n) == 0)
            return &b->attrs[i];
    return NULL;
}

// ----- block quotes: where a directive cannot go -----------------------------------------------------------

// If line r is a block quote's ("> ", "> > ", after up to 3 spaces), the rest of it after the markers.
static int S_quoted(const char *s, blocks_range r, blocks_range *rest) {
    size_t i = r.a;
    while (i < r.b && i < r.a + 3 && s[i] == ' ') i++;
    if (i >= r.b || s[i] != '>') return 0;
    while (i < r.b && (s[i] == '>' || s[i] == ' ' || s[i] == '\t')) i++;
    *rest = (blocks_range){i, r.b};
    return 1;
}

// What a fence inside a quote means: a code fence opens or closes (*open), a directive is an error.
static int S_quote_line(const blocks_doc *d, int l, blocks_fence *open, int *in_code, char *err, size_t errlen) {
    blocks_range rest;
    if (!S_quoted(d->text, d->lines[l], &rest)) return *in_code = 0, 0;
    if (*in_code) {
        *in_code = !blocks_fence_close(d->text, rest, open);
        return 0;
    }
    if (!blocks_fence_open(d->text, rest, open)) return 0;
    blocks_kind k = blocks_fence_kind(d->text, open);
    if (k == BLOCKS_CODE) return *in_code = 1, 0;
    return S_err(err, errlen, l + 1,
                 "a%s %s block inside a block quote; expected it outside the quote (a figure, table or listing "
                 "cannot be quoted)",
                 k == BLOCKS_INCLUDE ? "n" : "", blocks_kind_name(k));
}

// ----- the text as blocks ----------------------------------------------------------------------------------

static blocks_block *S_add(blocks_doc *d, blocks_block g) {
    d->b = wb_realloc(d->b, sizeof *d->b * (size_t)(d->n + 1));
    d->b[d->n] = g;
    return &d->b[d->n++];
}

// The fenced block opening at line l with fence f: its end found, its attributes read.
static int S_block(blocks_doc *d, int l, const blocks_fence *f, const char *const *known, char *err, size_t errlen) {
    int k = l + 1;
    while (k < d->nlines && !blocks_fence_close(d->text, d->lines[k], f)) k++;
    blocks_kind kind = blocks_fence_kind(d->text, f);
    blocks_block *g = S_add(d, (blocks_block){.kind = kind, .first = l, .body_a = l + 1, .body_b = k, .f = *f});
    g->last = k < d->nlines ? k + 1 : k;
    if (kind == BLOCKS_CODE) return 0;
    if (k == d->nlines)
        return S_err(err, errlen, l + 1, "unterminated %s block; expected a closing %.*s line", blocks_kind_name(kind),
                     f->n, f->ch == '`' ? "``````````````````````````````" : "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
    attr_parse p = {d, l + 1, known ? known[kind] : NULL, err, errlen};
    return S_attrs(&p, g);
}

int blocks_parse(blocks_doc *d, const char *text, size_t len, const char *const *known, char *err, size_t errlen) {
    *d = (blocks_doc){.text = text, .len = len};
    d->lines = blocks_lines(text, len, &d->nlines);
    blocks_fence quoted = {0};  // a code fence open inside a block quote
    int in_quoted_code = 0;
    for (int l = 0; l < d->nlines;) {
        blocks_fence f;
        if (!blocks_fence_open(text, d->lines[l], &f)) {
            if (S_quote_line(d, l, &quoted, &in_quoted_code, err, errlen) != 0) return blocks_free(d), -1;
            if (d->n == 0 || d->b[d->n - 1].kind != BLOCKS_PROSE)
                S_add(d, (blocks_block){.kind = BLOCKS_PROSE, .first = l});
            d->b[d->n - 1].last = ++l;
            continue;
        }
        in_quoted_code = 0;
        if (S_block(d, l, &f, known, err, errlen) != 0) return blocks_free(d), -1;
        l = d->b[d->n - 1].last;
    }
    return 0;
}

void blocks_free(blocks_doc *d) {
    for (int i = 0; i < d->n; i++) free(d->b[i].attrs);
    free(d->b), free(d->lines);
    *d = (blocks_doc){0};
}
