// test_idx.c — the MNIST loader: hand-made good and broken IDX files, then the real data if present.
//
// Every broken file must be refused with a message naming the file, the byte offset and what was
// expected; a good file must come back with its pixels scaled to [0, 1] and its labels intact.
// The loader is part of the library every test links, so this test uses it through its header.
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idx.h"
#include "tap.h"
#include "wb.h"

static char S_dir[] = "/tmp/test_idx.XXXXXX";

// An IDX header: magic (0, 0, dtype, ndim) then the dimensions, big-endian.
static size_t S_header_bytes(unsigned char *b, int dtype, int ndim, const uint32_t *dims) {
    b[0] = b[1] = 0;
    b[2] = (unsigned char)dtype;
    b[3] = (unsigned char)ndim;
    for (int d = 0; d < ndim; d++)
        for (int k = 0; k < 4; k++) b[4 + 4 * d + k] = (unsigned char)(dims[d] >> (24 - 8 * k));
    return 4 + 4 * (size_t)ndim;
}

static char *S_write(const char *name, const unsigned char *b, size_t len) {
    char *path = wb_path_join(S_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, len, f) != len || fclose(f) != 0) wb_die("%s: cannot write test file", path);
    return path;
}

// n good 28x28 images: pixel k of image i is (i * 7 + k) % 256; labels i % 10.
static size_t S_images(unsigned char *b, uint32_t n) {
    uint32_t dims[3] = {n, 28, 28};
    size_t h = S_header_bytes(b, 0x08, 3, dims);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 784; k++) b[h + i * 784 + k] = (unsigned char)((i * 7 + k) % 256);
    return h + (size_t)n * 784;
}

static size_t S_labels(unsigned char *b, uint32_t n) {
    size_t h = S_header_bytes(b, 0x08, 1, &n);
    for (uint32_t i = 0; i < n; i++) b[h + i] = (unsigned char)(i % 10);
    return h + n;
}

static unsigned char S_img[16 + 4 * 784 + 64], S_lab[8 + 4 + 64];

// Load an images/labels pair written from buffers; return the error text ("" when it loaded).
static const char *S_try(const unsigned char *img, size_t ilen, const unsigned char *lab, size_t llen,
                         mnist_set *s) {
    static char err[1024];
    char *ip = S_write("images", img, ilen), *lp = S_write("labels", lab, llen);
    err[0] = '\0';
    int rc = idx_load(ip, lp, s, err, sizeof err);
    ok((rc == 0) == (err[0] == '\0'), "return code agrees with the message (rc %d)", rc);
    free(ip);
    free(lp);
    return err;
}

static char *S_expect(const char *fmt, const char *file) {
    static char want[1024];
    snprintf(want, sizeof want, fmt, S_dir, file);
    return want;
}

static void test_good(void) {
    mnist_set s;
    size_t il = S_images(S_img, 3), ll = S_labels(S_lab, 3);
    is_str(S_try(S_img, il, S_lab, ll, &s), "", "three good images load");
    ok(s.n == 3 && s.dim == 784, "n = 3, dim = 784 (got %d, %d)", s.n, s.dim);
    ok(s.y[0] == 0 && s.y[1] == 1 && s.y[2] == 2, "labels 0 1 2");
    ok(s.x[0] == 0 && s.x[255] == 255 && s.x[784 + 3] == 10, "the pixels are the file's bytes (got %d %d %d)",
       s.x[0], s.x[255], s.x[784 + 3]);
    float f[784];
    mnist_scale(f, s.x, 784);
    is_close(f[0], 0.0, 0, "pixel 0 of image 0 scales to 0");
    is_close(f[255], 1.0, 0, "pixel value 255 scales to exactly 1");
    mnist_scale(f, s.x + 784, 784);
    is_close(f[3], 10.0f / 255.0f, 0, "pixel value 10 scales to 10/255 (float)");
    float lo = 1, hi = 0;
    for (int k = 0; k < 3; k++) {
        mnist_scale(f, s.x + 784 * k, 784);
        for (int i = 0; i < 784; i++) lo = fminf(lo, f[i]), hi = fmaxf(hi, f[i]);
    }
    ok(lo == 0 && hi == 1, "scaled pixels span [0, 1] (got [%g, %g])", lo, hi);
    mnist_free(&s);
    ok(s.x == NULL && s.y == NULL && s.n == 0, "mnist_free leaves an empty set");
}

