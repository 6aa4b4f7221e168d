// replay.h — `make test`'s side of the fuzzers: every committed input in fuzz/corpus/NAME/ (the seeds and each
// finding kept as a regression input) run through its harness under ASan and UBSan, one TAP line a folder.
//
// Include this before a harness: its FUZZ_CHECK records the failed check and jumps back here, so that one bad
// input is reported by name and the others still run.
#ifndef REPLAY_H
#define REPLAY_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/wb.h"
#include "../tests/tap.h"

static jmp_buf replay_jmp;
static char replay_msg[1024];

// Record the failed check and unwind to replay_dir (a function, so that the compiler does not second-guess sizes).
static void replay_fail(const char *file, int line, const char *cond, const char *fmt, ...) WB_PRINTF(4, 5) WB_NORETURN;
static void replay_fail(const char *file, int line, const char *cond, const char *fmt, ...) {
    int n = snprintf(replay_msg, sizeof replay_msg, "%s:%d: %s: ", file, line, cond);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof replay_msg) vsnprintf(replay_msg + n, sizeof replay_msg - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(replay_jmp, 1);
}

#define FUZZ_CHECK(cond, ...)                                                \
    do {                                                                     \
        if (!(cond)) replay_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);    \
    } while (0)

static int replay_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

// Run every file of dir through one(), in name order; ok when there was at least one and none failed.
static void replay_dir(const char *dir, int (*one)(const uint8_t *, size_t)) {
    DIR *d = opendir(dir);
    char **names = NULL;
    int n = 0, failed = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        names = wb_realloc(names, sizeof *names * (size_t)(n + 1));
        names[n++] = wb_strdup(e->d_name);
    }
    if (d) closedir(d);
    qsort(names, (size_t)n, sizeof *names, replay_cmp);
    for (int i = 0; i < n; i++) {
        char *path = wb_path_join(dir, names[i]);
        size_t len;
        char *data = wb_read_file(path, &len);
        if (!data) {
            failed++, diag("%s: cannot read", path);
        } else if (setjmp(replay_jmp) == 0) {
            one((const uint8_t *)data, len);
        } else {
            failed++, diag("%s: %s", path, replay_msg);
        }
        free(data), free(path), free(names[i]);
    }
    free(names);
    ok(n > 0 && failed == 0, "%s: %d inputs replayed through the fuzzer's checks, %d failed", dir, n, failed);
}

#endif
