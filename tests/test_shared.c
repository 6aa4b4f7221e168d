// test_shared.c — the shared readers every tool trusts: TSV, results files and command-line flags, and the
// error-return helper they report through.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "flags.h"
#include "gradcheck.h"
#include "tsv.h"
#include "wb.h"

#define ERR char err[512] = ""

static tsv_table *S_tsv(const char *text, char *err) { return tsv_parse("t.tsv", text, strlen(text), err, 512); }
static results_file *S_res(const char *text, char *err) { return results_parse("r.txt", text, strlen(text), err, 512); }

static void test_tsv(void) {
    ERR;
    tsv_table *t = S_tsv("step\tloss\r\n1\t0.5\r\n2\t0.25\r\n\r\n", err);
    ok(t && t->ncols == 2 && t->nrows == 2, "CRLF TSV: 2 columns, 2 rows, blank line skipped");
    double v = 0;
    ok(t && tsv_col(t, "loss") == 1 && tsv_num(t, 1, 1, 0, &v, err, sizeof err) == 0 && v == 0.25, "cell value read");
    ok(t && tsv_col(t, "nope") == -1, "unknown column is -1");
    tsv_free(t);

    t = S_tsv("a\tb\n1\t2\n3\n", err);
    ok(!t, "a short row is rejected");
    is_str(err, "t.tsv:3: expected 2 tab-separated cells (as in the header), found 1", "short row message");
    t = S_tsv("", err);
    is_str(err, "t.tsv:1: expected a header row of tab-separated column names", "empty file message");
    ok(!t, "empty file rejected");
    t = S_tsv("a\t\tc\n", err);
    is_str(err, "t.tsv:1: column 2 has an empty name", "empty column name message");
    ok(!tsv_parse("t.tsv", "a\n\0\n", 4, err, sizeof err), "NUL byte rejected");
    is_str(err, "t.tsv: expected text, found a NUL byte", "NUL message");

    t = S_tsv("x\ty\n1\tnan\n2\tabc\n3\tinf\n", err);
    ok(tsv_num(t, 0, 1, 0, &v, err, sizeof err) == -1, "NaN rejected by default");
    is_str(err, "t.tsv:2: column 'y': expected a finite number, got 'nan' (did the run diverge?)", "NaN message");
    ok(tsv_num(t, 0, 1, 1, &v, err, sizeof err) == 0 && isnan(v), "NaN accepted when allowed");
    ok(tsv_num(t, 1, 1, 1, &v, err, sizeof err) == -1, "text rejected");
    is_str(err, "t.tsv:3:3: column 'y': expected a decimal number, got 'abc'", "text message: file:line:column");
    tsv_free(t);
    // strtod takes these too; a program never writes them, so they are refused
    t = S_tsv("x\ty\n1\t0x10\n2\t 5\n3\t5 \n4\t1e\n5\t.\n6\t-.5e-3\n", err);
    const char *bad[] = {"t.tsv:2:3: column 'y': expected a decimal number, got '0x10'",
                         "t.tsv:3:3: column 'y': expected a decimal number, got ' 5'",
                         "t.tsv:4:3: column 'y': expected a decimal number, got '5 '",
                         "t.tsv:5:3: column 'y': expected a decimal number, got '1e'",
                         "t.tsv:6:3: column 'y': expected a decimal number, got '.'"};
    for (int i = 0; i < 5; i++) {
        err[0] = '\0';
        ok(t && tsv_num(t, i, 1, 0, &v, err, 512) == -1, "refused: %s", bad[i]);
        is_str(err, bad[i], "message");
    }
    ok(t && tsv_num(t, 5, 1, 0, &v, err, 512) == 0 && v == -0.5e-3, "-.5e-3 is a decimal number");
    tsv_free(t);
    t = S_tsv("x\ty\n1\t2\n\n3\t4\n\n", err);
    ok(!t, "a blank line between rows is refused");
    is_str(err, "t.tsv:3: a blank line between rows; expected a row of 2 tab-separated cells (a blank line may only "
                "end the file)", "naming its line");
    t = S_tsv("x\ty\n1\tnan\n2\tabc\n3\tinf\n", err);
    ok(tsv_num(t, 2, 1, 0, &v, err, sizeof err) == -1, "inf rejected by default");
    tsv_free(t);
}

static void test_results(void) {
    ERR;
    results_file *r = S_res("# comment\nval_acc 0.93\nname  two words\r\n\n", err);
    int line = 0;
    ok(r && r->n == 2, "two keys, comment and blank skipped");
    is_str(r ? results_get(r, "val_acc", &line) : NULL, "0.93", "value of val_acc");
    ok(line == 2, "line of val_acc is 2");
    is_str(r ? results_get(r, "name", NULL) : NULL, "two words", "value is the rest of the line, CR dropped");
    ok(r && !results_get(r, "missing", NULL), "missing key is NULL");
    results_free(r);
    ok(!S_res("a 1\nb\n", err), "key without value rejected");
    is_str(err, "r.txt:2: expected 'key value', got 'b'", "key without value message");
    ok(!S_res("a 1\na 2\n", err), "duplicate key rejected");
    is_str(err, "r.txt:2: key 'a' already given on line 1", "duplicate key message");
}

