// wb.h — the workbook's one error policy and its small shared helpers.
//
// Every tool and chapter program reports trouble the same way: a message that names
// the file (and line or offset where there is one), what was expected, and exits 1.
// Files are written atomically: to a temporary name beside the target, renamed into
// place only when complete, so an interrupted build never leaves a half-written file.
#ifndef WB_H
#define WB_H

#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define WB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define WB_NORETURN __attribute__((noreturn))
#else
#define WB_PRINTF(a, b)
#define WB_NORETURN
#endif

// Name the program in every message ("scalar: ..."); set once from main.
void wb_set_progname(const char *argv0);
const char *wb_progname(void);

// The command a run was started with, for its results.txt: set once from main (argv is kept, not copied).
// wb_write_command writes "command PROG FLAGS...\n" — the program and every flag as given, each quoted for a
// POSIX shell where it needs it, but --out and its folder, which name where this run wrote rather than what it
// did (the Makefile's runs write into a temporary folder). A word that is a path under the folder the program
// runs in is written from there (build/03-batched/batched, not /home/ann/workbook/build/...): the page shows a
// command the reader can type at the top of the project, wherever it lives. Nothing when no command was set.
void wb_set_command(int argc, char **argv);
void wb_write_command(FILE *f);

// The environment's cap on a data set's size, for tests and drafts: with WORKBOOK_LIMIT=N (a whole number > 0)
// set, n (0 meaning all) becomes at most N; unset, n as it is. Every chapter program applies it to its
// training and validation sets, so that a test may run the book's "Try it" commands as written, quickly.
int wb_quick_cap(int n);

// Print "prog: message\n" on stderr and exit(1).
WB_NORETURN void wb_die(const char *fmt, ...) WB_PRINTF(1, 2);

// The other half of the policy, for code that reports to its caller instead of exiting (parsers, loaders):
// format the message into err (errlen bytes, cut to fit) and return -1.
int wb_errf(char *err, size_t errlen, const char *fmt, ...) WB_PRINTF(3, 4);

// malloc/calloc that never return NULL: they die with the size asked for.
void *wb_malloc(size_t n);
void *wb_calloc(size_t count, size_t size);
void *wb_realloc(void *p, size_t n);
char *wb_strdup(const char *s);
char *wb_strndup(const char *s, size_t n);  // s[0, n) and a NUL

// A listing is a page of the book: its lines are at most WB_LISTING_COLUMNS wide, counted by wb_columns (UTF-8
// code points, a tab to the next multiple of 8). The weaver refuses a wider listed line; the student tool, a
// wider stub, which the student version's book would list.
enum { WB_LISTING_COLUMNS = 80 };
int wb_columns(const char *s);

// A growing string: s[0, len) and a NUL once something was put (s stays NULL until then); free(s) when done.
typedef struct {
    char *s;
    size_t len, cap;
} wb_str;
void wb_str_put(wb_str *b, const char *s, size_t n);  // append s[0, n)

// Open a file for reading or die naming it and the reason (errno).
FILE *wb_fopen_read(const char *path);

// Read a whole file into a NUL-terminated buffer (binary safe: *len gets the size).
// Returns NULL and sets errno on failure; the caller decides how to report it.
char *wb_read_file(const char *path, size_t *len);
// The offset of the first byte of s[0, n) that does not start a well-formed UTF-8 sequence (an overlong form,
// a surrogate, beyond U+10FFFF, a stray or missing continuation byte), or -1 when all of it is UTF-8.
long wb_utf8_invalid(const char *s, size_t n);
// Why wb_read_file failed, as one message into err: "PATH: is a directory; expected a file" for a folder,
// else "PATH: cannot read: REASON" (errno e). Returns -1.
int wb_read_errf(char *err, size_t errlen, const char *path, int e);

// Atomic output. wb_out_open returns a stream on "<path>.tmp.<pid>"; wb_out_commit
// flushes, checks for write errors (a full disk is reported, not ignored), closes and
// renames it onto path. wb_out_abort removes the temporary file.
typedef struct {
    FILE *f;
    char *path;
    char *tmp;
} wb_out;
wb_out wb_out_open(const char *path);
wb_out wb_out_open_in(const char *dir, const char *name);  // wb_out_open of dir/name
void wb_out_commit(wb_out *o);
void wb_out_abort(wb_out *o);

// Write a whole buffer atomically (wb_out_open + fwrite + commit).
void wb_write_file(const char *path, const char *data, size_t len);

// Create a directory and its parents (mkdir -p); dies on failure.
void wb_mkdirs(const char *path);

// Join a directory and a file name into a new string.
char *wb_path_join(const char *dir, const char *name);

// Is p a file name inside a folder, as an author may write one into a chapter (a listing's program, a table's
// TSV, a placeholder's results file): relative, of letters, digits, '.', '_', '-' and '/', without '..', '//'
// or a '/' at either end? 0, or -1 with "'p' is not a file name inside WHAT; expected ..." in err.
int wb_check_relname(const char *p, const char *what, char *err, size_t errlen);

// Treat subnormal floats as zero in this thread's arithmetic: results that would be subnormal become 0
// (flush-to-zero) and subnormal inputs are read as 0 (denormals-are-zero). Saturated sigmoids of a diverging
// run make such values by the million, and each costs the processor a slow microcode path (about 50 times
// slower per image here). Returns 1 where the processor has these modes (x86 SSE, AArch64), 0 where it
// has not and nothing changed.
int wb_flush_subnormals(void);

// The chapter programs' one rule for an epoch that diverged without a NaN (the loss is computed stably, so a
// rate far too large makes it grow rather than overflow): its loss is not finite, or more than
// WB_DIVERGED_MARGIN (10%) above the loss before training. A loss a little above the start is no divergence:
// a few steps at a small rate leave the network on its first plateau, a little above or below where it began.
#define WB_DIVERGED_MARGIN 0.1
int wb_loss_diverged(double before, double after);

#endif
