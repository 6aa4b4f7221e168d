// weave_tokens.c — what cmark must not see: steps 2 and 3 of the weaver (weave.c).
//
// Step 2 rewrites prose into plain Markdown: every formula, computed value and reference becomes a token,
// U+E000 INDEX U+E001, private-use characters cmark passes through untouched. Step 3 walks cmark's tree and
// swaps each token for what it stands for: HTML for math and references, a text node (which cmark escapes)
// for values; a token that landed in code or a link's URL is put back as the author wrote it.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "weave_int.h"

// ----- tokens: what cmark must not see ---------------------------------------------------------------------

void wv_token(ctx *c, sbuf *out, char kind, const char *text, range src) {
    c->tok = wv_grow(c, c->tok, c->ntok, &c->captok, sizeof *c->tok);
    c->tok[c->ntok] = (token){kind, text, src};
    wv_printf(out, TOK_OPEN "%d" TOK_CLOSE, c->ntok++);
}

// The token starting at s, or -1; *len gets its length.
static int S_token_at(const ctx *c, const char *s, size_t *len) {
    if (strncmp(s, TOK_OPEN, 3) != 0 || !isdigit((unsigned char)s[3])) return -1;
    char *end;
    long t = strtol(s + 3, &end, 10);
    if (strncmp(end, TOK_CLOSE, 3) != 0 || t >= c->ntok) return -1;
    *len = (size_t)(end + 3 - s);
    return (int)t;
}

// ----- step 2: prose into Markdown with tokens -------------------------------------------------------------

// Record a formula for --math-out: line, display, TeX with tab, newline and backslash escaped.
static void S_math_record(ctx *c, size_t pos, int display, const char *tex) {
    wv_printf(c->math, "%d\t%d\t", wv_line(c, pos), display);
    for (const char *p = tex; *p; p++)
        if (*p == '\t') wv_puts(c->math, "\\t");
        else if (*p == '\n') wv_puts(c->math, "\\n");
        else if (*p == '\\') wv_puts(c->math, "\\\\");
        else wv_putc(c->math, *p);
    wv_putc(c->math, '\n');
}

// The blockquote markers ("> ", "> > ") that open the line holding i: inside a quote, a formula's
// continuation lines carry them too, and they are Markdown, not TeX.
static range S_quote_prefix(const ctx *c, size_t i) {
    range line = c->lines[wv_line(c, i) - 1];
    size_t e = line.a + strspn(c->src + line.a, " >");
    if (e > i) e = i;
    return memchr(c->src + line.a, '>', e - line.a) ? (range){line.a, e} : (range){0, 0};
}

// A formula opening at i ("$" or "$$"): its TeX, placeholders substituted, becomes a token. It closes
// at the next unescaped "$" (or "$$") in the same paragraph.
static size_t S_math(ctx *c, sbuf *out, size_t i, size_t end) {
    const char *s = c->src;
    int display = i + 1 < end && s[i + 1] == '$';
    size_t j = i + 1 + display, pend = wv_para_end(c, i, end);
    range quote = S_quote_prefix(c, i);
    const char *qs = quote.b > quote.a ? wv_str(c, quote) : NULL;
    sbuf *tex = wv_buf(c);
    for (;;) {
        if (j >= pend)
            wv_fail(c, i, "unterminated %s; expected a closing %s in the same paragraph (write \\$ for a dollar sign)",
                    display ? "$$" : "$", display ? "$$" : "$");
        if (s[j] == '\n' && qs && wv_at(c, j + 1, pend, qs)) {
            wv_putc(tex, '\n'), j += 1 + quote.b - quote.a;
        } else if (s[j] == '\\' && j + 1 < pend) {
            wv_put(tex, s + j, 2), j += 2;
        } else if (wv_at(c, j, pend, "{{")) {
            size_t after;
            wv_puts(tex, wv_value(c, j, pend, &after));
            j = after;
        } else if (s[j] == '$' && (!display || (j + 1 < pend && s[j + 1] == '$'))) {
            break;
        } else {
            wv_putc(tex, s[j++]);
        }
    }
    S_math_record(c, i, display, tex->s);
    wv_token(c, out, display ? 'd' : 'i', tex->s, (range){i, j + 1 + display});
    return j + 1 + display;
}

