// wb.c — the error policy and atomic file writing shared by every tool and program.
#include "wb.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <pmmintrin.h>
#include <xmmintrin.h>
#endif

static const char *S_progname = "workbook";

// The temporary files of outputs opened and not yet committed or aborted. wb_die and a fatal signal
// (SIGINT, SIGTERM, SIGHUP) remove them, so that no "name.tmp.PID" outlives a program stopped half-way
// (a full disk while another output is still open, Ctrl-C during a write).
#define WB_MAX_OPEN 32
static char *volatile S_open_tmp[WB_MAX_OPEN];

static void S_remove_open(void) {
    for (int i = 0; i < WB_MAX_OPEN; i++)
        if (S_open_tmp[i]) unlink(S_open_tmp[i]);  // unlink is async-signal-safe
}

static void S_on_signal(int sig) {
    S_remove_open();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void S_track(char *tmp) {
    static int handlers;
    if (!handlers++) {
        const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        for (int i = 0; i < 3; i++) {
            struct sigaction old, sa = {0};
            sa.sa_handler = S_on_signal;
            sigemptyset(&sa.sa_mask);
            if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) sigaction(sigs[i], &sa, NULL);
        }
    }
    for (int i = 0; i < WB_MAX_OPEN; i++)
        if (!S_open_tmp[i]) {
            S_open_tmp[i] = tmp;
            return;
        }
}

static void S_untrack(const char *tmp) {
    for (int i = 0; i < WB_MAX_OPEN; i++)
        if (S_open_tmp[i] == tmp) S_open_tmp[i] = NULL;
}

void wb_set_progname(const char *argv0) {
    const char *slash = strrchr(argv0, '/');
    S_progname = slash ? slash + 1 : argv0;
}

const char *wb_progname(void) { return S_progname; }

static int S_argc;
static char **S_argv;

void wb_set_command(int argc, char **argv) { S_argc = argc, S_argv = argv; }

// One word for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
static void S_shell_word(FILE *f, const char *w) {
    if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%") == strlen(w)) {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (; *w; w++)
        if (*w == '\'') fputs("'\\''", f);
        else if (*w == '\n' || *w == '\r') fputc(' ', f);  // one line per key in results.txt
        else fputc(*w, f);
    fputc('\'', f);
}

int wb_quick_cap(int n) {
    const char *v = getenv("WORKBOOK_LIMIT");
    char *end;
    long cap = v ? strtol(v, &end, 10) : 0;
    if (!v || end == v || *end || cap <= 0 || cap > 100000000)
        return n;
    return n == 0 || n > cap ? (int)cap : n;
}

void wb_write_command(FILE *f) {
    if (!S_argv) return;
    char cwd[4096];
    size_t ncwd = getcwd(cwd, sizeof cwd - 1) && strcmp(cwd, "/") ? strlen(cwd) : 0;
    if (ncwd) cwd[ncwd++] = '/', cwd[ncwd] = 0;
    fputs("command", f);
    for (int i = 0; i < S_argc; i++) {
        if (i > 0 && !strcmp(S_argv[i], "--out")) {
            i++;
            continue;
        }
        if (i > 0 && !strncmp(S_argv[i], "--out=", 6)) continue;
        const char *w = S_argv[i];
        if (ncwd && !strncmp(w, cwd, ncwd) && w[ncwd]) w += ncwd;  // the folder it ran in: a path from there
        fputc(' ', f);
        S_shell_word(f, w);
    }
    fputc('\n', f);
}

int wb_loss_diverged(double before, double after) { return !(after <= before * (1 + WB_DIVERGED_MARGIN)); }

void wb_die(const char *fmt, ...) {
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: ", S_progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    S_remove_open();
    exit(1);
}

int wb_errf(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

void *wb_malloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) wb_die("out of memory (asked for %zu bytes)", n);
    return p;
}

void *wb_calloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) wb_die("out of memory (asked for %zu x %zu bytes)", count, size);
    return p;
}

void *wb_realloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) wb_die("out of memory (asked for %zu bytes)", n);
    return q;
}

char *wb_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(wb_malloc(n), s, n);
}

int wb_columns(const char *s) {
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == '\t') col = (col / 8 + 1) * 8;
        else if ((*p & 0xC0) != 0x80) col++;  // not a continuation byte: a new code point
    return col;
}

void wb_str_put(wb_str *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1);
        b->s = wb_realloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->s[b->len += n] = '\0';
}

