// item.h — how a grading harness reports: one line per item, "item<TAB>pass|fail<TAB>message", on stdout.
// A harness (grade/items_*.c) is compiled with a submission's chapter program included before it
// (cc -DTESTING -include chapters/NN-name/prog.c grade/items_prog.c), so that it calls the program's own
// functions; grade/grade.sh runs it in the sandbox and turns its lines into the report's rows.
#ifndef GRADE_ITEM_H
#define GRADE_ITEM_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int item_failed;

// One item's verdict; the message says what was measured, and on a failure what was expected.
static void item(const char *name, int pass, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("%s\t%s\t", name, pass ? "pass" : "fail");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    item_failed |= !pass;
    fflush(stdout);
}

// Whether got is within tol of want (false for NaN and infinities).
static int item_close(double got, double want, double tol) { return isfinite(got) && fabs(got - want) <= tol; }

#endif
