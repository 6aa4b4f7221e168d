// weave_figure.c — a figure block as a numbered <figure>: the SVG the plotter drew from the same block, and
// its caption. The block is read with figspec.h, the plotter's parser (docs/AUTHORING.md, "Figures").
#include <stdio.h>
#include <string.h>

#include "figspec.h"
#include "weave_int.h"

// The caption's text in the chapter: what follows "caption:" on its line.
static range S_caption(const ctx *c, int line) {
    range r = wv_trim(c, c->lines[line - 1].a, c->lines[line - 1].b);
    return wv_trim(c, r.a + strlen("caption:"), r.b);
}

// The block is read by figspec, as the plotter reads it, so that a block the plotter refused is refused here
// with the same message (not reported as a figure the plotter failed to draw).
const char *wv_figure(ctx *c, const blocks_block *g) {
    figspec fs;
    char msg[1024];
    if (figspec_parse_block(&fs, c->o->md_path, &c->blocks, g, msg, sizeof msg) != 0) wv_fail_msg(c, msg);
    const blocks_attr *file = wv_attr(c, g, "file");
    char *ids = wv_strndup(c, fs.id, strlen(fs.id)), *files = wv_strndup(c, fs.file, strlen(fs.file));
    int cap_line = fs.caption_line;
    figspec_free(&fs);
    char *path = wv_join(c, c->o->figures_dir, files);
    if (!wv_exists(path))
        wv_fail(c, file->val.a, "missing figure %s; expected the plotter to draw it from this block", path);
    if (!cap_line)
        wv_fail(c, c->lines[g->first].a, "figure '%s' without caption; expected a line 'caption: ...'", ids);
    range cap = S_caption(c, cap_line);
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
