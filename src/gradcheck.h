// gradcheck.h — the verdict of a gradient check, the same in every chapter program.
//
// Each program compares its backward pass with central differences in its own way (its precision, its step
// eps, its floor tau) and fills one gc_row per parameter group with the largest errors it found. This file
// decides and reports, so that the three programs mark a failure one way:
//
//   - dir/gradcheck.tsv: group params max_abs_err max_rel_err tolerance verdict, the verdict `pass` or `FAIL`
//     (the largest relative error against the program's tolerance, which fits its precision);
//   - one line per group on stderr, and a last line naming the failing groups;
//   - the exit status: 0 when every group passes, GC_EXIT_FAILED (4) when one fails.
#ifndef GRADCHECK_H
#define GRADCHECK_H

#define GC_EXIT_FAILED 4

typedef struct {
    const char *name;  // W, b, V or c
    long params;       // how many parameters the group has
    double max_abs, max_rel;
    double max_num;    // the largest central difference, |dl/dtheta| as measured: 0 when the loss ignored the group
} gc_row;

// Whether a group passes: its largest relative error is at most tol (a NaN fails), and something was compared:
// a group whose central differences and backward pass are all exactly zero fails, since a forward pass that
// ignores those parameters (a stub of the student version, make student) agrees with any zero gradient.
int gc_pass(const gc_row *r, double tol);

// Write dir/gradcheck.tsv (creating dir) and report on stderr, as above. Returns 0 or GC_EXIT_FAILED.
int gc_report(const char *dir, const gc_row *rows, int n, double tol);

#endif
