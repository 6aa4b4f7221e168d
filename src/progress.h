// progress.h — training progress on stderr: a live bar on a terminal, plain lines in a log.
//
// On a terminal: `epoch 1/5 [#######.......] 41% 23012 samples/s loss 0.312` redrawn in place
// at most ten times a second. Otherwise (make's log, CI): one plain line per 10% of the work.
#ifndef PROGRESS_H
#define PROGRESS_H

typedef struct {
    const char *label;
    long total, last_done;
    double t0, last_draw;
    int tty, last_decile;
} progress;

void progress_start(progress *p, const char *label, long total);
void progress_update(progress *p, long done, double loss);
// Finish the line: prints the elapsed time and the final rate; returns elapsed seconds.
double progress_end(progress *p, long done, double loss);

// Monotonic wall-clock seconds (for samples/s in results).
double progress_now(void);

#endif
