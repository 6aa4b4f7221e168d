// plot_axes.c — axes: scales (linear or log10), nice 1-2-5 ticks or decades that fit, the margins they
// need, the grid, the frame and its text; and the pixel grid every kind draws on.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

// ----- scales: axis units and pixels -------------------------------------------------------------

// A value in axis units; a value <= 0 on a log axis lands a decade below the plot (clipped away).
double plot_unit(const plot_frame *fr, int a, double v) {
    if (!fr->log[a]) return v;
    return v > 0 ? log10(v) : fr->lo[a] - (fr->hi[a] - fr->lo[a]);
}

// Pixel position of an axis-unit value along axis a (x grows rightwards, y upwards).
double plot_at(const plot_frame *fr, int a, double u) {
    double t = (u - fr->lo[a]) / (fr->hi[a] - fr->lo[a]);
    return a ? fr->bottom - t * (fr->bottom - fr->top) : fr->left + t * (fr->right - fr->left);
}

double plot_px(const plot_frame *fr, double x) { return plot_at(fr, 0, plot_unit(fr, 0, x)); }
double plot_py(const plot_frame *fr, double y) { return plot_at(fr, 1, plot_unit(fr, 1, y)); }

// The limits of one axis from the range of its data (in axis units), padded by a fraction of the
// span, then overridden by the author's fixed limits.
void plot_limits(plot_frame *fr, int a, double lo, double hi, double pad, const double *lim) {
    double span = hi - lo, fixed_lo = lim[0], fixed_hi = lim[1];
    if (span <= 1e-12 * fmax(1, fabs(hi))) span = fr->log[a] ? 1 : fmax(fabs(hi), 1), pad = 0.5;
    lo -= span * pad, hi += span * pad;
    if (!isnan(fixed_lo)) lo = fr->log[a] ? log10(fixed_lo) : fixed_lo;
    if (!isnan(fixed_hi)) hi = fr->log[a] ? log10(fixed_hi) : fixed_hi;
    if (hi <= lo) {  // one fixed limit beyond all the data
        if (isnan(fixed_hi)) hi = lo + span;
        else lo = hi - span;
    }
    fr->lo[a] = lo, fr->hi[a] = hi;
}

// ----- ticks: where, and their text --------------------------------------------------------------

// Ticks of one axis: positions in axis units and their labels ("10" with the exponent in sup for a decade).
static const char *const S_MINUS = "\xe2\x88\x92";  // U+2212, the typographic minus sign

// A tick value as text, with as many decimals as the step needs and a real minus sign.
void plot_format(double v, double step, char *out, size_t len) {
    char tmp[32];
    if (fabs(v) < step * 1e-6) v = 0;
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (decimals > 6 || fabs(v) >= 1e7) snprintf(tmp, sizeof tmp, "%.3g", v);
    else snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    snprintf(out, len, "%s%s", tmp[0] == '-' ? S_MINUS : "", tmp + (tmp[0] == '-'));
}

static void S_tick(plot_ticks *t, double at, const char *text, const char *sup) {
    if (t->n == PLOT_MAX_TICKS) return;
    t->at[t->n] = at;
    snprintf(t->text[t->n], sizeof t->text[0], "%s", text);
    snprintf(t->sup[t->n], sizeof t->sup[0], "%s", sup);
    t->n++;
}

// Linear ticks at multiples of step within [lo, hi]; on a log axis the values are 10^lo .. 10^hi
// and the ticks sit at their logarithms.
void plot_ticks_linear(double lo, double hi, double step, int logged, plot_ticks *t) {
    double vlo = logged ? pow(10, lo) : lo, vhi = logged ? pow(10, hi) : hi;
    char text[32];
    memset(t, 0, sizeof *t);
    for (double k = ceil(vlo / step - 1e-9); k <= floor(vhi / step + 1e-9) && t->n < PLOT_MAX_TICKS; k++) {
        double v = k * step;
        if (logged && v <= 0) continue;
        plot_format(v, step, text, sizeof text);
        S_tick(t, logged ? log10(v) : v, text, "");
    }
}