static int S_parse(int argc, char **argv, char *err) {
    static int epochs, quiet, seed;
    static double lr, rate;
    static const char *out;
    epochs = 5, lr = 0.1, out = "o", quiet = 0, seed = 0, rate = 0.1;
    flag_spec specs[] = {
        {"epochs", FLAG_INT, &epochs, "epochs", 1, 100},
        {"seed", FLAG_INT, &seed, "seed", 0, 2147483647},
        {"rate", FLAG_DOUBLE, &rate, "a rate", 1e-12, 1e308},
        {"lr", FLAG_DOUBLE, &lr, "learning rate", 0, 0},
        {"out", FLAG_STRING, &out, "output", 0, 0},
        {"quiet", FLAG_BOOL, &quiet, "quiet", 0, 0},
    };
    int rc = flags_try_parse(argc, argv, specs, FLAGS_COUNT(specs), err, 512);
    if (rc == 0 && argc == 6) ok(epochs == 7 && lr == 0.5 && strcmp(out, "x") == 0 && quiet, "values stored");
    return rc;
}

static void test_flags(void) {
    ERR;
    char *good[] = {"p", "--epochs", "7", "--lr=0.5", "--out=x", "--quiet"};
    ok(S_parse(6, good, err) == 0, "good flags parse");
    struct { int argc; char *argv[4]; const char *msg; } bad[] = {
        {2, {"p", "--bogus"}, "unknown flag --bogus (see --help)"},
        {2, {"p", "--epochs"}, "--epochs: expected a value after it"},
        {3, {"p", "--epochs", "3x"}, "--epochs: expected an integer, got '3x'"},
        {3, {"p", "--epochs", "0"}, "--epochs: expected an integer in [1, 100], got 0"},
        {3, {"p", "--lr", "nan"}, "--lr: expected a number, got 'nan'"},
        {2, {"p", "--lr="}, "--lr: expected a number, got ''"},
        {2, {"p", "--quiet=1"}, "--quiet takes no value"},
        {2, {"p", "stray"}, "unexpected argument 'stray' (flags look like --name value; see --help)"},
        {3, {"p", "--out", ""}, "--out: expected a non-empty value"},
        // an integer range reads as integers, not 2.14748e+09
        {3, {"p", "--seed", "-1"}, "--seed: expected an integer in [0, 2147483647], got -1"},
        // a number too small (or too large) for a double is out of range, not "not a number"
        {3, {"p", "--rate", "1e-320"}, "--rate: 1e-320 is out of range; expected a number in [1e-12, 1e+308]"},
        {3, {"p", "--rate", "1e400"}, "--rate: 1e400 is out of range; expected a number in [1e-12, 1e+308]"},
        {3, {"p", "--lr", "1e-400"}, "--lr: 1e-400 is out of range; expected a number a double can hold"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = S_parse(bad[i].argc, bad[i].argv, err);
        ok(rc == -1, "rejected: %s", bad[i].msg);
        is_str(err, bad[i].msg, "message");
    }
    char *help[] = {"p", "--help"};
    ok(S_parse(2, help, err) == 1, "--help asks for usage");
}

// The error-return half of the policy: the message formatted into the caller's buffer, cut to fit, and -1.
static void test_errf(void) {
    char err[16];
    ok(wb_errf(err, sizeof err, "%s:%d: bad", "a.tsv", 7) == -1, "wb_errf returns -1");
    is_str(err, "a.tsv:7: bad", "wb_errf formats the message into err");
    wb_errf(err, sizeof err, "%s: a message longer than the buffer", "file");
    ok(strlen(err) == sizeof err - 1 && strncmp(err, "file: a message", 15) == 0, "a long message is cut to fit (%s)", err);
}

// wb_out_open_in writes dir/name, atomically, as wb_out_open(dir/name) would.
static void test_out_in(void) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s/wb-shared.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        ok(0, "a temporary folder for wb_out_open_in");
        return;
    }
    wb_out o = wb_out_open_in(dir, "a.tsv");
    fputs("x\n1\n", o.f);
    ok(o.path && strstr(o.path, "/a.tsv") && strncmp(o.path, dir, strlen(dir)) == 0, "wb_out_open_in names dir/name");
    wb_out_commit(&o);
    char *path = wb_path_join(dir, "a.tsv"), *text = wb_read_file(path, NULL);
    is_str(text ? text : "(none)", "x\n1\n", "... and commits its text there");
    remove(path), rmdir(dir);
    free(path), free(text);
}

