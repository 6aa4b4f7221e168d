// plot.c — the book's figures: reads the `figure` blocks of a chapter.md and draws them with Cairo.
//
//     build/tools/plot --chapter chapters/NN-name/chapter.md --data build/NN-name/out --out DIR [--png] [--only ID]
//
// Every figure block of the chapter (spec: docs/AUTHORING.md, "Figures") is drawn from the TSV files
// of the data folder into DIR/NAME (the block's file=NAME.svg; NAME.png with --png), each written
// atomically. Three kinds, each one drawing function on a fixed canvas, as in Cairo's samples:
//
//   line     several series with a legend; nice 1-2-5 ticks or decades on log axes; `smooth=N` draws a
//            moving average bold over the faint raw values; `std=COL` a translucent mean ± std band.
//            Long series (300 000 per-step losses) are thinned to about 2 points per pixel column.
//   scatter  points coloured by an integer class over a classifier's decision regions: a grid of
//            P(class 1) painted as one small image, and its p = 0.5 contour (marching squares).
//   bar      horizontal bars, one row of bars per category named in a text column, one bar of each
//            row per `bars:` line (grouped, with a legend), on a linear or logarithmic value axis.
//
// Labels may hold placeholders, {{b16/results:lr}} as in the prose: the value is read from the data folder's
// results files (plot_values.c, on the weaver's placeholder.c), so no setting is typed into a figure.
//
// This file is the pipeline: find the chapter's figure fences (blocks.c), parse each block
// (figspec.c), fill in its labels' placeholders (plot_values.c), load its data and draw it by kind
// (plot_line.c, plot_bar.c, plot_scatter.c, on plot_axes.c and plot_legend.c), write it out
// (plot_output.c). The files' interface: plot.h.
// Same input, same bytes: no randomness, no dates, and the ids Cairo numbers from process-wide
// counters are renumbered per document. Every error names `chapter.md:LINE`.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "flags.h"
#include "plot.h"
#include "wb.h"

// ----- the chapter: its figures ------------------------------------------------------------------

void plot_chapter_free(plot_chapter *ch) {
    for (int i = 0; i < ch->n; i++) figspec_free(&ch->figs[i]);
    free(ch->figs);
    ch->figs = NULL, ch->n = 0;
}

// A figure's id and file must be unique within the chapter: the last one against those before it.
static int S_check_unique(const plot_chapter *ch, const char *path, char *err, size_t errlen) {
    const figspec *f = &ch->figs[ch->n - 1];
    for (int i = 0; i < ch->n - 1; i++) {
        const figspec *g = &ch->figs[i];
        if (!strcmp(g->id, f->id) || !strcmp(g->file, f->file))
            return wb_errf(err, errlen, "%s:%d: figure %s '%s' is already used on line %d", path, f->line,
                           strcmp(g->id, f->id) ? "file" : "id", strcmp(g->id, f->id) ? f->file : f->id, g->line);
    }
    return 0;
}

// The chapter's figure blocks, found as the weaver finds them (blocks.h: in a list item too; one in a block
// quote, an unclosed one or one with an unknown attribute refused with the weaver's message), each parsed.
int plot_parse(const char *path, const char *text, plot_chapter *ch, char *err, size_t errlen) {
    blocks_doc d;
    char msg[1024];
    memset(ch, 0, sizeof *ch);
    if (blocks_parse(&d, text, strlen(text), blocks_known, msg, sizeof msg) != 0)
        return wb_errf(err, errlen, "%s:%s", path, msg);
    int r = 0;
    for (int i = 0; i < d.n && r == 0; i++) {
        if (d.b[i].kind != BLOCKS_FIGURE) continue;
        figspec f;
        if ((r = figspec_parse_block(&f, path, &d, &d.b[i], err, errlen)) != 0) break;
        ch->figs = wb_realloc(ch->figs, sizeof *ch->figs * (ch->n + 1));
        ch->figs[ch->n++] = f;
        r = S_check_unique(ch, path, err, errlen);
    }
    blocks_free(&d);
    if (r) plot_chapter_free(ch);
    return r;
}

// ----- drawing: data by kind, then the canvas ----------------------------------------------------

// The figure as written (spec) with its labels' placeholders filled in (f), then drawn from its data.
int plot_render(const figspec *spec, const char *path, const char *dir, int png, plot_buf *out, char *err,
                size_t errlen) {
    plot_lines L = {0};
    plot_scatter d = {0};
    plot_bars bars = {0};
    figspec filled;
    const figspec *f = &filled;
    memset(out, 0, sizeof *out);
    if (plot_values(spec, path, dir, &filled, err, errlen) != 0) return -1;
    int bad = f->kind == FIGSPEC_LINE  ? plot_lines_load(f, path, dir, &L, err, errlen)
              : f->kind == FIGSPEC_BAR ? plot_bars_load(f, path, dir, &bars, err, errlen)
                                       : plot_scatter_load(f, path, dir, &d, err, errlen);
    if (bad) {
        plot_values_free(&filled, spec);
        return -1;
    }
    cairo_surface_t *s = plot_surface(png, f->w, f->h, out);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    plot_frame fr = {.w = f->w, .h = f->h, .log = {f->xlog, f->ylog}};
    if (f->kind == FIGSPEC_LINE) plot_lines_draw(cr, f, &L, &fr);
    else if (f->kind == FIGSPEC_BAR) plot_bars_draw(cr, f, &bars, &fr);
    else plot_scatter_draw(cr, f, &d, &fr);
    cairo_status_t status = plot_surface_finish(s, cr, png, out);
    plot_lines_free(&L), plot_scatter_free(&d), plot_bars_free(&bars), plot_values_free(&filled, spec);
    if (status)
        return wb_errf(err, errlen, "%s:%d: figure '%s': drawing failed: %s", path, spec->line, spec->id,
                       cairo_status_to_string(status));
    return 0;
}

int plot_draw_chapter(const char *chapter, const char *data, const char *out, int png, const char *only, char *err,
                      size_t errlen) {
    char *text = wb_read_file(chapter, NULL);
    if (!text) return wb_read_errf(err, errlen, chapter, errno);
    plot_chapter ch;
    int r = plot_parse(chapter, text, &ch, err, errlen), drawn = 0;
    free(text);
    if (r) return -1;
    for (int i = 0; i < ch.n && r == 0; i++) {
        if (only && strcmp(only, ch.figs[i].id)) continue;
        plot_buf buf;
        if ((r = plot_render(&ch.figs[i], chapter, data, png, &buf, err, errlen)) != 0) break;
        plot_write_figure(out, &ch.figs[i], png, &buf);
        free(buf.data);
        drawn++;
    }
    plot_chapter_free(&ch);
    if (r == 0 && only && !drawn) r = wb_errf(err, errlen, "%s: no figure with id '%s'", chapter, only);
    return r ? -1 : drawn;
}

// ----- the command line --------------------------------------------------------------------------

#ifndef TESTING
int main(int argc, char **argv) {
    const char *chapter = NULL, *data = NULL, *out = NULL, *only = NULL;
    int png = 0;
    flag_spec specs[] = {
        {"chapter", FLAG_STRING, &chapter, "the chapter.md whose figure blocks to draw", 0, 0},
        {"data", FLAG_STRING, &data, "the chapter's out/ folder, holding the TSV and results files", 0, 0},
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
