// plot_line.c — kind: line. Series from TSV columns, smoothed by a moving average, with a ± std band;
// long series thinned to about two points per pixel column.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "wb.h"

void plot_lines_free(plot_lines *L) {
    for (int i = 0; i < L->n; i++) {
        plot_line *s = &L->s[i];
        if (s->mid != s->c.y) free(s->mid);
        if (s->sd != s->c.e) free(s->sd);
        free(s->label), plot_cols_free(&s->c);
        plot_poly_free(&s->raw), plot_poly_free(&s->line), plot_poly_free(&s->lo), plot_poly_free(&s->hi);
    }
    free(L->s);
    memset(L, 0, sizeof *L);
}

// The centred moving average over a window of w points (fewer at the ends), from prefix sums.
double *plot_moving_average(const double *v, int n, int w) {
    long double *sum = wb_malloc(sizeof *sum * (n + 1));  // (n + 1)
    double *out = wb_malloc(sizeof *out * n);               // (n)
    sum[0] = 0;
    for (int i = 0; i < n; i++) sum[i + 1] = sum[i] + v[i];
    for (int i = 0; i < n; i++) {
        int a = i - w / 2, b = a + w;
        a = a < 0 ? 0 : a, b = b > n ? n : b;
        out[i] = (double)((sum[b] - sum[a]) / (b - a));
    }
    free(sum);
    return out;
}

// One series of a data line (y: its column) appended to L, with its smoothing done.
static int S_add_line(plot_lines *L, const figspec *f, const figspec_source *src, const tsv_table *t, const char *y,
                      const char *path, char *err, size_t errlen) {
    plot_cols c;
    if (plot_columns(path, src, t, y, src->extra, f->xlog, f->ylog, &c, err, errlen) != 0) return -1;
    L->s = wb_realloc(L->s, sizeof *L->s * (L->n + 1));
    plot_line *s = &L->s[L->n++];
    memset(s, 0, sizeof *s);
    s->src = src, s->c = c;
    s->label = src->label ? plot_label(src->label) : wb_strdup(y);
    s->mid = src->smooth > 1 ? plot_moving_average(c.y, c.n, src->smooth) : c.y;
    s->sd = c.e && src->smooth > 1 ? plot_moving_average(c.e, c.n, src->smooth) : c.e;
    return 0;
}

// Every series of a line figure; y=* gives one for each column but x, named after it.
int plot_lines_load(const figspec *f, const char *path, const char *dir, plot_lines *L, char *err,
                        size_t errlen) {
    memset(L, 0, sizeof *L);
    for (int i = 0; i < f->nseries; i++) {
        const figspec_source *src = &f->series[i];
        tsv_table *t = plot_read_table(path, dir, src, err, errlen);
        int r = t ? 0 : -1, before = L->n;
        if (t && strcmp(src->y, "*") != 0) r = S_add_line(L, f, src, t, src->y, path, err, errlen);
        for (int c = 0; t && !strcmp(src->y, "*") && r == 0 && c < t->ncols; c++)
            if (strcmp(t->names[c], src->x)) r = S_add_line(L, f, src, t, t->names[c], path, err, errlen);
        if (r == 0 && L->n == before)
            r = wb_errf(err, errlen, "%s:%d: y=*: %s has no column but x '%s'", path, src->line, src->file, src->x);
        tsv_free(t);
        if (r) return plot_lines_free(L), -1;
    }
    return 0;
}

