// flags.c — table-driven parsing of `--name value` flags, with clear errors.
#include "flags.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb.h"

static const flag_spec *S_find(const flag_spec *specs, size_t n, const char *name, size_t len) {
    for (size_t i = 0; i < n; i++)
        if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0) return &specs[i];
    return NULL;
}

// Convert text to the flag's type and store it; -1 with a message when it is not one.
static int S_store(const flag_spec *s, const char *text, char *err, size_t errlen) {
    char *end;
    if (s->type == FLAG_STRING) {
        if (!*text) return wb_errf(err, errlen, "--%s: expected a non-empty value", s->name);
        *(const char **)s->value = text;
        return 0;
    }
    errno = 0;
    double v = s->type == FLAG_INT ? (double)strtol(text, &end, 10) : strtod(text, &end);
    const char *what = s->type == FLAG_INT ? "an integer" : "a number";
    int too_big = s->type == FLAG_INT && (v < INT_MIN || v > INT_MAX);  // strtol gives a long; the flag is an int
    int ranged = s->min < s->max;
    // Integer bounds print as integers (%.0f: 2147483647, not %g's 2.14748e+09).
    char range[80] = "";
    if (ranged && s->type == FLAG_INT) snprintf(range, sizeof range, "[%.0f, %.0f]", s->min, s->max);
    else if (ranged) snprintf(range, sizeof range, "[%g, %g]", s->min, s->max);
    // A number strtod reads whole but cannot hold (1e-320 is subnormal, 1e400 overflows) is out of range, not
    // "not a number".
    if (s->type == FLAG_DOUBLE && *text && !*end && errno == ERANGE)
        return ranged ? wb_errf(err, errlen, "--%s: %s is out of range; expected a number in %s", s->name, text, range)
                      : wb_errf(err, errlen, "--%s: %s is out of range; expected a number a double can hold", s->name,
                                text);
    if (!*text || *end || errno == ERANGE || !isfinite(v) || too_big)
        return wb_errf(err, errlen, "--%s: expected %s, got '%s'", s->name, what, text);
    if (ranged && (v < s->min || v > s->max))
        return wb_errf(err, errlen, "--%s: expected %s in %s, got %s", s->name, what, range, text);
    if (s->type == FLAG_INT) *(int *)s->value = (int)v;
    else *(double *)s->value = v;
    return 0;
}

int flags_try_parse(int argc, char **argv, const flag_spec *specs, size_t n, char *err, size_t errlen) {
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return 1;
        if (strncmp(arg, "--", 2) != 0 || !arg[2])
            return wb_errf(err, errlen, "unexpected argument '%s' (flags look like --name value; see --help)", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const flag_spec *s = S_find(specs, n, name, len);
        if (!s) return wb_errf(err, errlen, "unknown flag --%.*s (see --help)", (int)len, name);
        if (s->type == FLAG_BOOL) {
            if (eq) return wb_errf(err, errlen, "--%s takes no value", s->name);
            *(int *)s->value = 1;
            continue;
        }
        const char *text = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!text) return wb_errf(err, errlen, "--%s: expected a value after it", s->name);
        if (S_store(s, text, err, errlen) != 0) return -1;
    }
    return 0;
}

void flags_usage(FILE *f, const flag_spec *specs, size_t n, const char *usage) {
    fprintf(f, "usage: %s\n\nflags:\n", usage);
    for (size_t i = 0; i < n; i++) {
        const flag_spec *s = &specs[i];
        char def[64] = "";
        if (s->type == FLAG_INT) snprintf(def, sizeof def, " (default %d)", *(int *)s->value);
        if (s->type == FLAG_DOUBLE) snprintf(def, sizeof def, " (default %g)", *(double *)s->value);
        if (s->type == FLAG_STRING && *(const char **)s->value)
            snprintf(def, sizeof def, " (default %s)", *(const char **)s->value);
        const char *meta = s->type == FLAG_INT ? " N" : s->type == FLAG_DOUBLE ? " X" : s->type == FLAG_STRING ? " S" : "";
        fprintf(f, "  --%s%s\t%s%s\n", s->name, meta, s->help, def);
    }
}

void flags_parse(int argc, char **argv, const flag_spec *specs, size_t n, const char *usage) {
    char err[512];
    // The usage shows defaults, so print it before parsing changes them.
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            flags_usage(stdout, specs, n, usage);
            exit(0);
        }
    if (flags_try_parse(argc, argv, specs, n, err, sizeof err) != 0) wb_die("%s", err);
}
