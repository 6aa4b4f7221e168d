#!/usr/bin/env bash
# test_book.sh — a quick end-to-end build of the whole book (QUICK=1: short runs) in a copy of the
# repository, then the incremental rules: what an edit to a program, to prose, or to nothing reruns.
# TAP on stdout, for prove.
# No pipefail: `echo "$log" | grep -q` would count as a failure whenever grep stops early and echo gets SIGPIPE.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-book.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$root/tests/lib.bash"

# A copy of what git tracks (and untracked sources), without build outputs; MNIST is shared.
copy_repo "$root" "$work"
export QUICK=1
mk() { make -C "$work" --no-print-directory DATA="$root/${DATA:-data}" "$@" 2>&1; }

log=$(mk book); status=$?
ok $status "make book (QUICK=1) succeeds"
[ $status -eq 0 ] || { echo "$log" | tail -n 30 | sed 's/^/# /'; }

chapters=$(cd "$work/chapters" && ls -d [0-9][0-9]-*/ | tr -d /)
for ch in $chapters; do
    page=$work/book/$ch.html
    case $ch in 00-*) page=$work/book/index.html ;; esac
    check "$ch: page written" test -s "$page"
    check "$ch: no placeholder left unreplaced" bash -c "! grep -q '{{' '$page'"
    check "$ch: every <img> names a file that exists" bash -c \
        "cd '$work/book' && for f in \$(grep -o '<img[^>]*src=\"[^\"]*\"' '$page' | sed 's/.*src=\"//; s/\"\$//'); do test -s \"\$f\" || exit 1; done"
done
check "KaTeX script and fonts are in the book" test -s "$work/book/assets/katex/katex.min.js" -a -d "$work/book/assets/katex/fonts"
check "math reaches the page as math spans" grep -q 'class="math' "$work/book/01-scalar.html"

# Nothing changed: nothing reruns.
log=$(mk book)
ok $(echo "$log" | grep -q '== running\|== weaving' && echo 1 || echo 0) "a second make book does nothing"

# A page and figures that no chapter makes any more (a renamed chapter's) leave the book.
touch "$work/book/77-gone.html" && mkdir -p "$work/book/figures/77-gone"
log=$(mk book)
check "a page no chapter makes is removed" test ! -e "$work/book/77-gone.html"
check "... and its figures" test ! -e "$work/book/figures/77-gone"
check "... and the chapters' pages stay" test -s "$work/book/04-experiments.html"

# Prose edit: chapter 1 re-woven, nothing retrained.
sleep 1; echo >> "$work/chapters/01-scalar/chapter.md"
log=$(mk book)
ok $(echo "$log" | grep -q '== weaving 01-scalar' && echo 0 || echo 1) "editing chapter.md re-weaves chapter 1"
ok $(echo "$log" | grep -q '== running' && echo 1 || echo 0) "editing chapter.md retrains nothing"
ok $(echo "$log" | grep '== weaving' | grep -qv '01-scalar' && echo 1 || echo 0) "editing chapter.md re-weaves no other chapter"

# A sentence the run does not bear out: marked on the page and named in make's last lines; STRICT=1 fails.
cp "$work/chapters/01-scalar/chapter.md" "$work/ch1.md"
printf '\nThe rate was huge {{claim lr > 1000 | the rate is above a thousand}}.\n' >>"$work/chapters/01-scalar/chapter.md"
log=$(mk book); status=$?
ok $status "a failed claim does not fail make book"
check "... the page marks its paragraph with a note" grep -q 'class="claim-failed".*the rate is above a thousand' "$work/book/01-scalar.html"
check "... the page opens with the list of failed claims" grep -q '1 statement on this page is not borne out' "$work/book/01-scalar.html"
ok $(echo "$log" | sed -n '/== weaving 01-scalar/,$p' | grep -q '^book: chapters/01-scalar/chapter.md:[0-9]*: not so in this run: the rate is above a thousand' && echo 0 || echo 1) \
    "... make's last lines name it with its line"
