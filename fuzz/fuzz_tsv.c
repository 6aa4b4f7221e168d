// fuzz_tsv.c — libFuzzer harness for the readers of chapter outputs (src/tsv.c): the same bytes as a TSV series
// and as a results file.
//
// Checked: either reader returns a value that keeps its header's promises (a table of ncols named columns and
// nrows rows with increasing source lines, no cell holding a tab or a newline; results with unique keys, each
// found again by results_get) or NULL with a message that starts with the file's name; every cell read as a
// number is finite unless asked otherwise, or refused with a message naming file:line and the column.
#include <math.h>

#include "../src/tsv.h"
#include "fuzz.h"

#define TSV_PATH "out/series.tsv"
#define RES_PATH "out/results.txt"

static void S_tsv_check_table(const tsv_table *t) {
    FUZZ_CHECK(t->ncols >= 1 && t->nrows >= 0, "ncols %d nrows %d", t->ncols, t->nrows);
    for (int c = 0; c < t->ncols; c++) {
        FUZZ_CHECK(t->names[c][0] && !strpbrk(t->names[c], "\t\n"), "column name '%s'", t->names[c]);
        FUZZ_CHECK(tsv_col(t, t->names[c]) <= c, "tsv_col finds no '%s'", t->names[c]);
    }
    for (int r = 0; r < t->nrows; r++) {
        FUZZ_CHECK(r == 0 ? t->lines[r] >= 2 : t->lines[r] > t->lines[r - 1], "row %d on line %d", r, t->lines[r]);
        for (int c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[(size_t)r * t->ncols + c];
            FUZZ_CHECK(!strpbrk(cell, "\t\n"), "cell '%s'", cell);
            char err[256] = "";
            double v = 0;
            for (int allow = 0; allow <= 1; allow++) {
                int rc = tsv_num(t, r, c, allow, &v, err, sizeof err);
                FUZZ_CHECK(rc == 0 || !strncmp(err, TSV_PATH ":", strlen(TSV_PATH ":")), "message '%s'", err);
                FUZZ_CHECK(rc != 0 || allow || isfinite(v), "non-finite %g accepted", v);
            }
        }
    }
}

static void S_tsv_check_results(const results_file *r) {
    for (int i = 0; i < r->n; i++) {
        int line = 0;
        FUZZ_CHECK(r->keys[i][0] && !strpbrk(r->keys[i], " \t\n") && r->keys[i][0] != '#', "key '%s'", r->keys[i]);
        FUZZ_CHECK(r->values[i][0] && !strchr(r->values[i], '\n'), "value '%s'", r->values[i]);
        FUZZ_CHECK(results_get(r, r->keys[i], &line) == r->values[i] && line == r->lines[i], "key '%s'", r->keys[i]);
    }
    FUZZ_CHECK(results_get(r, "", NULL) == NULL, "an empty key is found");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[512] = "";
    tsv_table *t = tsv_parse(TSV_PATH, (const char *)data, size, err, sizeof err);
    if (t) S_tsv_check_table(t);
    else FUZZ_CHECK(!strncmp(err, TSV_PATH, strlen(TSV_PATH)), "message '%s'", err);
    tsv_free(t);

    err[0] = '\0';
    results_file *r = results_parse(RES_PATH, (const char *)data, size, err, sizeof err);
    if (r) S_tsv_check_results(r);
    else FUZZ_CHECK(!strncmp(err, RES_PATH, strlen(RES_PATH)), "message '%s'", err);
    results_free(r);
    return 0;
}
