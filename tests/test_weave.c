// test_weave.c — the weaver against its spec (tests/weave_spec.txt: chapter text in, HTML or error out),
// then the parts that touch files (the page, atomic output, the table of contents, the command line's path),
// inputs the spec cannot hold, and a few thousand randomly mutated chapters under ASan and UBSan.
//
// Every spec example is woven as chapters/01-test/chapter.md of a three-chapter book, reading its listings
// from tests/fixtures/weave/01-test, its results and TSV files from tests/fixtures/weave/out and its
// figures from tests/fixtures/weave/figures. Run from the repository's top folder (as `make test` does).
#include "../src/weave.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wb.h"

#include "tap.h"

#define FIX "tests/fixtures/weave"
#define SPEC "tests/weave_spec.txt"
#define FENCE "````````````````````````````````"  // 32 backticks open and close an example

static weave_entry S_entries[] = {
    {"00-preface", "index.html", 0, "Preface"},
    {"01-test", "01-test.html", 1, "Testing the weaver"},
    {"02-vector", "02-vector.html", 2, "Vectorising"},
};
static const weave_toc S_book = {S_entries, 3};

static const weave_opts S_opts = {
    "chapters/01-test/chapter.md", FIX "/01-test", FIX "/out", FIX "/figures", "01-test", 1, &S_book, NULL,
};

// ----- the spec -----------------------------------------------------------------------------------------

typedef struct {
    int line;           // of the opening fence in the spec
    char section[128];  // the "## " heading it sits under
    char kind[16];      // "" (the article's HTML), "error" (the message), "math" or "claims" (the --math-out,
                        // --claims-out lines)
    char *input, *want;
} example;

