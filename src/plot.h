// plot.h — the plotter's interface between its files: a chapter's figures (plot.c), the columns of the TSV
// files (plot_data.c), computed values in labels (plot_values.c), labels (plot_label.c), axes (plot_axes.c),
// the legend (plot_legend.c), one file per kind of figure (plot_line.c, plot_bar.c, plot_scatter.c) and the
// output (plot_output.c).
//
// The pipeline, in plot.c: read chapter.md, find its figure blocks, parse each with figspec (figspec.h), then
// for each figure fill in the placeholders of its labels (plot_values), load its data by kind (plot_KIND_load),
// draw it on a Cairo canvas (plot_KIND_draw: limits, layout and ticks, the data, the axes, the legend) and
// write it out. Every error names chapter.md:LINE.
#ifndef PLOT_H
#define PLOT_H

#include <cairo.h>

// The largest magnitude a drawn value may have: an axis pads its data's span, and twice 1e300 still fits a
// double where 1e308 does not.
#define PLOT_MAX_VALUE 1e300
#include <stddef.h>

#include "figspec.h"
#include "tsv.h"

// ----- the chapter and the tool (plot.c) ---------------------------------------------------------

// Every figure block of a chapter, in order.
typedef struct {
    figspec *figs;  // (n)
    int n;
} plot_chapter;

// A drawn figure in memory.
typedef struct {
    unsigned char *data;
    size_t len, cap;
} plot_buf;

// Read every figure block of a chapter's text (path names it in messages). On an error, ch is left empty
// and err says "path:LINE: what was wrong, what was expected".
int plot_parse(const char *path, const char *text, plot_chapter *ch, char *err, size_t errlen);
void plot_chapter_free(plot_chapter *ch);

// Draw one figure into memory from the TSV files of the folder dir: SVG, or PNG when png is set. Returns 0,
// or -1 with "chapter.md:LINE: ..." in err (bad data); nothing is written anywhere.
int plot_render(const figspec *f, const char *path, const char *dir, int png, plot_buf *out, char *err,
                size_t errlen);

// Draw every figure of a chapter (only the one with id only, unless NULL) into the folder out, each file
// written atomically. Returns the number drawn, or -1 with the message in err.
int plot_draw_chapter(const char *chapter, const char *data, const char *out, int png, const char *only, char *err,
                      size_t errlen);

// ----- computed values in labels (plot_values.c) -------------------------------------------------

// f with the placeholders of its title, axis labels and series and bar labels filled in from the results
// files of the folder dir (placeholder.h): *g is a copy of f that shares every other string with it, to be
// freed with plot_values_free(g, f) while f lives (never with figspec_free). Returns 0, or -1 with
// "chapter.md:LINE: ..." (the label's line) in err and *g empty.
int plot_values(const figspec *f, const char *path, const char *dir, figspec *g, char *err, size_t errlen);
void plot_values_free(figspec *g, const figspec *f);

// ----- labels (plot_label.c) ---------------------------------------------------------------------

// A label as drawn: the little TeX inside $...$ as Unicode (docs/AUTHORING.md, "Figures"). A new string.
char *plot_label(const char *in);

// ----- the data: columns of the chapter's TSV files (plot_data.c) --------------------------------

// The numbers of a data line's columns, row by row.
typedef struct {
    int n;
    double *x, *y, *e;  // (n) each; e: the std, class or p column, NULL when there is none
    int *line;          // (n) each row's line in its TSV file, for messages
} plot_cols;

void plot_cols_free(plot_cols *c);
// A data line's TSV file from the folder dir, or NULL with "path:LINE: ..." (the data line's) in err.
tsv_table *plot_read_table(const char *path, const char *dir, const figspec_source *s, char *err, size_t errlen);
// The index of a named column, or -1 with a message listing the columns there are.
int plot_column(const char *path, const figspec_source *s, const tsv_table *t, const char *name, char *err,
                size_t errlen);
// The numbers of columns s->x, y and (when e is not NULL) e, at most s->max rows (0: all). logx, logy: the
// axis is logarithmic, so every value must be > 0.
int plot_columns(const char *path, const figspec_source *s, const tsv_table *t, const char *y, const char *e,
                 int logx, int logy, plot_cols *out, char *err, size_t errlen);

