// items_scalar.c — chapter 1's items that the program's own functions answer: the worked example's derivatives
// against the assignment's values, and the softmax of large logits. The gradient check and the training are
// the program's own runs (grade/grade.sh).
#include "item.h"

// The worked example (chapter 1, "A worked example"): x = (1, -1), target 0, the example network. The
// assignment's values: every row of dl/dV is (-0.4404, 0.4404) (given to 4 digits), dl/dc = (-0.5, 0.5),
// dl/dW and dl/db are zero.
static void worked_example(void) {
    net p, g;
    activations a;
    example_net(&p);
    memset(&g, 0, sizeof g);
    forward(&a, &p, EXAMPLE_X, EXAMPLE_CLASS);
    backward(&g, &a, &p, EXAMPLE_X, EXAMPLE_CLASS);
    char what[64] = "";
    double got = 0, want = 0;
    for (int j = 0; j < 3 && !*what; j++)
        for (int k = 0; k < N_OUT && !*what; k++)
            if (!item_close(got = g.V[j][k], want = k == 0 ? -0.4404 : 0.4404, 1e-4))
                snprintf(what, sizeof what, "dl/dV[%d][%d]", j, k);
    for (int k = 0; k < N_OUT && !*what; k++)
        if (!item_close(got = g.c[k], want = k == 0 ? -0.5 : 0.5, 1e-9)) snprintf(what, sizeof what, "dl/dc[%d]", k);
    for (int j = 0; j < 3 && !*what; j++) {
        if (!item_close(got = g.b[j], want = 0, 1e-9)) snprintf(what, sizeof what, "dl/db[%d]", j);
        for (int i = 0; i < N_IN && !*what; i++)
            if (!item_close(got = g.W[i][j], want = 0, 1e-9)) snprintf(what, sizeof what, "dl/dW[%d][%d]", i, j);
    }
    if (*what) item("worked-example", 0, "%s is %.4f; the assignment's value is %.4f", what, got, want);
    else item("worked-example", 1, "dl/dV, dl/dc, dl/dW and dl/db are the assignment's values");
}

// Logits a thousand away from zero: exp(1000) overflows a double and exp(-1000) underflows, so only a softmax
// that subtracts the largest logit gives y = (1/(1+e), e/(1+e)) and the loss log(1 + e) for target 0, both for
// (1000, 1001) and for (-1001, -1000).
static void softmax_stable(void) {
    const double e = exp(1.0), y0 = 1 / (1 + e), loss = log(1 + e);
    for (int s = 0; s < 2; s++) {
        double o[N_OUT] = {s ? -1001 : 1000, s ? -1000 : 1001}, y[N_OUT];
        double l = softmax_xent_forward(y, o, 0);
        if (!item_close(y[0], y0, 1e-9) || !item_close(y[1], 1 - y0, 1e-9) || !item_close(l, loss, 1e-9)) {
            item("softmax-stable", 0, "with the logits (%g, %g) y = (%g, %g) and the loss is %g; expected (%.6f, "
                 "%.6f) and %.6f (subtract the largest logit first)", o[0], o[1], y[0], y[1], l, y0, 1 - y0, loss);
            return;
        }
    }
    item("softmax-stable", 1, "the logits (1000, 1001) give y = (%.6f, %.6f) and the loss %.6f", y0, 1 - y0, loss);
}

int main(void) {
    worked_example();
    softmax_stable();
    return item_failed;
}
