// plot_scatter.c — kind: scatter. Points coloured by class over a classifier's decision regions: a grid
// of P(class 1) painted as one small image, and its p = 0.5 contour (marching squares).
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "wb.h"

enum { MAX_CLASSES = 64 };

void plot_scatter_free(plot_scatter *d) {
    plot_cols_free(&d->pts);
    free(d->g.xs), free(d->g.ys), free(d->g.p);
    plot_poly_free(&d->dots), plot_poly_free(&d->boundary);
    memset(d, 0, sizeof *d);
}

static int S_cmp_num(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// The distinct values of v, sorted, into a new array; *n gets their count.
static double *S_distinct(const double *v, int n, int *count) {
    double *u = wb_malloc(sizeof *u * n);  // (n)
    memcpy(u, v, sizeof *u * n);
    qsort(u, n, sizeof *u, S_cmp_num);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!k || u[i] != u[k - 1]) u[k++] = u[i];
    *count = k;
    return u;
}

// Are the sorted values evenly spaced? To 2% of a step: what printing with a few digits leaves.
static int S_even(const double *v, int n) {
    double step = (v[n - 1] - v[0]) / (n - 1);
    for (int i = 1; i < n; i++)
        if (fabs(v[i] - v[i - 1] - step) > 0.02 * step) return 0;
    return 1;
}

static int S_index(const double *v, int n, double x) {
    const double *at = bsearch(&x, v, n, sizeof *v, S_cmp_num);
    return (int)(at - v);
}

// The regions' rows as a grid: every x with every y, evenly spaced, each once, p in [0, 1].
static int S_make_grid(const char *path, const figspec_source *src, plot_cols *c, plot_grid *g, char *err,
                       size_t errlen) {
    g->xs = S_distinct(c->x, c->n, &g->nx), g->ys = S_distinct(c->y, c->n, &g->ny);
    if (g->nx < 2 || g->ny < 2 || (long)g->nx * g->ny != c->n)
        return wb_errf(err, errlen,
                       "%s:%d: regions: %s is not a regular grid (expected every x with every y: %d x values and %d y "
                       "values make %ld rows, found %d)",
                       path, src->line, src->file, g->nx, g->ny, (long)g->nx * g->ny, c->n);
    if (!S_even(g->xs, g->nx) || !S_even(g->ys, g->ny))
        return wb_errf(err, errlen, "%s:%d: regions: the %s values of %s are not evenly spaced", path, src->line,
                       S_even(g->xs, g->nx) ? "y" : "x", src->file);
    g->p = wb_malloc(sizeof(double) * c->n);
    for (int k = 0; k < c->n; k++) g->p[k] = NAN;
    for (int k = 0; k < c->n; k++) {
        double *cell = &g->p[(size_t)S_index(g->ys, g->ny, c->y[k]) * g->nx + S_index(g->xs, g->nx, c->x[k])];
        if (!isnan(*cell))
            return wb_errf(err, errlen, "%s:%d: regions: %s:%d repeats the grid point (%g, %g)", path, src->line,
                           src->file, c->line[k], c->x[k], c->y[k]);
        if (c->e[k] < 0 || c->e[k] > 1)
            return wb_errf(err, errlen, "%s:%d: regions: %s:%d has %s = %g, expected a probability in [0, 1]", path,
                           src->line, src->file, c->line[k], src->extra, c->e[k]);
        *cell = c->e[k];
    }
    return 0;
}

// The points (their classes whole numbers 0..63) and, when asked for, the regions' grid.
int plot_scatter_load(const figspec *f, const char *path, const char *dir, plot_scatter *d, char *err,
                          size_t errlen) {
    memset(d, 0, sizeof *d);
    const figspec_source *src[2] = {&f->points, &f->regions};
    for (int k = 0; k < 2 && src[k]->file; k++) {
        plot_cols c;
        tsv_table *t = plot_read_table(path, dir, src[k], err, errlen);
        int r = t ? plot_columns(path, src[k], t, src[k]->y, src[k]->extra, 0, 0, &c, err, errlen) : -1;
        tsv_free(t);
        if (r == 0 && k == 0) d->pts = c;
        if (r == 0 && k == 1) {
            r = S_make_grid(path, src[k], &c, &d->g, err, errlen);
            plot_cols_free(&c);
        }
        if (r) return plot_scatter_free(d), -1;
    }
    for (int i = 0; i < d->pts.n; i++) {
        double v = d->pts.e[i];
        if (v == floor(v) && v >= 0 && v < MAX_CLASSES) continue;
        wb_errf(err, errlen, "%s:%d: points: %s:%d has %s = %g, expected a class number 0..%d", path, f->points.line,
                f->points.file, d->pts.line[i], f->points.extra, v, MAX_CLASSES - 1);
        return plot_scatter_free(d), -1;
    }
    return 0;
}

