// weave_verdict.c — what the chapter's own run says went wrong, shown at the top of its page.
//
// A gradient check that failed is the reader's news, not a build error: the program exits 4, the build goes
// on, and the page of every chapter whose outputs hold a failing gradcheck.tsv (the data folder's own, or one
// folder down: build/03-batched/out/gradcheck/, Appendix A's scalar/ vector/ batched/) opens with a warning
// that names the failing groups and links Appendix A, where the numbers are. A claim of the text that the
// run does not bear out (weave_claims.c) is listed there too, linked to its note.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "weave_int.h"

// The groups marked FAIL in path, appended to names as " W, b"; 0 when the file is absent or all pass.
static int S_failed_groups(ctx *c, const char *path, sbuf *names) {
    char err[256];
    if (!wv_exists(path)) return 0;
    tsv_table *t = tsv_read(path, err, sizeof err);
    if (!t) wv_fail_msg(c, err);  // tsv_read names the file and the line
    int verdict = tsv_col(t, "verdict"), n = 0;
    for (int r = 0; verdict > 0 && r < t->nrows; r++)
        if (strcmp(t->cells[r * t->ncols + verdict], "FAIL") == 0) {
            wv_puts(names, n++ ? ", " : "");
            wv_escs(names, t->cells[r * t->ncols]);
        }
    tsv_free(t);
    return n;
}

// The page of the appendix whose folder starts with "90-", from the contents, or NULL.
static const char *S_appendix(const ctx *c) {
    for (int i = 0; c->o->toc && i < c->o->toc->n; i++)
        if (strncmp(c->o->toc->e[i].dir, "90-", 3) == 0) return c->o->toc->e[i].page;
    return NULL;
}

static void S_warn(ctx *c, sbuf *h, const char *where, const sbuf *groups) {
    const char *app = S_appendix(c);
    wv_puts(h, "<div class=\"verdict fail\" role=\"alert\">\n<p><strong>The gradient check failed");
    if (where) wv_printf(h, " for <code>%s</code>", where);
    wv_printf(h, ":</strong> the backward pass disagrees with finite differences in %s. The results on this "
                 "page were trained with that gradient", groups->s);
    if (app) wv_printf(h, "; <a href=\"%s\">the gradient check</a> shows the errors", app);
    wv_puts(h, ".</p>\n</div>\n");
}

// The failed claims (weave_claims.c), each note linked by the sentence's line.
static void S_claims(ctx *c, sbuf *h) {
    if (!c->nfailed_claims) return;
    wv_printf(h, "<div class=\"verdict fail\" role=\"alert\">\n<p><strong>%d %s on this page %s not borne out by "
                 "this run</strong> (each is marked where it stands):",
              c->nfailed_claims, c->nfailed_claims == 1 ? "statement" : "statements",
              c->nfailed_claims == 1 ? "is" : "are");
    int k = 0, id = 0;
    for (const char *l = c->claims->s; *l; l = strchr(l, '\n') + 1) {
        const char *v = strchr(l, '\t') + 1, *w = strchr(v, '\t') + 1;
        id++;  // the claims in order: the note of the id-th is #claim-id
        if (strncmp(v, "FAILS", 5) != 0) continue;
        wv_printf(h, "%s <a href=\"#claim-%d\">", k++ ? ";" : "", id);
        wv_esc(h, w, (size_t)(strchr(w, '\t') - w));
        wv_puts(h, "</a>");
    }
    wv_puts(h, ".</p>\n</div>\n");
}

const char *wv_verdicts(ctx *c) {
    sbuf *h = wv_buf(c), *g = wv_buf(c);
    S_claims(c, h);
    if (S_failed_groups(c, wv_join(c, c->o->data_dir, "gradcheck.tsv"), g)) S_warn(c, h, NULL, g);
    DIR *d = opendir(c->o->data_dir);
    char **names = NULL;
    int n = 0, cap = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            names = wv_grow(c, names, n, &cap, sizeof *names);
            names[n++] = wv_strndup(c, e->d_name, strlen(e->d_name));
        }
    if (d) closedir(d);
    for (int i = 1; i < n; i++)  // readdir's order is the file system's: sort, for the same page every time
        for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            char *t = names[k];
            names[k] = names[k - 1], names[k - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        sbuf *gi = wv_buf(c);
        if (S_failed_groups(c, wv_join(c, wv_join(c, c->o->data_dir, names[i]), "gradcheck.tsv"), gi))
            S_warn(c, h, names[i], gi);
    }
    return h->s;
}
