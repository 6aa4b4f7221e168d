// plot_label.c — labels: the little TeX of axis labels, titles, legends and category names, as Unicode.
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"
#include "wb.h"

// TeX names that labels may use inside $...$, and the characters they stand for.
static const char *const S_TEX[][2] = {
    {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"}, {"varepsilon", "ε"},
    {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"},
    {"xi", "ξ"}, {"pi", "π"}, {"rho", "ρ"}, {"sigma", "σ"}, {"tau", "τ"}, {"phi", "φ"}, {"varphi", "φ"},
    {"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"}, {"Theta", "Θ"},
    {"Lambda", "Λ"}, {"Sigma", "Σ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"}, {"cdot", "·"},
    {"times", "×"}, {"pm", "±"}, {"le", "≤"}, {"leq", "≤"}, {"ge", "≥"}, {"geq", "≥"}, {"approx", "≈"},
    {"infty", "∞"}, {"partial", "∂"}, {"nabla", "∇"}, {"ell", "ℓ"}, {"to", "→"}, {"in", "∈"}, {"top", "ᵀ"},
    {",", " "}, {";", " "}, {" ", " "}, {"%", "%"}, {"_", "_"}, {"{", "{"}, {"}", "}"},
};

// The subscript or superscript form of an ASCII character, or NULL when Unicode has none.
static const char *S_script(char c, int sup) {
    static const char *const sub_digit[10] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
    static const char *const sup_digit[10] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    static const char *const sub_other[][2] = {{"+", "₊"}, {"-", "₋"}, {"=", "₌"}, {"(", "₍"}, {")", "₎"},
        {"a", "ₐ"}, {"e", "ₑ"}, {"o", "ₒ"}, {"x", "ₓ"}, {"h", "ₕ"}, {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"},
        {"n", "ₙ"}, {"p", "ₚ"}, {"s", "ₛ"}, {"t", "ₜ"}, {"i", "ᵢ"}, {"j", "ⱼ"}, {"r", "ᵣ"}, {"u", "ᵤ"}, {"v", "ᵥ"}};
    static const char *const sup_other[][2] = {{"+", "⁺"}, {"-", "⁻"}, {"=", "⁼"}, {"(", "⁽"}, {")", "⁾"},
        {"n", "ⁿ"}, {"i", "ⁱ"}, {"T", "ᵀ"}};
    if (c >= '0' && c <= '9') return sup ? sup_digit[c - '0'] : sub_digit[c - '0'];
    int n = sup ? (int)(sizeof sup_other / sizeof sup_other[0]) : (int)(sizeof sub_other / sizeof sub_other[0]);
    for (int i = 0; i < n; i++)
        if ((sup ? sup_other : sub_other)[i][0][0] == c) return (sup ? sup_other : sub_other)[i][1];
    return NULL;
}

// A TeX command at s (after the backslash): appends its character to o, returns the length of its name.
static size_t S_tex_command(const char *s, char **o) {
    if (!*s) return 0;  // a backslash that ends the label names nothing (1 would step over the label's end)
    size_t n = isalpha((unsigned char)*s) ? strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") : 1;
    for (size_t i = 0; i < sizeof S_TEX / sizeof S_TEX[0]; i++)
        if (strlen(S_TEX[i][0]) == n && !strncmp(s, S_TEX[i][0], n)) {
            *o += sprintf(*o, "%s", S_TEX[i][1]);
            return n;
        }
    *o += sprintf(*o, "%.*s", (int)n, s);  // log, exp, max ...: the name itself, upright as TeX sets it
    return n;
}

// Labels may hold a little TeX, as captions do. Inside $...$: Greek letters and a few symbols by
// name (\eta, \sigma, \cdot), subscripts and superscripts (x_1, w^{(2)}) become the Unicode
// characters DejaVu Sans has for them (a character without a script form stays as it is), braces
// go, and '-' becomes a minus sign. Outside math only \$ changes, into a dollar sign.
char *plot_label(const char *in) {
    char *out = wb_malloc(4 * strlen(in) + 1), *o = out;
    int math = 0, script = 0, group = 0;  // script: '_' or '^' applies to the next character or {group}
    for (const char *s = in; *s; s++) {
        if (*s == '\\' && s[1] == '$') *o++ = *++s;
        else if (*s == '$') math = !math, script = 0;
        else if (!math) *o++ = *s;
        else if (*s == '\\') s += S_tex_command(s + 1, &o);
        else if ((*s == '_' || *s == '^') && !script) script = *s, group = 0;
        else if (*s == '{' && script) group = 1;
        else if (*s == '{' || *s == '}') script = *s == '}' ? 0 : script;
        else if (script && S_script(*s, script == '^')) o += sprintf(o, "%s", S_script(*s, script == '^'));
        else o += *s == '-' ? sprintf(o, "%s", "−") : sprintf(o, "%c", *s);
        if (script && !group && *s != '_' && *s != '^') script = 0;
    }
    *o = '\0';
    return out;
}
