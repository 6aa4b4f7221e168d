// weave_int.h — what the weaver's files share: the context of one weave and each stage's entry points.
//
// The weaver (weave.c tells its four steps) is cut into one file per stage:
//
//   weave_ctx.c      the context: its memory pool, growing strings, the error exit, small text helpers
//   blocks.c         step 1: prose and fenced blocks (shared with the plotter, blocks.h)
//   weave_values.c   computed values {{...}} and the number formats an author may write (placeholder.h)
//   weave_tokens.c   step 2: prose into Markdown with tokens; step 3: tokens back into the cmark tree
//   weave_listing.c  code listings, weave_figure.c figures, weave_table.c tables: a directive's HTML
//   weave_highlight.c  a listed file in colour by GNU source-highlight, cut into lines (weave.h: weave_highlight)
//   weave_claims.c   checked claims: a sentence's condition on the run, a note where the run breaks it
//   weave_verdict.c  what the chapter's run says went wrong (a failed gradient check), atop the page
//   weave_page.c     step 4: headings, the contents sidebar, previous/next, the page
//   weave_toc.c      titles, `weave --toc` lines and reading the contents file
//
// Names: weave_ for the interface (weave.h), wv_ for what these files share, S_ for what one file keeps.
// Every wv_ function that takes a ctx may unwind with wv_fail (longjmp to weave_chapter or weave_title).
#ifndef WEAVE_INT_H
#define WEAVE_INT_H

#include <setjmp.h>
#include <stddef.h>

#include <cmark.h>

#include "blocks.h"
#include "weave.h"
#include "wb.h"

// ----- the context: one weave's memory, tables and error exit (weave_ctx.c) --------------------------------

typedef struct ctx ctx;
typedef blocks_range range;  // [a, b): byte offsets into the chapter text

// A growing string owned by the context; s is always NUL-terminated.
typedef struct {
    ctx *c;
    char *s;
    size_t len, cap;
} sbuf;

// What a token in the rewritten Markdown stands for.
typedef struct {
    char kind;  // 'i' inline math, 'd' display math (text: TeX); 'v' a value (plain text);
                // 'h' inline HTML, 'r' a reference's link (HTML), 'b' block HTML (text: HTML)
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
    range *lines;  // (nlines) without their '\n' (malloc'd by blocks_lines)
    int nlines;
    blocks_doc blocks;  // step 1: the text as prose and fenced blocks
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
    sbuf *claims;    // --claims-out lines: line, holds or FAILS, what it says, condition, values
    int nclaims, nfailed_claims;
    cmark_node *doc;
    cmark_node *inline_doc;  // a caption's or cell's tree while wv_inline_html works on it (freed on wv_fail)
    range *para;  // wv_para_end's last answer: [a, b) has no paragraph end before b, where the text up to end
    size_t para_end;  // ... (b) ends; a paragraph's every formula and placeholder asks it again (weave_ctx.c)
};

// The two characters around a token's index in the rewritten Markdown (weave_tokens.c).
#define TOK_OPEN "\xEE\x80\x80"   // U+E000
#define TOK_CLOSE "\xEE\x80\x81"  // U+E001

