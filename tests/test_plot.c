// test_plot.c — the plotter: fixture figures to SVG and PNG, the same bytes twice, long series
// thinned to a small SVG, its helpers (ticks, smoothing, contour, labels), placeholders in labels, every
// error message, and figure fences indented in list items. Linked with the plotter's files (plot.h, figspec.h).
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"
#include "tap.h"
#include "wb.h"

#define FIXTURE "tests/fixtures/plot/chapter.md"
#define FIXTURE_DATA "tests/fixtures/plot/out"

// Fontconfig keeps its configuration until exit, by design: not a leak of ours.
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

static char tmp[64];  // a fresh folder for this run's files

static void put(const char *name, const char *text) {
    char *path = wb_path_join(tmp, name);
    wb_write_file(path, text, strlen(text));
    free(path);
}

// Remove a folder and everything in it.
static void rm_tree(const char *dir) {
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *path = wb_path_join(dir, e->d_name);
        if (remove(path) != 0) rm_tree(path);
        free(path);
    }
    if (d) closedir(d);
    remove(dir);
}

static int contains(const plot_buf *b, const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= b->len; i++)
        if (!memcmp(b->data + i, s, n)) return 1;
    return 0;
}

// ----- helpers of the plotter --------------------------------------------------------------------

static void test_helpers(void) {
    is_close(plot_nice(0.3), 0.5, 1e-12, "nice step above 0.3 is 0.5");
    is_close(plot_nice(1.2), 2, 1e-12, "nice step above 1.2 is 2");
    is_close(plot_nice(6), 10, 1e-12, "nice step above 6 is 10");
    is_close(plot_next_step(2e-3), 5e-3, 1e-12, "the step after 0.002 is 0.005");

    char buf[32];
    plot_format(-0.5, 0.5, buf, sizeof buf);
    is_str(buf,
           "\xe2\x88\x92"
           "0.5",
           "negative tick labels carry a real minus sign");
    plot_format(1e-17, 0.2, buf, sizeof buf);
    is_str(buf, "0.0", "a tick at a rounding error from zero reads 0");

    plot_ticks t;
    plot_ticks_linear(-0.07, 1.07, 0.2, 0, &t);
    ok(t.n == 6 && !strcmp(t.text[0], "0.0") && !strcmp(t.text[5], "1.0"), "linear ticks 0.0 .. 1.0 by 0.2 (got %d)",
       t.n);
    plot_ticks_log(log10(0.04), log10(6), 0, &t);
    ok(t.n == 7 && !strcmp(t.text[0], "0.05") && !strcmp(t.text[6], "5") && t.nminor > 0,
       "log ticks over 0.04..6: 0.05 0.1 0.2 0.5 1 2 5 and minor ticks (got %d, first %s)", t.n, t.text[0]);
    plot_ticks_log(-9, 0, 1, &t);
    ok(t.n == 10 && !strcmp(t.text[0], "10") &&
           !strcmp(t.sup[0],
                   "\xe2\x88\x92"
                   "9"),
       "decades 10^-9 .. 10^0 as powers");

    double v[5] = {1, 2, 3, 4, 5}, *m = plot_moving_average(v, 5, 3);
    ok(m[0] == 1.5 && m[1] == 2 && m[2] == 3 && m[4] == 4.5, "moving average over 3 points, shorter at the ends");
    free(m);

    enum { N = 100000 };
    double *px = wb_malloc(sizeof(double) * N), *py = wb_malloc(sizeof(double) * N);
    for (int i = 0; i < N; i++) px[i] = i * 500.0 / N, py[i] = i == 777 ? -50 : i == 4242 ? 99 : sin(i);
    plot_poly a = plot_thin(px, py, N, 500, PLOT_THIN_MEAN), b = plot_thin(px, py, N, 500, PLOT_THIN_MINMAX);
    ok(a.n <= 1001 && b.n <= 1001, "100 000 points over 500 columns thin to about 2 per column (%d mean, %d min/max)",
       a.n, b.n);
    double lo = 0, hi = 0;
    for (int i = 0; i < b.n; i++) lo = fmin(lo, b.y[i]), hi = fmax(hi, b.y[i]);
    ok(lo == -50 && hi == 99, "min/max thinning keeps the extreme values");
    plot_poly c = plot_thin(px, py, 900, 500, PLOT_THIN_MEAN);
    ok(c.n == 900, "a polyline of under 2 points per column is kept whole");
    free(px), free(py), plot_poly_free(&a), plot_poly_free(&b), plot_poly_free(&c);

    char *l = plot_label("$x_1$ and $\\eta = 10^{-3}$, $w^{(2)}_{ij}$ cost \\$5");
    is_str(l, "x₁ and η = 10⁻³, w⁽²⁾ᵢⱼ cost $5", "labels turn a little TeX into Unicode");
    free(l);
}

// The 0.5 contour of p = x on a grid over [0, 1]: a vertical line at x = 0.5.
static void test_contour(void) {
    double xs[5] = {0, 0.25, 0.5 + 1e-9, 0.75, 1}, ys[3] = {0, 1, 2}, p[15];
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 5; i++) p[j * 5 + i] = xs[i] * 0.999 + 0.0003;
    plot_grid g = {5, 3, xs, ys, p};
    plot_frame fr = {.left = 0, .right = 100, .top = 0, .bottom = 100, .lo = {0, 0}, .hi = {1, 2}};
    plot_poly b = plot_contour(&fr, &g);
    int vertical = b.n == 4;
    for (int i = 0; i < b.n; i++) vertical &= fabs(b.x[i] - 50) < 0.2;
    ok(vertical, "the p = 0.5 boundary of p = x is the line x = 0.5 (%d points)", b.n);
    plot_poly_free(&b);
}

