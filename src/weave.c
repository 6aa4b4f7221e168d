// weave.c — the weaver: chapters/NN-name/chapter.md plus the chapter's outputs -> one HTML page (libcmark).
//
// Authors write CommonMark plus a few directives (docs/AUTHORING.md): $math$ and $$math$$, {{placeholders}}
// for computed values, {{claim ...}} conditions on the run, code listings included from the chapter program, figure and table blocks, and
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
// a figure, table or listing is a block of its own, never inside a block quote.
//
// Each stage is a file of its own (weave_int.h lists them): this one tells the steps in order, and holds the
// entry point weave_chapter() and the command line.
//
// Command line (the Makefile's):
//   weave --toc chapters/00-preface chapters/01-scalar ...       one "dir<TAB>page<TAB>number<TAB>title" a line
//   weave --chapter chapters/NN-name --data build/NN-name/out --figures book/figures/NN-name
//         --toc build/toc.tsv --out book/NN-name.html [--math-out build/NN-name/math.tsv]
//         [--claims-out build/NN-name/claims.tsv] [--highlight-cache build/highlight]
//   weave --highlight chapters/NN-name/FILE.c --out FILE [--highlight-cache DIR]
//                                                  the file highlighted, one line of HTML a line (source pages)
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "weave_int.h"

// ----- step 1: the blocks, and figure and table numbers (so that references may point forward) -------------

// The attributes each directive's first line accepts.

static void S_number_block(ctx *c, const blocks_block *g, int *nfig, int *ntab) {
    const char *what = g->kind == BLOCKS_FIGURE ? "figure" : "table";
    size_t pos = c->lines[g->first].a;
    const blocks_attr *id = wv_attr(c, g, "id");
    if (!id) wv_fail(c, pos, "%s block without id; expected ```%s id=NAME ...", what, what);
    char *s = wv_str(c, id->val);
    for (const char *p = s; *p; p++)
        if (!wv_idchar(*p))
            wv_fail(c, id->val.a, "%s id '%s' has a character other than letters, digits, '_' and '-'", what, s);
    char kind = g->kind == BLOCKS_FIGURE ? 'f' : 't';
    if (wv_label(c, kind, s))
        wv_fail(c, id->val.a, "duplicate %s id '%s'; expected each %s id once in a chapter", what, s, what);
    if (g->kind == BLOCKS_FIGURE && !wv_attr(c, g, "file"))
        wv_fail(c, pos, "figure block without file; expected ```figure id=%s file=NAME.svg", s);
    c->lab = wv_grow(c, c->lab, c->nlab, &c->caplab, sizeof *c->lab);
    c->lab[c->nlab++] = (label){kind, s, kind == 'f' ? ++*nfig : ++*ntab};
}

static void S_number_all(ctx *c, const blocks_block *segs, int n) {
    int nfig = 0, ntab = 0;
    for (int i = 0; i < n; i++)
        if (segs[i].kind == BLOCKS_FIGURE || segs[i].kind == BLOCKS_TABLE) S_number_block(c, &segs[i], &nfig, &ntab);
}

// ----- step 2: the chapter's Markdown, every directive a token ---------------------------------------------

// A directive's HTML as a paragraph of its own, at the fence's indent (so it stays inside a list item).
static void S_block_token(ctx *c, sbuf *md, const blocks_block *g, const char *html) {
    if (md->len && !(md->len >= 2 && md->s[md->len - 1] == '\n' && md->s[md->len - 2] == '\n')) wv_putc(md, '\n');
    for (int k = 0; k < g->f.indent; k++) wv_putc(md, ' ');
    range src = {c->lines[g->first].a, c->lines[g->last - 1].b};
    wv_token(c, md, 'b', html, src);
    wv_puts(md, "\n\n");
}