static char *S_dup_trimmed(const char *s, size_t n) {
    while (n && s[n - 1] == '\n') n--;
    char *d = wb_malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

// Weave one example and compare what its kind names.
static void S_check(const example *ex) {
    weave_output out = {0};
    char err[1024] = "";
    int rc = weave_chapter(&S_opts, ex->input, strlen(ex->input), &out, err, sizeof err);
    const char *got = rc != 0                       ? err
                      : !strcmp(ex->kind, "math")   ? out.math
                      : !strcmp(ex->kind, "claims") ? out.claims
                                                    : out.body;
    char *trimmed = S_dup_trimmed(got, strlen(got));
    int want_error = strcmp(ex->kind, "error") == 0;
    int good = (rc != 0) == want_error && strcmp(trimmed, ex->want) == 0;
    if (!ok(good, "spec line %d (%s)%s", ex->line, ex->section, want_error ? ": error" : ""))
        diag("input:\n%s\n# want%s:\n%s\n# got%s:\n%s", ex->input, want_error ? " error" : "", ex->want,
             rc ? " error" : "", trimmed);
    free(trimmed);
    weave_output_free(&out);
}

// Read the spec and check every example in it; returns how many there were.
static int S_run_spec(const char *path) {
    size_t len;
    char *text = wb_read_file(path, &len);
    if (!ok(text != NULL, "read %s", path)) return 0;
    example ex = {0};
    int n = 0, lineno = 0, state = 0;  // 0 outside, 1 input, 2 expected output
    const char *part = NULL;
    for (char *p = text, *next; *p; p = next) {
        char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        next = p + l + (nl != NULL);
        lineno++;
        if (state == 0 && strncmp(p, "## ", 3) == 0) snprintf(ex.section, sizeof ex.section, "%.*s", (int)l - 3, p + 3);
        if (state == 0 && strncmp(p, FENCE " example", 40) == 0) {
            ex.line = lineno, state = 1, part = next;
            snprintf(ex.kind, sizeof ex.kind, "%.*s", l > 41 ? (int)(l - 41) : 0, p + 41);
        } else if (state == 1 && l == 1 && *p == '.') {
            ex.input = S_dup_trimmed(part, (size_t)(p - part));
            state = 2, part = next;
        } else if (state == 2 && strncmp(p, FENCE, 32) == 0) {
            ex.want = S_dup_trimmed(part, (size_t)(p - part));
            S_check(&ex);
            free(ex.input), free(ex.want);
            state = 0, n++;
        }
    }
    ok(state == 0, "%s ends outside an example", path);
    free(text);
    return n;
}

// ----- files: the page, atomic output, the contents -------------------------------------------------------

static char S_tmp[64];

static int S_count_files(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

static void test_page(void) {
    char err[1024], *out = wb_path_join(S_tmp, "01-test.html"), *math = wb_path_join(S_tmp, "math.tsv");
    weave_args a = {FIX "/01-test", FIX "/out", FIX "/figures", FIX "/toc.tsv", out, math, NULL, NULL};
    int rc = weave_run(&a, err, sizeof err);
    if (!ok(rc == 0, "the fixture chapter weaves")) diag("%s", err);
    char *page = wb_read_file(out, NULL), *tsv = wb_read_file(math, NULL);
    has_str(page, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=utf-8>\n", "page: doctype, charset");
    has_str(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", "page: viewport");
    has_str(page, "<title>1. Testing the weaver — Backprop workbook</title>", "page: title");
    has_str(page, "<link rel=\"stylesheet\" href=\"assets/style.css\">", "page: style sheet");
    has_str(page, "<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">", "page: KaTeX style sheet");
    has_str(page, "<script src=\"assets/katex/katex.min.js\" defer></script>", "page: KaTeX script");
    has_str(page, "<script src=\"assets/book.js\" defer></script>", "page: book.js");
    has_str(page,
            "<li class=\"current\"><a href=\"01-test.html\" aria-current=\"page\"><span class=\"num\">1</span> Testing",
            "contents: the current chapter is marked");
    has_str(page, "<li><a href=\"#sec-3\"><span class=\"num\">1.3</span> Learning rates</a></li>",
            "contents: the current chapter's sections");
    has_str(page,
            "<a class=\"prev\" rel=\"prev\" href=\"index.html\"><span class=\"dir\">&larr; Previous</span> Preface</a>",
            "pager: previous chapter");
    has_str(page, "<a class=\"next\" rel=\"next\" href=\"02-vector.html\">", "pager: next chapter");
    has_str(page, "<h1><span class=\"chapnum\">Chapter 1</span> Testing the weaver</h1>", "heading: chapter number");
    has_str(page, "<h2><span class=\"secnum\" id=\"sec-2\">1.2</span> The code</h2>", "heading: section number");
    ok(page && !strstr(page, "http:") && !strstr(page, "https:") && !strstr(page, "//cdn"),
       "page: nothing from the network");
    has_str(tsv, "11\t1\t\\nl = -\\\\sum_k y_k \\\\log p_k,\\n", "math-out: a display formula, escaped, with its line");
    has_str(tsv, "5\t0\t\\\\eta = 0.1\n", "math-out: a placeholder inside math is substituted");
    free(page), free(tsv);
    unlink(out), unlink(math);
    free(out), free(math);
}

static void test_error_writes_nothing(void) {
    char err[1024], *out = wb_path_join(S_tmp, "02-broken.html"), *math = wb_path_join(S_tmp, "math.tsv");
    weave_args a = {FIX "/02-broken", FIX "/out", FIX "/figures", FIX "/toc.tsv", out, math, NULL, NULL};
    int rc = weave_run(&a, err, sizeof err);
    ok(rc == -1, "a chapter with an error fails");
    is_str(err,
           FIX "/02-broken/chapter.md:3: unknown key 'no_such_key' in " FIX "/out/results.txt; expected one of: loss, "
               "val_acc, epochs, lr, optimizer, label",
           "its message names file, line, key and the keys there are");
    ok(access(out, F_OK) != 0 && access(math, F_OK) != 0, "no page and no formula file written");
    ok(S_count_files(S_tmp) == 0, "no temporary file left behind either");
    // A page that exists stays as it was.
    wb_write_file(out, "old", 3);
    weave_run(&a, err, sizeof err);
    char *kept = wb_read_file(out, NULL);
    is_str(kept, "old", "a failed weave leaves the previous page untouched");
    free(kept);
    unlink(out);
    free(out), free(math);
}

static void test_unlisted(void) {
    char err[1024], *out = wb_path_join(S_tmp, "01-test.html");
    weave_args a = {FIX "/01-test", FIX "/out", FIX "/figures", FIX "/01-test/prog.c", out, NULL, NULL, NULL};
    ok(weave_run(&a, err, sizeof err) == -1, "a contents file that is not one is refused");
    has_str(err, "prog.c:1: expected dir<TAB>page<TAB>number<TAB>title", "with its line");
    char *toc = wb_path_join(S_tmp, "toc.tsv");
    const char *line = "chapters/00-preface\tindex.html\t0\tPreface\n";
    wb_write_file(toc, line, strlen(line));
    a.toc = toc;
    ok(weave_run(&a, err, sizeof err) == -1 && access(out, F_OK) != 0,
       "a chapter missing from the contents is refused");
    has_str(err, "toc.tsv does not list 01-test", "and named");
    unlink(toc);
    free(toc), free(out);
}

static void test_toc(void) {
    char err[1024];
    char *line = weave_toc_line(FIX "/01-test", err, sizeof err);
    is_str(line, FIX "/01-test\t01-test.html\t1\tTesting the weaver\n", "--toc: dir, page, number, title");
    free(line);
    line = weave_toc_line(FIX "/out", err, sizeof err);
    ok(!line, "--toc: a folder not named NN-name is refused");
    is_str(err, FIX "/out: a chapter folder is named NN-name, like 01-scalar", "--toc: and says how to name it");

    char *title = NULL;
    const char *md = "```\n# not a heading, code\n```\n\n#  Real title ##  \ntext\n";
    ok(weave_title("c.md", md, strlen(md), &title, err, sizeof err) == 0, "title: found after a fenced block");
    is_str(title, "Real title", "title: trimmed, closing #s dropped");
    free(title);
    md = "Some text\n\n## only a section\n";
    ok(weave_title("c.md", md, strlen(md), &title, err, sizeof err) == -1, "title: none is an error");
    is_str(err, "c.md:1: no '# ' heading; expected the chapter's title as its first '# ' heading", "title: message");

    weave_toc *t = weave_toc_read(FIX "/toc.tsv", err, sizeof err);
    ok(t && t->n == 4 && !strcmp(t->e[1].dir, "01-test") && t->e[2].number == 2 && !strcmp(t->e[0].page, "index.html"),
       "the contents file reads back");
    weave_toc_free(t);
    char *bad = wb_path_join(S_tmp, "toc.tsv");
    wb_write_file(bad, "chapters/01-a\t01-a.html\t1\tA\nchapters/02-b\t02-b.html\n", 48);
    t = weave_toc_read(bad, err, sizeof err);
    ok(!t, "a contents line with missing fields is refused");
    has_str(err, "toc.tsv:2: expected dir<TAB>page<TAB>number<TAB>title", "and named by its line");
    unlink(bad);
    free(bad);
}

// Inputs the spec file cannot hold well: reserved characters, NUL bytes, CRLF, an empty text.
static void test_odd_inputs(void) {
    weave_output out = {0};
    char err[1024];
    const char pua[] = "Text \xEE\x80\x80"
                       "1\xEE\x80\x81 here.\n";
    ok(weave_chapter(&S_opts, pua, strlen(pua), &out, err, sizeof err) == -1,
       "the weaver's private-use characters are refused");
    has_str(err, "chapter.md:1: the private-use character U+E000 or U+E001", "and named");
    const char nul[] = "Text\n\nwith a \0 NUL.\n";
    ok(weave_chapter(&S_opts, nul, sizeof nul - 1, &out, err, sizeof err) == -1, "a NUL byte is refused");
    has_str(err, "chapter.md:3: a NUL byte; expected UTF-8 text", "with its line");
    const char *crlf = "Line $a$\r\n\r\nand {{nokey}}\r\n";
    ok(weave_chapter(&S_opts, crlf, strlen(crlf), &out, err, sizeof err) == -1,
       "CRLF text: errors still name the line");
    has_str(err, "chapter.md:3: unknown key 'nokey'", "CRLF: line 3");
    ok(weave_chapter(&S_opts, "", 0, &out, err, sizeof err) == 0 && out.body && !*out.body,
       "an empty text weaves to nothing");
    weave_output_free(&out);
    const char *noword = "```include=prog.c\n```\n";
    ok(weave_chapter(&S_opts, noword, strlen(noword), &out, err, sizeof err) == -1,
       "an include without a language is refused");
    has_str(err, "expected its kind or language first", "and says what comes first");
}

// Bytes a page declared UTF-8 cannot hold: in chapter.md, and in a listed file (a NUL byte would cut it).
static void test_bytes(void) {
    weave_output out = {0};
    char err[1024];
    const char bad[] = "# Case\r\n\r\nCaf\xE9 and a surrogate \xED\xA0\x80.\n";
    ok(weave_chapter(&S_opts, bad, strlen(bad), &out, err, sizeof err) == -1, "invalid UTF-8 in chapter.md is refused");
    is_str(err, "chapters/01-test/chapter.md:3: invalid UTF-8 (byte 0xe9) at byte offset 13; expected UTF-8 text, as the "
                "page is declared", "naming its line and its byte offset in the file (CRs counted)");
    const char over[] = "An overlong slash \xC0\xAF.\n";
    ok(weave_chapter(&S_opts, over, strlen(over), &out, err, sizeof err) == -1, "an overlong form is refused");
    has_str(err, "chapter.md:1: invalid UTF-8 (byte 0xc0) at byte offset 18", "at its offset");
    const char good[] = "Über η, ∇, 😀 and “quotes”.\n";
    ok(weave_chapter(&S_opts, good, strlen(good), &out, err, sizeof err) == 0, "UTF-8 of 2, 3 and 4 bytes weaves");
    weave_output_free(&out);

    char *dir = wb_path_join(S_tmp, "01-bytes"), *nul = wb_path_join(dir, "nul.c"), *lat = wb_path_join(dir, "latin1.c");
    mkdir(dir, 0755);
    const char nul_c[] = "int f(void) {\n    return 1;\n}\n\0int g(void) { return 2; }\n";
    const char lat_c[] = "// caf\xE9\nint f(void) {\n    return 1;\n}\n";
    wb_write_file(nul, nul_c, sizeof nul_c - 1);
    wb_write_file(lat, lat_c, sizeof lat_c - 1);
    weave_opts o = S_opts;
    o.chapter_dir = dir;
    const char *md = "```c include=nul.c:f\n```\n";
    ok(weave_chapter(&o, md, strlen(md), &out, err, sizeof err) == -1, "a listed file with a NUL byte is refused");
    char want[1200];
    snprintf(want, sizeof want, "chapters/01-test/chapter.md:1: %s:4: byte offset 30: a NUL byte; expected text", nul);
    is_str(err, want, "naming the file's line and the byte offset");
    md = "```c include=latin1.c:lines=1-2\n```\n";
    ok(weave_chapter(&o, md, strlen(md), &out, err, sizeof err) == -1, "a listed file that is not UTF-8 is refused");
    snprintf(want, sizeof want, "chapters/01-test/chapter.md:1: %s:1: byte offset 6: invalid UTF-8 (byte 0xe9); "
             "expected UTF-8 text, as the page is declared", lat);
    is_str(err, want, "naming the file's line and the byte offset");
    unlink(nul), unlink(lat), rmdir(dir);
    free(nul), free(lat), free(dir);
}

// A "## " heading's entry in the contents is the heading's own HTML: its value and its formula rendered.
static void test_sidebar_sections(void) {
    weave_output out = {0};
    char err[1024];
    const char *md = "# Testing the weaver\n\n## After {{epochs}} epochs, $\\eta = {{lr}}$\n";
    ok(weave_chapter(&S_opts, md, strlen(md), &out, err, sizeof err) == 0, "a section with a value and math weaves");
    const char *want = "<li><a href=\"#sec-1\"><span class=\"num\">1.1</span> After 5 epochs, <span class=\"math "
                       "inline\">\\eta = 0.1</span></a></li>";
    has_str(out.page, want, "the contents show the section as its heading does");
    ok(out.page && !strstr(out.page, "{{"), "no placeholder reaches the page");
    weave_output_free(&out);

    // A link in the heading (a reference, a link of the text's own) keeps its text in the contents, whose entry
    // is a link already: no link inside a link. The heading itself keeps its links.
    md = "# Testing the weaver\n\n## What @sec:02-vector and [the spec](https://commonmark.org) say\n";
    ok(weave_chapter(&S_opts, md, strlen(md), &out, err, sizeof err) == 0, "a section with a reference and a link weaves");
    has_str(out.page, "<li><a href=\"#sec-1\"><span class=\"num\">1.1</span> What Chapter 2, Vectorising and the spec "
            "say</a></li>", "its entry in the contents holds their text and no link");
    has_str(out.body, "<a href=\"https://commonmark.org\">the spec</a> say</h2>", "the heading keeps its links");
    weave_output_free(&out);
}

// Long paragraphs and lines weave in time linear in their length (a paragraph's end was rescanned for each of
// its formulas, a line's end for each placeholder): measured by hand (docs/AUTHORING.md), not timed here. This
// checks that such texts weave whole, every formula and value in its place.
static void test_long_texts(void) {
    enum { FORMULAS = 20000, VALUES = 50000 };
    char *md = wb_malloc(FORMULAS * 16 + 64), *p = md;
    p += sprintf(p, "Formulas:");
    for (int i = 0; i < FORMULAS; i++) p += sprintf(p, " $x_{%d}$", i);
    p += sprintf(p, " {{claim epochs > 1 | more than one}}.\n");
    weave_output out = {0};
    char err[1024];
    int rc = weave_chapter(&S_opts, md, strlen(md), &out, err, sizeof err);
    ok(rc == 0 && out.body && strstr(out.body, "x_{19999}</span>.</p>"), "a paragraph of %d formulas and a claim weaves",
       FORMULAS);
    int lines = 0;
    for (const char *q = out.math; q && *q; q++) lines += *q == '\n';
    ok(lines == FORMULAS, "with every formula in --math-out (%d)", lines);
    weave_output_free(&out);
    md = wb_realloc(md, VALUES * 11 + 16), p = md;
    for (int i = 0; i < VALUES; i++) p += sprintf(p, "{{epochs}} ");
    p += sprintf(p, "\n");
    rc = weave_chapter(&S_opts, md, strlen(md), &out, err, sizeof err);
    size_t fives = 0;
    for (const char *q = out.body; rc == 0 && q && *q; q++) fives += *q == '5';
    ok(rc == 0 && fives == VALUES, "a line of %d placeholders weaves, each its value (%zu)", VALUES, fives);
    weave_output_free(&out);
    free(md);
}

// Mutate the fixture chapter at random (fixed seed) and weave each: under ASan and UBSan every result must
// be a page or a message naming chapter.md:LINE, never a crash, a leak or a message without a line.
static void test_mutations(int rounds) {
    size_t len;
    char *base = wb_read_file(FIX "/01-test/chapter.md", &len), *buf = wb_malloc(2 * len + 64);
    static const char pieces[] = "$`{}|@\\\n*_#-:=\"%[]<>~ 0";
    unsigned long seed = 12345;
    int good = 1, failed = 0;
    weave_opts o = S_opts;  // the listings' highlighting kept: the program is the same in every round
    char *cache = wb_path_join(S_tmp, "hl-mutations");
    o.highlight_cache = cache;
    for (int r = 0; r < rounds && good; r++) {
        memcpy(buf, base, len);
        size_t n = len;
        for (int k = 0; k < 3; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            size_t at = (seed >> 33) % n;
            if ((seed >> 20) % 2 && n > 1) memmove(buf + at, buf + at + 1, --n - at);  // delete a byte
            else if (n < 2 * len)
                memmove(buf + at + 1, buf + at, n++ - at), buf[at] = pieces[(seed >> 40) % (sizeof pieces - 1)];
        }
        weave_output out = {0};
        char err[1024] = "";
        int rc = weave_chapter(&o, buf, n, &out, err, sizeof err);
        good = rc == 0 ? out.page != NULL : strncmp(err, "chapters/01-test/chapter.md:", 28) == 0;
        failed += rc != 0;
        if (!good) diag("round %d: rc %d, message '%s'", r, rc, err);
        weave_output_free(&out);
    }
    ok(good, "%d mutated chapters: each a page or a chapter.md:LINE message (%d were errors)", rounds, failed);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", cache);
    if (system(cmd) != 0) diag("could not remove %s", cache);
    free(base), free(buf), free(cache);
}

// A failed gradient check among the chapter's outputs (one folder down, as chapter 3's): the page opens with a
// warning naming the failing groups; the same outputs with every group passing show none.
static void test_gradcheck_warning(void) {
    char err[1024], cmd[256], *out = wb_path_join(S_tmp, "gc.html"), *data = wb_path_join(S_tmp, "out");
    snprintf(cmd, sizeof cmd, "cp -r %s/out %s && mkdir -p %s/gradcheck", FIX, data, data);
    if (!ok(system(cmd) == 0, "a copy of the fixture's outputs")) return;
    char *gc = wb_path_join(data, "gradcheck/gradcheck.tsv");
    const char *fail = "group\tparams\tmax_abs_err\tmax_rel_err\ttolerance\tverdict\n"
                       "W\t6\t2.3e-02\t8.2e-01\t1e-06\tFAIL\nb\t3\t7.4e-02\t8.2e-01\t1e-06\tFAIL\n"
                       "V\t6\t5.8e-12\t5.2e-11\t1e-06\tpass\n";
    wb_write_file(gc, fail, strlen(fail));
    weave_args a = {FIX "/01-test", data, FIX "/figures", FIX "/toc.tsv", out, NULL, NULL, NULL};
    if (!ok(weave_run(&a, err, sizeof err) == 0, "a chapter whose gradient check failed still weaves")) diag("%s", err);
    char *page = wb_read_file(out, NULL);
    has_str(page, "<article>\n<div class=\"verdict fail\" role=\"alert\">\n<p><strong>The gradient check failed for "
            "<code>gradcheck</code>:</strong> the backward pass disagrees with finite differences in W, b.",
            "the page opens with a warning naming the failing groups");
    free(page);
    const char *pass = "group\tparams\tmax_abs_err\tmax_rel_err\ttolerance\tverdict\nW\t6\t1e-12\t2e-09\t1e-06\tpass\n";
    wb_write_file(gc, pass, strlen(pass));
    ok(weave_run(&a, err, sizeof err) == 0, "the same chapter with the check passing weaves");
    page = wb_read_file(out, NULL);
    ok(page && !strstr(page, "verdict fail"), "and shows no warning");
    free(page);
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", data, out);
    if (system(cmd) != 0) diag("could not remove %s", data);
    free(gc), free(out), free(data);
}

// ----- highlighting: lines cut whole, solution markers, the cache, a highlighter that fails ------------------

static void test_highlight(void) {
    // A token over three lines (source-highlight closes its own per line; another highlighter might not), a
    // blank line in it, a style the book leaves plain, and a '<' that opens no span.
    const char *raw = "<span class=\"comment\">/* a\n\n b */</span><span class=\"symbol\">;</span> x &lt; 1 <y\n"
                      "<span class=\"keyword\">return</span>\n";
    size_t n;
    char *got = weave_hl_split(raw, strlen(raw), &n);
    is_str(got,
           "<span class=\"tok-com\">/* a</span>\n<span class=\"tok-com\"></span>\n<span class=\"tok-com\"> b */</span>; "
           "x &lt; 1 <y\n<span class=\"tok-kw\">return</span>\n",
           "highlighting: a token over lines is closed and reopened on each, plain styles dropped");
    ok(n == strlen(got), "highlighting: its length");
    free(got);
    const char *unclosed = "<span class=\"string\">\"a\nb";
    got = weave_hl_split(unclosed, strlen(unclosed), &n);
    is_str(got, "<span class=\"tok-str\">\"a</span>\n<span class=\"tok-str\">b</span>", "highlighting: an unclosed span closes");
    free(got);

    ok(weave_hidden_line("// BEGIN SOLUTION") && weave_hidden_line("    // BEGIN SOLUTION: the forward pass") &&
           weave_hidden_line("\t// END SOLUTION  ") && weave_hidden_line("// END SOLUTION") &&
           weave_hidden_line("    // STUB: dl_do[k] = 0.0;"),
       "markers: BEGIN and STUB: with anything after them, END alone, indented or not, are hidden");
    ok(!weave_hidden_line("x = 1;  // BEGIN SOLUTION") && !weave_hidden_line("// END SOLUTION is near") &&
           !weave_hidden_line("/* BEGIN SOLUTION */") && !weave_hidden_line("") &&
           !weave_hidden_line("x = 0;  // STUB: not at the start"),
       "markers: code before one, words after END, a block comment, a blank line are shown");

    const char *path = FIX "/01-test/solution.c";
    size_t len;
    char *text = wb_read_file(path, &len), err[1024] = "", *a = NULL, *b = NULL, *cache = wb_path_join(S_tmp, "hl");
    ok(weave_highlight(path, text, len, cache, &a, &n, err, sizeof err) == 0, "highlight: solution.c, into a cache");
    ok(S_count_files(cache) == 1, "highlight: the cache keeps one file");
    const char *path_env = getenv("PATH");
    char *saved = wb_strdup(path_env ? path_env : "/usr/bin:/bin");
    setenv("PATH", "/nonexistent", 1);
    ok(weave_highlight(path, text, len, cache, &b, &n, err, sizeof err) == 0 && a && b && !strcmp(a, b),
       "highlight: the same file again is read from the cache (no highlighter needed)");
    free(b);
    int rc = weave_highlight(path, text, len, NULL, &b, &n, err, sizeof err);
    ok(rc == -1 && strstr(err, path) && strstr(err, "cannot run source-highlight"),
       "highlight: no highlighter is an error naming the file");
    diag("%s", err);
    setenv("PATH", saved, 1);
    free(saved);
    rc = weave_highlight(FIX "/01-test/nothere.c", "x\n", 2, NULL, &b, &n, err, sizeof err);
    ok(rc == -1 && strstr(err, "nothere.c: source-highlight failed"), "highlight: a highlighter that fails is an error naming the file");
    diag("%s", err);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", cache);
    if (system(cmd) != 0) diag("could not remove %s", cache);
    free(a), free(text), free(cache);
}

int main(void) {
    snprintf(S_tmp, sizeof S_tmp, "/tmp/test_weave.XXXXXX");
    if (!mkdtemp(S_tmp)) return printf("Bail out! cannot make a temporary folder\n"), 1;
    int n = S_run_spec(getenv("WEAVE_SPEC") ? getenv("WEAVE_SPEC") : SPEC);
    ok(n >= 60, "the spec holds %d examples", n);
    test_page();
    test_highlight();
    test_gradcheck_warning();
    test_error_writes_nothing();
    test_unlisted();
    test_toc();
    test_odd_inputs();
    test_bytes();
    test_sidebar_sections();
    test_long_texts();
    test_mutations(4000);
    rmdir(S_tmp);
    return tap_done();
}
