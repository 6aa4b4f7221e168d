// fuzz_idx.c — libFuzzer harness for the MNIST loader (src/idx.c): any bytes as an images file and a labels file.
//
// Input: two bytes (big-endian) giving the length of the images part, the images file, then the labels file.
// Both entry points see the pair: idx_parse from memory and idx_load from files (which checks the header
// first and streams the pixels in chunks — a separate code path). They must agree: both load it with the
// same pixels and labels, or both refuse it with a message that starts with the name of one of the files.
#include "../src/idx.h"
#include "fuzz.h"

// Compare two loaded sets; idx_parse and idx_load must give the same pixels and labels.
static void S_idx_same(const mnist_set *a, const mnist_set *b) {
    FUZZ_CHECK(a->n == b->n && a->dim == b->dim, "n %d/%d, dim %d/%d", a->n, b->n, a->dim, b->dim);
    FUZZ_CHECK(!memcmp(a->x, b->x, (size_t)a->n * a->dim), "pixels differ");
    FUZZ_CHECK(!memcmp(a->y, b->y, (size_t)a->n), "labels differ");
}

// What a successful load promises: 784 pixels per image, the bytes after the file's 16-byte header, and
// labels 0..9.
static void S_idx_valid(const mnist_set *s, const uint8_t *img) {
    FUZZ_CHECK(s->n > 0 && s->dim == 784, "n %d, dim %d", s->n, s->dim);
    FUZZ_CHECK(!memcmp(s->x, img + 16, (size_t)s->n * s->dim), "pixels are not the file's bytes");
    for (int i = 0; i < s->n; i++) FUZZ_CHECK(s->y[i] <= 9, "label %d", s->y[i]);
}

static void S_idx_names_file(const char *err, const char *img, const char *lab) {
    int named = !strncmp(err, img, strlen(img)) || !strncmp(err, lab, strlen(lab));
    FUZZ_CHECK(named && strstr(err, ": offset ") != NULL, "message names no file and offset: '%s'", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t ilen = (size_t)data[0] << 8 | data[1];
    const uint8_t *img = data + 2, *lab;
    if (ilen > size - 2) ilen = size - 2;
    lab = img + ilen;
    size_t llen = size - 2 - ilen;

    const char *dir = fuzz_dir();
    char ipath[128], lpath[128], err1[1024] = "", err2[1024] = "";
    snprintf(ipath, sizeof ipath, "%s/images", dir);
    snprintf(lpath, sizeof lpath, "%s/labels", dir);
    fuzz_put(dir, "images", img, ilen);
    fuzz_put(dir, "labels", lab, llen);

    mnist_set a, b;
    int ra = idx_parse(ipath, img, ilen, lpath, lab, llen, &a, err1, sizeof err1);
    int rb = idx_load(ipath, lpath, &b, err2, sizeof err2);
    FUZZ_CHECK(ra == rb, "idx_parse %d ('%s') but idx_load %d ('%s')", ra, err1, rb, err2);
    if (ra == 0) {
        S_idx_valid(&a, img);
        S_idx_same(&a, &b);
        mnist_free(&a), mnist_free(&b);
    } else {
        S_idx_names_file(err1, ipath, lpath);
        FUZZ_CHECK(!strcmp(err1, err2), "idx_parse says '%s' but idx_load '%s'", err1, err2);
        FUZZ_CHECK(a.x == NULL && b.x == NULL, "a refused pair left memory behind");
    }
    return 0;
}
