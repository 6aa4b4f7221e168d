// weave_highlight.c — a listed C file highlighted at build time by GNU source-highlight, one line of HTML per line.
//
// The book's listings and its source pages show tokens in colour without JavaScript (and in the PDF): the
// weaver runs Debian's source-highlight over the whole file, with the definitions in tools/highlight/ (C as
// Debian's c.lang has it, numbers with suffixes; every token written as <span class="STYLE">), maps its styles
// onto the book's classes (tok-kw, tok-type, tok-com, tok-str, tok-num, tok-pp; the others are left plain) and
// cuts the result into lines, each closing the spans it opened and reopening on the next line what a token
// spanning lines (a block comment) still holds open. A listing then takes its lines from the file's.
//
// Highlighting a file costs a process; the weaver shows several listings of one file, and a prose-only edit
// re-weaves its page: with a cache folder, a file's result is kept under a digest of the file's bytes and of
// the definitions' (FNV-1a), and read back instead of highlighted again.
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "weave.h"
#include "wb.h"

extern char **environ;

#define S_DEFS "tools/highlight"
#define S_LANG "wb-c.lang"
#define S_OUTLANG "wb-html.outlang"
#define S_VERSION "weave-highlight 1"  // bump when what this file writes changes

// ----- the highlighter's styles onto the book's classes ------------------------------------------------------

static const char *const S_class[][2] = {
    {"keyword", "tok-kw"}, {"type", "tok-type"},  {"usertype", "tok-type"},  {"comment", "tok-com"},
    {"todo", "tok-com"},   {"string", "tok-str"}, {"specialchar", "tok-str"}, {"number", "tok-num"},
    {"preproc", "tok-pp"},
};

// The book's class for a style of n bytes, or NULL: shown as plain text.
static const char *S_map(const char *style, size_t n) {
    for (size_t i = 0; i < sizeof S_class / sizeof *S_class; i++)
        if (strlen(S_class[i][0]) == n && strncmp(S_class[i][0], style, n) == 0) return S_class[i][1];
    return NULL;
}

// ----- cutting the highlighter's output into lines -----------------------------------------------------------

static void S_puts(wb_str *b, const char *s) { wb_str_put(b, s, strlen(s)); }

enum { S_DEPTH = 16 };  // spans open at once: source-highlight nests none, a little room besides

// Each open span's class (NULL: a plain one, written as nothing) from the outermost.
static void S_reopen(wb_str *b, const char *const *open, int depth) {
    for (int i = 0; i < depth; i++)
        if (open[i]) S_puts(b, "<span class=\""), S_puts(b, open[i]), S_puts(b, "\">");
}
static void S_close(wb_str *b, const char *const *open, int depth) {
    for (int i = depth - 1; i >= 0; i--)
        if (open[i]) S_puts(b, "</span>");
}

char *weave_hl_split(const char *out, size_t len, size_t *outlen) {
    wb_str b = {0};
    wb_str_put(&b, "", 0);
    const char *open[S_DEPTH];
    int depth = 0;
    for (size_t i = 0; i < len;) {
        const char *p = out + i;
        size_t rest = len - i;
        const char *q;
        if (rest > 13 && strncmp(p, "<span class=\"", 13) == 0 && (q = memchr(p + 13, '"', rest - 13)) &&
            (size_t)(q - p) + 1 < rest && q[1] == '>') {
            const char *cls = S_map(p + 13, (size_t)(q - p - 13));
            if (depth == S_DEPTH) depth--;  // deeper than any highlighter goes: the innermost is replaced
            open[depth++] = cls;
            if (cls) S_puts(&b, "<span class=\""), S_puts(&b, cls), S_puts(&b, "\">");
            i = (size_t)(q - out) + 2;
        } else if (rest >= 7 && strncmp(p, "</span>", 7) == 0) {
            if (depth && open[--depth]) S_puts(&b, "</span>");
            i += 7;
        } else if (*p == '\n') {
            S_close(&b, open, depth);
            wb_str_put(&b, "\n", 1);
            S_reopen(&b, open, depth);
            i++;
        } else {
            size_t n = strcspn(p, "<\n");
            if (n == 0) n = 1;  // a '<' that opens no span of ours: the text it is
            if (n > rest) n = rest;
            wb_str_put(&b, p, n);
            i += n;
        }
    }
    S_close(&b, open, depth);
    *outlen = b.len;
    return b.s;
}

// ----- the solution markers: lines the book does not show -----------------------------------------------------

