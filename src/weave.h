// weave.h — the weaver's interface: one chapter's text and outputs in, one HTML page out (src/weave.c).
//
// The Makefile runs the weaver's command line (weave.c's main); the tests and the fuzzer call these.
#ifndef WEAVE_H
#define WEAVE_H

#include <stddef.h>

// One chapter of the table of contents (one line of `weave --toc`).
typedef struct {
    char *dir;    // the chapter's folder name: "01-scalar"
    char *page;   // "01-scalar.html"; "index.html" for a 00- folder
    int number;   // 1
    char *title;  // the text of its first "# " heading
} weave_entry;

typedef struct {
    weave_entry *e;  // (n) in book order
    int n;
} weave_toc;

typedef struct {
    const char *md_path;      // "chapters/01-scalar/chapter.md": named in every message
    const char *chapter_dir;  // code listings are read from here
    const char *data_dir;     // results (*.txt) and TSV files: build/01-scalar/out
    const char *figures_dir;  // every figure's file must exist here: book/figures/01-scalar
    const char *name;         // "01-scalar": figure URLs and the current entry of the contents
    int number;               // 1: numbers figures, tables and headings
    const weave_toc *toc;     // the book, for the sidebar, previous/next and @sec: (may be NULL)
    const char *highlight_cache;  // a folder keeping each listed file's highlighting (may be NULL: none kept)
} weave_opts;

typedef struct {
    char *body;  // the article: cmark's HTML with everything substituted
    char *page;  // the whole page
    char *math;  // every formula, one "line<TAB>display<TAB>tex" a line (tab, newline, backslash escaped)
    char *claims;  // every claim, "line<TAB>holds|FAILS<TAB>what it says<TAB>condition<TAB>values" a line
} weave_output;

// Weave one chapter's text. 0 and *out filled (free with weave_output_free), or -1 with
// "md_path:LINE: what was wrong; what was expected" in err and nothing allocated.
int weave_chapter(const weave_opts *o, const char *md, size_t len, weave_output *out, char *err, size_t errlen);
void weave_output_free(weave_output *out);

// The text of the first "# " heading outside fenced code: 0 and a malloc'd *title, or -1 with a message.
int weave_title(const char *md_path, const char *md, size_t len, char **title, char *err, size_t errlen);

// The table of contents file written by `weave --toc`; NULL with "path:line: ..." in err.
weave_toc *weave_toc_read(const char *path, char *err, size_t errlen);
void weave_toc_free(weave_toc *t);

// One line of `weave --toc` for a chapter folder (malloc'd, ends in "\n"), or NULL with a message.
char *weave_toc_line(const char *dir, char *err, size_t errlen);

// What main does for --chapter: read, weave, write the page (and the formulas) atomically.
// 0, or -1 with the message in err and no file written.
typedef struct {
    const char *chapter, *data, *figures, *toc, *out, *math_out, *claims_out, *highlight_cache;
} weave_args;
int weave_run(const weave_args *a, char *err, size_t errlen);

// ----- syntax highlighting at build time (src/weave_highlight.c) -----

// The C file at path (its bytes: text, len) highlighted by GNU source-highlight with the definitions in
// tools/highlight/ (relative to the working folder, the repository's top): one line of HTML per line of the
// file, each token a <span class="tok-kw|tok-type|tok-com|tok-str|tok-num|tok-pp">, every line closing the
// spans it opens (a block comment over three lines is three spans). With cache (a folder, made when missing),
// the result is kept there under a digest of the file and the definitions, and read back next time.
// 0 and a malloc'd *html (*len bytes, NUL-terminated), or -1 with "path: what went wrong; expected ..." in err.
int weave_highlight(const char *path, const char *text, size_t len, const char *cache, char **html, size_t *outlen,
                    char *err, size_t errlen);
// source-highlight's output (<span class="STYLE">text</span>, text HTML-escaped) as weave_highlight returns it:
// the styles mapped to the book's classes (others dropped, their text kept), cut into well-formed lines.
// malloc'd, *outlen bytes.
char *weave_hl_split(const char *out, size_t len, size_t *outlen);
// Whether a line of a chapter program is a solution marker, which the book does not show: `// BEGIN SOLUTION`
// or a stub's `// STUB:` (anything after either), or `// END SOLUTION` alone, each after any indentation.
int weave_hidden_line(const char *line);

#endif