// The link "@sec:NN-name" stands for: "Chapter N, Title" (the preface: its title).
static const char *S_sec_link(ctx *c, size_t pos, const char *dir) {
    const weave_toc *t = c->o->toc;
    int k = 0;
    while (t && k < t->n && strcmp(t->e[k].dir, dir) != 0) k++;
    if (!t || k == t->n)
        wv_fail(c, pos, "unknown reference @sec:%s; expected the folder name of a chapter, like @sec:01-scalar", dir);
    sbuf *h = wv_buf(c);
    wv_puts(h, "<a class=\"ref\" href=\"");
    wv_escs(h, t->e[k].page);
    wv_puts(h, "\">");
    if (t->e[k].number > 0) wv_printf(h, "%s %s, ", wv_chapword(t->e[k].number), wv_num(t->e[k].number));
    wv_escs(h, t->e[k].title);
    wv_puts(h, "</a>");
    return h->s;
}

// The link "@fig:id" or "@tab:id" stands for: "Figure N.k", "Table N.k".
static const char *S_label_link(ctx *c, size_t pos, char kind, const char *id) {
    const char *what = kind == 'f' ? "figure" : "table";
    const label *L = wv_label(c, kind, id);
    if (!L)
        wv_fail(c, pos, "unknown reference @%.3s:%s; expected the id of a %s in this chapter: %s", what, id, what,
                wv_known_ids(c, kind));
    sbuf *h = wv_buf(c);  // ids passed wv_idchar: nothing to escape
    wv_printf(h, "<a class=\"ref\" href=\"#%.3s-%s\">%s %s.%d</a>", what, id, kind == 'f' ? "Figure" : "Table",
              wv_num(c->o->number), L->number);
    return h->s;
}

// "@fig:id", "@tab:id" or "@sec:NN-name" at i becomes a link; any other '@' stays text.
static size_t S_reference(ctx *c, sbuf *out, size_t i, size_t end) {
    const char *s = c->src;
    size_t j = i + 5;
    while (j < end && wv_idchar(s[j])) j++;
    while (j > i + 5 && s[j - 1] == '-') j--;  // "see @fig:loss--" ends before the dashes
    int known = wv_at(c, i, end, "@fig:") || wv_at(c, i, end, "@tab:") || wv_at(c, i, end, "@sec:");
    if (!known || j == i + 5) return wv_putc(out, '@'), i + 1;
    char *id = wv_strndup(c, s + i + 5, j - i - 5);
    wv_token(c, out, 'r', s[i + 1] == 's' ? S_sec_link(c, i, id) : S_label_link(c, i, s[i + 1], id), (range){i, j});
    return j;
}

// The space before a claim goes ("learned {{claim ...}}." reads "learned."), and the line break before one
// that opens a line ("learned\n{{claim ...}}."), but not a blank line: that would join two paragraphs.
static void S_unspace(sbuf *out) {
    while (out->len && out->s[out->len - 1] == ' ') out->len--;
    if (out->len >= 2 && out->s[out->len - 1] == '\n' && out->s[out->len - 2] != '\n') out->len--;
    while (out->len && out->s[out->len - 1] == ' ') out->len--;
    out->s[out->len] = '\0';
}

// One step of the prose scanner at i; returns where to continue.
static size_t S_scan_one(ctx *c, sbuf *out, size_t i, size_t end) {
    const char *s = c->src;
    if (s[i] == '\\' && i + 1 < end) return wv_put(out, s + i, 2), i + 2;  // "\$" stays an escape for cmark
    if (s[i] == '`') {
        size_t e = wv_code_end(c, i, wv_para_end(c, i, end));
        if (!e)  // an unmatched run is literal backticks
            for (e = i; e < end && s[e] == '`';) e++;
        wv_put(out, s + i, e - i);  // a code span goes to cmark verbatim
        return e;
    }
    if (wv_at(c, i, end, "{{claim ") || wv_at(c, i, end, "{{claim\n")) {
        size_t after;
        const char *note = wv_claim(c, i, end, &after);
        S_unspace(out);
        if (note) wv_token(c, out, 'n', note, (range){i, after});
        return after;
    }
    if (wv_at(c, i, end, "{{code ")) {  // a value shown as code: a run's command line
        size_t after;
        const char *html = wv_code_value(c, i, end, &after);
        wv_token(c, out, 'h', html, (range){i, after});
        return after;
    }
    if (wv_at(c, i, end, "{{")) {
        size_t after;
        const char *value = wv_value(c, i, end, &after);
        wv_token(c, out, 'v', value, (range){i, after});
        return after;
    }
    if (s[i] == '$') return S_math(c, out, i, end);
    if (s[i] == '@') return S_reference(c, out, i, end);
    wv_putc(out, s[i]);
    return i + 1;
}

