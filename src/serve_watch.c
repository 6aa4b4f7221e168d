// serve_watch.c — what a build of the book depends on: inotify watches over the sources, and their digest.
//
// inotify watches one folder, not a tree, so each folder of chapters/ gets its own watch (and a folder created
// later gets one when it appears). An editor saves in many ways — writing in place, or writing a new file and
// renaming it over the old one — so every event that can change a file's content counts. Whether it did is the
// digest's to say: FNV-1a over the names and bytes of every watched file.
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"
#include "wb.h"

// The folders whose files a build reads; chapters/ one level down too.
static const char *const S_dirs[] = {".", "src", "src/assets", "mk", "tools", "docs", "chapters"};
enum { N_DIRS = sizeof S_dirs / sizeof S_dirs[0] };
#define S_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)

static int S_chapters_wd = -1, S_top_wd = -1;

// Whether a file of a watched folder is one the build reads: in the top folder only the Makefile (build/, book/
// and the rest are outputs), and no editor's backup or swap file anywhere.
static int S_source(const char *dir, const char *name) {
    size_t n = strlen(name);
    if (!strcmp(dir, ".")) return !strcmp(name, "Makefile");
    return n && name[0] != '.' && name[n - 1] != '~' && !(n > 4 && !strcmp(name + n - 4, ".swp"));
}

static void S_watch_chapters(int fd) {
    DIR *d = opendir("chapters");
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "chapters/%s", e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) inotify_add_watch(fd, path, S_EVENTS);
    }
    if (d) closedir(d);
}

int serve_watch_start(char *err, size_t errlen) {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return wb_errf(err, errlen, "inotify: %s", strerror(errno));
    for (int i = 0; i < N_DIRS; i++) {
        int wd = inotify_add_watch(fd, S_dirs[i], S_EVENTS);
        if (wd < 0 && errno != ENOENT) {
            close(fd);
            return wb_errf(err, errlen, "inotify: cannot watch %s: %s", S_dirs[i], strerror(errno));
        }
        if (!strcmp(S_dirs[i], "chapters")) S_chapters_wd = wd;
        if (!strcmp(S_dirs[i], ".")) S_top_wd = wd;
    }
    S_watch_chapters(fd);
    return fd;
}

int serve_watch_read(int fd) {
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int changed = 0;
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            p += sizeof *e + e->len;
            if (e->wd == S_chapters_wd && (e->mask & IN_ISDIR)) S_watch_chapters(fd), changed = 1;
            else if (e->len && S_source(e->wd == S_top_wd ? "." : "", e->name)) changed = 1;
            else if (!e->len) changed = 1;
        }
    return changed;
}

#define S_FNV_BASIS 14695981039346656037u

static uint64_t S_fnv(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
    return h;
}

// The bytes of the file path into h (a file that cannot be read counts as empty).
static uint64_t S_fnv_file(uint64_t h, const char *path) {
    size_t len;
    char *text = wb_read_file(path, &len);
    h = S_fnv(h, text ? text : "", text ? len : 0);
    free(text);
    return h;
}

uint64_t serve_file_digest(const char *path) { return S_fnv_file(S_FNV_BASIS, path); }

// The names and bytes of every source file of dir, in a fixed order (sorted), into h.
static uint64_t S_digest_dir(uint64_t h, const char *dir) {
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (S_source(dir, names[i]->d_name) && stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                if (!strcmp(dir, "chapters")) h = S_digest_dir(S_fnv(h, path, strlen(path)), path);
            } else if (S_ISREG(st.st_mode)) {
                h = S_fnv_file(S_fnv(h, path, strlen(path) + 1), path);
            }
        }
        free(names[i]);
    }
    free(n >= 0 ? names : NULL);
    return h;
}

uint64_t serve_digest(void) {
    uint64_t h = S_FNV_BASIS;
    for (int i = 0; i < N_DIRS; i++) h = S_digest_dir(h, S_dirs[i]);
    return h;
}