// Log ticks of a given coarseness: level 0 at 1, 2 and 5 times each power of ten, level 1 at each
// power of ten, level L > 1 at every L-th power. Plain numbers while they stay short, else 10^k.
// Minor ticks at 2..9 times each power when every power is labelled.
void plot_ticks_log(double lo, double hi, int level, plot_ticks *t) {
    int a = (int)floor(lo), b = (int)ceil(hi), plain = lo >= -3 - 1e-9 && hi <= 4 + 1e-9;
    char text[32], sup[16];
    if (!plain && level == 0) level = 1;  // "2×10^k" would be too long a label
    int stride = level < 2 ? 1 : level;
    memset(t, 0, sizeof *t);
    for (int k = a; k <= b; k++) {
        for (int m = 1; m <= 9; m++) {
            double at = k + log10(m);
            if (at < lo - 1e-9 || at > hi + 1e-9) continue;
            int labelled = m == 1 ? k % stride == 0 : level == 0 && (m == 2 || m == 5);
            if (!labelled) {
                if (stride == 1 && t->nminor < 4 * PLOT_MAX_TICKS) t->minor[t->nminor++] = at;
                continue;
            }
            if (plain) plot_format(m * pow(10, k), pow(10, k), text, sizeof text);
            snprintf(sup, sizeof sup, "%s%d", k < 0 ? S_MINUS : "", abs(k));
            S_tick(t, at, plain ? text : "10", plain ? "" : sup);
        }
    }
}

// ----- text --------------------------------------------------------------------------------------

void plot_ink(cairo_t *cr, const double *c) { cairo_set_source_rgb(cr, c[0], c[1], c[2]); }

void plot_font(cairo_t *cr, double size, int bold) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double plot_width(cairo_t *cr, const char *s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

// The height of a digit in the current font: what centres a line of numbers or lowercase text.
double plot_cap(cairo_t *cr) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, "0", &e);
    return e.height;
}

// Show text with its left edge at x plus align times its width (0 left, -0.5 centred, -1 right).
void plot_text(cairo_t *cr, double x, double baseline, const char *s, double align) {
    cairo_move_to(cr, x + align * plot_width(cr, s), baseline);
    cairo_show_text(cr, s);
}

// Width of tick label i: its text, then the exponent in smaller type.
double plot_tick_width(cairo_t *cr, const plot_ticks *t, int i) {
    plot_font(cr, PLOT_FONT_TICK, 0);
    double w = plot_width(cr, t->text[i]);
    if (!t->sup[i][0]) return w;
    plot_font(cr, PLOT_FONT_TICK * 0.75, 0);
    w += plot_width(cr, t->sup[i]) + 1;
    plot_font(cr, PLOT_FONT_TICK, 0);
    return w;
}

static void S_tick_label(cairo_t *cr, const plot_ticks *t, int i, double x, double baseline, double align) {
    double w = plot_tick_width(cr, t, i), x0 = x + align * w, base = plot_width(cr, t->text[i]), cap = plot_cap(cr);
    plot_text(cr, x0, baseline, t->text[i], 0);
    if (!t->sup[i][0]) return;
    plot_font(cr, PLOT_FONT_TICK * 0.75, 0);
    plot_text(cr, x0 + base + 1, baseline - cap * 0.55, t->sup[i], 0);
    plot_font(cr, PLOT_FONT_TICK, 0);
}

// ----- ticks that fit, margins that fit them -----------------------------------------------------

// Do these ticks leave room for their labels? Neighbours at least a minimum distance apart, and
// on the x axis each label clear of the next by 12 pixels.
static int S_ticks_fit(cairo_t *cr, const plot_frame *fr, int a, const plot_ticks *t) {
    plot_font(cr, PLOT_FONT_TICK, 0);
    double len = a ? fr->bottom - fr->top : fr->right - fr->left, cap = plot_cap(cr);
    for (int i = 0; i + 1 < t->n; i++) {
        double gap = (t->at[i + 1] - t->at[i]) / (fr->hi[a] - fr->lo[a]) * len;
        double need = a ? fmax(40, cap * 2.5)
                        : fmax(60, (plot_tick_width(cr, t, i) + plot_tick_width(cr, t, i + 1)) / 2 + 12);
        if (gap < need) return 0;
    }
    return 1;
}