// ----- the fixture chapter -----------------------------------------------------------------------

static plot_chapter fixture;

static void test_parse_fixture(void) {
    size_t len;
    char *text = wb_read_file(FIXTURE, &len), err[2048] = "";
    ok(text && plot_parse(FIXTURE, text, &fixture, err, sizeof err) == 0, "the fixture chapter parses %s", err);
    free(text);
    ok(fixture.n == 3, "three figures; the one inside a ````markdown block is not one (got %d)", fixture.n);
    if (fixture.n != 3) return;
    const figspec *loss = &fixture.figs[0], *moons = &fixture.figs[2];
    ok(!strcmp(loss->id, "loss") && loss->kind == FIGSPEC_LINE && loss->nseries == 2 && loss->ylog && loss->line == 5,
       "figure 'loss': a line plot of two series on a log y axis, opened on line 5");
    ok(loss->series[0].smooth == 100 && !strcmp(loss->series[0].label, "training loss (mean of 100 steps)") &&
           loss->series[1].marker && loss->series[1].dashed,
       "series options: smooth, quoted label, marker, dashed");
    ok(fixture.figs[1].series[0].extra && !strcmp(fixture.figs[1].series[0].extra, "train_std") &&
           fixture.figs[1].lim[FIGSPEC_YMIN] == 0 && isnan(fixture.figs[1].lim[FIGSPEC_YMAX]),
       "figure 'seeds': std column and a fixed ymin");
    ok(moons->kind == FIGSPEC_SCATTER && moons->w == 560 && moons->h == 420 && !strcmp(moons->regions.extra, "p") &&
           !strcmp(moons->xlabel, "$x_1$"),
       "figure 'moons': scatter with regions, size 560 420, the label as written");
    ok(!strcmp(loss->title, "Training a small network, $\\eta = {{lr}}$, batches of {{batch}}") &&
           loss->title_line == 8,
       "a title's placeholders are kept as written, with the title's line");
}

// The fixture's labels filled in from tests/fixtures/plot/out/results.txt and sweep/results.txt: as written,
// formatted and scaled, from a subfolder; then as plot_label draws them.
static void test_fixture_values(void) {
    if (fixture.n != 3) return;
    figspec g;
    char err[2048] = "", *title;
    const figspec *loss = &fixture.figs[0], *seeds = &fixture.figs[1];
    ok(plot_values(loss, FIXTURE, FIXTURE_DATA, &g, err, sizeof err) == 0, "the loss figure's values are read %s", err);
    is_str(g.title, "Training a small network, $\\eta = 0.05$, batches of 32", "title: {{lr}} and {{batch}}");
    is_str(title = plot_label(g.title), "Training a small network, η = 0.05, batches of 32",
           "... and drawn with its TeX as Unicode");
    is_str(g.series[1].label, "validation loss (94.1% right)", "a label: {{val_acc*100 %.1f}}");
    ok(g.series[0].label == loss->series[0].label && g.xlabel == loss->xlabel &&
           g.series[1].file == loss->series[1].file,
       "what holds no placeholder is shared with the figure as written");
    ok(!strcmp(loss->series[1].label, "validation loss ({{val_acc*100 %.1f}}% right)"), "which stays as written");
    free(title), plot_values_free(&g, loss);
    ok(plot_values(seeds, FIXTURE, FIXTURE_DATA, &g, err, sizeof err) == 0 &&
           !strcmp(g.series[0].label, "training set, mean of 5 seeds"),
       "a label: {{sweep/results:seeds}}, from a subfolder %s", err);
    plot_lines L;
    ok(plot_lines_load(&g, FIXTURE, FIXTURE_DATA, &L, err, sizeof err) == 0 &&
           !strcmp(L.s[0].label, "training set, mean of 5 seeds") && !strcmp(L.s[1].label, "validation set"),
       "the legend's texts are the values %s", err);
    plot_lines_free(&L), plot_values_free(&g, seeds);
}

static int svg_ok(const plot_buf *b) {
    size_t n = b->len;
    while (n && (b->data[n - 1] == '\n' || b->data[n - 1] == ' ')) n--;
    return b->len > 5000 && !memcmp(b->data, "<?xml", 5) && contains(b, "<svg") && n >= 6 &&
           !memcmp(b->data + n - 6, "</svg>", 6);
}

