#!/usr/bin/env bash
# book.sh — the whole book's time, for `make bench`: `make -j2 book` from a clean build in a copy of the
# repository (MNIST already downloaded: the copy reads the repository's data folder), then `make -j2 book` again
# after an edit to the prose of chapter 4 alone, which must re-weave that page and train nothing.
#
#   bench/book.sh DATA_DIR OUT_FILE [JOBS]
#
# Writes OUT_FILE as `key value` lines: book_jobs, book_clean_s, book_reweave_s, book_reweave_runs (how many
# trainings the prose edit started: 0). Once, not repeated: the clean build takes a minute.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/book.sh DATA_DIR OUT_FILE [JOBS]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "$1" && pwd) out=$2 jobs=${3:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-bench-book.XXXXXX")
trap 'rm -rf "$work"' EXIT

# What git tracks (and untracked sources), without build outputs, as tests/test_book.sh copies it.
(cd "$root" && tar --exclude=./build --exclude=./book --exclude=./figures --exclude=./data --exclude=./.git -cf - .) |
    (cd "$work" && tar -xf -)

# Seconds that `make -jJOBS book` takes in the copy; its output goes to $work/log.
timed_book() {
    local t0=$EPOCHREALTIME
    make -C "$work" --no-print-directory -j"$jobs" DATA="$data" book > "$work/log" 2>&1 ||
        { tail -n 30 "$work/log" >&2; echo "bench/book.sh: make book failed in $work" >&2; exit 1; }
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

echo "book: make -j$jobs book from a clean build (about a minute)..." >&2
clean=$(timed_book)
printf '\nA sentence that bench/book.sh adds to time a prose-only edit.\n' >> "$work/chapters/04-experiments/chapter.md"
reweave=$(timed_book)
runs=$(grep -c '^== running' "$work/log" || true)
grep -q '^== weaving 04-experiments' "$work/log" || { echo "bench/book.sh: the prose edit did not re-weave chapter 4" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
printf 'book_jobs %s\nbook_clean_s %s\nbook_reweave_s %s\nbook_reweave_runs %s\n' \
    "$jobs" "$clean" "$reweave" "$runs" > "$out.tmp"
mv "$out.tmp" "$out"
echo "book: make -j$jobs book from clean ${clean} s; after a prose-only edit ${reweave} s ($runs trainings rerun)" >&2
