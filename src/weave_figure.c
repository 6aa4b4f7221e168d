// weave_figure.c — a figure block as a numbered <figure>: the SVG the plotter drew from the same block, and
// its caption (the plotter reads the other lines, docs/AUTHORING.md).
#include <stdio.h>
#include <string.h>

#include "weave_int.h"

// The value of the body line "name: value" of a block, or {0, 0}.
static range S_body_line(const ctx *c, const blocks_block *g, const char *name, size_t *pos) {
    size_t n = strlen(name);
    for (int l = g->body_a; l < g->body_b; l++) {
        range r = wv_trim(c, c->lines[l].a, c->lines[l].b);
        if (r.b - r.a > n && wv_at(c, r.a, r.b, name) && c->src[r.a + n] == ':') {
            *pos = r.a;
            return wv_trim(c, r.a + n + 1, r.b);
        }
    }
    return (range){0, 0};
}

const char *wv_figure(ctx *c, const blocks_block *g) {
    const blocks_attr *id = wv_attr(c, g, "id"), *file = wv_attr(c, g, "file");
    char *ids = wv_str(c, id->val), *files = wv_str(c, file->val);
    wv_check_relpath(c, file->val.a, files, "the figures folder");
    char *path = wv_join(c, c->o->figures_dir, files);
    if (!wv_exists(path))
        wv_fail(c, file->val.a,
                "missing figure %s; expected the plotter to draw it from this block (is its kind known?)", path);
    size_t pos;
    range cap = S_body_line(c, g, "caption", &pos);
    if (cap.a == cap.b)
        wv_fail(c, c->lines[g->first].a, "figure '%s' without caption; expected a line 'caption: ...'", ids);
    sbuf *h = wv_buf(c);
    int num = wv_label(c, 'f', ids)->number;
    wv_printf(h, "<figure class=\"figure\" id=\"fig-%s\">\n<img src=\"figures/", ids);
    wv_escs(h, c->o->name);
    wv_printf(h, "/%s\" alt=\"Figure %s.%d\">\n", files, wv_num(c->o->number), num);
    wv_printf(h, "<figcaption><span class=\"label\">Figure %s.%d:</span> ", wv_num(c->o->number), num);
    wv_puts(h, wv_inline_html(c, cap));
    wv_puts(h, "</figcaption>\n</figure>");
    return h->s;
}