static unsigned be32(const unsigned char *p) { return (unsigned)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static void test_render_fixture(void) {
    char err[2048] = "";
    plot_buf first[3] = {{0}}, png = {0};
    for (int i = 0; i < fixture.n; i++) {
        const figspec *f = &fixture.figs[i];
        int r = plot_render(f, FIXTURE, FIXTURE_DATA, 0, &first[i], err, sizeof err);
        ok(r == 0 && svg_ok(&first[i]), "%s: a well-formed SVG (%zu bytes) %s", f->id, first[i].len, err);
        diag("%s.svg: %zu bytes", f->id, first[i].len);
        r = plot_render(f, FIXTURE, FIXTURE_DATA, 1, &png, err, sizeof err);
        ok(r == 0 && png.len > 1000 && !memcmp(png.data, "\x89PNG\r\n\x1a\n", 8) &&
               be32(png.data + 16) == (unsigned)f->w && be32(png.data + 20) == (unsigned)f->h,
           "%s: a PNG of %dx%d pixels", f->id, f->w, f->h);
        free(png.data);
    }
    // Again, in another order: the same bytes, whatever was drawn before in this process.
    for (int i = fixture.n - 1; i >= 0; i--) {
        plot_buf again = {0};
        plot_render(&fixture.figs[i], FIXTURE, FIXTURE_DATA, 0, &again, err, sizeof err);
        ok(again.len == first[i].len && !memcmp(again.data, first[i].data, again.len),
           "%s: drawn again, the same bytes", fixture.figs[i].id);
        free(again.data);
    }
    ok(contains(&first[2], "<image"), "moons: the regions are one embedded image");
    for (int i = 0; i < 3; i++) free(first[i].data);
}

// The whole tool's work: every figure into a folder, PNG on request, --only.
static void test_draw_chapter(void) {
    char err[2048] = "", *dir = wb_path_join(tmp, "figs"), *path;
    struct stat st;
    ok(plot_draw_chapter(FIXTURE, FIXTURE_DATA, dir, 0, NULL, err, sizeof err) == 3, "all three figures drawn %s", err);
    const char *names[] = {"loss.svg", "seeds.svg", "moons.svg", "loss.png", "moons.png"};
    for (int i = 0; i < 3; i++) {
        path = wb_path_join(dir, names[i]);
        ok(stat(path, &st) == 0 && st.st_size > 5000, "%s written", names[i]);
        free(path);
    }
    ok(plot_draw_chapter(FIXTURE, FIXTURE_DATA, dir, 1, "moons", err, sizeof err) == 1, "--png --only moons draws one");
    path = wb_path_join(dir, names[4]);
    ok(stat(path, &st) == 0, "moons.png written");
    free(path);
    path = wb_path_join(dir, names[3]);
    ok(stat(path, &st) != 0, "loss.png not drawn with --only moons");
    free(path);
    ok(plot_draw_chapter(FIXTURE, FIXTURE_DATA, dir, 0, "nope", err, sizeof err) < 0,
       "--only with an unknown id fails");
    has_str(err, "no figure with id 'nope'", "... and says so");
    free(dir);
}

// 300 000 per-step losses: thinned to a few points per pixel column, the SVG stays small.
static void test_long_series(void) {
    enum { N = 300000 };
    size_t cap = (size_t)N * 32, len = 0;
    char *text = wb_malloc(cap), err[2048] = "";
    len += snprintf(text, cap, "step\tloss\n");
    unsigned seed = 1;
    for (int i = 1; i <= N; i++) {
        seed = seed * 1103515245u + 12345u;
        double noise = (seed >> 8) / 16777216.0;
        len += snprintf(text + len, cap - len, "%d\t%.5f\n", i, (2.3 * exp(-i / 40000.0) + 0.05) * (0.5 + noise));
    }
    put("long.tsv", text);
    free(text);
    char *data = wb_path_join(tmp, "."), *ch = wb_path_join(tmp, "long.md");
    put("long.md",
        "```figure id=long file=long.svg\nkind: line\nylog: 1\n"
        "series: long.tsv x=step y=loss smooth=1000 label=\"smoothed\"\n"
        "series: long.tsv x=step y=loss label=\"raw\" dashed=1\n```\n");
    size_t got = 0;
    for (int png = 0; png < 2; png++) {
        char *out = wb_path_join(tmp, "long");
        ok(plot_draw_chapter(ch, data, out, png, NULL, err, sizeof err) == 1, "a 300 000-row series draws %s", err);
        char *file = wb_path_join(out, png ? "long.png" : "long.svg");
        struct stat st;
        got = stat(file, &st) == 0 ? (size_t)st.st_size : 0;
        if (!png) ok(got > 0 && got < 300 * 1000, "its SVG is under 300 KB (%zu bytes)", got);
        diag("long.%s: %zu bytes", png ? "png" : "svg", got);
        free(file), free(out);
    }
    free(data), free(ch);
}

// ----- errors: each names the chapter's line and what was expected -------------------------------

static const char *parse_err(const char *text) {
    static char err[2048];
    plot_chapter ch;
    err[0] = '\0';
    if (plot_parse("ch.md", text, &ch, err, sizeof err) == 0) {
        plot_chapter_free(&ch);
        return "(parsed without error)";
    }
    return err;
}

// The first figure of text drawn from the temporary folder: its error message.
static const char *render_err(const char *text) {
    static char err[2048];
    plot_chapter ch;
    plot_buf b = {0};
    err[0] = '\0';
    if (plot_parse("ch.md", text, &ch, err, sizeof err) != 0) return err;
    if (plot_render(&ch.figs[0], "ch.md", tmp, 0, &b, err, sizeof err) == 0) snprintf(err, sizeof err, "(drawn)");
    free(b.data);
    plot_chapter_free(&ch);
    return err;
}

#define FIG(lines) "Prose.\n\n```figure id=f file=f.svg\n" lines "```\n"  // spec lines start on line 4

static void test_spec_errors(void) {
    has_str(parse_err(FIG("kind: line\ncolour: red\n")), "ch.md:5: unknown figure line 'colour'", "unknown spec line");
    has_str(parse_err(FIG("kind: line\nno colon here\n")),
            "ch.md:5: unknown figure line 'no colon here' (expected 'name: value'", "a line that is not name: value");
    has_str(parse_err(FIG("kind: pie\n")), "ch.md:4: unknown kind 'pie' (expected line, scatter or bar)",
            "unknown kind");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l smoth=5\n")),
            "ch.md:5: series: unknown option 'smoth' (expected key=value with key one of: x y label smooth std marker "
            "dashed)",
            "unknown series option");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv y=l\n")), "ch.md:5: series: x=COLUMN is required",
            "series without x=");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l label=\"open\n")),
            "ch.md:5: series: a quoted value is never closed", "unterminated quote");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l marker=2\n")), "ch.md:5: marker= expects 0 or 1, got '2'",
            "marker must be 0 or 1");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l smooth=0\n")),
            "ch.md:5: smooth= expects a whole number >= 1", "smooth must be >= 1");
    has_str(parse_err(FIG("kind: line\nsize: 640\n")),
            "ch.md:5: size: expected 'W H', two whole numbers of pixels in [100, 4000], got '640'",
            "bad size: one number");
    has_str(parse_err(FIG("kind: line\nsize: 640 x400\n")), "ch.md:5: size: expected 'W H'", "bad size: not a number");
    has_str(parse_err(FIG("kind: line\nsize: 64000 400\n")), "ch.md:5: size: expected 'W H'", "bad size: too large");
    has_str(parse_err(FIG("kind: line\nxmin: zero\n")), "ch.md:5: xmin: expected a finite number, got 'zero'",
            "non-numeric limit");
    has_str(parse_err(FIG("kind: line\nylog: yes\n")), "ch.md:5: ylog: expected 0 or 1, got 'yes'",
            "ylog must be 0 or 1");
    has_str(parse_err(FIG("kind: line\nkind: line\n")), "ch.md:5: kind: given twice (first on line 4)",
            "a name given twice");
    has_str(parse_err(FIG("xlabel: step\n")),
            "ch.md:3: figure 'f': expected a line 'kind: line', 'kind: scatter' or 'kind: bar'",
            "a figure without a kind");
    has_str(parse_err(FIG("kind: bar\n")), "ch.md:3: figure 'f': kind: bar needs at least one 'bars:' line",
            "a bar chart without bars");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l\nbars: b.tsv x=v y=name\n")),
            "ch.md:6: bars: only in kind: bar figures", "bars in a line figure");
    has_str(parse_err(FIG("kind: bar\nbars: b.tsv x=v y=name\nseries: a.tsv x=s y=l\n")),
            "ch.md:6: series: only in kind: line figures", "a series in a bar chart");
    has_str(parse_err(FIG("kind: bar\nbars: b.tsv x=v y=name\nylog: 1\n")),
            "ch.md:6: ylog: the y axis of kind: bar holds the categories", "a logarithmic category axis");
    has_str(parse_err(FIG("kind: bar\nbars: b.tsv x=v y=name\nymax: 3\n")),
            "ch.md:6: ymax: the y axis of kind: bar holds the categories", "limits on the category axis");
    has_str(parse_err(FIG("kind: bar\nbars: b.tsv x=v y=* \n")),
            "ch.md:5: bars: y=* (a series for every column but x) is for series only", "y=* in bars");
    has_str(parse_err(FIG("kind: bar\nbars: b.tsv x=v y=name smooth=3\n")),
            "ch.md:5: bars: unknown option 'smooth' (expected key=value with key one of: x y label)",
            "a series option in bars");
    has_str(parse_err(FIG("kind: line\n")), "ch.md:3: figure 'f': kind: line needs at least one 'series:' line",
            "a line plot without series");
    has_str(parse_err(FIG("kind: scatter\nregions: r.tsv x=a y=b p=p\n")),
            "ch.md:3: figure 'f': kind: scatter needs a 'points:' line", "a scatter without points");
    has_str(parse_err(FIG("kind: scatter\npoints: p.tsv x=a y=b\n")), "ch.md:5: points: class=COLUMN is required",
            "points without class=");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l\nxmin: 5\nxmax: 1\n")),
            "ch.md:6: xmin: expected a value below xmax 1", "xmin above xmax");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l\nylog: 1\nymin: 0\n")),
            "ch.md:7: ymin: a log axis needs a limit > 0, got 0", "a log axis with a limit <= 0");
    has_str(parse_err("```figure id=f file=f.svg\nkind: line\nseries: a.tsv x=s y=l\n"),
            "ch.md:1: unterminated figure block; expected a closing ``` line", "an unclosed figure block (the weaver's message)");
    has_str(parse_err("Text.\n\n> ```figure id=f file=f.svg\n> kind: line\n> ```\n"),
            "ch.md:3: a figure block inside a block quote; expected it outside the quote",
            "a figure in a block quote: refused, with the weaver's message");
    has_str(parse_err("```figure id=f file=f.svg color=red\nkind: line\n```\n"),
            "ch.md:1: unknown attribute 'color' of a figure block; expected one of: id, file",
            "an unknown attribute: the weaver's message");
    has_str(parse_err("```figure id=f\nkind: line\n```\n"), "ch.md:1: figure fence: expected id=ID file=NAME.svg",
            "fence without file=");
    has_str(parse_err("```figure id=f file=f.png\n```\n"),
            "ch.md:1: figure file 'f.png': expected a plain file name ending in .svg",
            "a figure file that is not .svg");
    has_str(parse_err(FIG("kind: line\nseries: a.tsv x=s y=l\n") FIG("kind: line\nseries: a.tsv x=s y=l\n")),
            "ch.md:9: figure id 'f' is already used on line 3", "a figure id used twice");
    plot_chapter ch;
    char err[256];
    ok(plot_parse("ch.md", "# No figures\n\n```c\nint x;\n```\n", &ch, err, sizeof err) == 0 && ch.n == 0,
       "a chapter without figure blocks parses to no figures");
    plot_chapter_free(&ch);
}