// The axis limits: the points padded by 5%, and all of the regions' cells (half a step beyond
// the outer grid points), which then fill the plot area exactly.
static void S_scatter_limits(const figspec *f, const plot_scatter *d, plot_frame *fr) {
    for (int a = 0; a < 2; a++) {
        const double *v = a ? d->pts.y : d->pts.x;
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < d->pts.n; i++) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
        plot_limits(fr, a, lo, hi, 0.05, (const double[2]){NAN, NAN});
        if (d->g.nx) {
            const double *gv = a ? d->g.ys : d->g.xs;
            int n = a ? d->g.ny : d->g.nx;
            double half = (gv[n - 1] - gv[0]) / (n - 1) / 2;
            fr->lo[a] = fmin(fr->lo[a], gv[0] - half), fr->hi[a] = fmax(fr->hi[a], gv[n - 1] + half);
        }
        plot_limits(fr, a, fr->lo[a], fr->hi[a], 0, &f->lim[a ? FIGSPEC_YMIN : FIGSPEC_XMIN]);
    }
}

// The colour of the regions where P(class 1) = p: white at 0.5, deepening towards a pale tint of
// class 0's colour at p = 0 and of class 1's at p = 1.
static uint32_t S_region_pixel(double p) {
    const double *c = plot_palette(p >= 0.5), t = fabs(p - 0.5) * 2 * 0.3;
    uint32_t px = 0xffu << 24;
    for (int k = 0; k < 3; k++) px |= (uint32_t)lround(255 * (1 - t + t * c[k])) << (16 - 8 * k);
    return px;
}

// The regions as an image of one pixel per grid cell, scaled onto the cells' place in the plot:
// a small embedded PNG in the SVG, where a rectangle per cell would be many times larger.
static void S_draw_regions(cairo_t *cr, const plot_frame *fr, const plot_grid *g) {
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, g->nx, g->ny);
    int stride = cairo_image_surface_get_stride(img);
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    for (int j = 0; j < g->ny; j++) {
        uint32_t *row = (uint32_t *)(data + (size_t)(g->ny - 1 - j) * stride);  // top row: highest y
        for (int i = 0; i < g->nx; i++) row[i] = S_region_pixel(g->p[(size_t)j * g->nx + i]);
    }
    cairo_surface_mark_dirty(img);
    double hx = (g->xs[1] - g->xs[0]) / 2, hy = (g->ys[1] - g->ys[0]) / 2;
    double x0 = plot_px(fr, g->xs[0] - hx), x1 = plot_px(fr, g->xs[g->nx - 1] + hx);
    double y0 = plot_py(fr, g->ys[g->ny - 1] + hy), y1 = plot_py(fr, g->ys[0] - hy);
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    cairo_translate(cr, x0, y0);
    cairo_scale(cr, (x1 - x0) / g->nx, (y1 - y0) / g->ny);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_rectangle(cr, 0, 0, g->nx, g->ny);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

// The p = 0.5 contour by marching squares, as separate segments in pixels. In each square of four
// neighbouring grid points, p crosses 0.5 on the edges whose ends lie on either side (placed by
// linear interpolation); two crossings make a segment; four (a saddle) are paired by the square's
// mean, which says whether the two corners above 0.5 are joined through the middle.
plot_poly plot_contour(const plot_frame *fr, const plot_grid *g) {
    size_t cap = 64;
    plot_poly b = {0, wb_malloc(sizeof(double) * cap), wb_malloc(sizeof(double) * cap), PLOT_POLY_PAIRS};
    for (int j = 0; j + 1 < g->ny; j++)
        for (int i = 0; i + 1 < g->nx; i++) {
            static const int ci[4] = {0, 1, 1, 0}, cj[4] = {0, 0, 1, 1};  // corners counter-clockwise
            double v[4], ex[4], ey[4], mean = 0;
            for (int k = 0; k < 4; k++) mean += (v[k] = g->p[(size_t)(j + cj[k]) * g->nx + i + ci[k]] - 0.5) / 4;
            int cross[4], n = 0;
            for (int k = 0, l = 1; k < 4; k++, l = (k + 1) % 4) {
                if ((v[k] > 0) == (v[l] > 0)) continue;
                double t = v[k] / (v[k] - v[l]);
                ex[k] = plot_px(fr, g->xs[i + ci[k]] + t * (g->xs[i + ci[l]] - g->xs[i + ci[k]]));
                ey[k] = plot_py(fr, g->ys[j + cj[k]] + t * (g->ys[j + cj[l]] - g->ys[j + cj[k]]));
                cross[n++] = k;
            }
            if (n == 4 && (mean > 0) != (v[0] > 0)) cross[0] = 3, cross[1] = 0, cross[2] = 1, cross[3] = 2;
            if ((size_t)b.n + 4 > cap) {
                b.x = wb_realloc(b.x, sizeof(double) * (cap *= 2)), b.y = wb_realloc(b.y, sizeof(double) * cap);
            }
            for (int k = 0; k < n; k++) b.x[b.n] = ex[cross[k]], b.y[b.n++] = ey[cross[k]];
        }
    plot_quantise(&b);
    return b;
}

