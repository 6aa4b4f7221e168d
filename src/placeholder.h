// placeholder.h — computed values: `{{file:key*scale %fmt}}`, the one syntax of the weaver and the plotter.
//
//     {{key}}              the value of key in results.txt, as written
//     {{file:key}}         ... in file.txt (file may name a subfolder: b16/results)
//     {{key %.4f}}         formatted by one checked printf conversion (%f, %e, %g with flags, width, precision)
//     {{key*100 %.1f}}     scaled by a number first
//
// The files are NAME.txt of a chapter's data folder (build/NN-name/out), `key value` lines (tsv.h). This module
// parses a placeholder's text, checks its format, reads its results file and turns a key into the text it
// stands for; where a placeholder sits (prose, math, a caption, a figure label) and what is done with its text
// are the caller's: the weaver (weave_values.c) and the plotter (plot_values.c). Spec: docs/AUTHORING.md,
// "Computed values".
//
// No exit and no file:line: every function that can fail returns -1 (or NULL) with a message "what was wrong;
// expected what" in err, and the caller puts its own "chapter.md:LINE: " in front.
#ifndef PLACEHOLDER_H
#define PLACEHOLDER_H

#include <stddef.h>

#include "tsv.h"

typedef struct {
    const char *file;  // "results" unless named
    const char *key;
    double scale;      // 1 unless scaled
    int scaled;        // "*scale" was written
    const char *fmt;   // NULL: the value as written
} placeholder;

// The length of the placeholder opening at s ("{{") through its closing "}}", which must come before the
// end of s's line; n is how many bytes of s there are. -1 with "unterminated placeholder ..." in err if none.
long placeholder_end(const char *s, size_t n, char *err, size_t errlen);

// Parse the whole placeholder s[0, n) ("{{...}}", as placeholder_end measured it) into p, whose strings then
// point into buf (n + 1 bytes, the caller's, kept as long as p is used) or at static text. 0, or -1 with the
// message. The format is checked; the file name is checked to be a name inside the data folder.
int placeholder_parse(placeholder *p, const char *s, size_t n, char *buf, char *err, size_t errlen);

// Parse just the reference "[file:]key[*scale]" of a placeholder into p (a claim's condition names values this
// way). ref is cut in place and p's strings point into it; messages quote whole[0, wlen), what the author wrote.
int placeholder_parse_ref(placeholder *p, char *ref, const char *whole, size_t wlen, char *err, size_t errlen);

// The number formats an author may write: exactly one %f, %e or %g conversion with flags, width and precision
// (two digits each at most) and nothing else. Only a format that passed this check reaches snprintf.
int placeholder_check_format(const char *fmt, char *err, size_t errlen);
// Is s a finite number (surrounding spaces allowed)? 1 with *v set, or 0.
int placeholder_number(const char *s, double *v);
// v in the checked format fmt (or "%g") into out, cut to fit len bytes; returns out.
char *placeholder_format(const char *fmt, double v, char *out, size_t len);

// The results file NAME.txt of the folder dir: NULL with "missing results file ..." or the reader's message
// in err. A new results_file for results_free.
results_file *placeholder_read(const char *dir, const char *name, char *err, size_t errlen);

// The text p stands for in its results file r: the value as written (a pointer into r), or scaled and formatted
// into out (len bytes; 512 hold any checked format). NULL with the message for an unknown key (naming the keys
// there are) or a value that is not a number given a format or a scale.
const char *placeholder_value(const placeholder *p, const results_file *r, char *out, size_t len, char *err,
                              size_t errlen);

#endif
