// weave_page.c — step 4 of the weaver: numbered headings, then the page around the article: its head, the
// contents sidebar and the previous/next links.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weave_int.h"

// The book's name, in every <title> and atop the contents.
#define WEAVE_BOOK_TITLE "Backprop workbook"

// ----- step 4: headings and the page -----------------------------------------------------------------------

// A node's HTML without its outer tag: "<h2>x</h2>\n" -> "x".
static const char *S_inner_html(ctx *c, cmark_node *n) {
    char *html = cmark_render_html(n, CMARK_OPT_UNSAFE);
    const char *open = strchr(html, '>'), *close = strrchr(html, '<');
    const char *inner = open && close && close > open ? wv_strndup(c, open + 1, (size_t)(close - open - 1)) : "";
    free(html);
    return inner;
}

// A heading's HTML for its entry in the contents, which is a link itself: a link inside the heading (an
// @fig: or @sec: reference, a [text](url)) keeps its text and loses its tag, since a link may not hold one.
static const char *S_without_links(ctx *c, const char *html) {
    sbuf *b = wv_buf(c);
    for (const char *p = html; *p;) {
        int open = !strncmp(p, "<a ", 3) || !strncmp(p, "<a>", 3), close = !strncmp(p, "</a>", 4);
        const char *end = open || close ? strchr(p, '>') : NULL;
        if (end) {
            p = end + 1;
            continue;
        }
        wv_putc(b, *p++);
    }
    return b->s ? b->s : "";
}

// The chapter's number in its first "# " heading; "## " headings numbered N.k, with an anchor and an
// entry in the sidebar; "### " headings an anchor (sec-k-j), for links and the search. The preface (chapter 0)
// gets anchors but no numbers.
void wv_number_headings(ctx *c, cmark_node *doc) {
    int nsec = 0, nsub = 0, h1 = 0, n = c->o->number;
    for (cmark_node *h = cmark_node_first_child(doc); h; h = cmark_node_next(h)) {
        if (cmark_node_get_type(h) != CMARK_NODE_HEADING) continue;
        int level = cmark_node_get_heading_level(h);
        sbuf *b = wv_buf(c);
        if (level == 1 && !h1++ && n > 0)
            wv_printf(b, "<span class=\"chapnum\">%s %s</span> ", wv_chapword(n), wv_num(n));
        if (level == 2) {
            nsec++;
            wv_printf(c->sections, "<li><a href=\"#sec-%d\">", nsec);
            if (n > 0) wv_printf(c->sections, "<span class=\"num\">%s.%d</span> ", wv_num(n), nsec);
            wv_printf(c->sections, "%s</a></li>\n", S_without_links(c, S_inner_html(c, h)));
            if (n > 0) wv_printf(b, "<span class=\"secnum\" id=\"sec-%d\">%s.%d</span> ", nsec, wv_num(n), nsec);
            else wv_printf(b, "<span id=\"sec-%d\"></span>", nsec);
        }
        if (level == 3) wv_printf(b, "<span id=\"sec-%d-%d\"></span>", nsec, ++nsub);  // a link's target, unnumbered
        if (level == 2) nsub = 0;
        if (b->len) cmark_node_prepend_child(h, wv_new_node(CMARK_NODE_HTML_INLINE, b->s));
    }
}

int wv_current(const ctx *c) {
    const weave_toc *t = c->o->toc;
    for (int i = 0; t && i < t->n; i++)
        if (strcmp(t->e[i].dir, c->o->name) == 0) return i;
    return -1;
}

static void S_entry_label(sbuf *h, const weave_entry *e) {
    if (e->number > 0) wv_printf(h, "<span class=\"num\">%s</span> ", wv_num(e->number));
    wv_escs(h, e->title);
}

// The contents: every chapter, the current one marked and opened onto its sections. book.js folds it
// on narrow screens, where it sits above the text.
static void S_sidebar(ctx *c, sbuf *h) {
    const weave_toc *t = c->o->toc;
    int cur = wv_current(c);
    wv_puts(h,
            "<nav class=\"toc\" aria-label=\"Contents\">\n<a class=\"book-title\" href=\"index.html\">" WEAVE_BOOK_TITLE
            "</a>\n<details open>\n<summary>Contents</summary>\n<ol class=\"chapters\">\n");
    for (int i = 0; t && i < t->n; i++) {
        wv_printf(h, "<li%s><a href=\"", i == cur ? " class=\"current\"" : "");
        wv_escs(h, t->e[i].page);
        wv_printf(h, "\"%s>", i == cur ? " aria-current=\"page\"" : "");
        S_entry_label(h, &t->e[i]);
        wv_puts(h, "</a>");
        if (i == cur && c->sections->len) {
            wv_puts(h, "\n<ol class=\"sections\">\n");
            wv_puts(h, c->sections->s);
            wv_puts(h, "</ol>");
        }
        wv_puts(h, "</li>\n");
    }
    wv_puts(h, "</ol>\n</details>\n</nav>\n");
}

static void S_pager(ctx *c, sbuf *h) {
    const weave_toc *t = c->o->toc;
    int cur = wv_current(c);
    if (cur < 0) return;
    wv_puts(h, "<nav class=\"pager\" aria-label=\"Previous and next chapter\">\n");
    for (int d = -1; d <= 1; d += 2) {
        int k = cur + d;
        if (k < 0 || k >= t->n) continue;
        wv_printf(h, "<a class=\"%s\" rel=\"%s\" href=\"", d < 0 ? "prev" : "next", d < 0 ? "prev" : "next");
        wv_escs(h, t->e[k].page);
        wv_printf(h, "\"><span class=\"dir\">%s</span> ", d < 0 ? "&larr; Previous" : "Next &rarr;");
        S_entry_label(h, &t->e[k]);
        wv_puts(h, "</a>\n");
    }
    wv_puts(h, "</nav>\n");
}

const char *wv_page(ctx *c, const char *body, const char *title) {
    sbuf *h = wv_buf(c);
    const char *book = WEAVE_BOOK_TITLE;
    wv_puts(h,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=utf-8>\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if (c->o->number > 0) wv_printf(h, "%s. ", wv_num(c->o->number));
    wv_escs(h, title);
    if (strcmp(title, book) != 0) wv_puts(h, " — "), wv_escs(h, book);
    wv_puts(h,
            "</title>\n<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">\n"
            "<link rel=\"stylesheet\" href=\"assets/style.css\">\n"
            "<script src=\"assets/katex/katex.min.js\" defer></script>\n"
            "<script src=\"assets/book.js\" defer></script>\n</head>\n<body>\n"
            "<a class=\"skip\" href=\"#main\">Skip to the text</a>\n");
    S_sidebar(c, h);
    wv_puts(h, "<main id=\"main\">\n<article>\n");
    wv_puts(h, body);
    wv_puts(h, "</article>\n");
    S_pager(c, h);
    wv_puts(h, "</main>\n</body>\n</html>\n");
    return h->s;
}