static void S_check_reserved(ctx *c) {
    const char *s = c->src, *bad = NULL;
    for (const char *p = s; (p = memchr(p, '\xEE', c->len - (size_t)(p - s))); p++)
        if (strncmp(p, TOK_OPEN, 3) == 0 || strncmp(p, TOK_CLOSE, 3) == 0) {
            bad = p;
            break;
        }
    if (bad)
        wv_fail(c, (size_t)(bad - s),
                "the private-use character U+E000 or U+E001; expected text without them (the weaver reserves them)");
    if (strlen(s) != c->len) wv_fail(c, strlen(s), "a NUL byte; expected UTF-8 text");
}

// Steps 1 and 2: the Markdown cmark will parse, every directive replaced by a token.
static sbuf *S_rewrite(ctx *c) {
    S_check_reserved(c);
    char *msg = wv_alloc(c, c->errlen + 1);  // "LINE: ...": as long as the message may be
    if (blocks_parse(&c->blocks, c->src, c->len, blocks_known, msg, c->errlen + 1) != 0) wv_fail_lined(c, msg);
    S_number_all(c, c->blocks.b, c->blocks.n);
    sbuf *md = wv_buf(c);
    for (int i = 0; i < c->blocks.n; i++) {
        const blocks_block *g = &c->blocks.b[i];
        size_t a = c->lines[g->first].a, b = g->last < c->nlines ? c->lines[g->last].a : c->len;
        switch (g->kind) {
        case BLOCKS_PROSE: wv_scan(c, md, a, b); break;
        case BLOCKS_CODE: wv_put(md, c->src + a, b - a); break;
        case BLOCKS_FIGURE: S_block_token(c, md, g, wv_figure(c, g)); break;
        case BLOCKS_TABLE: S_block_token(c, md, g, wv_table(c, g)); break;
        case BLOCKS_INCLUDE: S_block_token(c, md, g, wv_listing(c, g)); break;
        }
    }
    return md;
}

// ----- steps 3 and 4: cmark, the tokens swapped back, the page ---------------------------------------------

int weave_chapter(const weave_opts *o, const char *md, size_t len, weave_output *out, char *err, size_t errlen) {
    ctx *c = wv_ctx_new(o, md, len, err, errlen);
    if (setjmp(c->fail)) {
        wv_ctx_free(c);
        return -1;
    }
    wv_check_utf8(c, md, len);
    int cur = wv_current(c);
    // The heading is checked even when the contents file names the title: it may predate an edit.
    const char *title = cur >= 0 ? (wv_find_title(c), o->toc->e[cur].title) : wv_title(c);
    sbuf *rewritten = S_rewrite(c);
    c->doc = cmark_parse_document(rewritten->s, rewritten->len, CMARK_OPT_DEFAULT);
    wv_untokenize(c, c->doc, 0, (range){0, c->len});
    wv_number_headings(c, c->doc);
    char *body = cmark_render_html(c->doc, CMARK_OPT_UNSAFE);  // UNSAFE: our HTML nodes would be dropped
    const char *verdicts = wv_verdicts(c);
    if (*verdicts) {  // the warnings open the article, before its heading
        sbuf *b = wv_buf(c);
        wv_puts(b, verdicts), wv_puts(b, body);
        free(body);
        body = wb_strdup(b->s);
    }
    out->page = wb_strdup(wv_page(c, body, title));
    out->body = body;
    out->math = wb_strdup(c->math->s);
    out->claims = wb_strdup(c->claims->s);
    wv_ctx_free(c);
    return 0;
}

void weave_output_free(weave_output *out) {
    free(out->body), free(out->page), free(out->math), free(out->claims);
    out->body = out->page = out->math = out->claims = NULL;
}

// ----- the command line ------------------------------------------------------------------------------------

