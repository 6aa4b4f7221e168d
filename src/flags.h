// flags.h — the command-line flags of every chapter program and tool, declared as a table.
//
//     static int epochs = 5; static double lr = 0.1; static const char *out = "out";
//     flag_spec specs[] = {
//         {"epochs", FLAG_INT,    &epochs, "passes over the training set", 1, 1000},
//         {"lr",     FLAG_DOUBLE, &lr,     "learning rate",                 0, 100},
//         {"out",    FLAG_STRING, &out,    "directory for results",         0, 0},
//     };
//     flags_parse(argc, argv, specs, FLAGS_COUNT(specs), "scalar [flags]");
//
// Accepts `--name value` and `--name=value`; FLAG_BOOL takes no value. `--help` prints
// the table with defaults and exits 0. Anything else — an unknown flag, a missing value,
// a number that does not parse completely or lies outside [min, max] (when min < max) —
// is an error naming the flag and what was expected, and exits 1.
#ifndef FLAGS_H
#define FLAGS_H

#include <stddef.h>

typedef enum { FLAG_INT, FLAG_DOUBLE, FLAG_STRING, FLAG_BOOL } flag_type;

typedef struct {
    const char *name;  // without the leading "--"
    flag_type type;
    void *value;       // int*, double*, const char**, int* (bool)
    const char *help;
    double min, max;   // accepted range for numbers; ignored when min >= max
} flag_spec;

#define FLAGS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

// Parse or die (exit 1 with a message; exit 0 after --help).
void flags_parse(int argc, char **argv, const flag_spec *specs, size_t n, const char *usage);

// The same without exiting, for tests and fuzzing: returns 0 when parsed, 1 when --help
// was asked for (nothing printed), -1 on error with the message in err.
int flags_try_parse(int argc, char **argv, const flag_spec *specs, size_t n, char *err, size_t errlen);

// Print the usage line and the flag table with current values (the defaults, before parsing).
#include <stdio.h>
void flags_usage(FILE *f, const flag_spec *specs, size_t n, const char *usage);

#endif
