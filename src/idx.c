// idx.c — read and check MNIST's IDX files into bytes; mnist_scale turns the images a program uses into floats.
//
// An IDX file is a 4-byte magic number (two zero bytes, a dtype byte, the number of dimensions),
// then one big-endian uint32 per dimension, then the data. MNIST's images are 0x00000803
// (ubyte, 3 dims: n x 28 x 28) and its labels 0x00000801 (ubyte, 1 dim: n). Every check below
// reports "path: offset N: what was found, what was expected", because a reader who fed the
// program the wrong file deserves to know which file and where it went wrong.
#include "idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wb.h"

#define IDX_UBYTE 0x08
#define MNIST_SIDE 28
#define MNIST_VAL 5000  // the validation split: the last 5 000 training images

static uint32_t S_be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static const char *S_dtype_name(int t) {
    switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "short";
    case 0x0C: return "int";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return "unknown";
    }
}

// Check the magic number and read the ndim dimensions of an IDX ubyte file into dims.
// `what` names the expected content for messages ("images", "labels"). Returns the
// header size in bytes (4 + 4 * ndim), or -1 with the message in err.
static long S_header(const char *path, const unsigned char *b, size_t len, int ndim, const char *what,
                     uint32_t *dims, char *err, size_t errlen) {
    long hdr = 4 + 4L * ndim;
    uint32_t want = 0x0800u | (uint32_t)ndim;
    if (len == 0)
        return wb_errf(err, errlen, "%s: offset 0: empty file, expected IDX %s (magic 0x%08x)", path, what, want);
    if (len < 4)
        return wb_errf(err, errlen, "%s: offset %zu: file ends inside the magic number (%zu bytes), expected IDX %s "
                       "(magic 0x%08x)", path, len, len, what, want);
    uint32_t magic = S_be32(b);
    if (b[0] != 0 || b[1] != 0)
        return wb_errf(err, errlen, "%s: offset 0: bad magic number 0x%08x, expected 0x%08x (IDX %s); "
                       "is it still gzip-compressed?", path, magic, want, what);
    if (b[2] != IDX_UBYTE)
        return wb_errf(err, errlen, "%s: offset 2: dtype 0x%02x (%s), expected 0x08 (unsigned byte) for IDX %s",
                       path, b[2], S_dtype_name(b[2]), what);
    if (b[3] != ndim)
        return wb_errf(err, errlen, "%s: offset 3: %d dimensions, expected %d for IDX %s (magic 0x%08x)", path, b[3],
                       ndim, what, want);
    if (len < (size_t)hdr)
        return wb_errf(err, errlen, "%s: offset %zu: file ends inside the header (%zu bytes), expected a %ld-byte "
                       "header", path, len, len, hdr);
    for (int d = 0; d < ndim; d++) dims[d] = S_be32(b + 4 + 4 * d);
    return hdr;
}

// The file must hold exactly hdr + count * item bytes: shorter is truncated, longer is
// something else appended (or a different file with a plausible header).
static int S_check_size(const char *path, size_t len, long hdr, uint32_t count, uint64_t item, const char *what,
                        char *err, size_t errlen) {
    uint64_t want = (uint64_t)hdr + (uint64_t)count * item;
    if ((uint64_t)len < want)
        return wb_errf(err, errlen, "%s: offset %zu: file is truncated: %zu bytes, expected %ld + %u %s x %llu = "
                       "%llu bytes", path, len, len, hdr, count, what, (unsigned long long)item,
                       (unsigned long long)want);
    if ((uint64_t)len > want)
        return wb_errf(err, errlen, "%s: offset %llu: %llu byte%s of unexpected data after %u %s; expected the file "
                       "to end there (%llu bytes)", path, (unsigned long long)want, (unsigned long long)(len - want),
                       len - want == 1 ? "" : "s", count, what, (unsigned long long)want);
    return 0;
}