// weave_ctx.c: the context and its memory (every block freed with the context)
ctx *wv_ctx_new(const weave_opts *o, const char *md, size_t len, char *err, size_t errlen);
void wv_ctx_free(ctx *c);
void *wv_alloc(ctx *c, size_t n);
void *wv_grow(ctx *c, void *arr, int n, int *cap, size_t size);  // room for element n of arr: arr, maybe moved
char *wv_strndup(ctx *c, const char *s, size_t n);
char *wv_str(ctx *c, range r);  // the chapter text [r.a, r.b)
// growing strings
sbuf *wv_buf(ctx *c);
void wv_put(sbuf *b, const char *s, size_t n);
void wv_puts(sbuf *b, const char *s);
void wv_putc(sbuf *b, char ch);
void wv_printf(sbuf *b, const char *fmt, ...) WB_PRINTF(2, 3);
void wv_esc(sbuf *b, const char *s, size_t n);  // &, <, >, " escaped
void wv_escs(sbuf *b, const char *s);
// the error exit
int wv_line(const ctx *c, size_t pos);  // 1-based
void wv_fail(ctx *c, size_t pos, const char *fmt, ...) WB_PRINTF(3, 4) WB_NORETURN;
void wv_fail_lined(ctx *c, const char *msg) WB_NORETURN;  // msg "LINE: ..." (blocks_parse's)
void wv_fail_msg(ctx *c, const char *msg) WB_NORETURN;    // msg "PATH:LINE: ..." (figspec_parse's)
void wv_check_utf8(ctx *c, const char *raw, size_t len);  // the chapter as read (CRLF kept): UTF-8, or wv_fail
// small text helpers
int wv_at(const ctx *c, size_t i, size_t end, const char *lit);
range wv_trim(const ctx *c, size_t a, size_t b);
int wv_is_blank(const ctx *c, int l);
int wv_idchar(char ch);
size_t wv_para_end(const ctx *c, size_t i, size_t end);
size_t wv_code_end(const ctx *c, size_t i, size_t end);
void wv_check_relpath(ctx *c, size_t pos, const char *p, const char *what);
int wv_exists(const char *path);
char *wv_join(ctx *c, const char *dir, const char *name);
const char *wv_num(int n);  // a chapter's number as it reads: "1", "A"
const char *wv_chapword(int n);
// blocks and labels
const blocks_attr *wv_attr(const ctx *c, const blocks_block *g, const char *key);
const label *wv_label(const ctx *c, char kind, const char *id);
char *wv_known_ids(ctx *c, char kind);

// weave_values.c: {{placeholders}} and number formats, on placeholder.h
const char *wv_value(ctx *c, size_t i, size_t end, size_t *after);  // the placeholder opening at i
const char *wv_result(ctx *c, size_t pos, const char *ref);  // the value of "[file:]key", as written
const char *wv_code_value(ctx *c, size_t i, size_t end, size_t *after);  // {{code [file:]key}}: <code>value</code>
void wv_check_format(ctx *c, size_t pos, const char *f);
int wv_number(const char *s, double *v);
char *wv_format(ctx *c, const char *fmt, double v);

// weave_claims.c: {{claim EXPR | what it says}} opening at i; NULL when it holds, else the note to show
const char *wv_claim(ctx *c, size_t i, size_t end, size_t *after);

// weave_tokens.c: steps 2 and 3
void wv_token(ctx *c, sbuf *out, char kind, const char *text, range src);
void wv_scan(ctx *c, sbuf *out, size_t i, size_t end);  // prose [i, end) into out, directives as tokens
// Tokens back into the tree; every link's and image's URL checked (where: the text it came from, for the line).
void wv_untokenize(ctx *c, cmark_node *root, int raw_html_as_text, range where);
cmark_node *wv_new_node(cmark_node_type type, const char *literal);
const char *wv_inline_html(ctx *c, range r);  // a caption or a cell

// weave_listing.c, weave_figure.c, weave_table.c: a directive block's HTML
const char *wv_listing(ctx *c, const blocks_block *g);
const char *wv_figure(ctx *c, const blocks_block *g);
const char *wv_table(ctx *c, const blocks_block *g);

// weave_verdict.c: a warning at the top of the page for each failed gradient check of the chapter's outputs
const char *wv_verdicts(ctx *c);

// weave_page.c: step 4
void wv_number_headings(ctx *c, cmark_node *doc);
int wv_current(const ctx *c);  // this chapter's entry in the contents, or -1
const char *wv_page(ctx *c, const char *body, const char *title);

// weave_toc.c
const char *wv_title(ctx *c);       // the chapter's title, or wv_fail
const char *wv_find_title(ctx *c);  // the same, NULL when it has no "# " heading
int wv_chapter_name(const char *dir, char *name, size_t cap, int *number);

#endif
