// plot_output.c — output: a figure drawn into memory, as SVG or PNG, with the same bytes for the same
// figure whatever was drawn before it; then written atomically.
#include <cairo-svg.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "wb.h"

static void S_append(plot_buf *b, const void *data, size_t len) {
    if (b->len + len > b->cap) {
        b->cap = b->len + len > 2 * b->cap ? b->len + len : 2 * b->cap;
        b->data = wb_realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static cairo_status_t S_write(void *closure, const unsigned char *data, unsigned int len) {
    S_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

// Cairo names some SVG ids after process-wide counters ("surface9", "image13"): the same figure
// drawn after another in one process would get other ids. Renumber them from 1 in order of first
// appearance, so that a figure's bytes depend on nothing but the figure.
static void S_svg_renumber(plot_buf *b) {
    static const char *const prefix[] = {"surface", "image", "source", "pattern", "mask", "clip"};
    enum { NP = sizeof prefix / sizeof prefix[0] };
    long *seen[NP] = {NULL};  // (nseen[k]) the old numbers of prefix k, in order of appearance
    int nseen[NP] = {0};
    plot_buf out = {0};
    for (size_t i = 0; i < b->len;) {
        int k = NP;
        size_t n = 0;
        if (b->data[i] == '"' || b->data[i] == '#')
            for (k = 0; k < NP; k++) {
                n = strlen(prefix[k]);
                if (i + 1 + n < b->len && !memcmp(b->data + i + 1, prefix[k], n) && isdigit(b->data[i + 1 + n])) break;
            }
        if (k == NP) {
            S_append(&out, b->data + i++, 1);
            continue;
        }
        char *end, num[32];
        long id = strtol((char *)b->data + i + 1 + n, &end, 10);
        int j = 0;
        while (j < nseen[k] && seen[k][j] != id) j++;
        if (j == nseen[k]) {
            seen[k] = wb_realloc(seen[k], sizeof(long) * (nseen[k] + 1));
            seen[k][nseen[k]++] = id;
        }
        snprintf(num, sizeof num, "%c%s%d", b->data[i], prefix[k], j + 1);
        S_append(&out, num, strlen(num));
        i = (size_t)(end - (char *)b->data);
    }
    for (int k = 0; k < NP; k++) free(seen[k]);
    free(b->data);
    *b = out;
}

cairo_surface_t *plot_surface(int png, int w, int h, plot_buf *out) {
    memset(out, 0, sizeof *out);
    if (png) return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(S_write, out, w, h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    return s;
}

cairo_status_t plot_surface_finish(cairo_surface_t *s, cairo_t *cr, int png, plot_buf *out) {
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (png && !status) status = cairo_surface_write_to_png_stream(s, S_write, out);
    cairo_surface_finish(s);
    if (!status) status = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (status) free(out->data), memset(out, 0, sizeof *out);
    else if (!png) S_svg_renumber(out);
    return status;
}

void plot_write_figure(const char *dir, const figspec *f, int png, const plot_buf *buf) {
    char *name = wb_strdup(f->file);  // NAME.svg, as figspec checked
    if (png) strcpy(name + strlen(name) - 4, ".png");
    char *file = wb_path_join(dir, name);
    wb_mkdirs(dir);
    wb_write_file(file, (const char *)buf->data, buf->len);
    free(name), free(file);
}
