// tsv.h — reading what chapter programs write: TSV series and `key value` results files.
//
// A TSV file has a header row of column names, then rows of the same number of
// tab-separated cells. A results file has one `key value` pair a line (the value is
// the rest of the line after the first run of spaces or tabs); blank lines and lines
// starting with '#' are skipped. CRLF line endings are accepted. Both readers return
// NULL with a message "path:line: what was expected" in err instead of exiting, so
// the weaver and the plotter can report it in their own words, and fuzzers can run them.
#ifndef TSV_H
#define TSV_H

#include <stddef.h>

typedef struct {
    char *path;
    int ncols, nrows;
    char **names;  // (ncols) column names from the header
    char **cells;  // (nrows * ncols) row-major cell texts
    int *lines;    // (nrows) source line of each row, for messages
} tsv_table;

typedef struct {
    char *path;
    int n;
    char **keys, **values;  // (n)
    int *lines;             // (n)
} results_file;

tsv_table *tsv_read(const char *path, char *err, size_t errlen);
tsv_table *tsv_parse(const char *path, const char *text, size_t len, char *err, size_t errlen);
void tsv_free(tsv_table *t);
// Index of a column by name, or -1.
int tsv_col(const tsv_table *t, const char *name);
// Numeric value of a cell: 0 and *out set, or -1 with "path:line: column 'c': expected a
// number, got 'x'" in err. NaN and infinities are rejected unless allow_nonfinite.
int tsv_num(const tsv_table *t, int row, int col, int allow_nonfinite, double *out, char *err, size_t errlen);

results_file *results_read(const char *path, char *err, size_t errlen);
results_file *results_parse(const char *path, const char *text, size_t len, char *err, size_t errlen);
void results_free(results_file *r);
// The value text of a key, or NULL; *line gets its line when found and line is not NULL.
const char *results_get(const results_file *r, const char *key, int *line);

#endif