static void test_data_errors(void) {
    put("a.tsv", "step\tloss\n1\t0.5\n2\t0.25\n");
    put("bad.tsv", "step\tloss\n1\t0.5\n2\tabc\n");
    put("nan.tsv", "step\tloss\n1\tnan\n");
    put("empty.tsv", "step\tloss\n");
    put("neg.tsv", "step\tloss\n1\t0.5\n2\t-1\n");
    put("pts.tsv", "x\ty\tc\n0\t0\t0\n1\t1\t1\n");
    put("half.tsv", "x\ty\tc\n0\t0\t0.5\n");
    put("grid.tsv", "x\ty\tp\n0\t0\t0.1\n1\t0\t0.2\n0\t1\t0.3\n");
    put("prob.tsv", "x\ty\tp\n0\t0\t0.1\n1\t0\t0.2\n0\t1\t0.3\n1\t1\t1.5\n");
    has_str(render_err(FIG("kind: line\nseries: nope.tsv x=step y=loss\n")), "ch.md:5: no file 'nope.tsv' in ",
            "a missing TSV file");
    has_str(render_err(FIG("kind: line\nseries: nope.tsv x=step y=loss\n")), "(it has: a.tsv, bad.tsv, empty.tsv",
            "... listing the files there are");
    has_str(render_err(FIG("kind: line\nseries: a.tsv x=step y=los\n")),
            "ch.md:5: a.tsv has no column 'los' (its columns: 'step', 'loss')",
            "an unknown column, with the columns there are");
    has_str(render_err(FIG("kind: line\nseries: bad.tsv x=step y=loss\n")),
            "bad.tsv:3:3: column 'loss': expected a decimal number, got 'abc'", "a non-numeric cell: the TSV's file:line:column");
    has_str(render_err(FIG("kind: line\nseries: bad.tsv x=step y=loss\n")),
            "ch.md:5: ", "... after the chapter's line");
    has_str(render_err(FIG("kind: line\nseries: nan.tsv x=step y=loss\n")),
            "nan.tsv:2: column 'loss': expected a finite number, got 'nan'", "a non-finite cell");
    has_str(render_err(FIG("kind: line\nseries: empty.tsv x=step y=loss\n")), "ch.md:5: empty.tsv has no data rows",
            "an empty series");
    has_str(render_err(FIG("kind: line\nylog: 1\nseries: neg.tsv x=step y=loss\n")),
            "ch.md:6: ylog: 1 needs values > 0, but neg.tsv:3 has loss = -1", "a log axis over a value <= 0");
    is_str(render_err(FIG("kind: line\nseries: neg.tsv x=step y=loss\n")), "(drawn)",
           "the same values draw on a linear axis");
    has_str(render_err(FIG("kind: line\nseries: a.tsv x=step y=loss std=sd\n")), "ch.md:5: a.tsv has no column 'sd'",
            "an unknown std column");
    has_str(render_err(FIG("kind: scatter\npoints: half.tsv x=x y=y class=c\n")),
            "ch.md:5: points: half.tsv:2 has c = 0.5, expected a class number 0..63",
            "a class that is not a whole number");
    has_str(render_err(FIG("kind: scatter\npoints: pts.tsv x=x y=y class=c\nregions: grid.tsv x=x y=y p=p\n")),
            "ch.md:6: regions: grid.tsv is not a regular grid (expected every x with every y: 2 x values and 2 y "
            "values make 4 rows, found 3)",
            "regions that are not a grid");
    has_str(render_err(FIG("kind: scatter\npoints: pts.tsv x=x y=y class=c\nregions: prob.tsv x=x y=y p=p\n")),
            "ch.md:6: regions: prob.tsv:5 has p = 1.5, expected a probability in [0, 1]", "a probability above 1");
    is_str(render_err(FIG("kind: scatter\npoints: pts.tsv x=x y=y class=c\n")), "(drawn)",
           "points without regions draw");
    is_str(render_err(FIG("kind: line\nseries: pts.tsv x=x y=*\n")), "(drawn)", "y=* draws every column but x");
    put("bars.tsv", "name\tc\tpy\nscalar loops\t0.008\t0.9\nper sample\t0.7\t8.1\n");
    put("bars2.tsv", "name\tc\nscalar loops\t1\nbatched\t2\n");
    put("bars0.tsv", "name\tc\nscalar loops\t0\nper sample\t2\n");
    is_str(render_err(FIG("kind: bar\nxlog: 1\nbars: bars.tsv x=c y=name\nbars: bars.tsv x=py y=name\n")),
           "(drawn)", "grouped bars on a log axis draw");
    has_str(render_err(FIG("kind: bar\nbars: bars.tsv x=c y=name\nbars: bars2.tsv x=c y=name\n")),
            "ch.md:6: bars2.tsv:3: category 'batched' where the first bars: line has 'per sample'",
            "bars over other categories");
    has_str(render_err(FIG("kind: bar\nbars: bars.tsv x=c y=name\nbars: a.tsv x=loss y=step\n")),
            "ch.md:6: a.tsv:2: category '1' where the first bars: line has 'scalar loops'", "... or in another order");
    has_str(render_err(FIG("kind: bar\nxlog: 1\nbars: bars0.tsv x=c y=name\n")),
            "ch.md:6: xlog: 1 needs values > 0, but bars0.tsv:2 has c = 0", "a log value axis over a bar of 0");
    is_str(render_err(FIG("kind: bar\nbars: bars0.tsv x=c y=name\n")), "(drawn)", "which a linear axis draws");
    has_str(render_err(FIG("kind: bar\nbars: bad.tsv x=loss y=step\n")),
            "bad.tsv:3:3: column 'loss': expected a decimal number, got 'abc'", "a bar that is not a number");
    has_str(render_err(FIG("kind: bar\nbars: bars.tsv x=c y=label\n")), "ch.md:5: bars.tsv has no column 'label'",
            "an unknown category column");
    has_str(render_err(FIG("kind: bar\nbars: empty.tsv x=loss y=step\n")), "ch.md:5: empty.tsv has no data rows",
            "bars without rows");
}