// ----- axes: scales, nice ticks, text, pixels (plot_axes.c) --------------------------------------

// The plot area in pixels and the axis limits in axis units (log10 of the value on a log axis).
typedef struct {
    double w, h;                      // the canvas
    double left, top, right, bottom;  // the plot area
    double lo[2], hi[2];              // limits of [0] x, [1] y
    int log[2];
} plot_frame;

// Ticks of one axis: positions in axis units and their labels ("10" with the exponent in sup for a decade).
enum { PLOT_MAX_TICKS = 40 };
typedef struct {
    int n, nminor;
    double at[PLOT_MAX_TICKS], minor[4 * PLOT_MAX_TICKS];
    char text[PLOT_MAX_TICKS][32], sup[PLOT_MAX_TICKS][16];
} plot_ticks;

// Type sizes (pixels) and the muted colours of everything that is not data.
static const double PLOT_FONT_TICK = 11.5, PLOT_FONT_LABEL = 13, PLOT_FONT_TITLE = 14, PLOT_TICK_LEN = 4;
static const double PLOT_INK_TEXT[3] = {0.2, 0.2, 0.2}, PLOT_INK_AXIS[3] = {0.55, 0.55, 0.55};
static const double PLOT_INK_GRID[3] = {0.91, 0.91, 0.91}, PLOT_INK_MINOR[3] = {0.96, 0.96, 0.96};

double plot_unit(const plot_frame *fr, int a, double v);  // a value in axis units
double plot_at(const plot_frame *fr, int a, double u);    // pixel position of axis-unit value u along axis a
double plot_px(const plot_frame *fr, double x);           // pixel position of a data value: x, y
double plot_py(const plot_frame *fr, double y);
void plot_limits(plot_frame *fr, int a, double lo, double hi, double pad, const double *lim);
void plot_format(double v, double step, char *out, size_t len);
void plot_ticks_linear(double lo, double hi, double step, int logged, plot_ticks *t);
void plot_ticks_log(double lo, double hi, int level, plot_ticks *t);
double plot_nice(double x);
double plot_next_step(double step);
void plot_choose_ticks(cairo_t *cr, const plot_frame *fr, int a, plot_ticks *t);
void plot_layout(cairo_t *cr, const figspec *f, plot_frame *fr, plot_ticks t[2], double legend_w);
void plot_draw_grid(cairo_t *cr, const plot_frame *fr, const plot_ticks t[2]);
void plot_draw_axes(cairo_t *cr, const figspec *f, const plot_frame *fr, const plot_ticks t[2]);
// Text: the ink, the font (DejaVu Sans), a string's width, the height of a digit, a string drawn at x plus
// align times its width (0 left, -0.5 centred, -1 right), a tick label's width.
void plot_ink(cairo_t *cr, const double *c);
void plot_font(cairo_t *cr, double size, int bold);
double plot_width(cairo_t *cr, const char *s);
double plot_cap(cairo_t *cr);
void plot_text(cairo_t *cr, double x, double baseline, const char *s, double align);
double plot_tick_width(cairo_t *cr, const plot_ticks *t, int i);

// Something drawn, in pixels: a polyline, single points, or separate segments (pairs of points). What the
// kinds draw, and what a legend should not hide.
typedef enum { PLOT_POLY_LINE, PLOT_POLY_POINTS, PLOT_POLY_PAIRS } plot_poly_kind;
typedef struct {
    int n;
    double *x, *y;  // (n)
    plot_poly_kind kind;
} plot_poly;

void plot_poly_free(plot_poly *p);
double plot_q(double v);           // a coordinate on the quarter-pixel grid
void plot_quantise(plot_poly *p);  // every point of p on it

// ----- legend (plot_legend.c) --------------------------------------------------------------------

// One line of the legend: a sample of how the thing is drawn, and its name.
typedef struct {
    const char *label;
    int color;   // palette index; -1: dark ink (the decision boundary)
    int dot;     // a dot (a scatter class) instead of a line
    int dashed, marker, band;
    int box;     // a filled box (a bar) instead of a line
} plot_entry;

