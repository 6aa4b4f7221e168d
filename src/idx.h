// idx.h — the MNIST IDX loader every chapter program uses.
//
// Reads the original IDX files (images: magic 0x00000803, ubyte, n x 28 x 28; labels: magic
// 0x00000801, ubyte, n). It checks the magic number, the dtype, the dimensions, that the file
// size is exactly header + data, that images and labels agree in count and that every label is
// 0..9, and on any failure reports the file, the byte offset and what was expected.
// Pixels stay bytes, as in the file (47 MB for the training set rather than 188 MB of floats, which
// a run would spend a tenth of a second just mapping into memory); a program scales the images it is
// about to use to [0, 1] floats with mnist_scale: inputs of order one keep the sigmoid units out of
// saturation at the start of training.
#ifndef IDX_H
#define IDX_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int n;           // number of images
    int dim;         // pixels per image (rows * cols, 784 for MNIST)
    uint8_t *x;      // (n, dim) pixels 0..255, row-major, as in the file
    uint8_t *y;      // (n) labels 0..9
} mnist_set;

// Parse an images/labels pair held in memory; 0 on success, -1 with "path: offset N: ..." in err.
int idx_parse(const char *img_path, const unsigned char *img, size_t img_len, const char *lab_path,
              const unsigned char *lab, size_t lab_len, mnist_set *out, char *err, size_t errlen);

// Read and parse a pair of files; same contract as idx_parse.
int idx_load(const char *img_path, const char *lab_path, mnist_set *out, char *err, size_t errlen);

// The splits the book uses, from the four files in dir (train-images-idx3-ubyte, ...):
//   final == 0: train = first 55 000 training images, eval = last 5 000 (validation)
//   final != 0: train = all 60 000,                  eval = the 10 000 test images
// limit > 0 keeps only the first `limit` training images (quick drafts and tests).
// Dies with a clear message (and a hint to run `make data` or set MNIST_DIR) on failure.
void mnist_load_split(const char *dir, int final, int limit, mnist_set *train, mnist_set *eval);

void mnist_free(mnist_set *s);

// Scale n pixels to floats in [0, 1]: out[i] = px[i] / 255, the correctly rounded float, the value numpy
// gives for x.astype(np.float32) / 255. A division the compiler vectorises.
void mnist_scale(float *out, const uint8_t *px, size_t n);

#endif