// The first figure of text drawn from the temporary folder into out (freed by the caller); 0 or -1.
static int render(const char *text, plot_buf *out, char *err, size_t errlen) {
    plot_chapter ch;
    memset(out, 0, sizeof *out);
    if (plot_parse("ch.md", text, &ch, err, errlen) != 0) return -1;
    int r = plot_render(&ch.figs[0], "ch.md", tmp, 0, out, err, errlen);
    plot_chapter_free(&ch);
    return r;
}

// Placeholders in the texts a figure draws: each kind of text, drawn as the same figure with the values typed
// in; every error names the label's line, in the weaver's words.
static void test_values(void) {
    char dir[128], err[2048] = "";
    snprintf(dir, sizeof dir, "%s/b16", tmp);
    wb_mkdirs(dir);
    put("results.txt", "status ok\nlr 0.8\nbatch 16\nval_acc 0.9786\nprice $5\n");
    put("b16/results.txt", "lr 0.8\nbatch 16\n");
    put("v.tsv", "step\tloss\n1\t0.9\n2\t0.5\n3\t0.4\n");
    put("vb.tsv", "name\tc\nscalar\t1\nbatched\t2\n");
    plot_buf a, b, c;
    ok(render(FIG("kind: line\ntitle: B = {{batch}}\nxlabel: step ({{val_acc*100 %.1f}}%)\n"
                  "ylabel: loss at {{lr %.2f}}\n"
                  "series: v.tsv x=step y=loss label=\"B = {{b16/results:batch}}, $\\eta = {{b16/results:lr}}$\"\n"),
              &a, err, sizeof err) == 0 &&
           render(FIG("kind: line\ntitle: B = 16\nxlabel: step (97.9%)\nylabel: loss at 0.80\n"
                      "series: v.tsv x=step y=loss label=\"B = 16, $\\eta = 0.8$\"\n"),
                  &b, err, sizeof err) == 0 &&
           render(FIG("kind: line\ntitle: B = 16\nxlabel: step (97.9%)\nylabel: loss at 0.80\n"
                      "series: v.tsv x=step y=loss label=\"B = 16, $\\eta = 0.9$\"\n"),
                  &c, err, sizeof err) == 0,
       "a figure with placeholders in its title, axis labels and a series label draws %s", err);
    ok(a.len == b.len && !memcmp(a.data, b.data, a.len),
       "the same bytes as the figure with the values typed in: the values are what is drawn");
    ok(b.len != c.len || memcmp(b.data, c.data, b.len), "(a label's text changes the drawing: η = 0.9 is not 0.8)");
    free(a.data), free(b.data), free(c.data);
    ok(render(FIG("kind: bar\nbars: vb.tsv x=c y=name label=\"B = {{batch}}\"\n"), &a, err, sizeof err) == 0 &&
           render(FIG("kind: bar\nbars: vb.tsv x=c y=name label=\"B = 16\"\n"), &b, err, sizeof err) == 0 &&
           a.len == b.len && !memcmp(a.data, b.data, a.len),
       "a bars label: the same bytes as with the value typed in %s", err);
    free(a.data), free(b.data);

    plot_chapter ch;
    figspec g = {0};
    char *l = NULL;
    ok(plot_parse("ch.md", FIG("kind: line\ntitle: costs {{price}}, $\\eta = {{lr}}$\nseries: v.tsv x=step y=loss\n"),
                  &ch, err, sizeof err) == 0 &&
           plot_values(&ch.figs[0], "ch.md", tmp, &g, err, sizeof err) == 0,
       "a value holding a dollar sign %s", err);
    if (ch.n == 1 && g.title) {
        is_str(l = plot_label(g.title), "costs $5, η = 0.8", "... is a dollar sign, not math: a value is plain text");
        plot_values_free(&g, &ch.figs[0]);
    }
    free(l), plot_chapter_free(&ch);

    char known[256];
    snprintf(known, sizeof known, "ch.md:6: unknown key 'batc' in %s/results.txt; expected one of: status, lr, batch, "
             "val_acc, price", tmp);
    is_str(render_err(FIG("kind: line\nseries: v.tsv x=step y=loss\n"
                          "series: v.tsv x=step y=loss label=\"B = {{batc}}\"\n")),
           known, "an unknown key: the series line, the keys there are");
    snprintf(known, sizeof known,
             "ch.md:5: missing results file %s/sweep.txt; expected the chapter program to write it (into its --out "
             "folder)",
             tmp);
    is_str(render_err(FIG("kind: line\ntitle: {{sweep:lr}}\nseries: v.tsv x=step y=loss\n")), known,
           "a missing results file: the title's line");
    snprintf(known, sizeof known, "ch.md:5: unknown key 'seed' in %s/b16/results.txt; expected one of: lr, batch", tmp);
    is_str(render_err(FIG("kind: line\nxlabel: {{b16/results:seed}}\nseries: v.tsv x=step y=loss\n")), known,
           "an unknown key in a subfolder's file: the xlabel's line");
    snprintf(known, sizeof known, "ch.md:6: value 'ok' of key 'status' in %s/results.txt is not a number; expected a "
             "finite number for %%.2f", tmp);
    is_str(render_err(FIG("kind: line\nseries: v.tsv x=step y=loss\nylabel: {{status %.2f}}\n")), known,
           "a value that is not a number, given a format: the ylabel's line");
    has_str(render_err(FIG("kind: line\nseries: v.tsv x=step y=loss\nylabel: {{status*100}}\n")),
            "ch.md:6: value 'ok' of key 'status' in ", "... or given a scale");
    is_str(render_err(FIG("kind: line\nseries: v.tsv x=step y=loss label=\"{{lr .4f}}\"\n")),
           "ch.md:5: malformed placeholder '{{lr .4f}}'; expected {{key}}, {{file:key}}, {{key %.4f}} or {{key*100 "
           "%.1f}}",
           "a malformed placeholder");
    is_str(render_err(FIG("kind: line\ntitle: at {{lr %.2f\nseries: v.tsv x=step y=loss\n")),
           "ch.md:5: unterminated placeholder '{{lr %.2f'; expected {{...}} closed by }} on the same line",
           "an unterminated placeholder");
    is_str(render_err(FIG("kind: line\ntitle: {{lr %d}}\nseries: v.tsv x=step y=loss\n")),
           "ch.md:5: bad format '%d'; expected one printf conversion %f, %e or %g with optional flags, width and "
           "precision, like %.4f",
           "a format that is not %f, %e or %g");
    is_str(render_err(FIG("kind: line\ntitle: {{../secret:lr}}\nseries: v.tsv x=step y=loss\n")),
           "ch.md:5: '../secret' is not a file name inside out/; expected a relative name of letters, digits, '.', "
           "'_', '-' and '/', without '..'",
           "a results file outside the data folder");
    has_str(render_err(FIG("kind: bar\nbars: vb.tsv x=c y=name\nbars: vb.tsv x=c y=name label=\"{{nokey}}\"\n")),
            "ch.md:6: unknown key 'nokey' in ", "an error in a bars label: its line");
}