log=$(mk book STRICT=1); status=$?
ok $([ $status -ne 0 ] && echo "$log" | grep -q 'STRICT=1: failing' && echo 0 || echo 1) "... and STRICT=1 fails on it"
cp "$work/ch1.md" "$work/chapters/01-scalar/chapter.md"
log=$(mk book)
ok $(echo "$log" | grep -q 'above a thousand' && echo 1 || echo 0) "with the claim gone, make's last lines no longer name it"
check "... no note left" bash -c "! grep -q 'claim-failed' '$work/book/01-scalar.html'"

# Program edit: chapter 1 rerun, and only chapter 1 (and what reads its outputs). (A blank line would not do:
# the program would be the same bytes, and runs follow the program's content.)
sleep 1; echo 'const int edited_by_test = 1;' >> "$work/chapters/01-scalar/scalar.c"
log=$(mk book)
ok $(echo "$log" | grep -q '== running 01-scalar (scalar changed)' && echo 0 || echo 1) "editing scalar.c reruns chapter 1, saying why"
ok $(echo "$log" | grep '== running' | grep -v '93-results: scalar\|93-results (' | grep -qv '01-scalar\|90-gradcheck' &&
     echo 1 || echo 0) "editing scalar.c reruns no MNIST chapter (of Appendix D, the grading of scalar.c alone)"
ok $(echo "$log" | grep -q '== running 93-results: scalar (scalar changed)' && echo 0 || echo 1) \
    "... and it grades scalar.c again"

# A student's wrong gradient (the softmax's onehot forgotten) is what the page shows: the gradient check's
# warning at its top, and the worked example's derivatives against the assignment's, each marked where it stands.
cp "$work/chapters/01-scalar/scalar.c" "$work/scalar.c"
sed -i 's/dl_do\[k\] = y\[k\] - (k == target);/dl_do[k] = y[k];/' "$work/chapters/01-scalar/scalar.c"
log=$(mk book); status=$?
ok $status "a wrong gradient does not fail make book"
check "... chapter 1 opens with the failed gradient check" grep -q '<strong>The gradient check failed' "$work/book/01-scalar.html"
check "... the worked example's dl/dV is marked against the assignment's" \
    grep -q 'Not so in this run:</strong> every row of the program.s dl/dV is (-0.4404, 0.4404)' "$work/book/01-scalar.html"
check "... and its dl/dc" grep -q 'Not so in this run:</strong> the program.s dl/dc is (-0.5, 0.5)' "$work/book/01-scalar.html"
ok $(echo "$log" | grep -q 'gradient check FAILED in 01-scalar' && echo 0 || echo 1) "... and make's last lines name the check"
cp "$work/scalar.c" "$work/chapters/01-scalar/scalar.c"
log=$(mk book)
check "the gradient fixed, chapter 1 holds no note" bash -c "! grep -q 'claim-failed\|verdict fail' '$work/book/01-scalar.html'"

# Reruns follow content, not time stamps: a touched program, or one rebuilt identical, reruns nothing.
sleep 1; touch "$work/chapters/03-batched/batched.c" "$work/chapters/02-vector/vector.c" "$work/src/wb.c"
log=$(mk book)
ok $(echo "$log" | grep -q '== running' && echo 1 || echo 0) "touching the programs' sources reruns nothing"


# A rate added to chapter 4's grid trains that rate's runs, and no other run of the grid or of chapter 3.
sed -i '/^ifdef QUICK/,/^endif/s/^EXP_RATES  := \(.*\)$/EXP_RATES  := \1 0.1/' "$work/chapters/04-experiments/chapter.mk"
log=$(mk book)
ok $(echo "$log" | grep -q '== running 04-experiments: runs/lr0.1_s1 (it has not run yet)' && echo 0 || echo 1) \
    "a rate added to EXP_RATES trains its run, saying why"
ok $(echo "$log" | grep '== running' | grep -q 'runs/lr0.01_s1\|runs/lr0.3_s1\|03-batched' && echo 1 || echo 0) \
    "... and no other run of the grid, nor chapter 3"