// The 1-2-5 number at or above x, and the one after a 1-2-5 step.
double plot_nice(double x) {
    double mag = pow(10, floor(log10(x))), m = x / mag;
    return (m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10) * mag;
}
double plot_next_step(double step) { return plot_nice(step * 1.5); }

// The finest ticks that fit: on a log axis levels from 1-2-5 per decade to sparser decades (linear
// values when fewer than two of them fall in range), else linear steps growing 1, 2, 5, 10, ...
void plot_choose_ticks(cairo_t *cr, const plot_frame *fr, int a, plot_ticks *t) {
    double lo = fr->lo[a], hi = fr->hi[a];
    for (int level = 0; fr->log[a] && level < 64; level++) {
        plot_ticks_log(lo, hi, level, t);
        if (t->n < 2 && level == 0) break;
        if (t->n < 2) {  // crowded beats a lone tick
            plot_ticks_log(lo, hi, level - 1, t);
            return;
        }
        if (S_ticks_fit(cr, fr, a, t)) return;
    }
    double vlo = fr->log[a] ? pow(10, lo) : lo, vhi = fr->log[a] ? pow(10, hi) : hi;
    double step = plot_nice((vhi - vlo) / 20), prev = 0;
    for (int i = 0; i < 64; i++, step = plot_next_step(step)) {
        plot_ticks_linear(lo, hi, step, fr->log[a], t);
        if (t->n < 2 && prev > 0) {
            plot_ticks_linear(lo, hi, prev, fr->log[a], t);
            return;
        }
        if (S_ticks_fit(cr, fr, a, t)) return;
        prev = step;
    }
}

// Margins around the plot area from the sizes of the labels, then the ticks that fit it. legend_w:
// room kept right of the plot for a legend outside it (0: none).
void plot_layout(cairo_t *cr, const figspec *f, plot_frame *fr, plot_ticks t[2], double legend_w) {
    plot_font(cr, PLOT_FONT_LABEL, 0);
    double label = plot_cap(cr) * 1.5;  // a line of label text, with room for descenders
    plot_font(cr, PLOT_FONT_TICK, 0);
    double tick = plot_cap(cr), wmax = 0;
    fr->top = 12 + (f->title ? round(PLOT_FONT_TITLE * 1.6) : 0);
    fr->bottom = round(fr->h - (PLOT_TICK_LEN + 6 + tick + (f->xlabel ? 9 + label : 0) + 10));
    plot_choose_ticks(cr, fr, 1, &t[1]);  // the y ticks need only the height
    for (int i = 0; i < t[1].n; i++) wmax = fmax(wmax, plot_tick_width(cr, &t[1], i));
    fr->left = round(10 + (f->ylabel ? label + 8 : 0) + wmax + 5 + PLOT_TICK_LEN);
    fr->right = round(fr->w - 14 - legend_w);
    plot_choose_ticks(cr, fr, 0, &t[0]);
    if (!t[0].n) return;
    // The last x label is centred on its tick: keep it on the canvas.
    double edge = plot_at(fr, 0, t[0].at[t[0].n - 1]) + plot_tick_width(cr, &t[0], t[0].n - 1) / 2;
    if (edge > fr->w - 6 - legend_w) {
        fr->right = round(fr->right - (edge - (fr->w - 6 - legend_w)));
        plot_choose_ticks(cr, fr, 0, &t[0]);
    }
}

// ----- drawing the grid and the axes -------------------------------------------------------------

// A grid line at axis-unit value u, on a half pixel so that it is one crisp pixel wide.
static void S_grid_line(cairo_t *cr, const plot_frame *fr, int a, double u) {
    double p = floor(plot_at(fr, a, u)) + 0.5;
    if (a) cairo_move_to(cr, fr->left, p), cairo_line_to(cr, fr->right, p);
    else cairo_move_to(cr, p, fr->top), cairo_line_to(cr, p, fr->bottom);
}

