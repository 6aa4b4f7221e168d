// test_blocks.c — src/blocks.c through blocks.h, as the plotter uses it: no known-key lists, errors as
// "LINE: message". What the weaver makes of the blocks is tests/weave_spec.txt's business.
#include "blocks.h"

#include <string.h>

#include "tap.h"

static const char *S_text =
    "# Title\n"                                // 1  prose
    "\n"                                       // 2
    "- item\n"                                 // 3
    "\n"                                       // 4
    "  ```figure id=loss file=\"loss.svg\"\n"  // 5  figure, indented in a list item
    "  kind: line\n"                           // 6
    "  ```\n"                                  // 7
    "~~~c\n"                                   // 8  code
    "```figure not=a block\n"                  // 9
    "~~~\n"                                    // 10
    "> ```c\n"                                 // 11 prose: quoted code
    "> ```table id=x\n"                        // 12
    "> ```\n";                                 // 13

static void test_split(void) {
    blocks_doc d;
    char err[256] = "";
    ok(blocks_parse(&d, S_text, strlen(S_text), NULL, err, sizeof err) == 0, "a chapter parses: '%s'", err);
    ok(d.n == 4 && d.nlines == 13, "into 4 blocks over 13 lines (got %d, %d)", d.n, d.nlines);
    if (d.n != 4) {
        blocks_free(&d);
        return;
    }
    const blocks_block *f = &d.b[1];
    ok(d.b[0].kind == BLOCKS_PROSE && d.b[0].first == 0 && d.b[0].last == 4, "lines 1-4 are prose");
    ok(f->kind == BLOCKS_FIGURE && f->first == 4 && f->last == 7 && f->body_a == 5 && f->body_b == 6,
       "lines 5-7 a figure with a one-line body");
    ok(f->f.indent == 2 && f->f.ch == '`' && f->f.n == 3, "its fence: indent 2, ```");
    const blocks_attr *file = blocks_get(&d, f, "file");
    ok(file && file->val.b - file->val.a == 8 && !memcmp(S_text + file->val.a, "loss.svg", 8),
       "file=\"loss.svg\" without its quotes");
    ok(blocks_get(&d, f, "id") && !blocks_get(&d, f, "i"), "id found, a prefix of it not");
    ok(d.b[2].kind == BLOCKS_CODE && d.b[2].first == 7 && d.b[2].last == 10, "a ~~~ code block holds a ``` line");
    ok(d.b[3].kind == BLOCKS_PROSE && d.b[3].first == 10 && d.b[3].last == 13, "quoted code stays prose");
    blocks_free(&d);
    ok(d.n == 0 && !d.b && !d.lines, "blocks_free empties the doc");
}

// With the weaver's key list and without (the plotter's): NULL where the text parses.
static void test_errors(void) {
    static const char *const known[BLOCKS_NKINDS] = {[BLOCKS_FIGURE] = "id, file"};
#define QUOTED                                                                                                     \
    "3: a figure block inside a block quote; expected it outside the quote (a figure, table or listing cannot be " \
    "quoted)"
#define UNTERMINATED "2: unterminated figure block; expected a closing ``` line"
#define QUOTE "1: unterminated quoted value of 'id'; expected a closing '\"'"
    static const struct {
        const char *text, *with_keys, *without;
    } cases[] = {
        {"a\n```figure id=x\n", UNTERMINATED, UNTERMINATED},
        {"```figure id=x size=2\n```\n", "1: unknown attribute 'size' of a figure block; expected one of: id, file",
         NULL},
        {"```figure id=\"x\n```\n", QUOTE, QUOTE},
        {"\n\n > ```figure id=x\n", QUOTED, QUOTED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (int k = 0; k < 2; k++) {
            const char *want = k ? cases[i].without : cases[i].with_keys;
            blocks_doc d;
            char err[256] = "";
            int rc = blocks_parse(&d, cases[i].text, strlen(cases[i].text), k ? NULL : known, err, sizeof err);
            if (want)
                ok(rc == -1 && !strcmp(err, want) && d.n == 0, "case %zu, %s key list: '%s'", i + 1, k ? "no" : "a",
                   err);
            else ok(rc == 0, "case %zu, %s key list: parses ('%s')", i + 1, k ? "no" : "a", err);
            blocks_free(&d);
        }
    }
}

int main(void) {
    test_split();
    test_errors();
    return tap_done();
}
