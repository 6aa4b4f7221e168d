// weave_values.c — computed values: {{file:key*scale %fmt}} from a chapter program's results files.
//
// A placeholder names a key of out/NAME.txt (results.txt unless named), optionally scaled and formatted by one
// printf conversion the author wrote; the format is checked before it reaches snprintf. Results files are read
// once per weave and belong to the context.
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "weave_int.h"

// ----- number formats --------------------------------------------------------------------------------------

// A printf format an author wrote, checked: exactly one %f, %e or %g conversion with flags, width and
// precision (two digits at most) and nothing else — only then is it handed to snprintf.
void wv_check_format(ctx *c, size_t pos, const char *f) {
    const char *p = f;
    int ok = *p == '%';
    p += ok;
    p += strspn(p, "-+ #0");
    size_t w = strspn(p, "0123456789");
    ok = ok && w <= 2;
    p += w;
    if (*p == '.') {
        size_t d = strspn(++p, "0123456789");
        ok = ok && d <= 2;
        p += d;
    }
    ok = ok && *p && strchr("feg", *p) && !p[1];
    if (!ok)
        wv_fail(c, pos,
                "bad format '%s'; expected one printf conversion %%f, %%e or %%g with optional flags, width and "
                "precision, like %%.4f",
                f);
}

int wv_number(const char *s, double *v) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s) return 0;
    while (isspace((unsigned char)*end)) end++;
    return !*end && !(errno == ERANGE && fabs(*v) > 1) && isfinite(*v);
}

char *wv_format(ctx *c, const char *fmt, double v) {
    char buf[512];
    int n = snprintf(buf, sizeof buf, fmt, v);  // fmt passed wv_check_format (or is "%g")
    return wv_strndup(c, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

// ----- placeholders ----------------------------------------------------------------------------------------

typedef struct {
    const char *file;  // "results" unless named
    const char *key;
    double scale;
    int scaled;
    const char *fmt;  // NULL: the value as written
} placeholder;

static const char *S_malformed =
    "malformed placeholder '%.*s'; expected {{key}}, {{file:key}}, {{key %%.4f}} or {{key*100 %%.1f}}";

// Parse the reference part "file:key*scale" of a placeholder's text.
static void S_placeholder_ref(ctx *c, size_t pos, char *ref, placeholder *p, range whole) {
    char *star = strchr(ref, '*'), *colon = strchr(ref, ':');
    if (star) {
        *star = '\0';
        char *end;
        p->scale = strtod(star + 1, &end);
        p->scaled = 1;
        if (end == star + 1 || *end || !isfinite(p->scale))
            wv_fail(c, pos, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
    }
    p->file = "results", p->key = ref;
    if (colon && (!star || colon < star)) {
        *colon = '\0';
        p->file = ref, p->key = colon + 1;
        wv_check_relpath(c, pos, p->file, "out/");
    }
    if (!*p->key || strpbrk(p->key, "{}$:")) wv_fail(c, pos, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
}

// Parse the placeholder opening at i ("{{"); it must close on the same line. Returns the offset after "}}".
static size_t S_placeholder_parse(ctx *c, size_t i, size_t end, placeholder *p) {
    const char *nl = memchr(c->src + i, '\n', end - i);
    size_t stop = nl ? (size_t)(nl - c->src) : end, j = i + 2;
    while (j + 1 < stop && !(c->src[j] == '}' && c->src[j + 1] == '}')) j++;
    if (j + 1 >= stop)
        wv_fail(c, i, "unterminated placeholder '%.*s'; expected {{...}} closed by }} on the same line",
                (int)(stop - i > 40 ? 40 : stop - i), c->src + i);
    range whole = {i, j + 2}, in = wv_trim(c, i + 2, j);
    char *text = wv_str(c, in), *words[3] = {0};
    int nw = 0;
    for (char *w = strtok(text, " \t"); w; w = strtok(NULL, " \t")) words[nw < 3 ? nw : 2] = w, nw++;
    if (nw < 1 || nw > 2) wv_fail(c, i, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
    *p = (placeholder){.scale = 1, .fmt = nw == 2 ? words[1] : NULL};
    if (p->fmt && p->fmt[0] != '%') wv_fail(c, i, S_malformed, (int)(whole.b - whole.a), c->src + whole.a);
    if (p->fmt) wv_check_format(c, i, p->fmt);
    S_placeholder_ref(c, i, words[0], p, whole);
    return whole.b;
}

// The results file out/NAME.txt, read once.
static results_file *S_results(ctx *c, size_t pos, const char *name) {
    for (int i = 0; i < c->nres; i++)
        if (strcmp(c->res[i].name, name) == 0) return c->res[i].data;
    sbuf *file = wv_buf(c);
    wv_printf(file, "%s.txt", name);
    char *path = wv_join(c, c->o->data_dir, file->s), err[512];
    if (!wv_exists(path))
        wv_fail(c, pos, "missing results file %s; expected the chapter program to write it (into its --out folder)",
                path);
    results_file *r = results_read(path, err, sizeof err);
    if (!r) wv_fail(c, pos, "%s; expected a results file of 'key value' lines", err);
    c->res = wv_grow(c, c->res, c->nres, &c->capres, sizeof *c->res);
    c->res[c->nres++] = (cached){wv_strndup(c, name, strlen(name)), r};
    return r;
}

static const char *S_known_keys(ctx *c, const results_file *r) {
    sbuf *b = wv_buf(c);
    for (int i = 0; i < r->n && i < 12; i++) wv_printf(b, "%s%s", i ? ", " : "", r->keys[i]);
    if (r->n > 12) wv_puts(b, ", ...");
    return r->n ? b->s : "(the file is empty)";
}

// The text a placeholder stands for: the value as written, or scaled and formatted.
static const char *S_placeholder_value(ctx *c, size_t pos, const placeholder *p) {
    results_file *r = S_results(c, pos, p->file);
    const char *v = results_get(r, p->key, NULL);
    if (!v) wv_fail(c, pos, "unknown key '%s' in %s; expected one of: %s", p->key, r->path, S_known_keys(c, r));
    if (!p->fmt && !p->scaled) return v;
    double x;
    if (!wv_number(v, &x))
        wv_fail(c, pos, "value '%.40s' of key '%s' in %s is not a number; expected a finite number for %s", v, p->key,
                r->path, p->fmt ? p->fmt : "the scale");
    return wv_format(c, p->fmt ? p->fmt : "%g", x * p->scale);
}

const char *wv_result(ctx *c, size_t pos, const char *ref) {
    placeholder p = {.scale = 1};
    range whole = {pos, pos};
    S_placeholder_ref(c, pos, wv_strndup(c, ref, strlen(ref)), &p, whole);
    return S_placeholder_value(c, pos, &p);
}

// The placeholder opening at i ("{{"): the text it stands for. *after gets the offset after its "}}".
const char *wv_value(ctx *c, size_t i, size_t end, size_t *after) {
    placeholder p;
    *after = S_placeholder_parse(c, i, end, &p);
    return S_placeholder_value(c, i, &p);
}