int weave_run(const weave_args *a, char *err, size_t errlen) {
    char name[256];
    int number;
    if (wv_chapter_name(a->chapter, name, sizeof name, &number) != 0)
        return wb_errf(err, errlen, "%s: a chapter folder is named NN-name, like 01-scalar", a->chapter);
    weave_toc *toc = weave_toc_read(a->toc, err, errlen);
    if (!toc) return -1;
    int listed = 0;
    for (int i = 0; i < toc->n; i++) listed |= strcmp(toc->e[i].dir, name) == 0;
    if (!listed) {
        weave_toc_free(toc);
        return wb_errf(err, errlen, "%s does not list %s; expected `weave --toc` over every chapter (make rebuilds it)",
                       a->toc, name);
    }
    char *md_path = wb_path_join(a->chapter, "chapter.md");
    size_t len;
    char *md = wb_read_file(md_path, &len);
    weave_output out = {0};
    weave_opts o = {md_path, a->chapter, a->data, a->figures, name, number, toc, a->highlight_cache};
    int rc = md ? weave_chapter(&o, md, len, &out, err, errlen)
                : wb_read_errf(err, errlen, md_path, errno);
    if (rc == 0) {
        wb_write_file(a->out, out.page, strlen(out.page));
        if (a->math_out) wb_write_file(a->math_out, out.math, strlen(out.math));
        if (a->claims_out) wb_write_file(a->claims_out, out.claims, strlen(out.claims));
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

// `weave --highlight FILE --out OUT`: FILE's lines highlighted (weave_highlight) into OUT, atomically.
static int S_main_highlight(const char *path, const char *cache, const char *out) {
    char err[1024], *html;
    size_t len, n;
    char *text = wb_read_file(path, &len);
    if (!text) {
        wb_read_errf(err, sizeof err, path, errno);
        wb_die("%s", err);
    }
    if (weave_highlight(path, text, len, cache, &html, &n, err, sizeof err) != 0) wb_die("%s", err);
    wb_write_file(out, html, n);
    free(html), free(text);
    return 0;
}

int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    int toc_mode = argc >= 2 && strcmp(argv[1], "--toc") == 0;
    for (int i = 1; i < argc; i++) toc_mode = toc_mode && strncmp(argv[i], "--chapter", 9) != 0;
    if (toc_mode) return S_main_toc(argc, argv);
    weave_args a = {0};
    const char *highlight = NULL;
    flag_spec specs[] = {
        {"chapter", FLAG_STRING, &a.chapter, "the chapter folder, chapters/NN-name", 0, 0},
        {"data", FLAG_STRING, &a.data, "its program's outputs, build/NN-name/out", 0, 0},
        {"figures", FLAG_STRING, &a.figures, "its drawn figures, book/figures/NN-name", 0, 0},
        {"toc", FLAG_STRING, &a.toc, "the table of contents from `weave --toc`", 0, 0},
        {"out", FLAG_STRING, &a.out, "the page to write, book/NN-name.html", 0, 0},
        {"math-out", FLAG_STRING, &a.math_out, "also write every formula (line, display, TeX) for katex-check.js", 0,
         0},
        {"claims-out", FLAG_STRING, &a.claims_out, "also write every checked claim and whether the run holds it", 0,
         0},
        {"highlight-cache", FLAG_STRING, &a.highlight_cache, "keep each listed file's highlighting in this folder", 0,
         0},
        {"highlight", FLAG_STRING, &highlight, "only highlight this C file into --out, one line of HTML a line", 0,
         0},
    };
    const char *usage =
        "weave --toc chapters/NN-name...  |  weave --chapter DIR --data DIR --figures DIR --toc FILE --out FILE"
        "  |  weave --highlight FILE.c --out FILE";
    flags_parse(argc, argv, specs, FLAGS_COUNT(specs), usage);
    if (highlight && a.out) return S_main_highlight(highlight, a.highlight_cache, a.out);
    if (!a.chapter || !a.data || !a.figures || !a.toc || !a.out)
        wb_die("--chapter, --data, --figures, --toc and --out are all needed; see --help");
    char err[1024];
    if (weave_run(&a, err, sizeof err) != 0) wb_die("%s", err);
    return 0;
}
#endif