int weave_hidden_line(const char *s) {
    s += strspn(s, " \t");
    if (strncmp(s, "// BEGIN SOLUTION", 17) == 0 || strncmp(s, "// STUB:", 8) == 0) return 1;
    if (strncmp(s, "// END SOLUTION", 15) != 0) return 0;
    s += 15;
    s += strspn(s, " \t\r");
    return *s == '\0' || *s == '\n';
}

// ----- running source-highlight ----------------------------------------------------------------------------

static uint64_t S_fnv(uint64_t h, const void *data, size_t n) {
    for (const unsigned char *p = data; n--; p++) h = (h ^ *p) * 1099511628211u;
    return h;
}

// source-highlight's output for path into *out, or -1 with the message.
static int S_run(const char *path, const char *lang, const char *outlang, char **out, size_t *len, char *err,
                 size_t errlen) {
    int fd[2];
    if (pipe(fd) != 0) return wb_errf(err, errlen, "%s: cannot highlight: pipe: %s", path, strerror(errno));
    char *lang_arg = wb_malloc(strlen(lang) + 12), *out_arg = wb_malloc(strlen(outlang) + 15);
    sprintf(lang_arg, "--lang-def=%s", lang), sprintf(out_arg, "--outlang-def=%s", outlang);
    char *argv[] = {"source-highlight", lang_arg, out_arg, "-i", (char *)path, "-o", "STDOUT", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, "source-highlight", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(lang_arg), free(out_arg);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        return wb_errf(err, errlen,
                       "%s: cannot run source-highlight (%s); expected GNU source-highlight installed (make deps)",
                       path, strerror(rc));
    }
    wb_str b = {0};
    wb_str_put(&b, "", 0);
    char chunk[65536];
    for (ssize_t n; (n = read(fd[0], chunk, sizeof chunk)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        wb_str_put(&b, chunk, (size_t)n);
    }
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(b.s);
        return wb_errf(err, errlen,
                       "%s: source-highlight failed (%s %d); expected it to highlight the file as C with %s",
                       path, WIFEXITED(status) ? "exit status" : "signal",
                       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), lang);
    }
    *out = b.s, *len = b.len;
    return 0;
}

static int S_lines(const char *s, size_t n) {
    int k = 0;
    for (size_t i = 0; i < n; i++) k += s[i] == '\n';
    return k + (n && s[n - 1] != '\n');
}

// The definitions' bytes, read for the digest (a change of them highlights anew); -1 with the message.
static int S_defs(const char *dir, char **lang, char **outlang, uint64_t *h, char *err, size_t errlen) {
    *lang = wb_path_join(dir, S_LANG), *outlang = wb_path_join(dir, S_OUTLANG);
    for (char *const *p = (char *const[]){*lang, *outlang}, *const *e = p + 2; p < e; p++) {
        size_t n;
        char *text = wb_read_file(*p, &n);
        if (!text) {
            wb_errf(err, errlen, "%s: cannot read: %s; expected the highlighter's definitions (run from the "
                    "repository's top folder)", *p, strerror(errno));
            free(*lang), free(*outlang);
            return -1;
        }
        *h = S_fnv(*h, text, n + 1);
        free(text);
    }
    return 0;
}

int weave_highlight(const char *path, const char *text, size_t len, const char *cache, char **html, size_t *outlen,
                    char *err, size_t errlen) {
    char *lang, *outlang;
    uint64_t h = S_fnv(14695981039346656037u, S_VERSION, sizeof S_VERSION);
    if (S_defs(S_DEFS, &lang, &outlang, &h, err, errlen) != 0) return -1;
    h = S_fnv(h, text, len);
    char name[32], *kept = NULL;
    snprintf(name, sizeof name, "%016llx.html", (unsigned long long)h);
    if (cache) {
        kept = wb_path_join(cache, name);
        size_t n;
        char *got = wb_read_file(kept, &n);
        if (got && S_lines(got, n) == S_lines(text, len)) {
            free(kept), free(lang), free(outlang);
            *html = got, *outlen = n;
            return 0;
        }
        free(got);
    }
    char *raw;
    size_t rawlen;
    int rc = S_run(path, lang, outlang, &raw, &rawlen, err, errlen);
    free(lang), free(outlang);
    if (rc != 0) return free(kept), -1;
    *html = weave_hl_split(raw, rawlen, outlen);
    free(raw);
    if (S_lines(*html, *outlen) != S_lines(text, len)) {
        rc = wb_errf(err, errlen, "%s: source-highlight wrote %d lines; expected one per line of the file (%d)", path,
                     S_lines(*html, *outlen), S_lines(text, len));
        free(*html), free(kept);
        return rc;
    }
    if (kept) {
        wb_mkdirs(cache);
        wb_write_file(kept, *html, *outlen);
        free(kept);
    }
    return 0;
}
