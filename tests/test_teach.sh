#!/usr/bin/env bash
# test_teach.sh — the teaching edition (mk/teach.mk): make student, the student tree's own book, make grade in
# both trees, planted bugs that each fail exactly their items, and hostile submissions that the sandbox stops.
# Everything runs in copies of the repository, in a temporary folder. TAP on stdout, for prove.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-teach.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$root/tests/lib.bash"
DATA_DIR="$root/${DATA:-data}"
mnist_stamp=$(stat -c %Y "$DATA_DIR/mnist/.verified" 2>/dev/null)
# The copies build into their own build/ (B from make test would name the reader's).
build_root=$root/${B:-build}
case ${B:-build} in /*) build_root=$B ;; esac
unset B

copy_repo "$root" "$work/teacher" tracked
cd "$work/teacher" || exit 1
mk() { make --no-print-directory DATA="$DATA_DIR" "$@" 2>&1; }

# ----- make student ---------------------------------------------------------------------------------------
log=$(mk student); ok $? "make student" || echo "$log" | tail -n 5 | sed 's/^/# /'
st=build/student
ok $([ -d $st ] && [ -s build/student.tar.gz ] && echo 0 || echo 1) "it writes build/student/ and build/student.tar.gz"
ok $(tar -tzf build/student.tar.gz | grep -q '^student/chapters/01-scalar/scalar.c$' &&
     ! tar -tzf build/student.tar.gz | grep -q '^student/\(build\|book\|figures\|data\)/' && echo 0 || echo 1) \
    "the tarball holds the sources (student/...), not build/, book/, figures/ or data/"
regions=$(cat chapters/*/*.c | grep -c '^\s*// BEGIN SOLUTION')
todos=$(cat $st/chapters/*/*.c | grep -c '^\s*// TODO: ')
ok $([ "$regions" -ge 10 ] && [ "$todos" -eq "$regions" ] && echo 0 || echo 1) \
    "every one of the $regions solution regions became a TODO ($todos)"
ok $(! grep -rq 'SOLUTION\|// STUB:' $st/chapters && echo 0 || echo 1) "no solution marker or stub marker is left in the student tree"
ok $(grep -q 'dl_do\[k\] = y\[k\] - (k == target)' chapters/01-scalar/scalar.c &&
     ! grep -q 'dl_do\[k\] = y\[k\] - (k == target)' $st/chapters/01-scalar/scalar.c && echo 0 || echo 1) \
    "the solution of dl/do is in the teacher's scalar.c and not in the student's"
ok $(grep -A2 '// TODO: dl/do' $st/chapters/01-scalar/scalar.c | grep -q 'chapter 1, section 1\.[0-9]' && echo 0 || echo 1) \
    "a TODO names the chapter and section that derive it"
eval "$(mk -s grade-env)"
for p in 01-scalar/scalar 02-vector/vector 03-batched/batched; do
    # shellcheck disable=SC2086
    out=$($GRADE_CC $GRADE_CFLAGS -Werror $st/chapters/$p.c $GRADE_LIBS -o "$work/$(basename $p)" 2>&1)
    ok $? "the student's $p.c compiles without a warning" || echo "$out" | head -n 5 | sed 's/^/# /'
done
cmp -s build/student.tar.gz <(mk -s student >/dev/null; cat build/student.tar.gz)
ok $? "make student again writes the same tarball, byte for byte"

# ----- the student tool refuses broken markers, naming the line ----------------------------------------------
S=build/tools/student
mkdir -p "$work/marks/chapters/01-x"
printf '# X\n\n## The part\n' > "$work/marks/chapters/01-x/chapter.md"
marks() {  # marks WHAT EXPECTED C-SOURCE: student must fail with EXPECTED and write nothing
    local f=$work/marks/chapters/01-x/x.c
    printf '%b' "$3" > "$f"; rm -f "$work/marks/out.c"
    local msg; msg=$($S "$f" "$work/marks/chapters/01-x/chapter.md" "$work/marks/out.c" 2>&1)
    local s=$?
    ok $([ $s -ne 0 ] && grep -qF "$2" <<< "$msg" && [ ! -e "$work/marks/out.c" ] && ! ls "$work/marks/"out.c.tmp* >/dev/null 2>&1 &&
         echo 0 || echo 1) "student refuses $1: $2"
    [ $s -ne 0 ] && grep -qF "$2" <<< "$msg" || echo "# got: $msg"
}
B1='// BEGIN SOLUTION: it; see "The part"\n'
marks "a region never closed" "x.c:2: the region never ends" "void f(void) {\n$B1 int a;\n}\n"
marks "an END without BEGIN" "x.c:2: \"// END SOLUTION\" without a region open" "void f(void) {\n// END SOLUTION\n}\n"
marks "a region inside a region" "x.c:3: a region begins inside the region of line 2" "void f(void) {\n$B1$B1}\n"
marks "a region outside a function" "x.c:1: a region begins outside a function" "$B1// END SOLUTION\n"
marks "a region across two functions" "x.c:4: the region of line 2 leaves its function's braces" \
      "void f(void) {\n$B1}\n// END SOLUTION\n"
marks "a section that is not in the chapter" "x.c:2: no heading \"Elsewhere\"" \
      "void f(void) {\n// BEGIN SOLUTION: it; see \"Elsewhere\"\n// END SOLUTION\n}\n"
marks "a BEGIN line without what and where" "x.c:2: expected \"// BEGIN SOLUTION: what to compute; see" \
      "void f(void) {\n// BEGIN SOLUTION\n// END SOLUTION\n}\n"
marks "a stub wider than a listing" "x.c:3: the stub's line is 93 columns wide" \
      "void f(void) {\n$B1// STUB: $(printf 'x%.0s' {1..93})\n// END SOLUTION\n}\n"
marks "a stub a tab's indent takes past 80 columns, as the weaver counts it" "x.c:3: the stub's line is 83 columns wide" \
      "void f(void) {\n\t$B1\t// STUB: $(printf 'x%.0s' {1..75})\n\t// END SOLUTION\n}\n"

# ----- the student tree's own book: it builds, and shows the student where they stand -----------------------
# With its files' times (cp -p): a copy newer than the shared MNIST's stamp would fetch MNIST again into it.
cp -rp $st "$work/student"
log=$(cd "$work/student" && QUICK=1 make --no-print-directory DATA="$DATA_DIR" book 2>&1); s=$?
ok $s "the student tree's make book (QUICK=1) builds" || echo "$log" | tail -n 15 | sed 's/^/# /'
sb=$work/student/book
ok $(grep -q 'gradcheck FAILED\|FAIL' <<< "$log" && grep -c '>FAIL<' "$sb/90-gradcheck.html" | grep -qv '^0$' && echo 0 || echo 1) \
    "its gradient checks fail, in make book's last lines and in Appendix A's tables"
for ch in 01-scalar 02-vector 03-batched; do
    ok $(grep -q 'class="verdict' "$sb/$ch.html" && grep -q 'claim-failed' "$sb/$ch.html" && echo 0 || echo 1) \
        "$ch's page opens with the verdict box and marks the outcome sentences the untrained network breaks"
done
ok $(grep -q 'The trained network beats the untrained one\|the trained network beats the untrained one' "$sb/01-scalar.html" &&
     grep -A3 'claim-failed' "$sb/01-scalar.html" | grep -qi 'not so in this run' && echo 0 || echo 1) \
    "chapter 1 says the network did not learn: its claim that it beats the untrained one is marked not so"
ok $(grep -q 'TODO' "$sb/01-scalar.html" && ! grep -q 'y\[k\] - (k == target)' "$sb/01-scalar.html" && echo 0 || echo 1) \
    "chapter 1's listings show the student's code (the TODO, not the solution)"
ok $(grep -q '0 of 17\|scores 0 of' "$sb/93-results.html" && echo 0 || echo 1) "its page \"Your results\" scores 0 points"

# ----- make grade: full marks for the teacher's tree, zero for the student's, each failure naming its TODO ----
log=$(mk grade); s=$?
ok $([ $s -eq 0 ] && grep -q 'grade: 17 of 17 points' <<< "$log" && [ -s build/grade/report.tsv ] && echo 0 || echo 1) \
    "make grade in the teacher's tree: 17 of 17 points, exit 0, build/grade/report.tsv"
[ $s -eq 0 ] || echo "$log" | tail -n 12 | sed 's/^/# /'
ok $([ "$(head -n1 build/grade/report.tsv)" = "$(printf 'item\tresult\tpoints\tmessage')" ] &&
     [ "$(awk -F'\t' 'NR > 1 && $2 == "pass"' build/grade/report.tsv | wc -l)" -eq 9 ] && echo 0 || echo 1) \
    "report.tsv: item result points message, every one of the 9 items passing"
ok $(grep -q 'Your results' book/93-results.html 2>/dev/null && grep -q 'batch-mean' book/93-results.html && echo 0 || echo 1) \
    "make grade adds the page \"Your results\" to the book"
log=$(cd "$work/student" && make --no-print-directory DATA="$DATA_DIR" grade 2>&1); s=$?
rep=$work/student/build/grade/report.tsv
ok $([ $s -ne 0 ] && grep -q 'grade: 0 of 17 points' <<< "$log" && echo 0 || echo 1) \
    "make grade in the student tree: 0 of 17 points, and it fails"
(cd "$work/student" && eval "$(make -s DATA="$DATA_DIR" grade-env)" && grade/grade.sh . "$work/student-grade" >/dev/null 2>&1); s=$?
ok $([ $s -eq 1 ] && echo 0 || echo 1) "grade/grade.sh on the student tree exits 1 (got $s)"
ok $([ "$(awk -F'\t' 'NR > 1 && $2 == "fail" && $4 ~ /Still to write: [a-z]+\.c:[0-9]+: TODO: /' "$rep" | wc -l)" -eq 9 ] && echo 0 || echo 1) \
    "each of its 9 items fails with its program's TODO (file:line: TODO: ...)"

# ----- planted bugs: each in a copy of the solution, failing exactly the items it should ---------------------
plant() {  # plant NAME FILE PERL-SUBSTITUTION EXPECTED-FAILED-ITEMS...
    local name=$1 file=$2 expr=$3; shift 3
    local t=$work/plant-$name
    mkdir -p "$t/chapters" && cp -r chapters/01-scalar chapters/02-vector chapters/03-batched "$t/chapters/"
    cp "$t/$file" "$t/$file.was" && perl -0pi -e "$expr" "$t/$file"
    if cmp -s "$t/$file" "$t/$file.was"; then ok 1 "planted $name: the substitution changed nothing"; return; fi
    grade/grade.sh "$t" "$t/out" >/dev/null 2>&1
    local got; got=$(awk -F'\t' 'NR > 1 && $2 == "fail" { print $1 }' "$t/out/report.tsv" | sort | tr '\n' ' ')
    local want; want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    ok $([ "$got" = "$want" ] && echo 0 || echo 1) "planted $name: fails exactly: $want"
    [ "$got" = "$want" ] || echo "# failed instead: $got"
}
# A sign error in dV: the gradient check, the assignment's values, and the training (the output weights climb).
plant "sign error in dV" chapters/01-scalar/scalar.c 's/g->V\[j\]\[k\] = a->h\[j\] \* dl_do\[k\];/g->V[j][k] = -a->h[j] * dl_do[k];/' \
    gradcheck-scalar worked-example train-scalar
# The sigmoid's factor h (1 - h) dropped in chapter 2: its gradient check. The training still learns (the factor
# is at most 1/4, so the hidden layer's steps are larger, not wrong in sign), and chapter 1's items do not see it.
plant "sigmoid factor dropped" chapters/02-vector/vector.c 's/dz\[j\] = dh\[j\] \* h\[j\] \* \(1\.0f - h\[j\]\);/dz[j] = dh[j];/' \
    gradcheck-vector
# The batch's gradient summed, not averaged: B times too large. The gradient check and the mean item see it.
plant "batch gradient summed" chapters/03-batched/batched.c 's/for \(int k = 0; k < n_out; k\+\+\) y\[k\] \*= inv_b;/(void)inv_b;/' \
    gradcheck-batched batch-mean train-batched
# The softmax without its max shift: right for small logits (the check, the training), NaN for large ones.
plant "softmax without the max shift" chapters/01-scalar/scalar.c 's/if \(o\[k\] > m\) m = o\[k\];/if (o[k] > m) m = o[k];\n    m = 0;/' \
    softmax-stable

# A failing item names a TODO of the functions it exercises, not its program's first: a student who wrote chapter
# 2's backward layers (with the sigmoid factor dropped) but not yet sgd_step's batch update fails the gradient
# check, which never runs that update, so its message names no TODO.
t=$work/partial && mkdir -p "$t/chapters" && cp -r chapters/01-scalar chapters/02-vector chapters/03-batched "$t/chapters/"
perl -0pi -e 's{^[ \t]*// BEGIN SOLUTION: (?!the SGD step)[^\n]*\n(?:[ \t]*// STUB:[^\n]*\n)*(.*?)^[ \t]*// END SOLUTION\n}{$1}gms;
              s/dz\[j\] = dh\[j\] \* h\[j\] \* \(1\.0f - h\[j\]\);/dz[j] = dh[j];/' "$t/chapters/02-vector/vector.c"
build/tools/student "$t/chapters/02-vector/vector.c" chapters/02-vector/chapter.md "$t/vector.c" && mv "$t/vector.c" "$t/chapters/02-vector/"
grade/grade.sh "$t" "$t/out" vector >/dev/null 2>&1
m=$(awk -F'\t' '$1 == "gradcheck-vector" && $2 == "fail" { print $4 }' "$t/out/report.tsv")
ok $([ "$(grep -c 'TODO: ' "$t/chapters/02-vector/vector.c")" -eq 1 ] && [ -n "$m" ] && ! grep -q 'Still to write' <<< "$m" &&
     echo 0 || echo 1) "a failing item names no TODO outside the functions it exercises (gradcheck-vector: ${m:0:60})"

# ----- make grade-all: a class of submissions, hostile ones among them ---------------------------------------
subs=$work/submissions
mkdir -p "$subs"
# The grader's file: in a folder anyone may write to, outside /tmp (which the sandbox replaces), so that only the
# sandbox's read-only view of the machine keeps the submission (run as nobody) from deleting it.
mkdir -p "$build_root" && canary_dir=$(mktemp -d "$build_root/teach-canary.XXXXXX") && chmod 777 "$canary_dir"
canary=$canary_dir/canary && echo "the grader's" > "$canary" && chmod 666 "$canary"
trap 'rm -rf "$work" "$canary_dir"' EXIT
hostile() {  # hostile NAME FILE FUNCTION-HEADER CODE: a copy of the solution, CODE first in that function
    mkdir -p "$subs/$1/chapters" && cp -r chapters/01-scalar chapters/02-vector chapters/03-batched "$subs/$1/chapters/"
    HDR=$3 CODE=$4 perl -0pi -e 's/(\Q$ENV{HDR}\E)/$1\n    $ENV{CODE}/' "$subs/$1/$2"
    ok $(grep -qF "$4" "$subs/$1/$2" && echo 0 || echo 1) "the hostile submission $1 has its attack: $4"
}
# Each in a function every run of its program calls: chapter 1's forward pass, chapter 2's, chapter 3's.
hostile 1-loop chapters/01-scalar/scalar.c 'int target) {' 'for (volatile int spin = 1; spin;) {}'
hostile 2-malloc chapters/02-vector/vector.c 'static float forward(activations *a, const model *m, const float *x, int t) {' \
    'for (;;) { char *p = malloc(1 << 24); if (p) memset(p, 1, 1 << 24); }'
hostile 3-fork chapters/03-batched/batched.c \
    'static double forward(const params *net, workspace *ws, const float *X, const uint8_t *t, int B) {' 'for (;;) fork();'
hostile 4-remove chapters/01-scalar/scalar.c 'int target) {' "remove(\"$canary\"), remove(\"$root/Makefile\");"
hostile 4-read chapters/01-scalar/scalar.c 'int target) {' \
    "if (fopen(\"$canary\", \"r\") || fopen(\"$root/Makefile\", \"r\")) abort();"
hostile 4-bigfile chapters/02-vector/vector.c 'static float forward(activations *a, const model *m, const float *x, int t) {' \
    '{ FILE *f = fopen("big", "w"); for (long q = 0; f && q < (1L << 28); q++) fputc(1, f); }'
mkdir -p "$subs/5-good" && cp -r chapters "$subs/5-good/"
cp build/student.tar.gz "$subs/6-student.tar.gz"
# Tarballs that try to reach out: a program that is a symbolic link to a file of the machine, and members that
# climb out of the folder they are unpacked in.
mkdir -p "$work/t7/x/chapters" && cp -r chapters/0[123]-* "$work/t7/x/chapters/" &&
    ln -sf /etc/shadow "$work/t7/x/chapters/01-scalar/scalar.c" && tar -C "$work/t7" -czf "$subs/7-symlink.tar.gz" x
mkdir -p "$work/t8/x/chapters" && cp -r chapters/0[123]-* "$work/t8/x/chapters/" && echo "the grader's" > "$work/t8/escaped" &&
    tar -C "$work/t8/x" -czf "$subs/8-dotdot.tar.gz" chapters ../escaped -P 2>/dev/null
log=$(GRADE_RUN_SECONDS=5 mk grade-all SUBMISSIONS="$subs"); s=$?
g=build/grade-all/grades.tsv
ok $([ $s -eq 0 ] && [ "$(wc -l < $g)" -eq 11 ] && echo 0 || echo 1) "make grade-all grades the 10 submissions into one grades.tsv, a row each"
[ $s -eq 0 ] || echo "$log" | tail -n 8 | sed 's/^/# /'
row() { awk -F'\t' -v n="$1" '$1 == n' $g; }
for r in 1-loop 2-malloc 3-fork 4-remove 4-read 4-bigfile 7-symlink; do row $r | cut -f1,2,13 | cut -c1-400 | sed 's/^/# /'; done
col() { awk -F'\t' -v n="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } $1 == n { print $k }' $g; }
ok $([ "$(col 1-loop gradcheck-scalar)" = 0 ] && [ "$(col 1-loop train-scalar)" = 0 ] && [ "$(col 1-loop train-vector)" = 2 ] &&
     row 1-loop | grep -q 'time limit' && echo 0 || echo 1) "an infinite loop: chapter 1's items score zero at the time limit, named in its row; the others score"
ok $([ "$(col 2-malloc gradcheck-vector)" = 0 ] && [ "$(col 2-malloc train-vector)" = 0 ] && [ "$(col 2-malloc train-scalar)" = 2 ] &&
     row 2-malloc | grep -q 'memory limit' && echo 0 || echo 1) "a malloc loop: chapter 2's items score zero at the memory limit, named in its row"
ok $([ "$(col 3-fork gradcheck-batched)" = 0 ] && [ "$(col 3-fork batch-mean)" = 0 ] && [ "$(col 3-fork train-scalar)" = 2 ] &&
     row 3-fork | grep -q 'process limit' && echo 0 || echo 1) "a fork loop: chapter 3's items score zero at the process limit, named in its row"
ok $([ -z "$(pgrep -f "$work/teacher/build/grade-all/" 2>/dev/null)" ] && echo 0 || echo 1) \
    "no process of a submission is left running (the fork loop's children included)"
ok $([ "$(cat "$canary")" = "the grader's" ] && [ -f "$root/Makefile" ] && [ "$(col 4-remove points)" = 17 ] && echo 0 || echo 1) \
    "remove() of files outside the submission (a file of the grader's, the repository's Makefile): both are still there"
ok $([ "$(col 4-read points)" = 17 ] && echo 0 || echo 1) \
    "fopen() of files outside the submission (a file of the grader's anyone may read, the repository's Makefile): neither is there, and it grades 17 of 17"
ok $([ "$(col 4-bigfile train-vector)" = 0 ] && [ "$(col 4-bigfile train-scalar)" = 2 ] &&
     row 4-bigfile | grep -q 'file size limit' && echo 0 || echo 1) "a file written without end: stopped at the file size limit, named in its row"
ok $([ "$(col 5-good points)" = 17 ] && echo 0 || echo 1) "the next submission, the solution itself, is graded normally: 17 of 17"
ok $([ "$(col 7-symlink train-scalar)" = 0 ] && [ "$(col 7-symlink train-vector)" = 2 ] &&
     row 7-symlink | grep -q 'scalar.c: missing, or not a regular file inside the submission' && echo 0 || echo 1) \
    "a program that is a symbolic link to /etc/shadow is not read: its items fail, saying why"
ok $([ "$(col 8-dotdot points)" = 17 ] && [ ! -e build/grade-all/escaped ] && [ ! -e build/grade-all/8-dotdot/escaped ] &&
     [ "$(find build -name escaped | grep -v '^build/grade-all/8-dotdot/tree/' | wc -l)" -eq 0 ] && echo 0 || echo 1) \
    "a tarball member ../escaped is unpacked inside the submission's folder, not beside it (the rest grades: 17 of 17)"
ok $([ "$(col 6-student points)" = 0 ] && [ "$(col 6-student max_points)" = 17 ] && echo 0 || echo 1) \
    "a tarball (the student version as handed out) is unpacked and graded: 0 of 17"

ok $([ "$(stat -c %Y "$DATA_DIR/mnist/.verified" 2>/dev/null)" = "$mnist_stamp" ] && echo 0 || echo 1) \
    "the shared MNIST was not fetched again (its stamp is as it was)"

echo "1..$n"
[ $failed -eq 0 ]
