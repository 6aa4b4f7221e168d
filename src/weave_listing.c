// weave_listing.c — code listings: ```c include=FILE[:function | :lines=A-B] shows part of the chapter program.
//
// A function is found by name as a definition starting at column 0 through its '}' at column 0, with the
// comment block right above it; every line keeps its number in the file (docs/AUTHORING.md), and shows in
// the colours of its tokens, cut from the whole file's highlighting (weave_highlight.c). A solution marker's
// line (`// BEGIN SOLUTION`, a stub's `// STUB:`, `// END SOLUTION`) is left out; the lines around it keep their numbers.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weave_int.h"

typedef struct {
    char **l;  // (n) lines without '\n'
    int n;
} src_lines;

static src_lines S_split(ctx *c, char *text) {
    src_lines s = {0};
    int cap = 0;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        s.l = wv_grow(c, s.l, s.n, &cap, sizeof *s.l);
        s.l[s.n++] = p;
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    return s;
}

// Whether line s mentions name as a whole word followed by '('.
static int S_mentions_call(const char *s, const char *name) {
    size_t n = strlen(name);
    for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
        const char *q = p + n;
        while (*q == ' ') q++;
        if (*q == '(' && (p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) return 1;
    }
    return 0;
}

// After line l names the function, the line holding the '{' of its body, or -1 when a ';' comes first
// (a prototype, not a definition).
static int S_brace_line(const src_lines *s, int l) {
    for (int k = l; k < s->n && k < l + 20; k++) {
        size_t i = strcspn(s->l[k], ";{");
        if (s->l[k][i]) return s->l[k][i] == '{' ? k : -1;
    }
    return -1;
}

// Whether the braces of a line balance, with at least one pair: "f(x) { return x; }" is a whole body.
static int S_one_line_body(const char *s) {
    int depth = 0, closed = 0;
    for (; *s; s++) {
        depth += (*s == '{') - (*s == '}');
        closed |= *s == '}';
    }
    return closed && depth == 0;
}

static int S_col0_code(const char *s) { return *s && !isspace((unsigned char)*s) && !strchr("#/*}", *s); }

// Walk up from a definition's first line over a return type on its own line, then over the comment
// block right above it ("//" lines or one "/* ... */").
static int S_with_comment(const src_lines *s, int first) {
    while (first > 0 && S_col0_code(s->l[first - 1])) {
        const char *p = s->l[first - 1];
        char last = p[strlen(p) - 1];
        if (strchr(";{}),", last)) break;
        first--;
    }
    while (first > 0) {
        const char *p = s->l[first - 1];
        p += strspn(p, " \t");
        size_t n = strlen(p);
        if (strncmp(p, "//", 2) == 0) {
            first--;
        } else if (n >= 2 && strcmp(p + n - 2, "*/") == 0) {
            int k = first - 1;
            while (k > 0 && !strstr(s->l[k], "/*")) k--;
            first = k;
        } else {
            break;
        }
    }
    return first;
}

// Whether line s defines name, not just calls it: name comes right before the line's first '('.
static int S_names_first(const char *s, const char *name) {
    const char *paren = strchr(s, '(');
    if (!paren) return 0;
    while (paren > s && paren[-1] == ' ') paren--;
    size_t n = strlen(name);
    return (size_t)(paren - s) >= n && strncmp(paren - n, name, n) == 0 &&
           (paren - n == s || !(isalnum((unsigned char)paren[-n - 1]) || paren[-n - 1] == '_'));
}

// After line l names the function with its body's '{' on line e, the line of its closing '}' (e itself for a
// body on one line), or -1 when no '}' at column 0 closes it.
static int S_body_end(const src_lines *s, int e) {
    if (!S_one_line_body(s->l[e]))
        while (e < s->n && s->l[e][0] != '}') e++;
    return e == s->n ? -1 : e;
}

// Lines [*a, *b] of the definition of name: from a line at column 0 naming it (not a prototype)
// through the first '}' at column 0 after it (or through its one line), with the comment block above.
// 0 when not found. *again gets the line of a second definition after it (0-based), or -1: listing the
// first of two silently would show the reader code the program may not run.
static int S_find_function(const src_lines *s, const char *name, int *a, int *b, int *again) {
    *again = -1;
    for (int l = 0; l < s->n; l++) {
        int e = S_col0_code(s->l[l]) && S_mentions_call(s->l[l], name) ? S_brace_line(s, l) : -1;
        if (e < 0) continue;
        if ((e = S_body_end(s, e)) < 0) return 0;
        for (int k = e + 1; k < s->n && *again < 0; k++)
            if (S_col0_code(s->l[k]) && S_names_first(s->l[k], name) && S_brace_line(s, k) >= 0) *again = k;
        *a = S_with_comment(s, l), *b = e;
        return l + 1;
    }
    return 0;
}

static void S_body_empty(ctx *c, const blocks_block *g, const char *what) {
    for (int l = g->body_a; l < g->body_b; l++)
        if (!wv_is_blank(c, l))
            wv_fail(c, c->lines[l].a, "%s; expected the closing fence right after the opening line", what);
}