void wv_scan(ctx *c, sbuf *out, size_t i, size_t end) {
    while (i < end) i = S_scan_one(c, out, i, end);
}

// ----- step 3: tokens back into the cmark tree -------------------------------------------------------------

static const char *S_token_html(ctx *c, int t, int block) {
    const token *k = &c->tok[t];
    if (k->kind == 'h' || k->kind == 'r' || k->kind == 'b' || k->kind == 'n') return k->text;
    sbuf *b = wv_buf(c);
    const char *tag = block ? "div" : "span";
    wv_printf(b, "<%s class=\"math %s\">", tag, k->kind == 'd' ? "display" : "inline");
    wv_escs(b, k->text);
    wv_printf(b, "</%s>", tag);
    return b->s;
}

cmark_node *wv_new_node(cmark_node_type type, const char *literal) {
    cmark_node *n = cmark_node_new(type);
    cmark_node_set_literal(n, literal);
    return n;
}

// A value in a link's URL, percent-encoded but for '/': "plain SGD" -> "plain%20SGD". A value cannot add a
// scheme, a query or a fragment to the URL the author wrote (':', '?', '#' and '&' are encoded too).
static void S_put_url_value(sbuf *b, const char *v) {
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (isalnum(*p) || strchr("-._~/", *p)) wv_putc(b, (char)*p);
        else wv_printf(b, "%%%02X", *p);
}

enum { RESTORE_ALL, RESTORE_URL, RESTORE_TITLE };

// Put the author's text back for every token in s: tokens that landed in code or raw HTML. In a link's URL
// (RESTORE_URL) or title (RESTORE_TITLE) a value is its value, URL-encoded in the URL; the rest as written.
static const char *S_restore(ctx *c, const char *s, int mode) {
    sbuf *b = wv_buf(c);
    for (size_t len; *s;) {
        int t = S_token_at(c, s, &len);
        if (t < 0) {
            wv_putc(b, *s++);
            continue;
        }
        const token *k = &c->tok[t];
        if (k->kind == 'v' && mode == RESTORE_URL) S_put_url_value(b, k->text);
        else if (k->kind == 'v' && mode == RESTORE_TITLE) wv_puts(b, k->text);
        else wv_put(b, c->src + k->src.a, k->src.b - k->src.a);
        s += len;
    }
    return b->s;
}

// The scheme of a URL as a browser reads it (lowercased, tabs and newlines dropped, leading controls and
// spaces skipped), when it is one that runs code or hides content: javascript:, vbscript:, and data: but for
// an image's data:image/...; NULL when the URL is safe.
static const char *S_unsafe_scheme(const char *url, int image) {
    char s[24];
    size_t n = 0;
    while (*url && (unsigned char)*url <= ' ') url++;
    for (; *url && n + 1 < sizeof s; url++)
        if (*url != '\t' && *url != '\n' && *url != '\r') s[n++] = (char)tolower((unsigned char)*url);
    s[n] = '\0';
    if (strncmp(s, "javascript:", 11) == 0) return "javascript:";
    if (strncmp(s, "vbscript:", 9) == 0) return "vbscript:";
    if (strncmp(s, "data:", 5) == 0 && !(image && strncmp(s, "data:image/", 11) == 0)) return "data:";
    return NULL;
}

// Where in [where) the author wrote a URL that starts with scheme (case aside): its position, for the
// message; where.a when it cannot be found (written with entities, say).
static size_t S_find_scheme(const ctx *c, range where, const char *scheme) {
    size_t n = strlen(scheme);
    for (size_t i = where.a; i + n <= where.b; i++)
        if (strncasecmp(c->src + i, scheme, n) == 0) return i;
    return where.a;
}

static void S_check_url(ctx *c, cmark_node *node, range where) {
    const char *url = cmark_node_get_url(node);
    const char *bad = url ? S_unsafe_scheme(url, cmark_node_get_type(node) == CMARK_NODE_IMAGE) : NULL;
    if (bad)
        wv_fail(c, S_find_scheme(c, where, bad), "a %s URL '%.40s'; expected an http(s), relative or #anchor URL (a "
                "%s URL runs code or hides content in the page)", bad, url, bad);
}

#define S_NOTE "<div class=\"claim-failed\""

