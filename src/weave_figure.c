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

// A figure's alt text: what its caption says, as text. The caption's HTML with its tags left out (its entities
// stay as they are: already escaped, so safe in the attribute), spaces collapsed; a failed claim's note is no
// part of what the figure shows, and is left out too.
static void S_alt(sbuf *h, const char *html) {
    const char *note = strstr(html, "<div class=\"claim-failed\"");
    size_t n = note ? (size_t)(note - html) : strlen(html);
    int tag = 0, space = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = html[i];
        if (ch == '<') tag = 1;
        else if (ch == '>') tag = 0;
        else if (!tag && (ch == ' ' || ch == '\n' || ch == '\t')) space = 1;
        else if (!tag) {
            if (space && h->len && h->s[h->len - 1] != ' ') wv_putc(h, ' ');
            space = 0;
            wv_putc(h, ch == '"' ? '\'' : ch);
        }
    }
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
    const char *caption = wv_inline_html(c, cap);
    wv_printf(h, "/%s\" alt=\"Figure %s.%d: ", files, wv_num(c->o->number), num);
    S_alt(h, caption);
    wv_puts(h, "\">\n");
    wv_printf(h, "<figcaption><span class=\"label\">Figure %s.%d:</span> ", wv_num(c->o->number), num);
    wv_puts(h, caption);
    wv_puts(h, "</figcaption>\n</figure>");
    return h->s;
}
