// tap.h — the smallest test harness: Test Anything Protocol on stdout, read by `prove`.
//
//     ok(x == 2, "x is two");
//     is_close(got, want, 1e-9, "loss of the worked example");
//     is_str(got, want, "error message");
//     return tap_done();   // prints the plan; exit status 1 when anything failed
#ifndef TAP_H
#define TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, tap_failed;

static int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int ok(int cond, const char *fmt, ...) {
    va_list ap;
    printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (!cond) tap_failed++;
    return cond;
}

// Diagnostics go to stdout as TAP comments so they stay next to the test they explain.
static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void diag(const char *fmt, ...) {
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

// |got - want| <= tol * max(1, |want|): absolute near zero, relative elsewhere.
static __attribute__((unused)) int is_close(double got, double want, double tol, const char *name) {
    int good = isfinite(got) && fabs(got - want) <= tol * fmax(1.0, fabs(want));
    if (!ok(good, "%s", name)) diag("got %.17g, want %.17g (tolerance %g)", got, want, tol);
    return good;
}

static __attribute__((unused)) int is_str(const char *got, const char *want, const char *name) {
    int good = got && want && strcmp(got, want) == 0;
    if (!ok(good, "%s", name)) diag("got:  '%s'\n# want: '%s'", got ? got : "(null)", want ? want : "(null)");
    return good;
}

// got contains want as a substring.
static __attribute__((unused)) int has_str(const char *got, const char *want, const char *name) {
    int good = got && want && strstr(got, want) != NULL;
    if (!ok(good, "%s", name)) diag("got:  '%s'\n# want it to contain: '%s'", got ? got : "(null)", want ? want : "(null)");
    return good;
}

// The folder of the real MNIST files, when `make test` points MNIST at one that holds them; otherwise a
// SKIP line and NULL.
static __attribute__((unused)) const char *tap_mnist(void) {
    const char *dir = getenv("MNIST");
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/train-images-idx3-ubyte", dir ? dir : "");
    if (dir && *dir && access(probe, R_OK) == 0) return dir;
    ok(1, "# SKIP MNIST not set or %s missing (make test sets it)", probe);
    return NULL;
}

static __attribute__((unused)) int tap_done(void) {
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