void plot_draw_grid(cairo_t *cr, const plot_frame *fr, const plot_ticks t[2]) {
    cairo_set_line_width(cr, 1);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < t[a].nminor; i++) S_grid_line(cr, fr, a, t[a].minor[i]);
    plot_ink(cr, PLOT_INK_MINOR);
    cairo_stroke(cr);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < t[a].n; i++) S_grid_line(cr, fr, a, t[a].at[i]);
    plot_ink(cr, PLOT_INK_GRID);
    cairo_stroke(cr);
}

// An axis label or title as the author wrote it (a little TeX), centred at x.
static void S_label(cairo_t *cr, double x, double baseline, const char *text) {
    char *s = plot_label(text);
    plot_text(cr, x, baseline, s, -0.5);
    free(s);
}

// The frame, ticks and their labels, the axis labels and the title.
void plot_draw_axes(cairo_t *cr, const figspec *f, const plot_frame *fr, const plot_ticks t[2]) {
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, fr->left - 0.5, fr->top - 0.5, fr->right - fr->left + 1, fr->bottom - fr->top + 1);
    for (int i = 0; i < t[0].n; i++) {
        double p = floor(plot_at(fr, 0, t[0].at[i])) + 0.5;
        cairo_move_to(cr, p, fr->bottom + 0.5), cairo_line_to(cr, p, fr->bottom + 0.5 + PLOT_TICK_LEN);
    }
    for (int i = 0; i < t[1].n; i++) {
        double p = floor(plot_at(fr, 1, t[1].at[i])) + 0.5;
        cairo_move_to(cr, fr->left - 0.5, p), cairo_line_to(cr, fr->left - 0.5 - PLOT_TICK_LEN, p);
    }
    plot_ink(cr, PLOT_INK_AXIS);
    cairo_stroke(cr);
    plot_ink(cr, PLOT_INK_TEXT);
    plot_font(cr, PLOT_FONT_TICK, 0);
    double tick = plot_cap(cr);
    for (int i = 0; i < t[0].n; i++)
        S_tick_label(cr, &t[0], i, plot_at(fr, 0, t[0].at[i]), fr->bottom + PLOT_TICK_LEN + 5 + tick, -0.5);
    for (int i = 0; i < t[1].n; i++)
        S_tick_label(cr, &t[1], i, fr->left - PLOT_TICK_LEN - 5, plot_at(fr, 1, t[1].at[i]) + tick / 2, -1);
    plot_font(cr, PLOT_FONT_LABEL, 0);
    double label = plot_cap(cr), mid_x = (fr->left + fr->right) / 2, mid_y = (fr->top + fr->bottom) / 2;
    if (f->xlabel) S_label(cr, mid_x, fr->bottom + PLOT_TICK_LEN + 6 + tick + 9 + label * 1.15, f->xlabel);
    if (f->ylabel) {
        cairo_save(cr);
        cairo_translate(cr, 10 + label * 1.15, mid_y);
        cairo_rotate(cr, -M_PI / 2);
        S_label(cr, 0, 0, f->ylabel);
        cairo_restore(cr);
    }
    plot_font(cr, PLOT_FONT_TITLE, 1);
    if (f->title) S_label(cr, mid_x, 12 + plot_cap(cr) * 1.1, f->title);
}

// ----- pixels: the quarter-pixel grid, polylines -------------------------------------------------

// Data coordinates on a quarter-pixel grid: invisible at any zoom a reader uses, and Cairo writes
// "L 82.25 130.5" instead of "L 82.257812 130.503906", a third less SVG.
double plot_q(double v) { return round(v * 4) / 4; }

void plot_quantise(plot_poly *p) {
    for (int i = 0; i < p->n; i++) p->x[i] = plot_q(p->x[i]), p->y[i] = plot_q(p->y[i]);
}

void plot_poly_free(plot_poly *p) {
    free(p->x), free(p->y);
    memset(p, 0, sizeof *p);
}
