"""targets.py — the speed targets of the book, checked against what `make bench` just measured.

    /usr/bin/python3 bench/targets.py build/bench/out

Reads OUT/results.txt (bench/run.py), OUT/book.txt (bench/book.sh) and OUT/weave.txt (bench/weave_scale.sh), prints each target with its measurement
and whether it is met, and writes OUT/targets.tsv (target, measured, goal, met) for the performance appendix.
Speed is part of the book's correctness, but a machine's speed is no test's business: a missed target is
reported here, on the machine that missed it, and never fails `make test`.
"""
import os
import sys


def keys(path):
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            if k:
                out[k] = v
    return out


def num(r, k):
    try:
        return float(r[k])
    except (KeyError, ValueError):
        return float("nan")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/bench/out"
    r = keys(os.path.join(out, "results.txt"))
    for name in ("book.txt", "weave.txt"):
        extra = os.path.join(out, name)
        r.update(keys(extra) if os.path.exists(extra) else {})
    normal = num(r, "n_images") / num(r, "batched16_c_s")   # images per second, B = 16
    diverging = 10000 / num(r, "diverging_c_s")           # the diverging run trains on 10 000 images
    rows = [
        # (what, measured, as text, goal as text, met)
        ("a diverging run, against a normal one: times slower per image", normal / diverging,
         "%.2f", "at most 1.5", lambda v: v <= 1.5),
        ("make book from clean (no -j typed), seconds", num(r, "book_clean_s"), "%.1f", "at most 25",
         lambda v: v <= 25),
        ("make book after a real edit of batched.c, seconds", num(r, "book_edit_s"), "%.1f", "at most 20",
         lambda v: v <= 20),
        ("chapter 2 per image: its bandwidth bound over its time", num(r, "vector_c_mem_frac"), "%.2f",
         "at least 0.80", lambda v: v >= 0.8),
        ("chapter 3, B = 16: the bound of the arithmetic it executes over its time", num(r, "batched16_c_exec_peak_frac"),
         "%.2f", "at least 0.85", lambda v: v >= 0.85),
        ("the weaver: 1 000 000 formulas in one paragraph, seconds", num(r, "weave_formulas_1m_s"), "%.2f",
         "at most 5", lambda v: v <= 5),
        ("the weaver: formulas per second at 1 000 000 over at 10 000 (linear: no slower)",
         num(r, "weave_formulas_per_s_1m") / num(r, "weave_formulas_per_s_10k"), "%.2f", "at least 0.5",
         lambda v: v >= 0.5),
        ("chapter 2: numpy's time over C's", num(r, "vector_speedup"), "%.1f", "above 1", lambda v: v > 1),
        ("chapter 2: PyTorch's time over C's", num(r, "vector_torch_speedup"), "%.1f", "above 1", lambda v: v > 1),
        ("chapter 3, B = 16: numpy's time over C's", num(r, "batched16_speedup"), "%.1f", "above 1", lambda v: v > 1),
        ("chapter 3, B = 16: PyTorch's time over C's", num(r, "batched16_torch_speedup"), "%.1f", "above 1",
         lambda v: v > 1),
    ]
    tmp = os.path.join(out, "targets.tsv.tmp")
    met_all = 0
    with open(tmp, "w") as f:
        f.write("target\tmeasured\tgoal\tmet\n")
        for what, v, fmt, goal, test in rows:
            known = v == v
            met = "met" if known and test(v) else ("missed" if known else "not measured")
            met_all += met == "met"
            text = fmt % v if known else "-"
            f.write(f"{what}\t{text}\t{goal}\t{met}\n")
            print(f"target: {what}: {text} ({goal}): {met}")
    os.rename(tmp, os.path.join(out, "targets.tsv"))
    print(f"targets: {met_all} of {len(rows)} met")


if __name__ == "__main__":
    main()