// The points in pixels, for the legend to avoid.
static plot_poly S_dots(const plot_frame *fr, const plot_cols *c) {
    plot_poly p = {c->n, wb_malloc(sizeof(double) * c->n), wb_malloc(sizeof(double) * c->n), PLOT_POLY_POINTS};
    for (int i = 0; i < c->n; i++) p.x[i] = plot_px(fr, c->x[i]), p.y[i] = plot_py(fr, c->y[i]);
    plot_quantise(&p);
    return p;
}

static void S_scatter_geometry(const plot_frame *fr, plot_scatter *d) {
    plot_poly_free(&d->dots), plot_poly_free(&d->boundary);
    d->dots = S_dots(fr, &d->pts);
    if (d->g.nx) d->boundary = plot_contour(fr, &d->g);
}

// The boundary, then the points class by class: a white halo under each dot keeps it apart from
// its neighbours and from the boundary line. Past HALO_MAX points the halos would double the SVG
// and, that dense, no longer separate much: plain dots then.
enum { HALO_MAX = 1500 };
static void S_draw_points(cairo_t *cr, const plot_frame *fr, const plot_scatter *d) {
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i + 1 < d->boundary.n; i += 2) {
        cairo_move_to(cr, d->boundary.x[i], d->boundary.y[i]);
        cairo_line_to(cr, d->boundary.x[i + 1], d->boundary.y[i + 1]);
    }
    cairo_set_line_width(cr, 2);
    plot_ink(cr, PLOT_INK_TEXT);
    cairo_stroke(cr);
    for (int c = 0; c < MAX_CLASSES; c++) {
        int any = 0;
        for (int i = 0; i < d->pts.n; i++)
            if (d->pts.e[i] == c) plot_dot(cr, d->dots.x[i], d->dots.y[i]), any = 1;
        if (!any) continue;
        if (d->pts.n <= HALO_MAX) {
            cairo_set_line_width(cr, 8.5);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_stroke_preserve(cr);
        }
        cairo_set_line_width(cr, 6.5);
        plot_color(cr, c, 1);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

// A legend line for each class present, and one for the boundary.
static int S_scatter_entries(const plot_scatter *d, plot_entry *e, char names[][16]) {
    int n = 0;
    for (int c = 0; c < MAX_CLASSES; c++) {
        int any = 0;
        for (int i = 0; i < d->pts.n && !any; i++) any = d->pts.e[i] == c;
        if (!any) continue;
        snprintf(names[n], 16, "class %d", c % MAX_CLASSES);
        e[n] = (plot_entry){names[n], c, 1, 0, 0, 0, 0};
        n++;
    }
    if (d->g.nx) e[n++] = (plot_entry){"decision boundary (p = 0.5)", -1, 0, 0, 0, 0, 0};
    return n;
}

void plot_scatter_draw(cairo_t *cr, const figspec *f, plot_scatter *d, plot_frame *fr) {
    plot_ticks t[2];
    plot_entry e[MAX_CLASSES + 1];
    char names[MAX_CLASSES][16];
    int ne = S_scatter_entries(d, e, names);
    double w, h, lx, ly;
    S_scatter_limits(f, d, fr);
    plot_layout(cr, f, fr, t, 0);
    S_scatter_geometry(fr, d);
    plot_legend_size(cr, e, ne, &w, &h);
    plot_poly obst[2] = {d->dots, d->boundary};
    if (!plot_legend_inside(fr, w, h, obst, 2, &lx, &ly)) {
        plot_layout(cr, f, fr, t, w + 10);
        S_scatter_geometry(fr, d);
        lx = fr->right + 14, ly = fr->top;
    }
    if (d->g.nx) S_draw_regions(cr, fr, &d->g);
    plot_draw_grid(cr, fr, t);
    S_draw_points(cr, fr, d);
    plot_draw_axes(cr, f, fr, t);
    plot_draw_legend(cr, e, ne, lx, ly);
}
