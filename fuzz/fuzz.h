// fuzz.h — what every libFuzzer harness in fuzz/ shares: the entry point, a checked invariant and a scratch folder.
//
// A harness feeds one input to a parser and checks what must hold whatever the input: the parser returns
// (never crashes, hangs or leaks — ASan, UBSan and libFuzzer's leak check watch for that), and its answer
// keeps the contract of its header (an error names the file and line, a success gives a well-formed value).
// FUZZ_CHECK aborts, which libFuzzer reports as a finding with the input that caused it. The regression
// tests (tests/test_fuzz_*.c) include the harnesses with their own FUZZ_CHECK, which counts a failure and
// goes on, so that `make test` replays every committed input in fuzz/corpus/ under ASan and UBSan.
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_CHECK
#define FUZZ_CHECK(cond, ...)                                        \
    do {                                                             \
        if (!(cond)) {                                               \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                            \
            fputc('\n', stderr);                                     \
            abort();                                                 \
        }                                                            \
    } while (0)
#endif

// A scratch folder for files a parser must read from disk, made once per process and removed at exit (under
// $FUZZ_TMPDIR when set: `make fuzz` points it at a folder of its own, which it removes after a finding too).
static char fuzz_dir_path[64];

static void fuzz_dir_remove(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir_path);
    if (fuzz_dir_path[0] && system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", fuzz_dir_path);
}

static __attribute__((unused)) const char *fuzz_dir(void) {
    if (fuzz_dir_path[0]) return fuzz_dir_path;
    const char *base = getenv("FUZZ_TMPDIR");
    if (!base || !*base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";  // memory: no disk I/O per input
    snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/wb-fuzz.XXXXXX", base);
    if (!mkdtemp(fuzz_dir_path)) {
        perror(fuzz_dir_path);
        exit(2);
    }
    atexit(fuzz_dir_remove);
    return fuzz_dir_path;
}

// Write bytes to dir/name; the harness's own plumbing, so any failure stops the run.
static __attribute__((unused)) void fuzz_put(const char *dir, const char *name, const void *data, size_t len) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

// The part of an input before the first occurrence of sep, and the part after it (NULL when there is none):
// harnesses that need a second file take it from after a separator line.
static __attribute__((unused)) size_t fuzz_split(const uint8_t *data, size_t size, const char *sep,
                                                 const uint8_t **rest, size_t *rest_len) {
    size_t n = strlen(sep);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, sep, n) == 0) {
            *rest = data + i + n, *rest_len = size - i - n;
            return i;
        }
    *rest = NULL, *rest_len = 0;
    return size;
}

#endif