// Images: n x 28 x 28, at least one image, exact size. Sets *n.
static int S_check_images(const char *path, const unsigned char *b, size_t len, uint32_t *n, char *err,
                          size_t errlen) {
    uint32_t dims[3];
    long hdr = S_header(path, b, len, 3, "images", dims, err, errlen);
    if (hdr < 0) return -1;
    if (dims[0] == 0) return wb_errf(err, errlen, "%s: offset 4: 0 images, expected at least one", path);
    if (dims[1] != MNIST_SIDE)
        return wb_errf(err, errlen, "%s: offset 8: %u rows, expected %d", path, dims[1], MNIST_SIDE);
    if (dims[2] != MNIST_SIDE)
        return wb_errf(err, errlen, "%s: offset 12: %u columns, expected %d", path, dims[2], MNIST_SIDE);
    if (dims[0] > (uint32_t)(0x7fffffff / (MNIST_SIDE * MNIST_SIDE)))
        return wb_errf(err, errlen, "%s: offset 4: %u images, expected fewer (too many to index)", path, dims[0]);
    *n = dims[0];
    return S_check_size(path, len, hdr, dims[0], MNIST_SIDE * MNIST_SIDE, "images", err, errlen);
}

// Labels: n of them, n matching the images, each 0..9, exact size.
static int S_check_labels(const char *path, const unsigned char *b, size_t len, uint32_t n_img,
                          const char *img_path, char *err, size_t errlen) {
    uint32_t n = 0;
    long hdr = S_header(path, b, len, 1, "labels", &n, err, errlen);
    if (hdr < 0) return -1;
    if (n != n_img)
        return wb_errf(err, errlen, "%s: offset 4: %u labels, expected %u to match the images in %s", path, n, n_img,
                       img_path);
    if (S_check_size(path, len, hdr, n, 1, "labels", err, errlen) != 0) return -1;
    for (uint32_t i = 0; i < n; i++)
        if (b[hdr + i] > 9)
            return wb_errf(err, errlen, "%s: offset %lu: label %u (of image %u), expected 0..9", path,
                           (unsigned long)(hdr + i), b[hdr + i], i);
    return 0;
}

void mnist_scale(float *out, const uint8_t *px, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)px[i] / 255.0f;
}

static void S_fill(mnist_set *out, uint32_t n, uint8_t *x, const unsigned char *labels) {
    out->n = (int)n;
    out->dim = MNIST_SIDE * MNIST_SIDE;
    out->x = x;
    out->y = memcpy(wb_malloc(n), labels, n);
}

int idx_parse(const char *img_path, const unsigned char *img, size_t img_len, const char *lab_path,
              const unsigned char *lab, size_t lab_len, mnist_set *out, char *err, size_t errlen) {
    uint32_t n = 0;
    memset(out, 0, sizeof *out);
    if (S_check_images(img_path, img, img_len, &n, err, errlen) != 0) return -1;
    if (S_check_labels(lab_path, lab, lab_len, n, img_path, err, errlen) != 0) return -1;
    size_t total = (size_t)n * MNIST_SIDE * MNIST_SIDE;
    S_fill(out, n, memcpy(wb_malloc(total), img + 16, total), lab + 8);  // (n, 784)
    return 0;
}

// Open a regular file and find its size; NULL with "path: reason" in err. A folder opens too, and its "size"
// (LONG_MAX on Linux) would be allocated, so the kind of file is checked first. `what` names the content.
static FILE *S_open(const char *path, const char *what, size_t *size, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        wb_errf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        wb_errf(err, errlen, "%s: %s; expected a regular file of IDX %s", path,
                S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file", what);
        fclose(f);
        return NULL;
    }
    *size = (size_t)st.st_size;
    return f;
}

// Read exactly n bytes at the current position; -1 with a message when the file ends early or fails.
static int S_read(FILE *f, const char *path, unsigned char *buf, size_t n, size_t at, char *err, size_t errlen) {
    size_t got = fread(buf, 1, n, f);
    if (got == n) return 0;
    return wb_errf(err, errlen, "%s: offset %zu: read failed (%s), expected %zu more bytes", path, at + got,
                   ferror(f) ? strerror(errno) : "the file ended early", n - got);
}

