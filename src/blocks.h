// blocks.h — a chapter's text as prose runs and fenced blocks: the block parser the weaver and the plotter share.
//
// A chapter.md (docs/AUTHORING.md) is CommonMark with three kinds of directive fence:
//
//   ```figure id=loss file=loss.svg      a figure: the weaver numbers and shows it, the plotter draws it
//   ```table id=sweep caption="..."      a table
//   ```c include=prog.c:forward          a code listing taken from the chapter program
//
// blocks_parse() splits the text into runs of prose lines and fenced blocks, tells their kind, and reads a
// directive's info string into key=value / key="value" attributes, each checked against the keys its kind
// accepts (the caller's list). Everything is by offset into the caller's text, which must outlive the result.
//
// Errors are return values: -1 and "LINE: what was wrong; expected ..." in the caller's buffer, which the
// caller prefixes with its file name ("chapters/01-scalar/chapter.md:12: ..."). Nothing here knows cmark.
//
// What is a fence: a line of 3 or more ` or ~ after any number of spaces (fences inside list items count),
// a ``` run not followed by another ` on its line (that is a code span). An unclosed code fence runs to the
// end of the text, as in CommonMark; an unclosed directive is an error, since its end decides what it holds.
// A directive fence inside a block quote ("> ```figure", after up to 3 spaces) is an error: cmark would show
// it as quoted code. Code fences inside a quote stay prose lines, for cmark to read.
#ifndef BLOCKS_H
#define BLOCKS_H

#include <stddef.h>

typedef struct {
    size_t a, b;  // [a, b): byte offsets into the text
} blocks_range;

typedef enum { BLOCKS_PROSE, BLOCKS_CODE, BLOCKS_FIGURE, BLOCKS_TABLE, BLOCKS_INCLUDE } blocks_kind;
#define BLOCKS_NKINDS (BLOCKS_INCLUDE + 1)

typedef struct {
    char ch;            // '`' or '~'
    int n;              // length of the opening run
    int indent;         // spaces before it
    blocks_range info;  // the info string, trimmed
} blocks_fence;

typedef struct {
    blocks_range key, val;  // val without its quotes
} blocks_attr;

// A run of prose lines, or one fenced block with its body lines [body_a, body_b). Lines count from 0.
typedef struct {
    blocks_kind kind;
    int first, last;  // lines [first, last): for a block, its fences and body
    int body_a, body_b;
    blocks_fence f;      // blocks only
    blocks_attr *attrs;  // (nattrs) directives only, in the order written
    int nattrs;
} blocks_block;

typedef struct {
    const char *text;  // the caller's
    size_t len;
    blocks_range *lines;  // (nlines) without their '\n': "a\nb\n" and "a\nb" are two lines, "" is one
    int nlines;
    blocks_block *b;  // (n) in text order, covering every line
    int n;
} blocks_doc;

// The attribute keys each kind of directive accepts, the book's (the weaver and the plotter both pass it to
// blocks_parse, so that both refuse a block with the same message).
extern const char *const blocks_known[BLOCKS_NKINDS];

// The lines of text (malloc'd, *n of them), as blocks_doc.lines.
blocks_range *blocks_lines(const char *text, size_t len, int *n);

// Whether line opens a fence; 1 and *f filled, or 0.
int blocks_fence_open(const char *text, blocks_range line, blocks_fence *f);
// Whether line closes the fence f (a run of f's character at least as long, nothing else but spaces).
int blocks_fence_close(const char *text, blocks_range line, const blocks_fence *f);
// What a fence's info string makes it: its first word figure or table, a word include=..., or code.
blocks_kind blocks_fence_kind(const char *text, const blocks_fence *f);
// "figure", "table", "include", "code" (for messages).
const char *blocks_kind_name(blocks_kind k);

// Split text[0, len) into d (free with blocks_free). known[kind], when known and known[kind] are not NULL,
// lists the attribute keys that kind accepts, like "id, file"; a kind with no list takes any key.
// 0, or -1 with "LINE: what was wrong; expected ..." in err and d empty.
int blocks_parse(blocks_doc *d, const char *text, size_t len, const char *const *known, char *err, size_t errlen);
void blocks_free(blocks_doc *d);

// The attribute key of block b, or NULL.
const blocks_attr *blocks_get(const blocks_doc *d, const blocks_block *b, const char *key);

#endif