// Thinning: a polyline with more than two points per pixel column is drawn from fewer points.
// Consecutive points in the same bucket become their mean (PLOT_THIN_MEAN, buckets of half a column),
// or their lowest and highest point in the order they come (PLOT_THIN_MINMAX, one column), which keeps
// the envelope of a noisy curve. Shorter polylines are kept whole.
plot_poly plot_thin(const double *px, const double *py, int n, double width, int mode) {
    plot_poly p = {0, wb_malloc(sizeof(double) * n), wb_malloc(sizeof(double) * n), PLOT_POLY_LINE};
    double per = mode == PLOT_THIN_MEAN ? 2 : 1;
    int thin = n > 2 * width;
    for (int i = 0, j; i < n; i = j) {
        double key = floor(px[i] * per), sx = 0, sy = 0;
        int lo = i, hi = i;
        for (j = i; j < n && (j == i || (thin && floor(px[j] * per) == key)); j++) {
            sx += px[j], sy += py[j];
            lo = py[j] < py[lo] ? j : lo, hi = py[j] > py[hi] ? j : hi;
        }
        if (mode == PLOT_THIN_MEAN || j - i == 1) {
            p.x[p.n] = sx / (j - i), p.y[p.n++] = sy / (j - i);
            continue;
        }
        int first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
        p.x[p.n] = px[first], p.y[p.n++] = py[first];
        if (second != first) p.x[p.n] = px[second], p.y[p.n++] = py[second];
    }
    return p;
}

// Pixel positions of (x, v + sign * d) (d may be NULL), thinned.
static plot_poly S_trace(const plot_frame *fr, const plot_cols *c, const double *v, const double *d, double sign,
                         int mode) {
    double *px = wb_malloc(sizeof(double) * c->n), *py = wb_malloc(sizeof(double) * c->n);  // (n)
    for (int i = 0; i < c->n; i++) px[i] = plot_px(fr, c->x[i]), py[i] = plot_py(fr, v[i] + (d ? sign * d[i] : 0));
    plot_poly p = plot_thin(px, py, c->n, fr->right - fr->left, mode);
    free(px), free(py);
    plot_quantise(&p);
    return p;
}

static void S_line_geometry(const plot_frame *fr, plot_lines *L) {
    for (int i = 0; i < L->n; i++) {
        plot_line *s = &L->s[i];
        plot_poly_free(&s->raw), plot_poly_free(&s->line), plot_poly_free(&s->lo), plot_poly_free(&s->hi);
        // The raw values at the figure's resolution: their mean per half pixel column. The envelope
        // (PLOT_THIN_MINMAX) of single-sample losses fills the whole band from 0 to the largest loss and
        // hides the curve it was meant to show the noise of.
        if (s->mid != s->c.y) s->raw = S_trace(fr, &s->c, s->c.y, NULL, 0, PLOT_THIN_MEAN);
        s->line = S_trace(fr, &s->c, s->mid, NULL, 0, PLOT_THIN_MEAN);
        if (s->sd) s->lo = S_trace(fr, &s->c, s->mid, s->sd, -1, PLOT_THIN_MEAN);
        if (s->sd) s->hi = S_trace(fr, &s->c, s->mid, s->sd, +1, PLOT_THIN_MEAN);
    }
}

// The axis limits: every drawn value (raw, line, band edges that a log axis can show), the y axis
// padded by 5%, the x axis only when markers would be cut in half at the frame.
static void S_line_limits(const figspec *f, const plot_lines *L, plot_frame *fr) {
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    int markers = 0;
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        markers |= s->src->marker;
        for (int j = 0; j < s->c.n; j++) {
            double sd = s->sd ? s->sd[j] : 0, y[4] = {s->c.y[j], s->mid[j], s->mid[j] - sd, s->mid[j] + sd};
            double ux = plot_unit(fr, 0, s->c.x[j]);
            lo[0] = fmin(lo[0], ux), hi[0] = fmax(hi[0], ux);
            for (int k = 0; k < 4; k++) {
                if (fr->log[1] && y[k] <= 0) continue;
                double uy = plot_unit(fr, 1, y[k]);
                lo[1] = fmin(lo[1], uy), hi[1] = fmax(hi[1], uy);
            }
        }
    }
    plot_limits(fr, 0, lo[0], hi[0], markers ? 0.03 : 0, &f->lim[FIGSPEC_XMIN]);
    plot_limits(fr, 1, lo[1], hi[1], 0.05, &f->lim[FIGSPEC_YMIN]);
}