static void test_bad_images(void) {
    mnist_set s;
    size_t il = S_images(S_img, 3), ll = S_labels(S_lab, 3);
    unsigned char b[sizeof S_img];

    memcpy(b, S_img, il), b[0] = 0x1f, b[1] = 0x8b;
    is_str(S_try(b, il, S_lab, ll, &s), S_expect("%s/%s: offset 0: bad magic number 0x1f8b0803, expected 0x00000803 "
           "(IDX images); is it still gzip-compressed?", "images"), "bad magic");
    memcpy(b, S_img, il), b[2] = 0x0D;
    is_str(S_try(b, il, S_lab, ll, &s), S_expect("%s/%s: offset 2: dtype 0x0d (float), expected 0x08 (unsigned byte) "
           "for IDX images", "images"), "wrong dtype");
    memcpy(b, S_img, il), b[3] = 2;
    is_str(S_try(b, il, S_lab, ll, &s), S_expect("%s/%s: offset 3: 2 dimensions, expected 3 for IDX images "
           "(magic 0x00000803)", "images"), "wrong number of dimensions");
    memcpy(b, S_img, il), b[11] = 32;
    is_str(S_try(b, il, S_lab, ll, &s), S_expect("%s/%s: offset 8: 32 rows, expected 28", "images"), "wrong rows");
    memcpy(b, S_img, il), b[15] = 27;
    is_str(S_try(b, il, S_lab, ll, &s), S_expect("%s/%s: offset 12: 27 columns, expected 28", "images"),
           "wrong columns");
    is_str(S_try(S_img, il - 1, S_lab, ll, &s), S_expect("%s/%s: offset 2367: file is truncated: 2367 bytes, "
           "expected 16 + 3 images x 784 = 2368 bytes", "images"), "truncated by one byte");
    is_str(S_try(S_img, 10, S_lab, ll, &s), S_expect("%s/%s: offset 10: file ends inside the header (10 bytes), "
           "expected a 16-byte header", "images"), "truncated inside the header");
    is_str(S_try(S_img, 2, S_lab, ll, &s), S_expect("%s/%s: offset 2: file ends inside the magic number (2 bytes), "
           "expected IDX images (magic 0x00000803)", "images"), "truncated inside the magic number");
    is_str(S_try(S_img, il + 5, S_lab, ll, &s), S_expect("%s/%s: offset 2368: 5 bytes of unexpected data after 3 "
           "images; expected the file to end there (2368 bytes)", "images"), "oversized");
    is_str(S_try(S_img, 0, S_lab, ll, &s), S_expect("%s/%s: offset 0: empty file, expected IDX images "
           "(magic 0x00000803)", "images"), "empty file");
    size_t zl = S_images(b, 0);
    is_str(S_try(b, zl, S_lab, ll, &s), S_expect("%s/%s: offset 4: 0 images, expected at least one", "images"),
           "zero images");
}

static void test_bad_labels(void) {
    mnist_set s;
    size_t il = S_images(S_img, 3), ll = S_labels(S_lab, 3);
    unsigned char b[sizeof S_lab] = {0};
    char want[1024];

    memcpy(b, S_lab, ll), b[3] = 3;
    is_str(S_try(S_img, il, b, ll, &s), S_expect("%s/%s: offset 3: 3 dimensions, expected 1 for IDX labels "
           "(magic 0x00000801)", "labels"), "images file given as labels");
    memcpy(b, S_lab, ll), b[7] = 4;
    snprintf(want, sizeof want, "%s/labels: offset 4: 4 labels, expected 3 to match the images in %s/images", S_dir,
             S_dir);
    is_str(S_try(S_img, il, b, ll + 1, &s), want, "count mismatch");
    memcpy(b, S_lab, ll), b[9] = 10;
    is_str(S_try(S_img, il, b, ll, &s), S_expect("%s/%s: offset 9: label 10 (of image 1), expected 0..9", "labels"),
           "label out of range");
    is_str(S_try(S_img, il, S_lab, ll - 1, &s), S_expect("%s/%s: offset 10: file is truncated: 10 bytes, expected "
           "8 + 3 labels x 1 = 11 bytes", "labels"), "truncated labels");
    is_str(S_try(S_img, il, S_lab, ll + 1, &s), S_expect("%s/%s: offset 11: 1 byte of unexpected data after 3 "
           "labels; expected the file to end there (11 bytes)", "labels"), "oversized labels");
    is_str(S_try(S_img, il, S_lab, 0, &s), S_expect("%s/%s: offset 0: empty file, expected IDX labels "
           "(magic 0x00000801)", "labels"), "empty labels file");
    ok(s.x == NULL && s.y == NULL, "a failed load leaves no arrays behind");
}

