// plot_bar.c — kind: bar. Horizontal bars, one row per category, one bar of each row per bars: line.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "wb.h"

void plot_bars_free(plot_bars *B) {
    for (int i = 0; B->names && i < B->n; i++) free(B->names[i]);
    for (int k = 0; k < B->nb; k++) free(B->labels[k]);
    free(B->names), free(B->v), free(B->labels);
    memset(B, 0, sizeof *B);
}

// bars: line k into B: its values and legend text, and the categories (k = 0) or the check that they are
// the first line's, in the same order.
static int S_load_bar(plot_bars *B, int k, const figspec *f, const tsv_table *t, const char *path, char *err,
                      size_t errlen) {
    const figspec_source *src = &f->bars[k];
    int cx = plot_column(path, src, t, src->x, err, errlen);
    int cy = cx < 0 ? -1 : plot_column(path, src, t, src->y, err, errlen);
    if (cy < 0) return -1;
    if (t->nrows == 0)
        return wb_errf(err, errlen, "%s:%d: %s has no data rows: nothing to draw", path, src->line, src->file);
    if (k == 0) {
        B->n = t->nrows;
        B->names = wb_calloc(B->n, sizeof *B->names);
        for (int i = 0; i < B->n; i++) B->names[i] = plot_label(t->cells[i * t->ncols + cy]);
        B->v = wb_malloc(sizeof(double) * B->n * f->nbars);
        B->labels = wb_calloc(f->nbars, sizeof *B->labels);
    } else if (t->nrows != B->n)
        return wb_errf(err, errlen, "%s:%d: %s has %d rows, the first bars: line %d (expected the same categories in "
                       "the same order)", path, src->line, src->file, t->nrows, B->n);
    B->labels[k] = src->label ? plot_label(src->label) : wb_strdup(src->x);
    B->nb = k + 1;
    char msg[512];
    for (int i = 0; i < B->n; i++) {
        char *name = plot_label(t->cells[i * t->ncols + cy]);
        int same = !strcmp(name, B->names[i]);
        free(name);
        if (!same)
            return wb_errf(err, errlen, "%s:%d: %s:%d: category '%s' where the first bars: line has '%s' (expected the "
                           "same categories in the same order)", path, src->line, src->file, t->lines[i],
                           t->cells[i * t->ncols + cy], B->names[i]);
        double *v = &B->v[k * B->n + i];
        if (tsv_num(t, i, cx, 0, v, msg, sizeof msg) != 0)
            return wb_errf(err, errlen, "%s:%d: %s", path, src->line, msg);
        if (f->xlog && *v <= 0)
            return wb_errf(err, errlen, "%s:%d: xlog: 1 needs values > 0, but %s:%d has %s = %g", path, src->line,
                           src->file, t->lines[i], src->x, *v);
    }
    return 0;
}

int plot_bars_load(const figspec *f, const char *path, const char *dir, plot_bars *B, char *err,
                       size_t errlen) {
    memset(B, 0, sizeof *B);
    for (int k = 0; k < f->nbars; k++) {
        tsv_table *t = plot_read_table(path, dir, &f->bars[k], err, errlen);
        int r = t ? S_load_bar(B, k, f, t, path, err, errlen) : -1;
        tsv_free(t);
        if (r) return plot_bars_free(B), -1;
    }
    return 0;
}

// The value axis (x) over every value, from 0 on a linear axis (a bar's length is its value, so a
// linear axis starts at 0 unpadded); the category axis (y) one unit per category.
void plot_bar_limits(const figspec *f, const plot_bars *B, plot_frame *fr) {
    double lo = fr->log[0] ? INFINITY : 0, hi = fr->log[0] ? -INFINITY : 0;
    for (int i = 0; i < B->n * B->nb; i++) {
        double u = plot_unit(fr, 0, B->v[i]);
        lo = fmin(lo, u), hi = fmax(hi, u);
    }
    plot_limits(fr, 0, lo, hi, 0.05, &f->lim[FIGSPEC_XMIN]);
    if (!fr->log[0] && lo == 0 && isnan(f->lim[FIGSPEC_XMIN])) fr->lo[0] = 0;
    fr->lo[1] = 0, fr->hi[1] = B->n;
}