char *wb_strndup(const char *s, size_t n) {
    char *d = memcpy(wb_malloc(n + 1), s, n);
    d[n] = '\0';
    return d;
}

FILE *wb_fopen_read(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) wb_die("%s: cannot open for reading: %s", path, strerror(errno));
    return f;
}

char *wb_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {  // fopen opens a folder; fread then fails with EIO
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = wb_malloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        cap *= 2;
        buf = wb_realloc(buf, cap);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

long wb_utf8_invalid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned b = p[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t k = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
        if (!k || i + k >= n) return (long)i;  // not a lead byte, or the sequence is cut by the end
        // The second byte's range rules out overlong forms (E0, F0), surrogates (ED) and beyond U+10FFFF (F4).
        unsigned lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80, hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
        if (p[i + 1] < lo || p[i + 1] > hi) return (long)i;
        for (size_t j = 2; j <= k; j++)
            if ((p[i + j] & 0xC0) != 0x80) return (long)i;
        i += k + 1;
    }
    return -1;
}

int wb_read_errf(char *err, size_t errlen, const char *path, int e) {
    if (e == EISDIR) return wb_errf(err, errlen, "%s: is a directory; expected a file", path);
    return wb_errf(err, errlen, "%s: cannot read: %s", path, strerror(e));
}

wb_out wb_out_open(const char *path) {
    wb_out o;
    size_t n = strlen(path) + 32;
    o.path = wb_strdup(path);
    o.tmp = wb_malloc(n);
    snprintf(o.tmp, n, "%s.tmp.%ld", path, (long)getpid());
    o.f = fopen(o.tmp, "wb");
    if (!o.f) wb_die("%s: cannot open for writing: %s", o.path, strerror(errno));  // the name asked for, not o.tmp
    S_track(o.tmp);
    return o;
}

wb_out wb_out_open_in(const char *dir, const char *name) {
    char *path = wb_path_join(dir, name);
    wb_out o = wb_out_open(path);
    free(path);
    return o;
}

void wb_out_commit(wb_out *o) {
    int bad = fflush(o->f) != 0 || ferror(o->f);
    int saved = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    o->f = NULL;
    S_untrack(o->tmp);
    if (bad) {
        unlink(o->tmp);
        wb_die("%s: write failed: %s", o->path, strerror(saved));
    }
    if (rename(o->tmp, o->path) != 0) {
        saved = errno;
        unlink(o->tmp);
        wb_die("%s: cannot rename %s into place: %s", o->path, o->tmp, strerror(saved));
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}

void wb_out_abort(wb_out *o) {
    if (o->tmp) S_untrack(o->tmp);
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->f = NULL;
    o->tmp = o->path = NULL;
}

void wb_write_file(const char *path, const char *data, size_t len) {
    wb_out o = wb_out_open(path);
    fwrite(data, 1, len, o.f);
    wb_out_commit(&o);
}

void wb_mkdirs(const char *path) {
    char *p = wb_strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) wb_die("%s: cannot create directory: %s", p, strerror(errno));
        *s = '/';
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST) wb_die("%s: cannot create directory: %s", p, strerror(errno));
    free(p);
}

char *wb_path_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = wb_malloc(n);
    snprintf(s, n, "%s/%s", dir, name);
    return s;
}

int wb_check_relname(const char *p, const char *what, char *err, size_t errlen) {
    int ok = *p && *p != '/' && p[strlen(p) - 1] != '/' && !strstr(p, "..") && !strstr(p, "//");
    for (const char *q = p; ok && *q; q++) ok = isalnum((unsigned char)*q) || (*q && strchr("_-./", *q));
    if (ok) return 0;
    return wb_errf(err, errlen,
                   "'%s' is not a file name inside %s; expected a relative name of letters, digits, '.', '_', '-' "
                   "and '/', without '..'",
                   p, what);
}

// ----- subnormal floats ----------------------------------------------------------------------------

int wb_flush_subnormals(void) {
#if defined(__SSE2__)
    _MM_SET_FLUSH_ZERO_MODE(_MM_FLUSH_ZERO_ON);
    _MM_SET_DENORMALS_ZERO_MODE(_MM_DENORMALS_ZERO_ON);
    return 1;
#elif defined(__aarch64__)
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1ul << 24)));  // FZ: flush-to-zero, inputs and outputs
    return 1;
#else
    return 0;
#endif
}
