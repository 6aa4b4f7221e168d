// serve.c — `make serve`: the book rebuilt on every save, and every open page following it.
//
//   serve --book book --client src/assets/serve.js [--port 8000] [--host 127.0.0.1] [--settle-ms 300]
//         [--make 'make --no-print-directory book']
//
// It builds the book (`make book`, as the reader would), then serves book/ over HTTP (serve_http.c) and watches
// the sources (serve_watch.c). A save starts nothing at once: the writes of one save, or of a "save all", come in
// bursts, so it waits until the sources have been quiet for --settle-ms. Then, if their content is what the
// last build saw (a save that changed nothing, an edit undone), it does nothing; else it runs `make book`, telling
// the pages what runs (status: "04-experiments: 7 of up to 20 runs", from the plan the build prints first with
// WB_PLAN=1), and afterwards which pages changed (reload) or the first error (error). Saves during a build
// are noticed and give one more build after it, never two at once.
//
// It binds to the loopback address unless --host names another (then it warns: anyone who reaches that address
// reads the book). Ctrl-C stops it: the build it runs gets the same signal and stops cleanly (`make book` is safe
// to interrupt), and the server closes. Exit status 1 for bad flags or a port that is taken.
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flags.h"
#include "serve.h"
#include "wb.h"

static volatile sig_atomic_t S_stop;
static const char *S_make;  // the build command, --make
static void S_on_signal(int sig) { (void)sig, S_stop = 1; }

static double S_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

// ----- what changed: the pages of book/, by content ---------------------------------------------------------

typedef struct {
    char name[256];
    uint64_t digest;
} S_page;

// The pages (*.html) of book, at most cap of them.
static int S_pages(const char *book, S_page *pages, int cap) {
    DIR *d = opendir(book);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < cap;) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".html") || len >= sizeof pages[n].name) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", book, e->d_name);
        snprintf(pages[n].name, sizeof pages[n].name, "%s", e->d_name);
        pages[n++].digest = serve_file_digest(path);
    }
    if (d) closedir(d);
    return n;
}

// ----- one build ----------------------------------------------------------------------------------------------

// The build's plan (tools/make-book.sh with WB_PLAN=1: "== plan: 04-experiments up to 20 runs") and how many
// runs of each chapter make has reported, for the status line: "04-experiments: 7 of up to 20 runs: runs/...".
// (make book keeps each run's lines together, --output-sync, so a run's "== running" line comes as it ends.)
typedef struct {
    char chapter[64];
    int most, started;
} S_chapter_runs;
enum { S_MAX_CHAPTERS = 64 };

// A "== plan: CHAPTER up to N runs" line into the table.
static void S_plan_line(S_chapter_runs *t, int *n, const char *line) {
    char ch[64];
    int most;
    if (*n < S_MAX_CHAPTERS && sscanf(line, "== plan: %63s up to %d runs", ch, &most) == 2) {
        snprintf(t[*n].chapter, sizeof t[*n].chapter, "%s", ch);
        t[*n].most = most, t[*n].started = 0, (*n)++;
    }
}

// The status for a "== running WHAT" line ("04-experiments: runs/lr0.3_s1 (why)", or a chapter's own run,
// "02-vector (why)"): its chapter's count against the plan, when the plan names it.
static void S_run_status(char *status, size_t len, S_chapter_runs *t, int n, int runs, const char *what) {
    size_t k = strcspn(what, ": ");
    const char *rest = !strncmp(what + k, ": ", 2) ? what + k + 2 : what;  // the run, without its chapter
    for (int i = 0; i < n; i++)
        if (strlen(t[i].chapter) == k && !strncmp(t[i].chapter, what, k)) {
            int started = ++t[i].started;
            snprintf(status, len, "%.63s: %d of up to %d runs: %.3000s", t[i].chapter, started,
                     started > t[i].most ? started : t[i].most, rest);
            return;
        }
    snprintf(status, len, "make book: %d runs: %.3000s", runs, what);
}

// Run `make book`, its lines shown here and its "== running" lines told to the pages; returns make's status
// and leaves the first error ("book: FAILED: ...") in err.
static int S_build(int n, char *err, size_t errlen) {
    fprintf(stderr, "serve: build %d: make book\n", n);
    serve_event("status", "make book: starting");
    err[0] = '\0';
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "%s 2>&1", S_make);
    FILE *p = popen(cmd, "r");
    if (!p) return snprintf(err, errlen, "cannot run make: %s", strerror(errno)), -1;
    char line[4096];
    int runs = 0, chapters = 0;
    S_chapter_runs plan[S_MAX_CHAPTERS];
    while (fgets(line, sizeof line, p)) {
        fputs(line, stderr);
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "== plan: ", 9)) {
            S_plan_line(plan, &chapters, line);
        } else if (!strncmp(line, "== running ", 11)) {
            char status[4300];
            S_run_status(status, sizeof status, plan, chapters, ++runs, line + 11);
            serve_event("status", status);
        } else if (!strncmp(line, "== weaving ", 11)) {
            serve_event("status", line + 3);
        } else if (!strncmp(line, "book: FAILED: ", 14) && !err[0]) {
            snprintf(err, errlen, "%.2000s", line + 14);
        }
    }
    int status = pclose(p);
    if (status != 0 && !err[0]) snprintf(err, errlen, "make book failed (status %d)", WEXITSTATUS(status));
    return status;
}

