// weave_toc.c — the table of contents: a chapter's title, the lines of `weave --toc`, reading its file back.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weave_int.h"

// ----- titles ----------------------------------------------------------------------------------------------

// A title is read before any run (`weave --toc` has no results) and shown as text in the contents, the
// window's title, the pager and other chapters' @sec: links: a placeholder or a formula would show raw
// there, so it is refused. "\$" is a dollar sign.
static void S_plain_title(ctx *c, range t) {
    for (size_t i = t.a; i < t.b; i++) {
        if (c->src[i] == '\\' && i + 1 < t.b) {
            i++;
        } else if (wv_at(c, i, t.b, "{{")) {
            wv_fail(c, i, "a placeholder in the chapter's title; expected plain text (the title is shown in the "
                    "contents and the window's title, which no run's values reach; put the value in the text)");
        } else if (c->src[i] == '$') {
            wv_fail(c, i, "math in the chapter's title; expected plain text (the title is shown in the contents and "
                    "the window's title, where no formula is rendered; write \\$ for a dollar sign)");
        }
    }
}

// The title in --toc and <title>: the first "# " heading outside fenced code, closing #s dropped; NULL
// when there is none.
const char *wv_find_title(ctx *c) {
    for (int l = 0; l < c->nlines; l++) {
        blocks_fence f;
        if (blocks_fence_open(c->src, c->lines[l], &f)) {
            while (++l < c->nlines && !blocks_fence_close(c->src, c->lines[l], &f)) {}
            continue;
        }
        range r = c->lines[l];
        size_t i = r.a;
        while (i < r.b && i < r.a + 3 && c->src[i] == ' ') i++;
        if (!(wv_at(c, i, r.b, "# ") || (i + 1 == r.b && c->src[i] == '#'))) continue;
        range t = wv_trim(c, i + 1, r.b);
        size_t e = t.b;
        while (e > t.a && c->src[e - 1] == '#') e--;
        if (e < t.b && (e == t.a || c->src[e - 1] == ' ')) t = wv_trim(c, t.a, e);
        if (t.a == t.b) wv_fail(c, r.a, "empty title; expected '# Title of the chapter'");
        S_plain_title(c, t);
        return wv_str(c, t);
    }
    return NULL;
}

const char *wv_title(ctx *c) {
    const char *t = wv_find_title(c);
    if (!t) wv_fail(c, 0, "no '# ' heading; expected the chapter's title as its first '# ' heading");
    return t;
}

int weave_title(const char *md_path, const char *md, size_t len, char **title, char *err, size_t errlen) {
    weave_opts o = {.md_path = md_path};
    ctx *c = wv_ctx_new(&o, md, len, err, errlen);
    if (setjmp(c->fail)) {
        wv_ctx_free(c);
        return -1;
    }
    wv_check_utf8(c, md, len);
    *title = wb_strdup(wv_title(c));
    for (char *p = *title; *p; p++)
        if (*p == '\t') *p = ' ';
    wv_ctx_free(c);
    return 0;
}

// ----- `weave --toc` and reading its file ------------------------------------------------------------------

// A chapter folder's name ("chapters/01-scalar/" -> "01-scalar") and number; -1 unless it is NN-name.
int wv_chapter_name(const char *dir, char *name, size_t cap, int *number) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    size_t s = n;
    while (s > 0 && dir[s - 1] != '/') s--;
    snprintf(name, cap, "%.*s", (int)(n - s), dir + s);
    if (!(isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]) && name[2] == '-' && name[3])) return -1;
    *number = (name[0] - '0') * 10 + (name[1] - '0');
    return 0;
}

char *weave_toc_line(const char *dir_arg, char *err, size_t errlen) {
    char name[256], dir[1024], *title;
    int number;
    snprintf(dir, sizeof dir, "%s", dir_arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/';) dir[--n] = '\0';  // "chapters/01-x/" from a shell glob
    if (wv_chapter_name(dir, name, sizeof name, &number) != 0)
        return wb_errf(err, errlen, "%s: a chapter folder is named NN-name, like 01-scalar", dir), NULL;
    char *md_path = wb_path_join(dir, "chapter.md");
    size_t len;
    char *md = wb_read_file(md_path, &len);
    if (!md) {
        wb_read_errf(err, errlen, md_path, errno);
        return free(md_path), NULL;
    }
    int bad = weave_title(md_path, md, len, &title, err, errlen);
    free(md), free(md_path);
    if (bad) return NULL;
    size_t n = strlen(dir) + strlen(name) + strlen(title) + 64;
    char *line = wb_malloc(n);
    snprintf(line, n, "%s\t%s.html\t%d\t%s\n", dir, number == 0 ? "index" : name, number, title);
    free(title);
    return line;
}

void weave_toc_free(weave_toc *t) {
    if (!t) return;
    for (int i = 0; i < t->n; i++) free(t->e[i].dir), free(t->e[i].page), free(t->e[i].title);
    free(t->e), free(t);
}

// One "dir<TAB>page<TAB>number<TAB>title" line into e; -1 when it is not one.
static int S_toc_entry(char *line, weave_entry *e) {
    char *f[4];
    for (int k = 0; k < 4; k++) {
        f[k] = line;
        line = k < 3 ? strchr(line, '\t') : NULL;
        if (k < 3 && !line) return -1;
        if (line) *line++ = '\0';
    }
    char name[256], *end;
    int number;
    long num = strtol(f[2], &end, 10);
    if (wv_chapter_name(f[0], name, sizeof name, &number) != 0 || *end || num != number || !*f[1] || !*f[3]) return -1;
    *e = (weave_entry){wb_strdup(name), wb_strdup(f[1]), number, wb_strdup(f[3])};
    return 0;
}

weave_toc *weave_toc_read(const char *path, char *err, size_t errlen) {
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!text) return wb_read_errf(err, errlen, path, errno), NULL;
    weave_toc *t = wb_calloc(1, sizeof *t);
    int lineno = 0;
    for (char *p = text, *nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
        lineno++;
        if ((nl = strchr(p, '\n'))) *nl = '\0';
        if (!*p) continue;
        t->e = wb_realloc(t->e, sizeof *t->e * (size_t)(t->n + 1));
        if (S_toc_entry(p, &t->e[t->n]) != 0) {
            wb_errf(err, errlen, "%s:%d: expected dir<TAB>page<TAB>number<TAB>title, as `weave --toc` writes", path,
                    lineno);
            free(text), weave_toc_free(t);
            return NULL;
        }
        t->n++;
        if (!nl) break;
    }
    free(text);
    return t;
}
