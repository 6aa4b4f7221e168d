#!/usr/bin/env bash
# leakcheck.sh — every tool and a short run of every chapter program under valgrind: no memory error, no leak.
#
#   LEAK=build/leak MNIST=data/mnist tools/leakcheck.sh      (what `make leakcheck` runs, after building $LEAK)
#
# Each run names the exit status it must end with — 0, or 1 for a refused input, 3 for a diverged training —
# because the error paths must be as clean as the good ones. Valgrind turns any invalid read or write, use of
# uninitialised memory, or definitely / indirectly / possibly lost block into exit status 99. Memory still
# reachable at exit is not a leak; fontconfig's and cairo's caches are kept for the process's lifetime by design,
# and mk/valgrind.supp names what of theirs valgrind would otherwise count as possibly lost.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
LEAK=${LEAK:-build/leak}
MNIST=${MNIST:-data/mnist}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --suppressions="$root/mk/valgrind.supp" --num-callers=30)
export OPENBLAS_NUM_THREADS=1 LC_ALL=C
n=0 failed=0

# run NAME STATUS COMMAND...: run COMMAND under valgrind; it must exit with STATUS.
run() {
    local name=$1 want=$2
    shift 2
    n=$((n + 1))
    "${vg[@]}" --log-file="$tmp/$n.vg" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"
    local got=$?
    if [ "$got" -eq "$want" ] && [ ! -s "$tmp/$n.vg" ]; then
        echo "leakcheck: ok    $name (exit $got)"
    else
        failed=$((failed + 1))
        echo "leakcheck: FAIL  $name: exit $got, expected $want; valgrind says:"
        sed 's/^/    /' "$tmp/$n.vg" | head -n 60
        tail -n 5 "$tmp/$n.err" | sed 's/^/    stderr: /'
    fi
}

W=tests/fixtures/weave
chapters=$(ls -d chapters/[0-9][0-9]-*)
# shellcheck disable=SC2086
run "weave --toc over every chapter" 0 "$LEAK/tools/weave" --toc $chapters
run "weave a chapter (fixture)" 0 "$LEAK/tools/weave" --chapter $W/01-test --data $W/out --figures $W/figures \
    --toc $W/toc.tsv --out "$tmp/page.html" --math-out "$tmp/math.tsv"
run "weave a broken chapter" 1 "$LEAK/tools/weave" --chapter $W/02-broken --data $W/out --figures $W/figures \
    --toc $W/toc.tsv --out "$tmp/broken.html"
run "weave with an unknown flag" 1 "$LEAK/tools/weave" --chapter $W/01-test --bogus
run "weave --help" 0 "$LEAK/tools/weave" --help

P=tests/fixtures/plot
run "plot every figure (SVG)" 0 "$LEAK/tools/plot" --chapter $P/chapter.md --data $P/out --out "$tmp/fig"
run "plot one figure (PNG)" 0 "$LEAK/tools/plot" --chapter $P/chapter.md --data $P/out --out "$tmp/fig" --png --only moons
mkdir -p "$tmp/empty"
run "plot with its data missing" 1 "$LEAK/tools/plot" --chapter $P/chapter.md --data "$tmp/empty" --out "$tmp/fig2"

S=$LEAK/01-scalar/scalar
run "scalar: a short training" 0 "$S" --epochs 1 --n-train 500 --n-val 200 --out "$tmp/scalar"
run "scalar --example" 0 "$S" --example
run "scalar --gradcheck" 0 "$S" --gradcheck --out "$tmp/scalar-gc"
run "scalar --dump-data" 0 "$S" --dump-data --n-train 100 --n-val 100 --out "$tmp/scalar-data"
run "scalar: a diverging rate" 3 "$S" --epochs 1 --n-train 500 --n-val 200 --lr 1e308 --out "$tmp/scalar-div"
run "scalar: a malformed flag" 1 "$S" --epochs five

V=$LEAK/02-vector/vector
run "vector: a short training" 0 "$V" --epochs 1 --limit 200 --eval-every 100 --mnist "$MNIST" --out "$tmp/vector"
run "vector --gradcheck" 0 "$V" --gradcheck --out "$tmp/vector-gc"
run "vector: a diverging rate" 3 "$V" --epochs 1 --limit 100 --lr 1e30 --mnist "$MNIST" --out "$tmp/vector-div"
run "vector: no MNIST there" 1 "$V" --epochs 1 --mnist "$tmp/empty" --out "$tmp/vector-none"

X=$LEAK/03-batched/batched
run "batched: a short training" 0 "$X" --epochs 1 --limit 320 --batch 16 --lr 0.5 --mnist "$MNIST" --out "$tmp/batched"
run "batched --gradcheck" 0 "$X" --gradcheck --out "$tmp/batched-gc"
run "batched: a diverging rate" 3 "$X" --epochs 1 --limit 320 --batch 16 --lr 1e30 --mnist "$MNIST" --out "$tmp/batched-div"

# Chapter 4's summaries need a grid of runs: made natively (fast), then summarized under valgrind.
for lr in 0.5 1e30; do
    for s in 1 2; do
        "$X" --epochs 2 --limit 200 --batch 16 --lr $lr --seed $s --mnist "$MNIST" --out "$tmp/runs/lr${lr}_s$s" 2>/dev/null
    done
done
for s in 1 2 3; do "$X" --epochs 2 --limit 200 --batch 16 --lr 0.5 --seed $s --final --mnist "$MNIST" --out "$tmp/final/s$s" 2>/dev/null; done
"$X" --epochs 2 --limit 200 --batch 16 --lr 0.5 --seed 3 --mnist "$MNIST" --out "$tmp/more/s3" 2>/dev/null
run "student: chapter 1's program" 0 "$LEAK/tools/student" chapters/01-scalar/scalar.c chapters/01-scalar/chapter.md \
    "$tmp/student.c"
printf 'void f(void) {\n// BEGIN SOLUTION: it; see "Nowhere"\n// END SOLUTION\n}\n' > "$tmp/x.c"
run "student: a region naming no heading" 1 "$LEAK/tools/student" "$tmp/x.c" chapters/01-scalar/chapter.md "$tmp/x-out.c"

M=$LEAK/04-experiments/summarize
run "summarize --select" 0 "$M" --runs "$tmp/runs" --rates "0.5 1e30" --seeds "1 2" --select
run "summarize: the tables" 0 "$M" --runs "$tmp/runs" --rates "0.5 1e30" --seeds "1 2" --final "$tmp/final" --out "$tmp/exp"
run "summarize: the tables, with an extra seed" 0 "$M" --runs "$tmp/runs" --rates "0.5 1e30" --seeds "1 2" \
    --more "$tmp/more" --more-seeds 3 --final "$tmp/final" --out "$tmp/exp3"
run "summarize: a run missing" 1 "$M" --runs "$tmp/runs" --rates "0.5 0.3" --seeds "1 2" --select

echo "leakcheck: $n runs under valgrind, $((n - failed)) clean, $failed with errors or leaks"
[ "$failed" -eq 0 ]