const double *plot_palette(int c);               // colour c of the palette, {r, g, b}
void plot_color(cairo_t *cr, int c, double alpha);
void plot_set_dash(cairo_t *cr, int dashed);
void plot_dot(cairo_t *cr, double x, double y);  // a dot, as wide as the line width, once stroked
void plot_legend_size(cairo_t *cr, const plot_entry *e, int n, double *w, double *h);
int plot_legend_inside(const plot_frame *fr, double w, double h, const plot_poly *p, int np, double *x, double *y);
void plot_draw_legend(cairo_t *cr, const plot_entry *e, int n, double x, double y);

// ----- the kinds: each loads its data, draws, and frees ------------------------------------------

// kind: line (plot_line.c). One drawn series: its numbers, then what is drawn of them in pixels.
typedef struct {
    const figspec_source *src;
    char *label;                  // legend text
    plot_cols c;                  // x, y, and e = std (n)
    double *mid, *sd;             // (n) the line (the moving average with smooth=, else y); the std about it
    plot_poly raw, line, lo, hi;  // raw: the faint values behind a smoothed line; lo, hi: band edges
} plot_line;

typedef struct {
    plot_line *s;  // (n)
    int n;
} plot_lines;

int plot_lines_load(const figspec *f, const char *path, const char *dir, plot_lines *L, char *err, size_t errlen);
void plot_lines_draw(cairo_t *cr, const figspec *f, plot_lines *L, plot_frame *fr);
void plot_lines_free(plot_lines *L);
double *plot_moving_average(const double *v, int n, int w);
enum { PLOT_THIN_MEAN, PLOT_THIN_MINMAX };
plot_poly plot_thin(const double *px, const double *py, int n, double width, int mode);

// kind: bar (plot_bar.c). n categories (the rows of the first bars: line, drawn top to bottom) and, for
// each of its nb bars: lines, one value per category.
typedef struct {
    int n, nb;
    char **names;   // (n) the categories, from the first bars: line's y column
    double *v;      // (nb, n) the values, row k from bars: line k
    char **labels;  // (nb) legend texts
} plot_bars;

int plot_bars_load(const figspec *f, const char *path, const char *dir, plot_bars *B, char *err, size_t errlen);
void plot_bars_draw(cairo_t *cr, const figspec *f, const plot_bars *B, plot_frame *fr);
void plot_bars_free(plot_bars *B);
void plot_bar_limits(const figspec *f, const plot_bars *B, plot_frame *fr);
void plot_bar_rect(const plot_frame *fr, const plot_bars *B, int k, int i, double r[4]);

// kind: scatter (plot_scatter.c). The decision regions: P(class 1) on a regular grid.
typedef struct {
    int nx, ny;
    double *xs, *ys;  // (nx), (ny) the grid's coordinates, increasing
    double *p;        // (ny, nx) row j at y = ys[j]
} plot_grid;

typedef struct {
    plot_cols pts;  // x, y, and e = class (n)
    plot_grid g;    // nx = 0 without regions
    plot_poly dots, boundary;
} plot_scatter;

int plot_scatter_load(const figspec *f, const char *path, const char *dir, plot_scatter *d, char *err,
                      size_t errlen);
void plot_scatter_draw(cairo_t *cr, const figspec *f, plot_scatter *d, plot_frame *fr);
void plot_scatter_free(plot_scatter *d);
plot_poly plot_contour(const plot_frame *fr, const plot_grid *g);

// ----- output: SVG or PNG, in memory, then written atomically (plot_output.c) --------------------

// A canvas of w x h pixels drawing into out: a PNG image, or an SVG document streamed into out.
cairo_surface_t *plot_surface(int png, int w, int h, plot_buf *out);
// Finish the canvas and its drawing context (destroying both): the PNG or SVG document is then whole in out,
// its ids renumbered. Returns Cairo's status; on an error out is freed and empty.
cairo_status_t plot_surface_finish(cairo_surface_t *s, cairo_t *cr, int png, plot_buf *out);
// Write buf atomically into the folder dir (made when missing) as f's file=NAME.svg, or NAME.png.
void plot_write_figure(const char *dir, const figspec *f, int png, const plot_buf *buf);

#endif
