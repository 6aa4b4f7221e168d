// fuzz_plot.c — libFuzzer harness for the plotter (src/plot*.c, src/figspec.c): any chapter text's figure blocks,
// drawn from any TSV.
//
// Input: the text of a chapter.md, optionally followed by a line "@@@data.tsv@@@" and the contents of the data
// folder's data.tsv; the folder also holds the plotter's fixture series (tests/fixtures/plot/out: train_loss.tsv,
// val_loss.tsv, seeds.tsv, moons.tsv, regions.tsv) and results files for placeholders in labels (results.txt,
// sweep/results.txt). Run from the top folder.
//
// Checked: plot_parse gives figures or "chapter.md:LINE: ..." with LINE inside the text; each figure (the first
// four, at most 1000 x 1000 pixels: size is the author's to choose) draws to a whole SVG document or is refused
// with a message naming chapter.md:LINE — whatever the data holds (NaN, one row, a constant column, huge values).
#include "fuzz.h"
#include "plot.h"

#define PF_MD "chapters/01-test/chapter.md"
#define PF_SEP "\n@@@data.tsv@@@\n"

// Fontconfig keeps its configuration until exit, by design: not a leak of ours.
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

static const char *S_pf_data(const uint8_t *tsv, size_t len) {
    static char data[128];
    if (!data[0]) {
        char cmd[512];
        snprintf(data, sizeof data, "%s/out", fuzz_dir());
        snprintf(cmd, sizeof cmd, "cp -r tests/fixtures/plot/out '%s'", data);
        if (system(cmd) != 0) {
            fprintf(stderr, "fuzz_plot: run me from the repository's top folder (no tests/fixtures/plot/out)\n");
            exit(2);
        }
    }
    static const char dflt[] = "x\ty\tz\n1\t2\t0\n2\t-1\t1\n3\t4e300\t1\n";
    fuzz_put(data, "data.tsv", tsv ? (const void *)tsv : dflt, tsv ? len : sizeof dflt - 1);
    return data;
}

// "chapters/01-test/chapter.md:LINE: " with 1 <= LINE <= lines.
static void S_pf_check_error(const char *err, int lines) {
    size_t n = strlen(PF_MD);
    FUZZ_CHECK(!strncmp(err, PF_MD ":", n + 1), "message names no file: '%s'", err);
    char *end;
    long line = strtol(err + n + 1, &end, 10);
    FUZZ_CHECK(line >= 1 && line <= lines && *end == ':', "line %ld of %d: '%s'", line, lines, err);
}

static void S_pf_draw(const figspec *f, const char *dir, int lines) {
    plot_buf buf;
    char err[2048] = "";
    if (plot_render(f, PF_MD, dir, 0, &buf, err, sizeof err) != 0) {
        S_pf_check_error(err, lines);
        return;
    }
    static const char head[] = "<?xml", tail[] = "</svg>\n";
    FUZZ_CHECK(buf.len > sizeof tail && !memcmp(buf.data, head, 5), "not an SVG document");
    FUZZ_CHECK(!memcmp(buf.data + buf.len - (sizeof tail - 1), tail, sizeof tail - 1), "SVG not closed");
    free(buf.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *tsv;
    size_t tsv_len, len = fuzz_split(data, size, PF_SEP, &tsv, &tsv_len);
    char *text = malloc(len + 1);
    memcpy(text, data, len);
    text[len] = '\0';  // as plot_draw_chapter reads it: the text ends at a NUL
    int lines = 1;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    const char *dir = S_pf_data(tsv, tsv_len);

    plot_chapter ch;
    char err[2048] = "";
    if (plot_parse(PF_MD, text, &ch, err, sizeof err) == 0) {
        for (int i = 0; i < ch.n && i < 4; i++)
            if ((long)ch.figs[i].w * ch.figs[i].h <= 1000 * 1000) S_pf_draw(&ch.figs[i], dir, lines);
        plot_chapter_free(&ch);
    } else {
        S_pf_check_error(err, lines);
        FUZZ_CHECK(ch.n == 0 && ch.figs == NULL, "a refused chapter kept its figures");
    }
    free(text);
    return 0;
}