// A figure fence inside a list item, indented as the item's text is (CommonMark): found, its lines read
// without the indentation, and drawn; its errors name their lines. Inside another fenced block it is no figure.
static void test_indented_fence(void) {
    put("ind.tsv", "step\tloss\n1\t0.9\n2\t0.5\n3\t0.4\n");
    const char *text = "# Steps\n\n"
                       "1. Train, then look at the loss:\n\n"
                       "   ```figure id=ind file=ind.svg\n"
                       "   caption: The loss, step by step.\n"
                       "   kind: line\n"
                       "   series: ind.tsv x=step y=loss label=\"$\\eta = 0.1$\"\n"
                       "   ```\n\n"
                       "   - nested deeper:\n\n"
                       "      ```figure id=deep file=deep.svg\n"
                       "      kind: line\n"
                       "      series: ind.tsv x=step y=loss\n"
                       "        ```\n\n"
                       "2. An example, not a figure:\n\n"
                       "   ````markdown\n"
                       "   ```figure id=example file=example.svg\n"
                       "   ```\n"
                       "   ````\n";
    plot_chapter ch;
    char err[2048] = "", *md = wb_path_join(tmp, "indented.md"), *out = wb_path_join(tmp, "indented");
    int r = plot_parse("ch.md", text, &ch, err, sizeof err);
    ok(r == 0 && ch.n == 2, "two indented figure fences found (%d) %s", ch.n, err);
    if (ch.n == 2) {
        const figspec *f = &ch.figs[0], *g = &ch.figs[1];
        ok(f->line == 5 && f->kind == FIGSPEC_LINE && f->nseries == 1 && f->series[0].line == 8 &&
               !strcmp(f->caption, "The loss, step by step.") && !strcmp(f->series[0].label, "$\\eta = 0.1$"),
           "the block in a list item: its lines, their line numbers, the caption and the label as written");
        ok(g->line == 13 && !strcmp(g->id, "deep") && g->nseries == 1,
           "a fence indented 6 spaces, closed by a fence 2 spaces further in");
    }
    plot_chapter_free(&ch);
    put("indented.md", text);
    ok(plot_draw_chapter(md, tmp, out, 0, NULL, err, sizeof err) == 2, "both are drawn %s", err);
    char *svg = wb_path_join(out, "ind.svg");
    struct stat st;
    r = stat(svg, &st);
    ok(r == 0 && st.st_size > 1000, "ind.svg written (%ld bytes)", r == 0 ? (long)st.st_size : 0L);
    has_str(parse_err("- item\n\n  ```figure id=f file=f.svg\n  kind: line\n  colour: red\n  ```\n"),
            "ch.md:5: unknown figure line 'colour'", "an error in an indented block names its line");
    free(svg), free(md), free(out);
}

