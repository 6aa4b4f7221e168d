// plot_legend.c — the legend: a colour-blind-safe palette, a sample of each thing drawn and its name, in a
// corner of the plot where it hides no data (else right of the plot).
#include <math.h>
#include <string.h>

#include "plot.h"

// Okabe & Ito's colour-blind-safe palette, in the order series take it (yellow last: faint on white).
static const double S_PALETTE[8][3] = {
    {0.000, 0.447, 0.698}, {0.835, 0.369, 0.000}, {0.000, 0.620, 0.451}, {0.800, 0.475, 0.655},
    {0.902, 0.624, 0.000}, {0.337, 0.706, 0.914}, {0.000, 0.000, 0.000}, {0.941, 0.894, 0.259},
};

const double *plot_palette(int c) { return S_PALETTE[c % 8]; }

void plot_color(cairo_t *cr, int c, double alpha) {
    const double *p = plot_palette(c);
    cairo_set_source_rgba(cr, p[0], p[1], p[2], alpha);
}

enum { LEGEND_PAD = 8, LEGEND_SAMPLE = 26 };

static double S_legend_row(cairo_t *cr) {
    plot_font(cr, PLOT_FONT_TICK, 0);
    return round(plot_cap(cr) * 2);
}

void plot_legend_size(cairo_t *cr, const plot_entry *e, int n, double *w, double *h) {
    double wmax = 0;
    plot_font(cr, PLOT_FONT_TICK, 0);
    for (int i = 0; i < n; i++) wmax = fmax(wmax, plot_width(cr, e[i].label));
    *w = round(2 * LEGEND_PAD + LEGEND_SAMPLE + 8 + wmax);
    *h = round(2 * LEGEND_PAD - 4 + n * S_legend_row(cr));
}

void plot_set_dash(cairo_t *cr, int dashed) {
    static const double dash[2] = {6, 4};
    cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
}

// A dot of diameter d: a zero-length segment with a round cap (a few bytes in SVG, where an arc
// is four curves).
void plot_dot(cairo_t *cr, double x, double y) {
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x, y);
}

static void S_legend_sample(cairo_t *cr, const plot_entry *e, double x, double y) {
    if (e->box) {
        cairo_rectangle(cr, x + LEGEND_SAMPLE / 2.0 - 7, y - 5, 14, 10);
        plot_color(cr, e->color, 0.85);
        cairo_fill(cr);
        return;
    }
    if (e->band) {
        cairo_rectangle(cr, x, y - 5, LEGEND_SAMPLE, 10);
        plot_color(cr, e->color, 0.18);
        cairo_fill(cr);
    }
    if (e->color < 0) plot_ink(cr, PLOT_INK_TEXT);
    else plot_color(cr, e->color, 1);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    if (!e->dot) {
        cairo_set_line_width(cr, 2);
        plot_set_dash(cr, e->dashed);
        cairo_move_to(cr, x, y), cairo_line_to(cr, x + LEGEND_SAMPLE, y);
        cairo_stroke(cr);
        plot_set_dash(cr, 0);
    }
    if (e->dot || e->marker) {
        cairo_set_line_width(cr, e->dot ? 7 : 6);
        plot_dot(cr, x + LEGEND_SAMPLE / 2.0, y);
        cairo_stroke(cr);
    }
}

// The legend box with its top-left corner at (x, y): white, a little translucent, a muted border.
void plot_draw_legend(cairo_t *cr, const plot_entry *e, int n, double x, double y) {
    double w, h, row = S_legend_row(cr);
    plot_legend_size(cr, e, n, &w, &h);
    cairo_rectangle(cr, x + 0.5, y + 0.5, w - 1, h - 1);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 1);
    plot_ink(cr, PLOT_INK_GRID);
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
        double mid = y + LEGEND_PAD - 2 + row * (i + 0.5);
        S_legend_sample(cr, &e[i], x + LEGEND_PAD, mid);
        plot_font(cr, PLOT_FONT_TICK, 0);
        plot_ink(cr, PLOT_INK_TEXT);
        plot_text(cr, x + LEGEND_PAD + LEGEND_SAMPLE + 8, mid + plot_cap(cr) / 2, e[i].label, 0);
    }
}

// Does the segment (x0,y0)-(x1,y1) meet the rectangle? (Liang–Barsky clipping.)
static int S_segment_hits(double x0, double y0, double x1, double y1, const double r[4]) {
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - r[0], r[2] - x0, y0 - r[1], r[3] - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0) return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) t0 = fmax(t0, t);
        else t1 = fmin(t1, t);
        if (t0 > t1) return 0;
    }
    return 1;
}

// How much of the drawing a legend box at r = {left, top, right, bottom} would hide: the number of
// segments (or points) that meet it.
static int S_hidden(const double r[4], const plot_poly *p, int np) {
    int hits = 0;
    for (int k = 0; k < np; k++) {
        int step = p[k].kind == PLOT_POLY_PAIRS ? 2 : 1;
        for (int i = 0; i < p[k].n; i += step) {
            int a = p[k].kind == PLOT_POLY_LINE && i > 0 ? i - 1 : i, b = p[k].kind == PLOT_POLY_PAIRS ? i + 1 : i;
            hits += b < p[k].n && S_segment_hits(p[k].x[a], p[k].y[a], p[k].x[b], p[k].y[b], r);
        }
    }
    return hits;
}

// Where the legend hides nothing: the first inside corner (top-right, top-left, bottom-right,
// bottom-left) that covers no segment or point, with a few pixels to spare. Returns 0 when every
// corner would hide some of the data: the legend then goes right of the plot.
int plot_legend_inside(const plot_frame *fr, double w, double h, const plot_poly *p, int np, double *x,
                           double *y) {
    for (int c = 0; c < 4; c++) {
        *x = c % 2 ? fr->left + 8 : fr->right - 8 - w;
        *y = c < 2 ? fr->top + 8 : fr->bottom - 8 - h;
        double r[4] = {*x - 4, *y - 4, *x + w + 4, *y + h + 4};
        if (!S_hidden(r, p, np)) return 1;
    }
    return 0;
}
