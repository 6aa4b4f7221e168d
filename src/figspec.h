// figspec.h — the figure description language: what one ```figure block of a chapter.md says.
//
//     ```figure id=loss file=loss.svg
//     caption: Per-step training loss.
//     kind: line
//     series: train_loss.tsv x=step y=loss smooth=500 label="training loss"
//     ```
//
// figspec_parse reads one block (its fence's info string, its body lines with their line numbers) into a
// figspec, and checks what the block alone can tell: known names, each given once, well-formed values, the
// lines its kind needs and no lines of another kind. It does not read the data, draw, or know other blocks
// (a chapter's figure ids being unique is its caller's check). The language: docs/AUTHORING.md, "Figures".
//
// Used by the plotter to draw a figure and by the weaver to caption and check it: no Cairo here, no exit.
// Text is kept as the author wrote it (trimmed): labels may hold placeholders, which the plotter fills in from
// the run (plot_values.c), and a little TeX, which it turns into Unicode when it draws them; the caption may hold
// math and placeholders, which are the weaver's.
// Errors are returned: -1 and a message "PATH:LINE: what was wrong (what was expected)" in err.
#ifndef FIGSPEC_H
#define FIGSPEC_H

#include <stddef.h>

#include "blocks.h"

typedef enum { FIGSPEC_NONE, FIGSPEC_LINE, FIGSPEC_SCATTER, FIGSPEC_BAR } figspec_kind;

// One `series:`, `points:`, `regions:` or `bars:` line: a TSV file of the data folder and the columns it names.
// For bars, x is the value column and y the column of category names (text).
typedef struct {
    int line;       // its line in chapter.md
    char *file;     // NULL when the figure has no such line
    char *x, *y;    // column names; y "*" (series only): every column but x, one series each
    char *extra;    // std= (series), class= (points), p= (regions); NULL when not given
    char *label;    // legend text as written (series, bars); NULL: the column's name
    int smooth;     // moving-average window in points; 0: none
    int marker, dashed;
    int max;        // points: draw only the first max; 0: all
} figspec_source;

// The indices of figspec.lim: axis limits given by the author, NAN when free.
enum { FIGSPEC_XMIN, FIGSPEC_XMAX, FIGSPEC_YMIN, FIGSPEC_YMAX };

typedef struct {
    char *id, *file;  // from the fence's info string: id=ID file=NAME.svg
    int line;         // of the opening fence
    figspec_kind kind;
    char *caption;                  // as written; NULL when the block has none
    int caption_line;               // its line in chapter.md (0: none)
    char *title, *xlabel, *ylabel;  // as written (a little TeX inside $...$, placeholders); NULL when not given
    int title_line, xlabel_line, ylabel_line;  // their lines in chapter.md (0: not given)
    int xlog, ylog, log_line[2];    // log_line: where xlog, ylog were given (0: not given)
    double lim[4];                  // FIGSPEC_XMIN ... FIGSPEC_YMAX
    int lim_line[4];
    int w, h;                       // pixels; 640 400 unless `size:` says otherwise
    figspec_source *series;         // (nseries)
    int nseries;
    figspec_source points, regions;  // .file NULL when not given
    figspec_source *bars;            // (nbars)
    int nbars;
} figspec;

// One line of a block's body and its line number in chapter.md.
typedef struct {
    const char *text;  // without its newline; any indentation of the block already removed
    int line;
} figspec_line;

// Parse the block whose opening fence is on line fence_line of path: info is what follows "```figure" on
// that line, body its n lines. Returns 0 with *f filled in, or -1 with *f empty (nothing to free) and
// "path:LINE: ..." in err. Blank body lines are skipped. The inputs are not modified.
int figspec_parse(figspec *f, const char *path, int fence_line, const char *info, const figspec_line *body, int n,
                  char *err, size_t errlen);

// The same for block g of d, a blocks_parse result (blocks.h) of path's text: its body lines taken out of
// the text with the fence's indentation removed, as a figure inside a list item is written.
int figspec_parse_block(figspec *f, const char *path, const blocks_doc *d, const blocks_block *g, char *err,
                        size_t errlen);

// Free what a successful figspec_parse allocated, and empty *f. Safe on an empty figspec.
void figspec_free(figspec *f);

#endif