// A bar chart: drawn, the same bytes twice, a legend for two bars: lines, the names as text on the page.
static void test_bars(void) {
    put("bench.tsv", "name\tc\tpy\nch. 1\t0.008\t0.9\nch. 2\t0.7\t8.1\nch. 3\t0.55\t1.08\n");
    plot_chapter ch;
    char err[2048] = "";
    const char *text = FIG("kind: bar\nxlog: 1\nxlabel: seconds\nbars: bench.tsv x=c y=name label=\"C\"\n"
                           "bars: bench.tsv x=py y=name label=\"numpy\"\n");
    plot_buf a = {0}, b = {0}, png = {0};
    ok(plot_parse("ch.md", text, &ch, err, sizeof err) == 0 && ch.n == 1 && ch.figs[0].nbars == 2,
       "a bar figure with two bars: lines parses %s", err);
    ok(ch.n == 1 && plot_render(&ch.figs[0], "ch.md", tmp, 0, &a, err, sizeof err) == 0 &&
           plot_render(&ch.figs[0], "ch.md", tmp, 0, &b, err, sizeof err) == 0 &&
           plot_render(&ch.figs[0], "ch.md", tmp, 1, &png, err, sizeof err) == 0,
       "it draws as SVG and PNG %s", err);
    ok(a.len > 0 && a.len == b.len && !memcmp(a.data, b.data, a.len), "the same bytes twice (%zu)", a.len);
    ok(png.len > 8 && !memcmp(png.data, "\x89PNG", 4), "the PNG is a PNG");
    plot_bars B;
    ok(ch.n == 1 && plot_bars_load(&ch.figs[0], "ch.md", tmp, &B, err, sizeof err) == 0 && B.n == 3 && B.nb == 2 &&
           !strcmp(B.names[2], "ch. 3") && B.v[3 + 1] == 8.1 && !strcmp(B.labels[1], "numpy"),
       "three categories, two bars each, values in bars: line order");
    plot_frame fr = {.w = 640, .h = 400, .left = 100, .right = 600, .top = 10, .bottom = 310, .log = {1, 0}};
    plot_bar_limits(&ch.figs[0], &B, &fr);
    double r0[4], r1[4];
    plot_bar_rect(&fr, &B, 0, 0, r0), plot_bar_rect(&fr, &B, 1, 2, r1);
    ok(r0[0] == 100 && r0[2] < r1[2] && r0[1] < r1[1] && r1[3] <= 310,
       "bars start at the left edge of a log axis; the first category at the top; longer values, longer bars");
    plot_bars_free(&B), free(a.data), free(b.data), free(png.data);
    plot_chapter_free(&ch);
}

