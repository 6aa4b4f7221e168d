// serve_http.c — the preview server's HTTP side, on libmicrohttpd: the files of book/, and the event stream.
//
// Safe by default, since it listens on a port: it answers GET and HEAD only (405 otherwise), serves regular files
// whose real path lies inside book/ (a "..", an encoded "%2e%2e" — libmicrohttpd decodes the path first —, an
// absolute path, or a symbolic link that leads out of book/ gets 404), never runs anything a request names, and
// holds at most S_MAX_CONN connections, each idle at most S_IDLE_S seconds (the event stream keeps itself alive
// with a comment line every S_KEEPALIVE_S seconds). It binds to the socket serve.c made (loopback by default).
//
// Every HTML page it sends gets one script more, /__serve.js (the client, src/assets/serve.js), which listens to
// /__events: the pages on disk stay as `make book` wrote them, so a page opened from file:// is today's page.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "serve.h"
#include "wb.h"

enum { S_MAX_CONN = 64, S_IDLE_S = 120, S_KEEPALIVE_S = 15, S_EVENTS_KEPT = 64 };

static struct MHD_Daemon *S_daemon;
static char S_root[PATH_MAX];
static const char *S_client;

// ----- the events: a numbered log, the last ones kept; a stream sends what it has not sent yet ---------------

typedef struct {
    long seq;
    char *text;  // "event: KIND\ndata: ...\n\n"
} S_event;

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t S_more = PTHREAD_COND_INITIALIZER;
static S_event S_log[S_EVENTS_KEPT];
static long S_seq;         // events so far
static char *S_state;      // the last status, failed or ok, replayed to a new stream
static int S_stopping;

void serve_event(const char *kind, const char *data) {
    size_t cap = strlen(kind) + 2 * strlen(data) + 64;
    char *text = wb_malloc(cap);
    int n = snprintf(text, cap, "event: %s\n", kind);
    for (const char *line = data; *line;) {  // one data: line per line of data, as SSE wants
        size_t len = strcspn(line, "\n");
        n += snprintf(text + n, cap - (size_t)n, "data: %.*s\n", (int)len, line);
        line += len + (line[len] == '\n');
    }
    snprintf(text + n, cap - (size_t)n, "%s\n", *data ? "" : "data:\n");
    pthread_mutex_lock(&S_lock);
    S_event *e = &S_log[S_seq % S_EVENTS_KEPT];
    free(e->text);
    *e = (S_event){++S_seq, text};
    if (strcmp(kind, "reload") != 0) free(S_state), S_state = wb_strdup(text);
    pthread_cond_broadcast(&S_more);
    pthread_mutex_unlock(&S_lock);
}

typedef struct {
    long sent;        // the last event this stream has sent
    int greeted;      // the replayed state is out
} S_stream;

// The event stream's body: blocks until there is something to send (an event, or a keep-alive comment).
static ssize_t S_stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
    S_stream *s = cls;
    (void)pos;
    pthread_mutex_lock(&S_lock);
    if (!s->greeted) {
        s->greeted = 1, s->sent = S_seq;
        const char *hello = S_state ? S_state : ": connected\n\n";
        size_t n = strlen(hello) < max ? strlen(hello) : max;
        memcpy(buf, hello, n);
        pthread_mutex_unlock(&S_lock);
        return (ssize_t)n;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += S_KEEPALIVE_S;
    while (s->sent == S_seq && !S_stopping)
        if (pthread_cond_timedwait(&S_more, &S_lock, &until) == ETIMEDOUT) break;
    ssize_t n;
    if (S_stopping) {
        n = MHD_CONTENT_READER_END_OF_STREAM;
    } else if (s->sent == S_seq) {
        n = snprintf(buf, max, ": keep-alive\n\n");
    } else {
        if (S_seq - s->sent > S_EVENTS_KEPT) s->sent = S_seq - S_EVENTS_KEPT;  // a stream that fell behind
        const char *t = S_log[(s->sent) % S_EVENTS_KEPT].text;
        size_t len = strlen(t);
        if (len > max) len = max;  // an event larger than the buffer is cut (none is: a path list, a message)
        memcpy(buf, t, len);
        s->sent++;
        n = (ssize_t)len;
    }
    pthread_mutex_unlock(&S_lock);
    return n;
}

static void S_stream_free(void *cls) { free(cls); }

// ----- files ------------------------------------------------------------------------------------------------

static const char *S_type(const char *path) {
    static const char *const map[][2] = {{".html", "text/html; charset=utf-8"}, {".css", "text/css"},
                                         {".js", "text/javascript"}, {".svg", "image/svg+xml"},
                                         {".png", "image/png"}, {".woff2", "font/woff2"}, {".woff", "font/woff"},
                                         {".ttf", "font/ttf"}, {".pdf", "application/pdf"},
                                         {".c", "text/plain; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"}};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t k = strlen(map[i][0]);
        if (n > k && !strcmp(path + n - k, map[i][0])) return map[i][1];
    }
    return "application/octet-stream";
}

