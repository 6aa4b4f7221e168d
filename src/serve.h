// serve.h — what the preview server's files share (src/serve.c tells the story: `make serve`).
//
//   serve.c        the command line, the build loop: watch, wait for the writes to settle, build, tell the pages
//   serve_watch.c  what a build depends on: inotify watches over the sources, and a digest of their content
//   serve_http.c   the HTTP side (libmicrohttpd): files of book/ only, GET and HEAD only, and the event stream
//                  (Server-Sent Events) that the pages' script (src/assets/serve.js, injected into every page it
//                  serves) listens to
//
// Names: serve_ for what these files share, S_ for what one file keeps.
#ifndef SERVE_H
#define SERVE_H

#include <stddef.h>
#include <stdint.h>

// ----- the events the pages hear (serve_http.c) ------------------------------------------------------------

// Start serving root (book/) on addr:port, the page script client (its text) injected into every HTML page.
// listen_fd is a socket already bound and listening (serve.c binds it, to tell a taken port apart).
// 0, or -1 with a message in err.
int serve_http_start(int listen_fd, const char *root, const char *client, char *err, size_t errlen);
void serve_http_stop(void);

// Tell every open page: kind is "status" (a build runs: data is what it does now), "failed" (the build failed:
// data is its first error), "ok" (a good build: the error overlay goes) or "reload" (data: the paths of the pages
// that changed, one a line, like "/01-scalar.html"). The last status, failed or ok is replayed to a page that
// connects later, so that a page opened after a failed build shows the error at once.
void serve_event(const char *kind, const char *data);

// ----- the sources (serve_watch.c) -------------------------------------------------------------------------

// Watch what `make book` reads: chapters/ (every folder in it), src/ (and src/assets), mk/, tools/, docs/ and the
// top folder's Makefile. Returns the inotify descriptor, or -1 with a message.
int serve_watch_start(char *err, size_t errlen);
// Read the pending events of fd; 1 when one of them was a change of a watched file, else 0. New folders in
// chapters/ are watched from now on.
int serve_watch_read(int fd);
// A digest of the content of every watched file: equal digests, nothing to rebuild.
uint64_t serve_digest(void);
// A digest of one file's content (serve.c compares the pages before and after a build with it).
uint64_t serve_file_digest(const char *path);

#endif
