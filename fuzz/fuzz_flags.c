// fuzz_flags.c — libFuzzer harness for the flag parser (src/flags.c): any command line against a table with every
// kind of flag.
//
// Input: the arguments, one a line (argv[0] is fixed). Checked: flags_try_parse returns 1 (--help), 0 with every
// number inside its range and finite and every string a non-empty argument, or -1 with a message that names the
// flag or the argument; the same line parsed again with a tiny message buffer gives the same answer (a message
// is cut, never overflows); and the usage table prints whatever the values are.
#include <math.h>

#include "../src/flags.h"
#include "fuzz.h"

#define FLAGS_MAX_ARGS 64

typedef struct {
    int epochs, seed, any, quiet;
    double lr, scale;
    const char *out;
} flags_values;

// The table: ranged and unranged numbers of both kinds, a string and a boolean, as chapter programs use them.
static void S_flags_table(flag_spec *specs, flags_values *v) {
    *v = (flags_values){5, 0, 0, 0, 0.1, 1.0, "out"};
    flag_spec t[] = {
        {"epochs", FLAG_INT, &v->epochs, "passes over the training set", 1, 1000},
        {"seed", FLAG_INT, &v->seed, "seed", 0, 2147483647},
        {"any", FLAG_INT, &v->any, "an integer without a range", 0, 0},
        {"lr", FLAG_DOUBLE, &v->lr, "learning rate", 1e-12, 1e308},
        {"scale", FLAG_DOUBLE, &v->scale, "a number without a range", 0, 0},
        {"out", FLAG_STRING, &v->out, "folder", 0, 0},
        {"quiet", FLAG_BOOL, &v->quiet, "a switch", 0, 0},
    };
    memcpy(specs, t, sizeof t);
}
enum { FLAGS_N = 7 };

static void S_flags_check_values(const flags_values *v) {
    FUZZ_CHECK(v->epochs >= 1 && v->epochs <= 1000, "epochs %d", v->epochs);
    FUZZ_CHECK(v->seed >= 0, "seed %d", v->seed);
    FUZZ_CHECK(isfinite(v->lr) && v->lr >= 1e-12 && v->lr <= 1e308, "lr %g", v->lr);
    FUZZ_CHECK(isfinite(v->scale), "scale %g", v->scale);
    FUZZ_CHECK(v->out && v->out[0], "out is empty");
    FUZZ_CHECK(v->quiet == 0 || v->quiet == 1, "quiet %d", v->quiet);
}

static void S_flags_usage(const flag_spec *specs) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return;
    flags_usage(f, specs, FLAGS_N, "fuzz [flags]");
    fclose(f);
    FUZZ_CHECK(len > 0 && !strncmp(text, "usage: fuzz [flags]\n", 20), "usage '%s'", text);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *buf = malloc(size + 1), *argv[FLAGS_MAX_ARGS + 1] = {"fuzz"};
    int argc = 1;
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (char *p = buf; argc < FLAGS_MAX_ARGS && p <= buf + size;) {  // one argument a line; NUL ends the last one
        char *nl = strchr(p, '\n');
        argv[argc++] = p;
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    argv[argc] = NULL;

    flag_spec specs[FLAGS_N];
    flags_values v, w;
    char err[512] = "", tiny[8];
    S_flags_table(specs, &v);
    S_flags_usage(specs);
    int rc = flags_try_parse(argc, argv, specs, FLAGS_N, err, sizeof err);
    FUZZ_CHECK(rc >= -1 && rc <= 1, "rc %d", rc);
    if (rc == 0) S_flags_check_values(&v);
    if (rc == -1) {
        int named = !strncmp(err, "--", 2) || !strncmp(err, "unknown flag --", 15) || !strncmp(err, "unexpected argument '", 21);
        FUZZ_CHECK(named, "message '%s'", err);
    }
    S_flags_table(specs, &w);
    int rc2 = flags_try_parse(argc, argv, specs, FLAGS_N, tiny, 1 + size % sizeof tiny);
    FUZZ_CHECK(rc2 == rc, "rc %d then %d with a small buffer", rc, rc2);
    FUZZ_CHECK(rc2 != -1 || strlen(tiny) < 1 + size % sizeof tiny, "message overran its buffer");
    S_flags_usage(specs);
    free(buf);
    return 0;
}