static void test_missing(void) {
    mnist_set s;
    char err[1024], want[1024];
    char *ip = wb_path_join(S_dir, "no-such-file");
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", ip);
    ok(idx_load(ip, ip, &s, err, sizeof err) == -1, "a missing file is an error");
    is_str(err, want, "the message names the missing file");
    free(ip);
}

// mnist_load_split dies (exit 1) and tells the reader how to get the data.
static void test_split_hint(void) {
    char *log = wb_path_join(S_dir, "stderr");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        mnist_set tr, ev;
        if (!freopen(log, "w", stderr)) _exit(99);
        mnist_load_split(S_dir, 0, 0, &tr, &ev);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 1, "a missing MNIST folder exits with status 1");
    char *text = wb_read_file(log, NULL);
    char want[1024];
    snprintf(want, sizeof want, "%s/train-images-idx3-ubyte: cannot open: No such file or directory", S_dir);
    has_str(text, want, "the message names the missing file");
    has_str(text, "run `make data`", "the message says how to fetch MNIST");
    has_str(text, "MNIST_DIR=", "the message says how to use files the reader has");
    free(text);
    unlink(log);
    free(log);
}

// The real MNIST files, when `make test` points MNIST at them.
static void test_real(void) {
    const char *dir = tap_mnist();
    if (!dir) return;
    mnist_set tr, ev;
    mnist_load_split(dir, 1, 0, &tr, &ev);
    ok(tr.n == 60000 && ev.n == 10000, "final split: 60000 train, 10000 test (got %d, %d)", tr.n, ev.n);
    const int first[] = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first_test[] = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};
    int good = 1, good_test = 1;
    for (int i = 0; i < 10; i++) good &= tr.y[i] == first[i], good_test &= ev.y[i] == first_test[i];
    ok(good, "first training labels 5 0 4 1 9 2 1 3 1 4");
    ok(good_test, "first test labels 7 2 1 0 4 1 4 9 5 9");
    int last = tr.y[55000];
    int px = tr.x[(size_t)55000 * 784 + 400];
    mnist_free(&tr);
    mnist_free(&ev);

    mnist_load_split(dir, 0, 0, &tr, &ev);
    ok(tr.n == 55000 && ev.n == 5000, "validation split: 55000 train, 5000 validation (got %d, %d)", tr.n, ev.n);
    ok(ev.y[0] == last && ev.x[400] == px, "validation starts at training image 55000");
    mnist_free(&tr);
    mnist_free(&ev);

    mnist_load_split(dir, 0, 2000, &tr, &ev);
    ok(tr.n == 2000 && ev.n == 5000, "--limit 2000 keeps 2000 training images and the whole validation set");
    ok(tr.y[0] == 5 && tr.y[3] == 1, "the limited set is the first images");
    mnist_free(&tr);
    mnist_free(&ev);
}

int main(void) {
    if (!mkdtemp(S_dir)) wb_die("%s: cannot create temp dir", S_dir);
    test_good();
    test_bad_images();
    test_bad_labels();
    test_missing();
    test_split_hint();
    test_real();
    const char *names[] = {"images", "labels"};
    for (int i = 0; i < 2; i++) {
        char *p = wb_path_join(S_dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(S_dir);
    return tap_done();
}
