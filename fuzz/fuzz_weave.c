// fuzz_weave.c — libFuzzer harness for the weaver (src/weave.h): any chapter text, and any results file beside it.
//
// Input: the text of chapters/01-test/chapter.md, optionally followed by a line "@@@results.txt@@@" and the
// contents of out/results.txt (otherwise the fixture's). The chapter is woven as tests/test_weave.c does, against
// the fixtures in tests/fixtures/weave (listings, figures, other results and TSV files); run from the top folder.
//
// Checked: an error is "chapters/01-test/chapter.md:LINE: ..." with LINE inside the text; a page is complete
// (ends in </html>), holds none of the weaver's private tokens, and — when the chapter text never says
// "script" — holds no <script> in the article: whatever a results file says reaches the page as text.
// weave_title on the same text returns a title without tabs or an error naming the file.
#include "../src/weave_int.h"  // the interface, and TOK_OPEN and TOK_CLOSE, which must never reach a page

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define WF_FIX "tests/fixtures/weave"
#define WF_MD "chapters/01-test/chapter.md"
#define WF_SEP "\n@@@results.txt@@@\n"

static weave_entry S_wf_entries[] = {
    {"00-preface", "index.html", 0, "Preface"},
    {"01-test", "01-test.html", 1, "Testing the weaver"},
    {"02-vector", "02-vector.html", 2, "Vectorising"},
};
static const weave_toc S_wf_book = {S_wf_entries, 3};

// The data folder: a copy of the fixture's out/ whose results.txt each input may replace.
static const char *S_wf_data(const uint8_t *res, size_t len) {
    static char data[128];
    static char *fixture;
    static size_t fixture_len;
    if (!data[0]) {
        char cmd[512];
        snprintf(data, sizeof data, "%s/out", fuzz_dir());
        snprintf(cmd, sizeof cmd, "cp -r " WF_FIX "/out '%s'", data);
        fixture = wb_read_file(WF_FIX "/out/results.txt", &fixture_len);
        if (!fixture || system(cmd) != 0) {
            fprintf(stderr, "fuzz_weave: run me from the repository's top folder (no %s/out)\n", WF_FIX);
            exit(2);
        }
    }
    fuzz_put(data, "results.txt", res ? (const void *)res : fixture, res ? len : fixture_len);
    return data;
}

static int S_wf_has(const char *s, size_t n, const char *needle) {  // needle in s[0, n), ignoring ASCII case
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && tolower((unsigned char)s[i + j]) == needle[j]) j++;
        if (j == k) return 1;
    }
    return 0;
}

// "chapters/01-test/chapter.md:LINE: " with 1 <= LINE <= lines.
static void S_wf_check_error(const char *err, int lines) {
    size_t n = strlen(WF_MD);
    FUZZ_CHECK(!strncmp(err, WF_MD ":", n + 1), "message names no file: '%s'", err);
    char *end;
    long line = strtol(err + n + 1, &end, 10);
    FUZZ_CHECK(line >= 1 && line <= lines && !strncmp(end, ": ", 2), "line %ld of %d: '%s'", line, lines, err);
}

static void S_wf_check_page(const weave_output *out, const char *md, size_t len) {
    size_t n = strlen(out->page);
    FUZZ_CHECK(n > 8 && !strcmp(out->page + n - 8, "</html>\n"), "page does not end in </html>");
    FUZZ_CHECK(!strstr(out->page, TOK_OPEN) && !strstr(out->page, TOK_CLOSE), "a token reached the page");
    FUZZ_CHECK(!strstr(out->math, TOK_OPEN) && !strstr(out->math, TOK_CLOSE), "a token reached --math-out");
    if (!S_wf_has(md, len, "script"))
        FUZZ_CHECK(!S_wf_has(out->body, strlen(out->body), "<script"), "<script> in the article: %s", out->body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *res;
    size_t res_len, len = fuzz_split(data, size, WF_SEP, &res, &res_len);
    const char *md = (const char *)data;
    int lines = 1;
    for (size_t i = 0; i < len; i++) lines += md[i] == '\n';
    weave_opts o = {WF_MD, WF_FIX "/01-test", S_wf_data(res, res_len), WF_FIX "/figures", "01-test", 1, &S_wf_book, NULL};

    weave_output out = {0};
    char err[1024] = "";
    if (weave_chapter(&o, md, len, &out, err, sizeof err) == 0) S_wf_check_page(&out, md, len);
    else S_wf_check_error(err, lines);
    weave_output_free(&out);

    char *title = NULL;
    err[0] = '\0';
    if (weave_title(WF_MD, md, len, &title, err, sizeof err) == 0) FUZZ_CHECK(!strchr(title, '\t'), "tab in title");
    else S_wf_check_error(err, lines);
    free(title);
    return 0;
}
