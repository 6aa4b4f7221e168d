// progress.c — see progress.h.
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void progress_start(progress *p, const char *label, long total) {
    p->label = label;
    p->total = total > 0 ? total : 1;
    p->last_done = 0;
    p->t0 = p->last_draw = progress_now();
    p->tty = isatty(2);
    p->last_decile = 0;
}

static void S_draw(progress *p, long done, double loss, double now) {
    double rate = done / (now - p->t0 > 1e-9 ? now - p->t0 : 1e-9);
    int pct = (int)(100.0 * done / p->total);
    if (p->tty) {
        char bar[31];
        int fill = (int)(30.0 * done / p->total);
        for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r%s [%s] %3d%% %8.0f samples/s  loss %.4f ", p->label, bar, pct, rate, loss);
    } else {
        fprintf(stderr, "%s: %3d%%  %.0f samples/s  loss %.4f\n", p->label, pct, rate, loss);
    }
    fflush(stderr);
}

void progress_update(progress *p, long done, double loss) {
    double now = progress_now();
    p->last_done = done;
    if (p->tty) {
        if (now - p->last_draw < 0.1) return;
        p->last_draw = now;
        S_draw(p, done, loss, now);
        return;
    }
    int decile = (int)(10.0 * done / p->total);
    if (decile <= p->last_decile || decile >= 10) return;
    p->last_decile = decile;
    S_draw(p, done, loss, now);
}

double progress_end(progress *p, long done, double loss) {
    double now = progress_now(), dt = now - p->t0;
    if (p->tty) S_draw(p, done, loss, now), fputc('\n', stderr);
    fprintf(stderr, "%s: done, %ld samples in %.2f s (%.0f samples/s), loss %.4f\n", p->label, done, dt,
            done / (dt > 1e-9 ? dt : 1e-9), loss);
    return dt;
}