// Margins: the category names left of the plot, the value ticks below it; then the ticks that fit.
// legend_w: room kept right of the plot for a legend outside it (0: none).
static void S_bar_layout(cairo_t *cr, const figspec *f, const plot_bars *B, plot_frame *fr, plot_ticks t[2],
                         double legend_w) {
    plot_font(cr, PLOT_FONT_LABEL, 0);
    double label = plot_cap(cr) * 1.5;
    plot_font(cr, PLOT_FONT_TICK, 0);
    double tick = plot_cap(cr), wmax = 0;
    for (int i = 0; i < B->n; i++) wmax = fmax(wmax, plot_width(cr, B->names[i]));
    fr->top = 12 + (f->title ? round(PLOT_FONT_TITLE * 1.6) : 0);
    fr->bottom = round(fr->h - (PLOT_TICK_LEN + 6 + tick + (f->xlabel ? 9 + label : 0) + 10));
    fr->left = round(10 + (f->ylabel ? label + 8 : 0) + wmax + 8);
    fr->right = round(fr->w - 14 - legend_w);
    memset(&t[1], 0, sizeof t[1]);  // names, not numbers, on the category axis
    plot_choose_ticks(cr, fr, 0, &t[0]);
    if (!t[0].n) return;
    double edge = plot_at(fr, 0, t[0].at[t[0].n - 1]) + plot_tick_width(cr, &t[0], t[0].n - 1) / 2;
    if (edge > fr->w - 6 - legend_w) {  // keep the last value label on the canvas
        fr->right = round(fr->right - (edge - (fr->w - 6 - legend_w)));
        plot_choose_ticks(cr, fr, 0, &t[0]);
    }
}

// Bar k of category i in pixels, r = {left, top, right, bottom}: a category's bars fill 70% of its row.
void plot_bar_rect(const plot_frame *fr, const plot_bars *B, int k, int i, double r[4]) {
    double row = (fr->bottom - fr->top) / B->n, h = 0.7 * row / B->nb, top = fr->top + row * (i + 0.15) + h * k;
    double zero = fr->log[0] ? fr->left : fmin(fmax(plot_px(fr, 0), fr->left), fr->right);
    double end = fmin(fmax(plot_px(fr, B->v[k * B->n + i]), fr->left), fr->right);
    r[0] = plot_q(fmin(zero, end)), r[1] = plot_q(top), r[2] = plot_q(fmax(zero, end)), r[3] = plot_q(top + h);
}

// The top and bottom edge of every bar, for placing the legend where it hides none.
static plot_poly S_bar_edges(const plot_frame *fr, const plot_bars *B) {
    int n = 4 * B->n * B->nb;
    plot_poly p = {0, wb_malloc(sizeof(double) * n), wb_malloc(sizeof(double) * n), PLOT_POLY_PAIRS};
    for (int k = 0; k < B->nb; k++)
        for (int i = 0; i < B->n; i++) {
            double r[4];
            plot_bar_rect(fr, B, k, i, r);
            double xs[4] = {r[0], r[2], r[0], r[2]}, ys[4] = {r[1], r[1], r[3], r[3]};
            for (int j = 0; j < 4; j++) p.x[p.n] = xs[j], p.y[p.n++] = ys[j];
        }
    return p;
}

// The bars, one colour per bars: line, and the category names right-aligned left of the plot.
static void S_draw_bars(cairo_t *cr, const plot_frame *fr, const plot_bars *B) {
    for (int k = 0; k < B->nb; k++) {
        for (int i = 0; i < B->n; i++) {
            double r[4];
            plot_bar_rect(fr, B, k, i, r);
            cairo_rectangle(cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
        }
        plot_color(cr, k, 0.85);
        cairo_fill(cr);
    }
    plot_font(cr, PLOT_FONT_TICK, 0);
    plot_ink(cr, PLOT_INK_TEXT);
    double row = (fr->bottom - fr->top) / B->n, cap = plot_cap(cr);
    for (int i = 0; i < B->n; i++) plot_text(cr, fr->left - 8, fr->top + row * (i + 0.5) + cap / 2, B->names[i], -1);
}

void plot_bars_draw(cairo_t *cr, const figspec *f, const plot_bars *B, plot_frame *fr) {
    plot_ticks t[2];
    plot_entry *e = wb_malloc(sizeof *e * B->nb);  // (nb)
    int labelled = 0;
    for (int k = 0; k < B->nb; k++) {
        e[k] = (plot_entry){B->labels[k], k, 0, 0, 0, 0, 1};
        labelled |= f->bars[k].label != NULL;
    }
    int ne = B->nb > 1 || labelled ? B->nb : 0;
    double w = 0, h = 0, lx = 0, ly = 0;
    plot_bar_limits(f, B, fr);
    S_bar_layout(cr, f, B, fr, t, 0);
    if (ne) {
        plot_legend_size(cr, e, ne, &w, &h);
        plot_poly edges = S_bar_edges(fr, B);
        int inside = plot_legend_inside(fr, w, h, &edges, 1, &lx, &ly);
        plot_poly_free(&edges);
        if (!inside) {
            S_bar_layout(cr, f, B, fr, t, w + 10);
            lx = fr->right + 14, ly = fr->top;
        }
    }
    plot_draw_grid(cr, fr, t);
    S_draw_bars(cr, fr, B);
    plot_draw_axes(cr, f, fr, t);
    if (ne) plot_draw_legend(cr, e, ne, lx, ly);
    free(e);
}