ok $(echo "$log" | grep -q '== weaving 04-experiments' && echo 0 || echo 1) "... and chapter 4's page is rewoven"

# QUICK is part of a run's settings: the same chapter without it reruns, and says why.
log=$(env -u QUICK make -C "$work" --no-print-directory DATA="$root/${DATA:-data}" build/01-scalar/out/done 2>&1)
ok $(echo "$log" | grep -q '== running 01-scalar (its settings changed)' && echo 0 || echo 1) \
    "a build without QUICK=1 reruns a QUICK run: its settings changed"
log=$(mk book)
ok $(echo "$log" | grep -q '== running 01-scalar (its settings changed)' && echo 0 || echo 1) "... and back"

# A broken chapter fails the build with file:line, and leaves its previous page in place, marked out of date.
sed 's/<div class="verdict stale".*//' "$work/book/01-scalar.html" | md5sum >"$work/before"
cp "$work/chapters/01-scalar/chapter.md" "$work/ch1.md"
sleep 1; echo 'The loss was {{no_such_key %.3f}}.' >> "$work/chapters/01-scalar/chapter.md"
log=$(mk book); status=$?
ok $([ $status -ne 0 ] && echo 0 || echo 1) "an unknown placeholder key fails the build"
ok $(echo "$log" | tail -n 2 | grep -q 'FAILED: .*chapters/01-scalar/chapter.md:[0-9]*:.*no_such_key' && echo 0 || echo 1) \
    "the error names chapter.md:line and the key, last"
check "the failed weave leaves the old page whole" bash -c "tail -c 8 '$work/book/01-scalar.html' | grep -q '</html>'"
check "... marked out of date, with the error" grep -q '<div class="verdict stale".*\|This page is out of date.*no_such_key' "$work/book/01-scalar.html"
cp "$work/ch1.md" "$work/chapters/01-scalar/chapter.md"

# One broken program does not stop the others: a compile error in chapter 3's program, and a prose edit in
# chapter 1. Chapter 1 is rewoven; chapters 3, 4 and Appendix A (which use that program) keep their pages,
# marked out of date with the compiler's message; make names it last and fails. The fix takes the marks off.
cp "$work/chapters/03-batched/batched.c" "$work/batched.c"
sleep 1; sed -i 's/y\[k\] \*= inv_b;/y[k] *= inv_b/' "$work/chapters/03-batched/batched.c"
echo 'One more sentence.' >> "$work/chapters/01-scalar/chapter.md"
log=$(mk book); status=$?
ok $([ $status -ne 0 ] && echo 0 || echo 1) "a compile error fails make book"
ok $(echo "$log" | grep -q '== weaving 01-scalar' && echo 0 || echo 1) "... but chapter 1's prose edit is rewoven"
check "... and shows" grep -q 'One more sentence.' "$work/book/01-scalar.html"
ok $(echo "$log" | tail -n 2 | grep -q 'FAILED: chapters/03-batched/batched.c:[0-9]*:[0-9]*: error:' && echo 0 || echo 1) \
    "make's last line names the compiler's error"
for p in 03-batched 04-experiments 90-gradcheck; do
    check "$p: its last page stays, marked out of date with the error" \
        grep -q 'This page is out of date.*batched.c:[0-9]*:[0-9]*: error' "$work/book/$p.html"
done
check "01-scalar: not marked" bash -c "! grep -q 'verdict stale' '$work/book/01-scalar.html'"
cp "$work/batched.c" "$work/chapters/03-batched/batched.c"
log=$(mk book); status=$?
ok $status "the error fixed, make book succeeds"
ok $(echo "$log" | grep -q '== running' && echo 1 || echo 0) "... retraining nothing: the program is the same as before"
check "... and no page is marked out of date" bash -c "! grep -l 'verdict stale' '$work'/book/*.html"

echo "1..$n"
[ $failed -eq 0 ]
