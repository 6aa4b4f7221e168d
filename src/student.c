// student.c — the student version of a chapter program: every solution region replaced by its stub.
//
//   student PROGRAM.c CHAPTER.md OUT.c
//
// A solution region is what the course asks a student to write, marked in the program the way nbgrader marks
// a cell (docs/AUTHORING.md, "The teaching edition"):
//
//       // BEGIN SOLUTION: what to compute; see "Heading of the section that derives it"
//       // STUB: code that keeps the program running without it   (any number of these lines, or none)
//       ...the solution...
//       // END SOLUTION
//
// In OUT.c the region becomes a TODO naming what to compute and the chapter and section of the book that
// derive it (looked up in CHAPTER.md, so that the number is the book's), then the stub's code. A region lies
// inside one function: it starts inside a body and ends at the brace depth it started at. Anything else is an
// error naming the file and line, and OUT.c is then not written.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb.h"

#define BEGIN_MARK "// BEGIN SOLUTION"
#define END_MARK "// END SOLUTION"
#define STUB_MARK "// STUB:"

typedef struct {
    char *text;  // the whole file, lines cut at '\n'
    char **line;
    int n;
} lines;

static lines S_read_lines(const char *path) {
    size_t len;
    lines ls = {wb_read_file(path, &len), NULL, 0};
    if (!ls.text) wb_die("%s: cannot read it", path);
    if (memchr(ls.text, '\0', len)) wb_die("%s: holds a NUL byte; expected C source text", path);
    int cap = 0;
    for (char *p = ls.text; *p;) {
        if (ls.n == cap) ls.line = wb_realloc(ls.line, sizeof *ls.line * (size_t)(cap = cap ? 2 * cap : 256));
        ls.line[ls.n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    return ls;
}

// The text after leading blanks, when it starts with mark; else NULL.
static const char *S_marked(const char *s, const char *mark) {
    while (*s == ' ' || *s == '\t') s++;
    return strncmp(s, mark, strlen(mark)) == 0 ? s + strlen(mark) : NULL;
}

// The change of brace depth over a line of C, braces in comments, strings and characters left out. *comment
// carries a /* comment across lines.
static int S_depth_change(const char *s, int *comment) {
    int d = 0;
    for (; *s; s++) {
        if (*comment) {
            if (s[0] == '*' && s[1] == '/') *comment = 0, s++;
        } else if (s[0] == '/' && s[1] == '/') {
            break;
        } else if (s[0] == '/' && s[1] == '*') {
            *comment = 1, s++;
        } else if (*s == '"' || *s == '\'') {
            char q = *s;
            for (s++; *s && *s != q; s++)
                if (*s == '\\' && s[1]) s++;
            if (!*s) break;
        } else {
            d += (*s == '{') - (*s == '}');
        }
    }
    return d;
}

// Where the chapter derives what a region asks for: "chapter 1, section 1.2, "Through the softmax: the chain
// rule sums"", found by the heading's text in chapter.md (outside code fences). Numbered as the weaver numbers:
// ## headings are sections N.k, a ### heading is in the last ## one. Returns NULL when no heading has that text.
static char *S_section(const lines *md, int chapter, const char *title) {
    int k = 0, fence = 0;
    for (int i = 0; i < md->n; i++) {
        const char *s = md->line[i];
        if (strncmp(s, "```", 3) == 0) fence = !fence;
        if (fence) continue;
        int level = strncmp(s, "## ", 3) == 0 ? 2 : strncmp(s, "### ", 4) == 0 ? 3 : 0;
        if (!level) continue;
        const char *text = s + level + 1;
        k += level == 2;
        if (strcmp(text, title) != 0) continue;
        char buf[1024];
        snprintf(buf, sizeof buf, "chapter %d, section %d.%d, \"%s\"", chapter, chapter, k, text);
        return wb_strdup(buf);
    }
    return NULL;
}

// The comment "// TODO: text" at the indent of line s, wrapped at the words to fit in WB_LISTING_COLUMNS (the
// book lists the student's code as it lists the solution: no wider than that). Bytes are counted, which is
// never less than columns for the text; the indent counts as the weaver counts it.
static void S_comment(FILE *f, int indent, const char *s, const char *text) {
    const char *lead = "// TODO: ";
    char pad[256];
    snprintf(pad, sizeof pad, "%.*s%s", indent, s, lead);
    int width = WB_LISTING_COLUMNS - wb_columns(pad);
    while (*text) {
        int n = (int)strlen(text);
        if (n > width) {
            n = width;
            while (n > 0 && text[n] != ' ') n--;
            if (n == 0) n = (int)strcspn(text, " ");  // one word longer than the line: it stays whole
        }
        fprintf(f, "%.*s%s%.*s\n", indent, s, lead, n, text);
        text += n;
        text += strspn(text, " ");
        lead = "//       ";
    }
}

// "BEGIN SOLUTION: what; see "Title"" into what and Title (in place). Returns 0 when the line has neither.
static int S_parse_begin(char *rest, char **what, char **title) {
    if (*rest != ':') return 0;
    char *see = strstr(rest, "; see \"");
    if (!see) return 0;
    *see = '\0';
    *what = rest + 1;
    while (**what == ' ') (*what)++;
    *title = see + strlen("; see \"");
    char *q = strrchr(*title, '"');
    if (!q || q[1] != '\0' || !**what) return 0;
    *q = '\0';
    return 1;
}

int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    if (argc != 4) wb_die("usage: student PROGRAM.c CHAPTER.md OUT.c");
    const char *path = argv[1];
    lines src = S_read_lines(path), md = S_read_lines(argv[2]);
    // The chapter's number from its folder, chapters/NN-name/.
    const char *slash = strrchr(path, '/'), *folder = path;
    for (const char *p = path; slash && p < slash; p++)
        if (*p == '/' && p + 1 < slash) folder = p + 1;
    int chapter = atoi(folder);
    if (chapter <= 0) wb_die("%s: expected to be in a chapter's folder, chapters/NN-name/", path);

    wb_out out = wb_out_open(argv[3]);
    int depth = 0, comment = 0, regions = 0;
    int begin = -1, begin_depth = 0, lowest = 0;  // the open region: its line, its depth, the lowest depth since
    for (int i = 0; i < src.n; i++) {
        char *s = src.line[i];
        const char *rest;
        if ((rest = S_marked(s, BEGIN_MARK))) {
            if (begin >= 0) wb_die("%s:%d: a region begins inside the region of line %d; expected \"" END_MARK "\" first", path, i + 1, begin + 1);
            if (depth <= 0) wb_die("%s:%d: a region begins outside a function; expected it inside a function's body", path, i + 1);
            char *what, *title, *copy = wb_strdup(rest);
            if (!S_parse_begin(copy, &what, &title))
                wb_die("%s:%d: expected \"" BEGIN_MARK ": what to compute; see \\\"Section heading\\\"\"", path, i + 1);
            char *where = S_section(&md, chapter, title);
            if (!where) wb_die("%s:%d: no heading \"%s\" in %s; expected the section that derives it", path, i + 1, title, argv[2]);
            int indent = (int)strspn(s, " \t");
            char todo[2048];
            snprintf(todo, sizeof todo, "%s (derived in %s).", what, where);
            S_comment(out.f, indent, s, todo);
            free(where), free(copy);
            begin = i, begin_depth = lowest = depth, regions++;
            for (; i + 1 < src.n && (rest = S_marked(src.line[i + 1], STUB_MARK)); i++)
                if (*rest == ' ' && *++rest) {  // "// STUB: code": the code, kept as indented after the space
                    char *line = wb_malloc((size_t)indent + strlen(rest) + 1);
                    sprintf(line, "%.*s%s", indent, s, rest);
                    if (wb_columns(line) > WB_LISTING_COLUMNS)
                        wb_die("%s:%d: the stub's line is %d columns wide; expected at most %d, as a listed line",
                               path, i + 2, wb_columns(line), WB_LISTING_COLUMNS);
                    fprintf(out.f, "%s\n", line);
                    free(line);
                }
            continue;
        }
        if ((rest = S_marked(s, END_MARK))) {
            if (begin < 0) wb_die("%s:%d: \"" END_MARK "\" without a region open; expected \"" BEGIN_MARK ": ...\" before it", path, i + 1);
            if (rest[strspn(rest, " \t")]) wb_die("%s:%d: expected nothing after \"" END_MARK "\"", path, i + 1);
            if (lowest < begin_depth || depth != begin_depth)
                wb_die("%s:%d: the region of line %d leaves its function's braces; expected it to end at the depth it began at", path, i + 1, begin + 1);
            begin = -1;
            continue;
        }
        if (S_marked(s, STUB_MARK)) wb_die("%s:%d: a stub line away from its region's first line; expected it right after \"" BEGIN_MARK "\"", path, i + 1);
        depth += S_depth_change(s, &comment);
        if (begin >= 0) {
            if (depth < lowest) lowest = depth;
            continue;  // the solution: left out
        }
        fprintf(out.f, "%s\n", s);
    }
    if (begin >= 0) wb_die("%s:%d: the region never ends; expected \"" END_MARK "\"", path, begin + 1);
    wb_out_commit(&out);
    printf("student: %s: %d solution region%s replaced by stubs\n", path, regions, regions == 1 ? "" : "s");
    free(src.text), free(src.line), free(md.text), free(md.line);
    return 0;
}
