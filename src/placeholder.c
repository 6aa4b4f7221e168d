// placeholder.c — computed values {{file:key*scale %fmt}}: parsed, checked, looked up (placeholder.h).
#include "placeholder.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wb.h"

// ----- number formats ----------------------------------------------------------------------------

int placeholder_check_format(const char *f, char *err, size_t errlen) {
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
    if (ok) return 0;
    return wb_errf(err, errlen,
                   "bad format '%s'; expected one printf conversion %%f, %%e or %%g with optional flags, width and "
                   "precision, like %%.4f",
                   f);
}

int placeholder_number(const char *s, double *v) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s) return 0;
    while (isspace((unsigned char)*end)) end++;
    return !*end && !(errno == ERANGE && fabs(*v) > 1) && isfinite(*v);
}

char *placeholder_format(const char *fmt, double v, char *out, size_t len) {
    snprintf(out, len, fmt ? fmt : "%g", v);  // fmt passed placeholder_check_format
    return out;
}

// ----- parsing -----------------------------------------------------------------------------------

static int S_malformed(const char *whole, size_t n, char *err, size_t errlen) {
    return wb_errf(err, errlen,
                   "malformed placeholder '%.*s'; expected {{key}}, {{file:key}}, {{key %%.4f}} or {{key*100 %%.1f}}",
                   (int)n, whole);
}

long placeholder_end(const char *s, size_t n, char *err, size_t errlen) {
    // One pass to the "}}" or the line's end, whichever comes first: looking for the line's end first would
    // scan the rest of a long line once per placeholder on it.
    size_t j = 2;
    while (j + 1 < n && s[j] != '\n' && !(s[j] == '}' && s[j + 1] == '}')) j++;
    size_t stop = j < n && s[j] == '\n' ? j : n;
    if (j + 1 >= stop)
        return wb_errf(err, errlen, "unterminated placeholder '%.*s'; expected {{...}} closed by }} on the same line",
                       (int)(stop > 40 ? 40 : stop), s);
    return (long)(j + 2);
}

int placeholder_parse_ref(placeholder *p, char *ref, const char *whole, size_t wlen, char *err, size_t errlen) {
    char *star = strchr(ref, '*'), *colon = strchr(ref, ':');
    if (star) {
        *star = '\0';
        char *end;
        p->scale = strtod(star + 1, &end);
        p->scaled = 1;
        if (end == star + 1 || *end || !isfinite(p->scale)) return S_malformed(whole, wlen, err, errlen);
    }
    p->file = "results", p->key = ref;
    if (colon && (!star || colon < star)) {
        *colon = '\0';
        p->file = ref, p->key = colon + 1;
        if (wb_check_relname(p->file, "out/", err, errlen) != 0) return -1;
    }
    if (!*p->key || strpbrk(p->key, "{}$:")) return S_malformed(whole, wlen, err, errlen);
    return 0;
}

// The inside of "{{...}}" is one word, the reference, and maybe a second, the format.
int placeholder_parse(placeholder *p, const char *s, size_t n, char *buf, char *err, size_t errlen) {
    size_t a = 2, b = n - 2;
    while (a < b && isspace((unsigned char)s[a])) a++;
    while (b > a && isspace((unsigned char)s[b - 1])) b--;
    memcpy(buf, s + a, b - a);
    buf[b - a] = '\0';
    char *words[3] = {0}, *save = NULL;
    int nw = 0;
    for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) words[nw < 3 ? nw : 2] = w, nw++;
    if (nw < 1 || nw > 2) return S_malformed(s, n, err, errlen);
    *p = (placeholder){.scale = 1, .fmt = nw == 2 ? words[1] : NULL};
    if (p->fmt && p->fmt[0] != '%') return S_malformed(s, n, err, errlen);
    if (p->fmt && placeholder_check_format(p->fmt, err, errlen) != 0) return -1;
    return placeholder_parse_ref(p, words[0], s, n, err, errlen);
}

// ----- values ------------------------------------------------------------------------------------

results_file *placeholder_read(const char *dir, const char *name, char *err, size_t errlen) {
    size_t n = strlen(name) + 5;
    char *file = wb_malloc(n), *path, msg[512];
    snprintf(file, n, "%s.txt", name);
    path = wb_path_join(dir, file);
    free(file);
    results_file *r = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        wb_errf(err, errlen, "%s: is a directory; expected a results file of 'key value' lines", path);
    else if (access(path, R_OK) != 0)
        wb_errf(err, errlen,
                "missing results file %s; expected the chapter program to write it (into its --out folder)", path);
    else if (!(r = results_read(path, msg, sizeof msg)))
        wb_errf(err, errlen, "%s; expected a results file of 'key value' lines", msg);
    free(path);
    return r;
}

// "a, b, c" — the first 12 keys of r, for a message about one it does not have.
static void S_known_keys(const results_file *r, char *out, size_t len) {
    size_t used = 0;
    snprintf(out, len, "%s", r->n ? "" : "(the file is empty)");
    for (int i = 0; i < r->n && i < 12 && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "", r->keys[i]);
    if (r->n > 12 && used < len) snprintf(out + used, len - used, ", ...");
}

const char *placeholder_value(const placeholder *p, const results_file *r, char *out, size_t len, char *err,
                              size_t errlen) {
    const char *v = results_get(r, p->key, NULL);
    if (!v) {
        char *keys = wb_malloc(errlen + 1);
        S_known_keys(r, keys, errlen + 1);
        wb_errf(err, errlen, "unknown key '%s' in %s; expected one of: %s", p->key, r->path, keys);
        free(keys);
        return NULL;
    }
    if (!p->fmt && !p->scaled) return v;
    double x;
    if (!placeholder_number(v, &x)) {
        wb_errf(err, errlen, "value '%.40s' of key '%s' in %s is not a number; expected a finite number for %s", v,
                p->key, r->path, p->fmt ? p->fmt : "the scale");
        return NULL;
    }
    return placeholder_format(p->fmt, x * p->scale, out, len);
}