// One verdict policy: a group above the tolerance (or NaN) fails, is marked FAIL in gradcheck.tsv, and the
// exit status is 4; all within it pass with status 0.
static void test_gradcheck_verdict(void) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s/wb-gc.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        ok(0, "a temporary folder for gc_report");
        return;
    }
    gc_row good[2] = {{"W", 6, 1e-12, 2e-9, 0.7}, {"b", 3, 1e-12, 4e-10, 0.2}};
    gc_row bad[3] = {{"W", 6, 0.3, 0.82, 0.5}, {"b", 3, 1e-12, 4e-10, 0.2}, {"c", 2, NAN, NAN, NAN}};
    ok(gc_report(dir, good, 2, 1e-6) == 0, "every group within the tolerance: exit status 0");
    ok(gc_report(dir, bad, 3, 1e-6) == GC_EXIT_FAILED, "a group above it: exit status 4");
    ok(!gc_pass(&bad[2], 1e-6), "a NaN error fails");
    // A forward pass that ignores the weights (a student version's stub) and a zero backward pass agree exactly.
    gc_row nothing = {"V", 6, 0.0, 0.0, 0.0}, exact = {"V", 6, 0.0, 0.0, 0.4};
    ok(!gc_pass(&nothing, 1e-6), "a group whose central differences and gradient are all exactly zero fails");
    ok(gc_pass(&exact, 1e-6), "... while one that agrees exactly on a loss that changes passes");
    char *path = wb_path_join(dir, "gradcheck.tsv"), *text = wb_read_file(path, NULL);
    has_str(text ? text : "", "group\tparams\tmax_abs_err\tmax_rel_err\ttolerance\tverdict\n", "gradcheck.tsv's columns");
    has_str(text ? text : "", "\nW\t6\t3.000e-01\t8.200e-01\t1e-06\tFAIL\n", "W is marked FAIL with its tolerance");
    has_str(text ? text : "", "\nb\t3\t1.000e-12\t4.000e-10\t1e-06\tpass\n", "b passes");
    remove(path), rmdir(dir);
    free(path), free(text);
}

// WORKBOOK_LIMIT caps a data set's size (0: all) when it is a whole number > 0, and is ignored otherwise.
static void test_quick_cap(void) {
    unsetenv("WORKBOOK_LIMIT");
    ok(wb_quick_cap(55000) == 55000 && wb_quick_cap(0) == 0, "no WORKBOOK_LIMIT: sizes as given");
    setenv("WORKBOOK_LIMIT", "2000", 1);
    ok(wb_quick_cap(55000) == 2000 && wb_quick_cap(0) == 2000 && wb_quick_cap(500) == 500,
       "WORKBOOK_LIMIT=2000: at most 2000, 'all' included, smaller sizes kept");
    const char *bad[] = {"", "0", "-5", "12x", "abc"};
    int kept = 1;
    for (int i = 0; i < 5; i++) setenv("WORKBOOK_LIMIT", bad[i], 1), kept &= wb_quick_cap(55000) == 55000;
    ok(kept, "a WORKBOOK_LIMIT that is not a whole number > 0 is ignored");
    unsetenv("WORKBOOK_LIMIT");
}

// The one divergence rule of the three programs: not finite, or more than 10% above the loss before training.
static void test_loss_diverged(void) {
    ok(!wb_loss_diverged(0.6974, 0.6983) && !wb_loss_diverged(0.69, 0.75) && !wb_loss_diverged(0.69, 0.2),
       "a loss a little above the start (a plateau), or below it, is no divergence");
    ok(wb_loss_diverged(0.69, 0.77) && wb_loss_diverged(0.69, 1e300) && wb_loss_diverged(0.69, INFINITY) &&
       wb_loss_diverged(0.69, NAN), "more than 10%% above the start, infinite or NaN is");
}

// The command line a results.txt records: every word as given, quoted where a shell needs it, --out left out.
static void test_command(void) {
    char *argv[] = {"build/x/prog", "--lr", "0.8", "--out", "/tmp/o", "--label", "a b's", "--out=/x", NULL};
    wb_set_command(8, argv);
    char buf[9000] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    wb_write_command(f);
    fclose(f);
    is_str(buf, "command build/x/prog --lr 0.8 --label 'a b'\\''s'\n", "command: --out dropped, a word quoted");

    // Paths under the folder it ran in are written from there; others, and the folder itself, as given.
    char cwd[4096], prog[4200], data[4200], self[4200];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    snprintf(prog, sizeof prog, "%s/build/x/prog", cwd);
    snprintf(data, sizeof data, "%s/data/mnist", cwd);
    snprintf(self, sizeof self, "%s/", cwd);
    char *abs[] = {prog, "--mnist", data, "--in", "/elsewhere/data", "--dir", self, NULL};
    wb_set_command(7, abs);
    f = fmemopen(buf, sizeof buf, "w");
    wb_write_command(f);
    fclose(f);
    char want[4400];
    snprintf(want, sizeof want, "command build/x/prog --mnist data/mnist --in /elsewhere/data --dir %s/\n", cwd);
    is_str(buf, want, "command: a path under the folder it ran in is written from there, others as given");
    wb_set_command(0, NULL);
}

int main(void) {
    test_quick_cap();
    test_command();
    test_loss_diverged();
    test_gradcheck_verdict();
    test_errf();
    test_out_in();
    test_tsv();
    test_results();
    test_flags();
    return tap_done();
}
