// weave_claims.c — checked claims: {{claim EXPR | what the sentence says}} beside a sentence about a run.
//
// A sentence such as "the smallest rates learn too slowly" is true of the book's run and may be false of a
// reader's. The author writes the condition it depends on next to it:
//
//     The smallest rates learn too slowly {{claim sweep:loss_lr_min > 2 * val_loss_mean | the smallest rate
//     ends far above the chosen one}}.
//
// EXPR is arithmetic on the run's values: numbers, results keys written as placeholders are ([file:]key),
// + - * /, abs() min() max(), comparisons < <= > >= == !=, and `and`, `or`, `not`, parentheses. A claim
// that holds shows nothing. One that fails puts a note after its paragraph saying what the sentence claims,
// which condition the run broke and the values it has; the page's warning box and `make book`'s last lines
// list it (weave --claims-out). A key that is not there, or a malformed expression, is an author's error
// naming the line; a value that is not a number (a diverged run's nan) makes the claim fail, not the build.
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weave_int.h"

typedef struct {
    ctx *c;
    const char *s;  // the expression, NUL-terminated (a copy)
    size_t p;       // where the parser is in s
    size_t pos;     // the claim's offset in the chapter, for messages
    sbuf *values;   // "name = value" of every reference, for the note
    int boolean;    // whether the value just parsed is a condition's (a comparison, and, or, not)
} S_parser;

static double S_or(S_parser *q);

static void S_space(S_parser *q) {
    while (q->s[q->p] == ' ' || q->s[q->p] == '\t' || q->s[q->p] == '\n') q->p++;
}

static WB_NORETURN void S_bad(S_parser *q, const char *expected) {
    wv_fail(q->c, q->pos, "malformed claim '%s' at '%.20s'; expected %s", q->s, q->s + q->p, expected);
}

// Whether the word w (an operator like "<=" or a keyword like "and") comes next; consumed if so.
static int S_eat(S_parser *q, const char *w) {
    S_space(q);
    size_t n = strlen(w);
    if (strncmp(q->s + q->p, w, n) != 0) return 0;
    if (isalpha((unsigned char)w[0]) && (isalnum((unsigned char)q->s[q->p + n]) || q->s[q->p + n] == '_')) return 0;
    q->p += n;
    return 1;
}

static int S_keychar(char ch) { return isalnum((unsigned char)ch) || (ch && strchr("_.[]", ch)); }
static int S_filechar(char ch) { return isalnum((unsigned char)ch) || (ch && strchr("_.-/", ch)); }

// A reference [file:]key: its value from the results files, recorded for the note.
static double S_reference(S_parser *q) {
    size_t a = q->p, e = a;
    while (S_filechar(q->s[e])) e++;
    size_t colon = q->s[e] == ':' ? e : 0;
    e = colon ? e + 1 : a;
    while (S_keychar(q->s[e])) e++;
    if (e == (colon ? colon + 1 : a)) S_bad(q, "a number, a key, a function or '('");
    char *ref = wv_strndup(q->c, q->s + a, e - a);
    q->p = e;
    const char *v = wv_result(q->c, q->pos, ref);
    char *end;
    double x = strtod(v, &end);
    if (end == v) x = NAN;  // text, or a run that wrote "nan"
    sbuf *named = wv_buf(q->c);  // each value once in the note, however often the condition reads it
    wv_printf(named, "%s = ", ref);
    const char *seen = strstr(q->values->s, named->s);
    if (!seen || (seen != q->values->s && seen[-1] != ' '))
        wv_printf(q->values, "%s%s%s", q->values->len ? ", " : "", named->s, v);
    return x;
}

static double S_atom(S_parser *q) {
    S_space(q);
    const char *s = q->s + q->p;
    if (S_eat(q, "(")) {
        double x = S_or(q);
        if (!S_eat(q, ")")) S_bad(q, "')'");
        return x;  // q->boolean: the inside's
    }
    q->boolean = 0;
    if (isdigit((unsigned char)s[0]) || (s[0] == '.' && isdigit((unsigned char)s[1]))) {
        char *end;
        double x = strtod(s, &end);
        q->p += (size_t)(end - s);
        return x;
    }
    static const char *const fn[] = {"abs", "min", "max"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(fn[k]);
        if (strncmp(s, fn[k], n) != 0 || s[n] != '(') continue;
        q->p += n + 1;
        double x = S_or(q);
        if (k == 0) {
            if (!S_eat(q, ")")) S_bad(q, "')' after abs's one argument");
            return fabs(x);
        }
        if (!S_eat(q, ",")) S_bad(q, "',' and a second argument");
        double y = S_or(q);
        if (!S_eat(q, ")")) S_bad(q, "')' after two arguments");
        return isnan(x) || isnan(y) ? NAN : k == 1 ? fmin(x, y) : fmax(x, y);
    }
    return S_reference(q);
}