// Which lines of the file an include takes, and the rest of the caption after the file's name.
static void S_include_span(ctx *c, size_t pos, const src_lines *s, const char *file, const char *spec, int *a, int *b,
                           sbuf *cap) {
    *a = 0, *b = s->n - 1;
    if (!spec) return;
    if (strncmp(spec, "lines=", 6) == 0) {
        char *end;
        long from = strtol(spec + 6, &end, 10), to = *end == '-' ? strtol(end + 1, &end, 10) : 0;
        if (*end || from < 1 || to < from || to > s->n)
            wv_fail(c, pos, "bad line range '%s' for %s (%d lines); expected lines=A-B with 1 <= A <= B <= %d",
                    spec + 6, file, s->n, s->n);
        *a = (int)from - 1, *b = (int)to - 1;
        wv_printf(cap, ", lines %ld&ndash;%ld", from, to);
        return;
    }
    for (const char *p = spec; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            wv_fail(c, pos, "bad function name '%s'; expected a C identifier", spec);
    int again, first = S_find_function(s, spec, a, b, &again);
    if (!first)
        wv_fail(c, pos,
                "unknown function '%s' in %s; expected a definition of %s starting at column 0, closed by '}' at "
                "column 0",
                spec, file, spec);
    if (again >= 0)
        wv_fail(c, pos, "function '%s' is defined twice in %s, on lines %d and %d; expected one definition to list",
                spec, file, first, again + 1);
    wv_printf(cap, ": <code>%s()</code>", spec);
}

// A listing is a page of the book: a line wider than WB_LISTING_COLUMNS (wb_columns) would be cut or scroll
// sideways, so it is refused, naming its line.
static void S_check_width(ctx *c, size_t pos, const src_lines *s, const char *path, int a, int b) {
    for (int l = a; l <= b; l++) {
        if (weave_hidden_line(s->l[l])) continue;
        int w = wb_columns(s->l[l]);
        if (w > WB_LISTING_COLUMNS)
            wv_fail(c, pos, "%s:%d: a listed line is %d columns wide; expected at most %d (wrap it in the program)",
                    path, l + 1, w, WB_LISTING_COLUMNS);
    }
}

// The listed file is copied into a page declared UTF-8, and read as C text: a NUL byte would cut it there
// (the rest silently missing), a byte that is not UTF-8 would show garbled. Both are refused, with the
// file's line and byte offset.
static void S_check_text(ctx *c, size_t pos, const char *path, const char *text, size_t len) {
    const char *nul = memchr(text, '\0', len);
    long bad = nul ? (long)(nul - text) : wb_utf8_invalid(text, len);
    if (bad < 0) return;
    int line = 1;
    for (long i = 0; i < bad; i++) line += text[i] == '\n';
    if (nul) wv_fail(c, pos, "%s:%d: byte offset %ld: a NUL byte; expected text", path, line, bad);
    wv_fail(c, pos, "%s:%d: byte offset %ld: invalid UTF-8 (byte 0x%02x); expected UTF-8 text, as the page is declared",
            path, line, bad, (unsigned char)text[bad]);
}

// The file's lines highlighted, as many as it has (weave_highlight checks), kept in the context's memory.
static src_lines S_highlighted(ctx *c, size_t pos, const char *path, const char *text, size_t len) {
    char err[1024], *html;
    size_t n;
    if (weave_highlight(path, text, len, c->o->highlight_cache, &html, &n, err, sizeof err) != 0)
        wv_fail(c, pos, "%s", err);
    char *mine = wv_strndup(c, html, n);
    free(html);
    return S_split(c, mine);
}

const char *wv_listing(ctx *c, const blocks_block *g) {
    S_body_empty(c, g, "an include block has a body");
    const blocks_attr *at = wv_attr(c, g, "include");
    char *file = wv_str(c, at->val), *spec = strchr(file, ':');
    if (spec) *spec++ = '\0';
    wv_check_relpath(c, at->val.a, file, "the chapter folder");
    char *path = wv_join(c, c->o->chapter_dir, file);
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!text)
        wv_fail(c, at->val.a, "unknown file '%s' in include: cannot read %s; expected a file of the chapter folder",
                file, path);
    char *mine = wv_strndup(c, text, len);
    free(text);
    S_check_text(c, at->val.a, path, mine, len);
    src_lines hl = S_highlighted(c, at->val.a, path, mine, len);
    src_lines s = S_split(c, mine);
    int a, b;
    sbuf *h = wv_buf(c), *span = wv_buf(c);
    S_include_span(c, at->val.a, &s, file, spec, &a, &b, span);
    S_check_width(c, at->val.a, &s, path, a, b);
    int first = a;
    while (first < b && weave_hidden_line(s.l[first])) first++;
    // The file's name links to its page in the book (src/NN-name/FILE.html, made by the build beside the
    // chapters) at the listing's first line; file passed wv_check_relpath: no characters to escape.
    wv_puts(h, "<figure class=\"listing\">\n<figcaption><a class=\"source\" href=\"src/");
    wv_escs(h, c->o->name);
    wv_printf(h, "/%s.html#L%d\"><code>%s</code></a>%s</figcaption>\n<pre><code class=\"language-", file, first + 1,
              file, span->s);
    wv_esc(h, c->src + g->f.info.a, strcspn(c->src + g->f.info.a, " \t\n"));
    wv_puts(h, "\">");
    for (int l = a; l <= b; l++) {  // each line numbered as in the file (style.css shows data-n)
        if (weave_hidden_line(s.l[l])) continue;
        wv_printf(h, "%s<span class=\"line\" data-n=\"%d\">", l > first ? "\n" : "", l + 1);
        wv_puts(h, hl.l[l]);
        wv_puts(h, "</span>");
    }
    wv_puts(h, "</code></pre>\n</figure>");
    return h->s;
}
