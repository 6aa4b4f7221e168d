#!/usr/bin/env bash
# test_concurrent.sh — two builds started at once in the same tree (two terminals, an editor's build on save
# beside a reader's `make book`) give one whole book: the second waits for the first (saying so on one line), and
# neither fails nor undoes what the other wrote. TAP on stdout, for prove.
#
# In a copy of the repository (the files git tracks; MNIST shared), QUICK=1, with the compiled programs taken
# from the test build as tests/test_interrupt.sh does: four rounds, each starting two builds at once from no
# book (`make book` twice, three times; then `make book` beside `make 01-scalar`, the chapter goal). After
# each, both must exit 0, one of them say it waits, the book be whole (every page ends with </html>, every
# figure file is non-empty, no temporary file is left) and one more `make book` do nothing. Before them, a
# build that waits is stopped by Ctrl-C: it ends at once, and the build it waited for goes on.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-concurrent.XXXXXX")
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

. "$root/tests/lib.bash"

copy_repo "$root" "$work/repo" tracked
cd "$work/repo" || exit 1
export QUICK=1
# The lock a `make test` of the repository holds is not this copy's.
unset WB_LOCK
mk() { make --no-print-directory DATA="$root/${DATA:-data}" "$@"; }

# The compiled tools and programs, from the test build when they are up to date there: the races worth testing
# are the runs, figures and pages.
seed_build "$root/$B"
programs=$(chapter_programs)
# shellcheck disable=SC2086
log=$(mk -j2 build/tools/weave build/tools/plot $programs 2>&1) || { echo "Bail out! cannot build the programs"; echo "$log" | tail -n 20 | sed 's/^/# /'; exit 1; }
cp -a build "$work/programs"

book_whole() {
    local f bad=0
    [ -s book/index.html ] || { echo "# no book/index.html"; bad=1; }
    for f in book/*.html book/src/*/*.html; do
        [ -e "$f" ] || continue
        [ "$(tail -c 8 "$f")" = "</html>" ] || { echo "# $f is not whole"; bad=1; }
    done
    [ -n "$(ls book/figures/*/*.svg 2>/dev/null)" ] || { echo "# no figure in book/figures"; bad=1; }
    while IFS= read -r f; do echo "# $f is empty"; bad=1; done < <(find book/figures figures -type f ! -name done -size 0 2>/dev/null)
    while IFS= read -r f; do echo "# left: $f"; bad=1; done < <(find book figures build -name '*.tmp*' 2>/dev/null | head)
    return $bad
}

# round NAME GOALS-A GOALS-B: both builds at once from a tree with no outputs but the programs.
round() {
    local name=$1 a=$2 b=$3 sa sb t0 t1
    rm -rf book figures build && cp -a "$work/programs" build
    t0=$EPOCHREALTIME
    # Each a job of its own, so that the clean-up can stop all of it.
    # shellcheck disable=SC2016
    timed='t=$EPOCHREALTIME; make --no-print-directory DATA="$0" $1 >"$2" 2>&1; s=$?
           awk -v a="$t" -v b="$EPOCHREALTIME" "BEGIN { printf \"%.1f\n\", b - a }" >"$2.time"; exit $s'
    setsid bash -c "$timed" "$root/${DATA:-data}" "$a" "$work/a.log" &
    pids=($!)
    setsid bash -c "$timed" "$root/${DATA:-data}" "$b" "$work/b.log" &
    pids+=($!)
    wait "${pids[0]}"; sa=$?
    wait "${pids[1]}"; sb=$?
    pids=()
    t1=$EPOCHREALTIME
    echo "# $name: make $a took $(cat "$work/a.log.time") s, make $b $(cat "$work/b.log.time") s," \
         "both done in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
    grep -h 'another build is running' "$work/a.log" "$work/b.log" | sed 's/^/#   /'
    ok $([ $sa -eq 0 ] && [ $sb -eq 0 ] && echo 0 || echo 1) "$name: both builds succeed (exit $sa and $sb)"
    [ $sa -eq 0 ] || tail -n 8 "$work/a.log" | sed 's/^/#   a: /'
    [ $sb -eq 0 ] || tail -n 8 "$work/b.log" | sed 's/^/#   b: /'
    book_whole
    ok $? "$name: the book is whole (pages end with </html>, no empty figure, no temporary file)"
    ok $([ "$(cat "$work/a.log" "$work/b.log" | grep -c 'another build is running in this tree (pid [0-9]*); waiting')" -eq 1 ] &&
         echo 0 || echo 1) "$name: one of them says, on one line, that it waits"
    log=$(mk book 2>&1)
    ok $(grep -q '== running\|== drawing\|== weaving' <<<"$log" && echo 1 || echo 0) "$name: one more make book does nothing"
    grep '^==' <<<"$log" | head -n 5 | sed 's/^/#   /'
}

# A build that waits can be stopped (Ctrl-C: SIGINT to its job) at once, and the one it waited for goes on.
rm -rf book figures build && cp -a "$work/programs" build
setsid bash -c 'make --no-print-directory DATA="$0" book >"$1" 2>&1' "$root/${DATA:-data}" "$work/a.log" &
pids=($!)
sleep 0.5
: >"$work/b.log"  # before the build: the loop below may read it before the build has opened it
env --default-signal=INT setsid make --no-print-directory DATA="$root/${DATA:-data}" book >"$work/b.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 200; i++)); do grep -q 'waiting$' "$work/b.log" && break; sleep 0.05; done
t0=$EPOCHREALTIME
kill -INT -- "-${pids[1]}"
wait "${pids[1]}"; sb=$?
waited=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
wait "${pids[0]}"; sa=$?
pids=()
ok $([ $sb -eq 130 ] && awk -v w="$waited" 'BEGIN { exit !(w < 2) }' && echo 0 || echo 1) \
    "Ctrl-C stops a build that waits, at once (exit $sb, after $waited s)"
ok $sa "... and the build it waited for goes on to the end"
book_whole
ok $? "... and the book is whole"

round "make book twice at once (1)" book book
round "make book twice at once (2)" book book
round "make book twice at once (3)" book book
round "make book beside make 01-scalar" book 01-scalar

echo "1..$n"
[ $failed -eq 0 ]