static double S_unary(S_parser *q) {
    if (!S_eat(q, "-")) return S_atom(q);
    double x = -S_unary(q);
    q->boolean = 0;
    return x;
}

static double S_product(S_parser *q) {
    double x = S_unary(q);
    for (;;)
        if (S_eat(q, "*")) x *= S_unary(q), q->boolean = 0;
        else if (S_eat(q, "/")) x /= S_unary(q), q->boolean = 0;
        else return x;
}

static double S_sum(S_parser *q) {
    double x = S_product(q);
    for (;;)
        if (S_eat(q, "+")) x += S_product(q), q->boolean = 0;
        else if (S_eat(q, "-")) x -= S_product(q), q->boolean = 0;
        else return x;
}

// A comparison is 1 or 0; a NaN on either side makes it 0 (a diverged run supports no claim).
static double S_compare(S_parser *q) {
    double x = S_sum(q);
    static const char *const op[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (int k = 0; k < 6; k++) {
        if (!S_eat(q, op[k])) continue;
        double y = S_sum(q);
        q->boolean = 1;
        if (isnan(x) || isnan(y)) return 0;
        return k == 0 ? x <= y : k == 1 ? x >= y : k == 2 ? x == y : k == 3 ? x != y : k == 4 ? x < y : x > y;
    }
    return x;
}

static double S_not(S_parser *q) {
    if (!S_eat(q, "not")) return S_compare(q);
    double x = !(S_not(q) == 1);
    q->boolean = 1;
    return x;
}

static double S_and(S_parser *q) {
    double x = S_not(q);
    while (S_eat(q, "and")) {
        double y = S_not(q);  // both sides read, so that the note names every value
        x = x == 1 && y == 1, q->boolean = 1;
    }
    return x;
}

static double S_or(S_parser *q) {
    double x = S_and(q);
    while (S_eat(q, "or")) {
        double y = S_and(q);
        x = x == 1 || y == 1, q->boolean = 1;
    }
    return x;
}

// A claim's text as one line (it may run over several of its paragraph), for messages and claims.tsv.
static char *S_one_line(char *s) {
    char *d = s;
    for (const char *p = s; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == ' ') {
            if (d > s && d[-1] != ' ') *d++ = ' ';
        } else {
            *d++ = *p;
        }
    *d = '\0';
    return s;
}

// The note a failed claim shows: after its paragraph, or in its caption or cell. id: the claim's number.
static const char *S_note(ctx *c, int id, int line, const char *what, const char *expr, const char *values) {
    sbuf *h = wv_buf(c);
    wv_printf(h, "<div class=\"claim-failed\" role=\"note\" id=\"claim-%d\"><p><strong>Not so in this run:</strong> ",
              id);
    wv_escs(h, what);
    wv_puts(h, ". The text says so, but <code>");
    wv_escs(h, expr);
    wv_puts(h, "</code> does not hold here, with ");
    wv_escs(h, values);
    wv_printf(h, " (chapter.md, line %d).</p></div>", line);
    return h->s;
}

const char *wv_claim(ctx *c, size_t i, size_t end, size_t *after) {
    size_t pend = wv_para_end(c, i, end), j = i + 2;
    while (j + 1 < pend && !(c->src[j] == '}' && c->src[j + 1] == '}')) j++;
    if (j + 1 >= pend)
        wv_fail(c, i, "unterminated claim; expected {{claim EXPR | what the sentence says, in words}} closed by }} in the same "
                  "paragraph");
    *after = j + 2;
    range in = wv_trim(c, i + 2 + strlen("claim"), j);
    const char *text = wv_str(c, in), *bar = strchr(text, '|');
    if (!bar || bar == text)
        wv_fail(c, i, "claim without its meaning; expected {{claim EXPR | what the sentence says, in words}}");
    range er = wv_trim(c, in.a, in.a + (size_t)(bar - text)), wr = wv_trim(c, in.a + (size_t)(bar - text) + 1, in.b);
    if (er.a == er.b || wr.a == wr.b)
        wv_fail(c, i, "claim without %s; expected {{claim EXPR | what the sentence says, in words}}",
                er.a == er.b ? "a condition" : "its meaning");
    char *expr = S_one_line(wv_str(c, er)), *what = S_one_line(wv_str(c, wr));
    S_parser q = {c, expr, 0, i, wv_buf(c), 0};
    double v = S_or(&q);
    S_space(&q);
    if (q.s[q.p]) S_bad(&q, "an operator or the end of the condition");
    if (!q.boolean) wv_fail(c, i, "claim '%s' is a number, not a condition; expected a comparison", expr);
    int held = v == 1, line = wv_line(c, i), id = ++c->nclaims;
    wv_printf(c->claims, "%d\t%s\t%s\t%s\t%s\n", line, held ? "holds" : "FAILS", what, expr, q.values->s);
    if (held) return NULL;
    c->nfailed_claims++;
    return S_note(c, id, line, what, expr, q.values->s);
}
