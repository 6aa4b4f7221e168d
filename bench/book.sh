#!/usr/bin/env bash
# book.sh — the whole book's time, for `make bench`: `make -j2 book` from a clean build in a copy of the
# repository (MNIST already downloaded: the copy reads the repository's data folder), then `make -j2 book` again
# after an edit to the prose of chapter 4 alone, which must re-weave that page and train nothing. REPS times
# (default 3), each from clean; the medians are the results.
#
#   bench/book.sh DATA_DIR OUT_FILE [JOBS [REPS]]
#
# Writes OUT_FILE as `key value` lines: book_jobs, book_reps, book_clean_s and book_reweave_s (medians),
# book_clean_all and book_reweave_all (every measurement, in order), book_reweave_runs (how many trainings the
# prose edits started, in all: 0).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/book.sh DATA_DIR OUT_FILE [JOBS [REPS]]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "$1" && pwd) out=$2 jobs=${3:-2} reps=${4:-3}
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

median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

clean_all= reweave_all= runs=0
for ((r = 1; r <= reps; r++)); do
    echo "book: $r/$reps: make -j$jobs book from a clean build (about a minute)..." >&2
    rm -rf "$work/build" "$work/book" "$work/figures"
    clean=$(timed_book)
    printf '\nA sentence that bench/book.sh adds (%d) to time a prose-only edit.\n' "$r" \
        >> "$work/chapters/04-experiments/chapter.md"
    reweave=$(timed_book)
    runs=$((runs + $(grep -c '^== running' "$work/log" || true)))
    grep -q '^== weaving 04-experiments' "$work/log" ||
        { echo "bench/book.sh: the prose edit did not re-weave chapter 4" >&2; exit 1; }
    echo "book: $r/$reps: from clean ${clean} s; after a prose-only edit ${reweave} s" >&2
    clean_all="$clean_all $clean" reweave_all="$reweave_all $reweave"
done
clean_all=${clean_all# } reweave_all=${reweave_all# }

mkdir -p "$(dirname "$out")"
printf 'book_jobs %s\nbook_reps %s\nbook_clean_s %s\nbook_reweave_s %s\nbook_clean_all %s\nbook_reweave_all %s\n' \
    "$jobs" "$reps" "$(median <<<"$clean_all")" "$(median <<<"$reweave_all")" "$clean_all" "$reweave_all" > "$out.tmp"
printf 'book_reweave_runs %s\n' "$runs" >> "$out.tmp"
mv "$out.tmp" "$out"
echo "book: make -j$jobs book from clean, median of $reps: $(median <<<"$clean_all") s ($clean_all);" \
     "after a prose-only edit $(median <<<"$reweave_all") s ($reweave_all); $runs trainings rerun" >&2