// A failed claim's note goes after the block that holds it (its paragraph, heading or list item's
// paragraph), after the notes already there: the sentence stays as written, the note follows it.
static void S_note_after(cmark_node *text, const char *html) {
    cmark_node *b = text;
    while (cmark_node_parent(b) && cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH &&
           cmark_node_get_type(b) != CMARK_NODE_HEADING)
        b = cmark_node_parent(b);
    for (cmark_node *n; (n = cmark_node_next(b)) && cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK &&
                        strncmp(cmark_node_get_literal(n), S_NOTE, strlen(S_NOTE)) == 0;)
        b = n;
    cmark_node_insert_after(b, wv_new_node(CMARK_NODE_HTML_BLOCK, html));
}

static int S_in_link(cmark_node *n) {
    while ((n = cmark_node_parent(n)))
        if (cmark_node_get_type(n) == CMARK_NODE_LINK) return 1;
    return 0;
}

// The text of a reference's link "<a class="ref" href="...">Figure 1.1</a>": "Figure 1.1" (HTML).
static const char *S_link_text(ctx *c, const char *html) {
    const char *a = strchr(html, '>'), *b = strstr(html, "</a>");
    return a && b && b > a ? wv_strndup(c, a + 1, (size_t)(b - a - 1)) : html;
}

// A text node holding tokens becomes text and the nodes they stand for; a paragraph holding nothing but
// a display formula or a block becomes an HTML block (a <div> may not sit inside a <p>). A failed claim's
// note follows its block in a page (in_page), and stands where it is in a caption or a cell.
static void S_expand(ctx *c, cmark_node *text, int in_page) {
    const char *s = cmark_node_get_literal(text);
    cmark_node *par = cmark_node_parent(text);
    size_t len;
    int t = S_token_at(c, s, &len);
    if (t >= 0 && !s[len] && cmark_node_get_type(par) == CMARK_NODE_PARAGRAPH && cmark_node_first_child(par) == text &&
        cmark_node_last_child(par) == text && (c->tok[t].kind == 'd' || c->tok[t].kind == 'b')) {
        cmark_node_replace(par, wv_new_node(CMARK_NODE_HTML_BLOCK, S_token_html(c, t, 1)));
        cmark_node_free(par);
        return;
    }
    for (const char *p = s; *p;) {
        const char *q = strstr(p, TOK_OPEN);
        if (!q) q = p + strlen(p);
        if (q > p) cmark_node_insert_before(text, wv_new_node(CMARK_NODE_TEXT, wv_strndup(c, p, q - p)));
        if (!*q) break;
        if ((t = S_token_at(c, q, &len)) < 0) {  // cannot happen: the text has no U+E000 of its own
            cmark_node_insert_before(text, wv_new_node(CMARK_NODE_TEXT, TOK_OPEN));
            p = q + 3;
            continue;
        }
        if (c->tok[t].kind == 'v') cmark_node_insert_before(text, wv_new_node(CMARK_NODE_TEXT, c->tok[t].text));
        else if (c->tok[t].kind == 'r' && S_in_link(text))  // a link may not hold a link: its text alone
            cmark_node_insert_before(text, wv_new_node(CMARK_NODE_HTML_INLINE, S_link_text(c, c->tok[t].text)));
        else if (c->tok[t].kind == 'n' && in_page) S_note_after(text, c->tok[t].text);
        else cmark_node_insert_before(text, wv_new_node(CMARK_NODE_HTML_INLINE, S_token_html(c, t, 0)));
        p = q + len;
    }
    cmark_node_unlink(text);
    cmark_node_free(text);
}

// Raw HTML written in a caption or a table cell is shown as text, not run: those texts also reach
// places that are not HTML (the plotter, a TSV), and the contract says they are escaped.
static void S_html_to_text(cmark_node *n) {
    cmark_node *t = wv_new_node(CMARK_NODE_TEXT, cmark_node_get_literal(n));
    if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
        cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node_append_child(p, t);
        t = p;
    }
    cmark_node_replace(n, t);
    cmark_node_free(n);
}

static int S_has_token(const char *s) { return s && strstr(s, TOK_OPEN); }