static void S_path(cairo_t *cr, const plot_poly *p) {
    for (int i = 0; i < p->n; i++)
        if (i) cairo_line_to(cr, p->x[i], p->y[i]);
        else cairo_move_to(cr, p->x[i], p->y[i]);
}

// Bands first, then the faint raw values, then the lines, then markers, so that nothing hides a line.
static void S_draw_lines(cairo_t *cr, const plot_lines *L, const plot_frame *fr) {
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        if (!s->sd) continue;
        S_path(cr, &s->lo);
        for (int j = s->hi.n - 1; j >= 0; j--) cairo_line_to(cr, s->hi.x[j], s->hi.y[j]);
        cairo_close_path(cr);
        plot_color(cr, i, 0.18);
        cairo_fill(cr);
    }
    cairo_set_line_width(cr, 1);
    for (int i = 0; i < L->n; i++) {
        S_path(cr, &L->s[i].raw);
        plot_color(cr, i, 0.22);
        cairo_stroke(cr);
    }
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        S_path(cr, &s->line);
        cairo_set_line_width(cr, s->raw.n ? 2.4 : 1.8);
        plot_set_dash(cr, s->src->dashed);
        plot_color(cr, i, 1);
        cairo_stroke(cr);
        plot_set_dash(cr, 0);
        // Markers only where they stay apart; on a thinned line they would only thicken it. A line of one
        // point has no segment to stroke: its point is drawn as a marker, so that the figure is not empty.
        if (!(s->src->marker || s->line.n == 1) || s->line.n * 4 > fr->right - fr->left) continue;
        for (int j = 0; j < s->line.n; j++) plot_dot(cr, s->line.x[j], s->line.y[j]);
        cairo_set_line_width(cr, 6);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

// The legend of a line figure, when it has something to say: two series or more, or a label given.
static int S_line_entries(const plot_lines *L, plot_entry *e) {
    int labelled = 0;
    for (int i = 0; i < L->n; i++) labelled |= L->s[i].src->label != NULL;
    if (L->n < 2 && !labelled) return 0;
    for (int i = 0; i < L->n; i++) {
        const figspec_source *src = L->s[i].src;
        e[i] = (plot_entry){L->s[i].label, i, 0, src->dashed, src->marker, L->s[i].sd != NULL, 0};
    }
    return L->n;
}

// The polylines a legend must not hide: every line, raw curve and band edge.
static int S_line_obstacles(const plot_lines *L, plot_poly *p) {
    int n = 0;
    for (int i = 0; i < L->n; i++) {
        const plot_line *s = &L->s[i];
        p[n++] = s->line;
        if (s->raw.n) p[n++] = s->raw;
        if (s->sd) p[n++] = s->lo, p[n++] = s->hi;
    }
    return n;
}

void plot_lines_draw(cairo_t *cr, const figspec *f, plot_lines *L, plot_frame *fr) {
    plot_ticks t[2];
    plot_entry *e = wb_malloc(sizeof *e * L->n);       // (n)
    plot_poly *obst = wb_malloc(sizeof *obst * 4 * L->n);  // (4 n)
    int ne = S_line_entries(L, e);
    double w = 0, h = 0, lx = 0, ly = 0;
    S_line_limits(f, L, fr);
    plot_layout(cr, f, fr, t, 0);
    S_line_geometry(fr, L);
    if (ne) plot_legend_size(cr, e, ne, &w, &h);
    if (ne && !plot_legend_inside(fr, w, h, obst, S_line_obstacles(L, obst), &lx, &ly)) {
        plot_layout(cr, f, fr, t, w + 10);
        S_line_geometry(fr, L);
        lx = fr->right + 14, ly = fr->top;
    }
    plot_draw_grid(cr, fr, t);
    S_draw_lines(cr, L, fr);
    plot_draw_axes(cr, f, fr, t);
    if (ne) plot_draw_legend(cr, e, ne, lx, ly);
    free(e), free(obst);
}