// The file of book/ that url names, its real path in out; 0, or -1 when there is none that may be served.
static int S_resolve(const char *url, char *out) {
    if (url[0] != '/' || strstr(url, "/..") || strchr(url, '\\') || strlen(url) > PATH_MAX - strlen(S_root) - 16)
        return -1;
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s%s%s", S_root, url, url[strlen(url) - 1] == '/' ? "index.html" : "");
    struct stat st;
    if (!realpath(path, out)) return -1;
    size_t n = strlen(S_root);
    if (strncmp(out, S_root, n) != 0 || out[n] != '/') return -1;  // a link that leads out of book/
    if (stat(out, &st) != 0) return -1;
    if (S_ISDIR(st.st_mode)) {
        if (strlen(out) + 12 >= PATH_MAX) return -1;
        strcat(out, "/index.html");
        if (stat(out, &st) != 0) return -1;
    }
    return S_ISREG(st.st_mode) ? 0 : -1;
}

static enum MHD_Result S_send(struct MHD_Connection *c, unsigned status, const char *type, void *body, size_t n,
                              enum MHD_ResponseMemoryMode mode) {
    struct MHD_Response *r = MHD_create_response_from_buffer(n, body, mode);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result S_text(struct MHD_Connection *c, unsigned status, const char *text) {
    return S_send(c, status, "text/plain; charset=utf-8", (void *)text, strlen(text), MHD_RESPMEM_PERSISTENT);
}

// A page with the client script before its </body> (or at its end).
static enum MHD_Result S_page(struct MHD_Connection *c, const char *path) {
    size_t len;
    char *html = wb_read_file(path, &len);
    if (!html) return S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    static const char tag[] = "<script src=\"/__serve.js\"></script>\n";
    char *end = strstr(html, "</body>");
    size_t at = end ? (size_t)(end - html) : len, n = len + sizeof tag - 1;
    char *out = wb_malloc(n + 1);
    memcpy(out, html, at), memcpy(out + at, tag, sizeof tag - 1), memcpy(out + at + sizeof tag - 1, html + at, len - at);
    free(html);
    return S_send(c, MHD_HTTP_OK, S_type(path), out, n, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result S_file(struct MHD_Connection *c, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        return S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    MHD_add_response_header(r, "Content-Type", S_type(path));
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result S_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                const char *version, const char *upload, size_t *upload_size, void **state) {
    (void)cls, (void)version, (void)upload;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return S_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    if (!*state) {  // the first call sees the headers only; answer on the second
        *state = (void *)1;
        return MHD_YES;
    }
    if (*upload_size) return S_text(c, MHD_HTTP_BAD_REQUEST, "no request body\n");
    if (!strcmp(url, "/__serve.js"))
        return S_send(c, MHD_HTTP_OK, "text/javascript", (void *)S_client, strlen(S_client), MHD_RESPMEM_PERSISTENT);
    if (!strcmp(url, "/__events")) {
        S_stream *s = wb_calloc(1, sizeof *s);
        struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, S_stream_read, s,
                                                                   S_stream_free);
        MHD_add_response_header(r, "Content-Type", "text/event-stream");
        MHD_add_response_header(r, "Cache-Control", "no-store");
        enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ok;
    }
    char path[PATH_MAX];
    if (S_resolve(url, path) != 0) return S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    size_t n = strlen(path);
    return n > 5 && !strcmp(path + n - 5, ".html") ? S_page(c, path) : S_file(c, path);
}

int serve_http_start(int listen_fd, const char *root, const char *client, char *err, size_t errlen) {
    if (!realpath(root, S_root)) return wb_errf(err, errlen, "%s: %s", root, strerror(errno));
    S_client = client;
    S_daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
                                0, NULL, NULL, S_answer, NULL, MHD_OPTION_LISTEN_SOCKET, listen_fd,
                                MHD_OPTION_CONNECTION_LIMIT, (unsigned)S_MAX_CONN, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                (unsigned)S_MAX_CONN / 2, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)S_IDLE_S,
                                MHD_OPTION_END);
    if (!S_daemon) return wb_errf(err, errlen, "cannot start the HTTP server (libmicrohttpd)");
    return 0;
}

void serve_http_stop(void) {
    pthread_mutex_lock(&S_lock);
    S_stopping = 1;
    pthread_cond_broadcast(&S_more);
    pthread_mutex_unlock(&S_lock);
    if (S_daemon) MHD_stop_daemon(S_daemon);
    S_daemon = NULL;
}