// The labels file, whole (60 KB), checked against the image count n. Its header and size are checked before
// anything is allocated, so a huge file is named and refused rather than read.
static unsigned char *S_load_labels(const char *path, uint32_t n, const char *img_path, char *err, size_t errlen) {
    size_t size;
    FILE *f = S_open(path, "labels", &size, err, errlen);
    if (!f) return NULL;
    unsigned char hdr[8];
    uint32_t count = 0;
    size_t hlen = size < sizeof hdr ? size : sizeof hdr;
    int rc = S_read(f, path, hdr, hlen, 0, err, errlen);
    if (rc == 0 && S_header(path, hdr, size, 1, "labels", &count, err, errlen) < 0) rc = -1;
    if (rc == 0 && count != n)
        rc = wb_errf(err, errlen, "%s: offset 4: %u labels, expected %u to match the images in %s", path, count, n,
                     img_path);
    if (rc == 0) rc = S_check_size(path, size, sizeof hdr, n, 1, "labels", err, errlen);
    if (rc != 0) return fclose(f), NULL;
    unsigned char *lab = wb_malloc(size);
    memcpy(lab, hdr, sizeof hdr);
    rc = S_read(f, path, lab + sizeof hdr, size - sizeof hdr, sizeof hdr, err, errlen);
    fclose(f);
    if (rc == 0) rc = S_check_labels(path, lab, size, n, img_path, err, errlen);
    if (rc == 0) return lab;
    free(lab);
    return NULL;
}

// Everything is checked before the pixels are read, straight into the set's own buffer.
int idx_load(const char *img_path, const char *lab_path, mnist_set *out, char *err, size_t errlen) {
    unsigned char hdr[16];
    size_t size;
    uint32_t n = 0;
    memset(out, 0, sizeof *out);
    FILE *f = S_open(img_path, "images", &size, err, errlen);
    if (!f) return -1;
    size_t hlen = size < sizeof hdr ? size : sizeof hdr;  // the checks read no further than the header
    unsigned char *lab = NULL;
    uint8_t *x = NULL;
    int rc = S_read(f, img_path, hdr, hlen, 0, err, errlen);
    if (rc == 0) rc = S_check_images(img_path, hdr, size, &n, err, errlen);
    if (rc == 0 && !(lab = S_load_labels(lab_path, n, img_path, err, errlen))) rc = -1;
    if (rc == 0) {
        size_t total = (size_t)n * MNIST_SIDE * MNIST_SIDE;
        x = wb_malloc(total);  // (n, 784)
        rc = S_read(f, img_path, x, total, sizeof hdr, err, errlen);
    }
    fclose(f);
    if (rc == 0) S_fill(out, n, x, lab + 8);
    else free(x);
    free(lab);
    return rc;
}

// Load dir/prefix-images-idx3-ubyte and dir/prefix-labels-idx1-ubyte, or die with a hint.
static void S_load_pair(const char *dir, const char *prefix, mnist_set *s) {
    char img[4096], lab[4096], err[1024];
    snprintf(img, sizeof img, "%s/%s-images-idx3-ubyte", dir, prefix);
    snprintf(lab, sizeof lab, "%s/%s-labels-idx1-ubyte", dir, prefix);
    if (idx_load(img, lab, s, err, sizeof err) != 0)
        wb_die("%s\n  (run `make data` to fetch and verify MNIST into data/mnist, or `make data MNIST_DIR=/path` "
               "to use IDX files you already have; a program takes another folder with --mnist DIR)", err);
}

// Copy rows [from, from + n) of s into a new set.
static mnist_set S_rows(const mnist_set *s, int from, int n) {
    mnist_set r = {n, s->dim, wb_malloc((size_t)n * s->dim), wb_malloc((size_t)n)};
    memcpy(r.x, s->x + (size_t)from * s->dim, (size_t)n * s->dim);
    memcpy(r.y, s->y + from, (size_t)n);
    return r;
}

// Keep only the first n rows of s (n <= s->n), giving the rest of the memory back.
static void S_truncate(mnist_set *s, int n) {
    s->n = n;
    s->x = wb_realloc(s->x, (size_t)n * s->dim);
    s->y = wb_realloc(s->y, (size_t)n);
}

void mnist_load_split(const char *dir, int final, int limit, mnist_set *train, mnist_set *eval) {
    S_load_pair(dir, "train", train);
    if (final) {
        S_load_pair(dir, "t10k", eval);
    } else {
        if (train->n <= MNIST_VAL)
            wb_die("%s/train-images-idx3-ubyte: %d images, expected more than the %d held out for validation", dir,
                   train->n, MNIST_VAL);
        *eval = S_rows(train, train->n - MNIST_VAL, MNIST_VAL);
        S_truncate(train, train->n - MNIST_VAL);
    }
    if (limit > 0 && limit < train->n) S_truncate(train, limit);
}

void mnist_free(mnist_set *s) {
    free(s->x);
    free(s->y);
    s->x = NULL;
    s->y = NULL;
    s->n = 0;
}