// Build, then tell the pages: the error, or that all is well and which pages changed.
static void S_build_and_tell(const char *book, int n) {
    enum { MAX_PAGES = 256 };
    static S_page before[MAX_PAGES], after[MAX_PAGES];
    int nb = S_pages(book, before, MAX_PAGES);
    char err[2048];
    int status = S_build(n, err, sizeof err);
    if (S_stop) return;
    int na = S_pages(book, after, MAX_PAGES);
    char changed[MAX_PAGES * 260] = "";
    size_t len = 0;
    for (int i = 0; i < na; i++) {
        int same = 0;
        for (int k = 0; k < nb; k++) same |= !strcmp(after[i].name, before[k].name) && after[i].digest == before[k].digest;
        if (!same) len += (size_t)snprintf(changed + len, sizeof changed - len, "/%s\n", after[i].name);
    }
    if (status != 0) {
        fprintf(stderr, "serve: build %d failed: %s\n", n, err);
        serve_event("failed", err);
    } else {
        fprintf(stderr, "serve: build %d done\n", n);
        serve_event("ok", "");
    }
    if (len) serve_event("reload", changed);
}

// ----- the command line and the loop -----------------------------------------------------------------------------

typedef struct {
    const char *book, *client, *host, *make;
    int port, settle_ms;
} S_opts;

// A socket bound to host:port and listening, or -1 with the reason (a port taken is named as such).
static int S_listen(const S_opts *o, char *err, size_t errlen) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, o->host, &a.sin_addr) != 1)
        return wb_errf(err, errlen, "--host %s: expected an IPv4 address, like 127.0.0.1", o->host);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) return wb_errf(err, errlen, "socket: %s", strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0) {
        int e = errno;
        close(fd);
        if (e == EADDRINUSE)
            return wb_errf(err, errlen, "port %d on %s is taken (another make serve?); choose another with PORT=N",
                           o->port, o->host);
        return wb_errf(err, errlen, "cannot listen on %s:%d: %s", o->host, o->port, strerror(e));
    }
    return fd;
}

int main(int argc, char **argv) {
    wb_set_progname(argv[0]);
    S_opts o = {.book = "book", .client = "src/assets/serve.js", .host = "127.0.0.1", .port = 8000, .settle_ms = 300,
                .make = "make --no-print-directory book"};
    flag_spec specs[] = {
        {"book", FLAG_STRING, &o.book, "the folder to serve, as make book writes it", 0, 0},
        {"client", FLAG_STRING, &o.client, "the script every page gets (reload, status, error overlay)", 0, 0},
        {"host", FLAG_STRING, &o.host, "the address to listen on (other than loopback: anyone there can read)", 0, 0},
        {"port", FLAG_INT, &o.port, "the port", 1, 65535},
        {"settle-ms", FLAG_INT, &o.settle_ms, "how long the sources must be quiet before a build", 10, 60000},
        {"make", FLAG_STRING, &o.make, "the command that builds the book", 0, 0},
    };
    flags_parse(argc, argv, specs, FLAGS_COUNT(specs), "serve [--port N] [--host ADDR] [--book DIR]");
    S_make = o.make;
    setenv("WB_PLAN", "1", 1);  // every build starts with its plan, for the status line (tools/make-book.sh)
    char err[1024];
    size_t n;
    char *client = wb_read_file(o.client, &n);
    if (!client) wb_die("%s: cannot read: %s", o.client, strerror(errno));
    int fd = S_listen(&o, err, sizeof err);
    if (fd < 0) wb_die("%s", err);
    if (strcmp(o.host, "127.0.0.1") != 0)
        fprintf(stderr, "serve: warning: listening on %s, not only this machine: anyone who reaches it can read "
                        "the book\n", o.host);
    struct sigaction sa = {.sa_handler = S_on_signal};
    sigaction(SIGINT, &sa, NULL), sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int watch = serve_watch_start(err, sizeof err);
    if (watch < 0) wb_die("%s", err);
    mkdir(o.book, 0777);  // so that there is something to serve before the first build ends
    if (serve_http_start(fd, o.book, client, err, sizeof err) != 0) wb_die("%s", err);
    fprintf(stderr, "serve: http://%s:%d/ (Ctrl-C stops)\n", o.host, o.port);
    int builds = 0;
    uint64_t built = serve_digest();
    S_build_and_tell(o.book, ++builds);
    double last = 0;
    int dirty = 0;
    while (!S_stop) {
        struct pollfd p = {watch, POLLIN, 0};
        int r = poll(&p, 1, dirty ? 50 : 1000);
        if (r > 0 && serve_watch_read(watch)) dirty = 1, last = S_now();
        if (!dirty || S_now() - last < o.settle_ms / 1000.0) continue;
        dirty = 0;
        uint64_t now = serve_digest();
        if (now == built) continue;  // nothing changed in content: a touch, an undone edit
        built = now;
        S_build_and_tell(o.book, ++builds);
        if (serve_watch_read(watch)) dirty = 1, last = S_now();  // saves during the build: one build more
    }
    fprintf(stderr, "serve: stopping\n");
    serve_http_stop();
    close(watch);
    free(client);
    return 0;
}
