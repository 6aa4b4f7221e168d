// weave_values.c — computed values: {{file:key*scale %fmt}} from a chapter program's results files.
//
// The syntax, the format check and the lookup are placeholder.h's, shared with the plotter (figure labels); this
// file finds a placeholder in the chapter's text, keeps the results files it read for the whole weave (they
// belong to the context), and unwinds with the chapter's line on an error.
#include <stdio.h>
#include <string.h>

#include "placeholder.h"
#include "tsv.h"
#include "weave_int.h"

// ----- number formats --------------------------------------------------------------------------------------

// A message buffer as long as the context's, so that the line put in front cuts it where it always did.
static char *S_msg(ctx *c) { return wv_alloc(c, c->errlen + 1); }

void wv_check_format(ctx *c, size_t pos, const char *f) {
    char *msg = S_msg(c);
    if (placeholder_check_format(f, msg, c->errlen + 1) != 0) wv_fail(c, pos, "%s", msg);
}

int wv_number(const char *s, double *v) { return placeholder_number(s, v); }

char *wv_format(ctx *c, const char *fmt, double v) {
    char buf[512];
    placeholder_format(fmt, v, buf, sizeof buf);
    return wv_strndup(c, buf, strlen(buf));
}

// ----- placeholders ----------------------------------------------------------------------------------------

// The results file out/NAME.txt, read once.
static results_file *S_results(ctx *c, size_t pos, const char *name) {
    for (int i = 0; i < c->nres; i++)
        if (strcmp(c->res[i].name, name) == 0) return c->res[i].data;
    char *msg = S_msg(c);
    results_file *r = placeholder_read(c->o->data_dir, name, msg, c->errlen + 1);
    if (!r) wv_fail(c, pos, "%s", msg);
    c->res = wv_grow(c, c->res, c->nres, &c->capres, sizeof *c->res);
    c->res[c->nres++] = (cached){wv_strndup(c, name, strlen(name)), r};
    return r;
}

// The text a placeholder stands for: the value as written, or scaled and formatted.
static const char *S_placeholder_value(ctx *c, size_t pos, const placeholder *p) {
    results_file *r = S_results(c, pos, p->file);
    char buf[512], *msg = S_msg(c);
    const char *v = placeholder_value(p, r, buf, sizeof buf, msg, c->errlen + 1);
    if (!v) wv_fail(c, pos, "%s", msg);
    return v == buf ? wv_strndup(c, buf, strlen(buf)) : v;
}

const char *wv_result(ctx *c, size_t pos, const char *ref) {
    placeholder p = {.scale = 1};
    char *msg = S_msg(c);
    if (placeholder_parse_ref(&p, wv_strndup(c, ref, strlen(ref)), "", 0, msg, c->errlen + 1) != 0)
        wv_fail(c, pos, "%s", msg);
    return S_placeholder_value(c, pos, &p);
}

// The placeholder opening at i ("{{"): the text it stands for. *after gets the offset after its "}}".
const char *wv_value(ctx *c, size_t i, size_t end, size_t *after) {
    placeholder p;
    char *msg = S_msg(c);
    long n = placeholder_end(c->src + i, end - i, msg, c->errlen + 1);
    if (n < 0 || placeholder_parse(&p, c->src + i, (size_t)n, wv_alloc(c, (size_t)n + 1), msg, c->errlen + 1) != 0)
        wv_fail(c, i, "%s", msg);
    *after = i + (size_t)n;
    return S_placeholder_value(c, i, &p);
}

const char *wv_code_value(ctx *c, size_t i, size_t end, size_t *after) {
    char *msg = S_msg(c);
    long n = placeholder_end(c->src + i, end - i, msg, c->errlen + 1);  // its "}}", on the same line
    if (n < 0) wv_fail(c, i, "%s", msg);
    *after = i + (size_t)n;
    range ref = wv_trim(c, i + 2 + strlen("code"), *after - 2);
    if (ref.a == ref.b || memchr(c->src + ref.a, ' ', ref.b - ref.a))
        wv_fail(c, i, "malformed placeholder '%.*s'; expected {{code [file:]key}}, one key shown as code",
                (int)(*after - i), c->src + i);
    sbuf *h = wv_buf(c);
    wv_puts(h, "<code>");
    wv_escs(h, wv_result(c, i, wv_str(c, ref)));
    wv_puts(h, "</code>");
    return h->s;
}