// Data a figure cannot draw as it is: one point of a line (no segment to stroke: drawn as a dot, not an
// empty frame), values whose axis range overflows (blank axes, before: refused), and numbers only strtod reads.
static void test_degenerate(void) {
    put("one.tsv", "step\tloss\n1\t0.5\n");
    put("huge.tsv", "step\tloss\n1\t1e308\n2\t-1e308\n");
    put("hex.tsv", "step\tloss\n1\t0x10\n");
    put("gap.tsv", "step\tloss\n1\t0.5\n\n2\t0.4\n");
    plot_buf b;
    char err[1024] = "";
    int r = render(FIG("caption: One.\nkind: line\nseries: one.tsv x=step y=loss\n"), &b, err, sizeof err);
    ok(r == 0 && svg_ok(&b), "a line of one point draws (%s)", err);
    // its dot: a zero-length segment, round-capped, 6 px wide, in the first series' colour
    const char *dot = "stroke-width:6;stroke-linecap:round;stroke-linejoin:round;stroke:rgb(0%,44.7%,69.8%)";
    int drawn = 0;
    for (size_t i = 0; r == 0 && i + strlen(dot) < b.len && !drawn; i++) {
        if (memcmp(b.data + i, dot, strlen(dot))) continue;
        const char *d = strstr((const char *)b.data + i, "d=\"M ");
        double x0, y0, x1, y1;
        drawn = d && sscanf(d, "d=\"M %lf %lf L %lf %lf", &x0, &y0, &x1, &y1) == 4 && x0 == x1 && y0 == y1;
    }
    ok(drawn, "... its point as a dot, not an empty frame");
    free(b.data);
    has_str(render_err(FIG("kind: line\nseries: huge.tsv x=step y=loss\n")),
            "ch.md:5: huge.tsv:2: column 'loss': 1e+308 is too large to draw; expected values of magnitude at most "
            "1e+300 (the axis's range would overflow)", "values whose range overflows: named, not blank axes");
    has_str(render_err(FIG("kind: line\nseries: hex.tsv x=step y=loss\n")),
            "hex.tsv:2:3: column 'loss': expected a decimal number, got '0x10'", "a hexadecimal number is refused");
    has_str(render_err(FIG("kind: line\nseries: gap.tsv x=step y=loss\n")),
            "gap.tsv:3: a blank line between rows; expected a row of 2 tab-separated cells", "a blank row mid-file too");
}

int main(void) {
    snprintf(tmp, sizeof tmp, "/tmp/test_plot.XXXXXX");
    if (!mkdtemp(tmp)) wb_die("%s: cannot create a temporary folder", tmp);
    test_helpers();
    test_contour();
    test_parse_fixture();
    test_fixture_values();
    test_render_fixture();
    test_draw_chapter();
    test_long_series();
    test_spec_errors();
    test_data_errors();
    test_degenerate();
    test_values();
    test_bars();
    test_indented_fence();
    plot_chapter_free(&fixture);
    rm_tree(tmp);
    cairo_debug_reset_static_data();  // Cairo's font caches, so that the leak check sees only our memory
    return tap_done();
}