// The nodes step 3 must change, collected first: cmark's iterator must not see the tree change under it.
static cmark_node **S_collect(ctx *c, cmark_node *root, int raw_html_as_text, int *n) {
    cmark_node **nodes = NULL;
    int cap = 0;
    *n = 0;
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type ty = cmark_node_get_type(node);
        int html = ty == CMARK_NODE_HTML_INLINE || ty == CMARK_NODE_HTML_BLOCK;
        int want = ty == CMARK_NODE_LINK || ty == CMARK_NODE_IMAGE  // every URL is checked
                       ? 1
                       : S_has_token(cmark_node_get_literal(node)) || (html && raw_html_as_text);
        want = want || (ty == CMARK_NODE_CODE_BLOCK && S_has_token(cmark_node_get_fence_info(node)));
        if (ev != CMARK_EVENT_ENTER || !want) continue;
        nodes = wv_grow(c, nodes, *n, &cap, sizeof *nodes);
        nodes[(*n)++] = node;
    }
    cmark_iter_free(it);
    return nodes;
}

void wv_untokenize(ctx *c, cmark_node *root, int raw_html_as_text, range where) {
    int n;
    cmark_node **nodes = S_collect(c, root, raw_html_as_text, &n);
    for (int i = 0; i < n; i++) {
        cmark_node *node = nodes[i];
        cmark_node_type ty = cmark_node_get_type(node);
        if (ty == CMARK_NODE_TEXT) {
            S_expand(c, node, !raw_html_as_text);
        } else if (ty == CMARK_NODE_LINK || ty == CMARK_NODE_IMAGE) {
            const char *url = cmark_node_get_url(node), *title = cmark_node_get_title(node);
            if (S_has_token(url)) cmark_node_set_url(node, S_restore(c, url, RESTORE_URL));
            if (S_has_token(title)) cmark_node_set_title(node, S_restore(c, title, RESTORE_TITLE));
            S_check_url(c, node, where);
        } else {
            cmark_node_set_literal(node, S_restore(c, cmark_node_get_literal(node), RESTORE_ALL));
            if (ty == CMARK_NODE_CODE_BLOCK)  // a fence the weaver took for prose ("> ```$x$") has one in its info
                cmark_node_set_fence_info(node, S_restore(c, cmark_node_get_fence_info(node), RESTORE_ALL));
            if (raw_html_as_text && (ty == CMARK_NODE_HTML_INLINE || ty == CMARK_NODE_HTML_BLOCK)) S_html_to_text(node);
        }
    }
}

// Where a one-line text would start a block in Markdown ("- x", "1. x", "# x", "> x", "---"), the offset
// at which a backslash keeps it inline; -1 when it would not. Captions and cells are inline text.
static long S_block_start(const ctx *c, range r) {
    const char *s = c->src + r.a;
    size_t n = r.b - r.a, d = 0;
    if (!n) return -1;
    int spaced = n == 1 || s[1] == ' ' || s[1] == '\t';
    if (strchr("#>", s[0]) || (strchr("-+*", s[0]) && spaced)) return 0;
    if (n >= 3 && strchr("`~", s[0]) && s[1] == s[0] && s[2] == s[0]) return 0;
    if (strchr("-*_=", s[0]) && strspn(s, "-*_= \t") >= n) return 0;
    while (d < n && d < 9 && isdigit((unsigned char)s[d])) d++;
    if (d && d < n && strchr(".)", s[d]) && (d + 1 == n || s[d + 1] == ' ')) return (long)d;
    return -1;
}

// A caption, cell or header [a, b) of the chapter text as inline HTML: math, values and references
// substituted, Markdown rendered, raw HTML escaped.
const char *wv_inline_html(ctx *c, range r) {
    r = wv_trim(c, r.a, r.b);
    sbuf *md = wv_buf(c);
    long k = S_block_start(c, r);
    if (k >= 0) {
        wv_put(md, c->src + r.a, (size_t)k);
        wv_putc(md, '\\');
        r.a += (size_t)k;
    }
    wv_scan(c, md, r.a, r.b);
    cmark_node *doc = c->inline_doc = cmark_parse_document(md->s, md->len, CMARK_OPT_DEFAULT);
    wv_untokenize(c, doc, 1, r);
    char *html = cmark_render_html(doc, CMARK_OPT_UNSAFE);
    cmark_node_free(doc);
    c->inline_doc = NULL;
    size_t n = strlen(html);
    const char *res = n >= 8 && strncmp(html, "<p>", 3) == 0 && strcmp(html + n - 5, "</p>\n") == 0
                          ? wv_strndup(c, html + 3, n - 8)
                          : wv_strndup(c, html, n);
    free(html);
    return res;
}
