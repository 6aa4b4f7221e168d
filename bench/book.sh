#!/usr/bin/env bash
# book.sh — the whole book's time, for `make bench`: `make -j2 book` from a clean build in a copy of the
# repository (MNIST already downloaded: the copy reads the repository's data folder), then `make book` again
# after an edit to the prose of chapter 4 alone, which must re-weave that page and train nothing, then after a
# real edit of chapter 3's program (a new line of code: a new program, so chapters 3, 4 and Appendix A rerun).
# REPS times (default 3), each from clean; the medians are the results. JOBS "auto" (the default) runs `make
# book` as the reader types it, which uses every core by itself; a number runs `make -jJOBS book`.
#
#   bench/book.sh DATA_DIR OUT_FILE [JOBS [REPS]]
#
# Writes OUT_FILE as `key value` lines: book_jobs, book_reps, book_clean_s, book_reweave_s and book_edit_s
# (medians), book_clean_all, book_reweave_all and book_edit_all (every measurement, in order),
# book_reweave_runs (how many trainings the prose edits started, in all: 0).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/book.sh DATA_DIR OUT_FILE [JOBS [REPS]]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "$1" && pwd) out=$2 jobs=${3:-auto} reps=${4:-3}
[ "$jobs" = auto ] && jflag= || jflag=-j$jobs
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-bench-book.XXXXXX")
trap 'rm -rf "$work"' EXIT

# What git tracks (and untracked sources), without build outputs, as tests/test_book.sh copies it.
(cd "$root" && tar --exclude=./build --exclude=./book --exclude=./figures --exclude=./data --exclude=./.git -cf - .) |
    (cd "$work" && tar -xf -)

# Seconds that `make -jJOBS book` takes in the copy; its output goes to $work/log.
timed_book() {
    local t0=$EPOCHREALTIME
    make -C "$work" --no-print-directory $jflag DATA="$data" book > "$work/log" 2>&1 ||
        { tail -n 30 "$work/log" >&2; echo "bench/book.sh: make book failed in $work" >&2; exit 1; }
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

clean_all= reweave_all= edit_all= runs=0
for ((r = 1; r <= reps; r++)); do
    echo "book: $r/$reps: make${jflag:+ $jflag} book from a clean build (about a minute)..." >&2
    rm -rf "$work/build" "$work/book" "$work/figures"
    clean=$(timed_book)
    printf '\nA sentence that bench/book.sh adds (%d) to time a prose-only edit.\n' "$r" \
        >> "$work/chapters/04-experiments/chapter.md"
    reweave=$(timed_book)
    runs=$((runs + $(grep -c '^== running' "$work/log" || true)))
    grep -q '^== weaving 04-experiments' "$work/log" ||
        { echo "bench/book.sh: the prose edit did not re-weave chapter 4" >&2; exit 1; }
    printf '\nconst int bench_edit_%d = %d;  // bench/book.sh: a real edit of the program\n' "$r" "$r" \
        >> "$work/chapters/03-batched/batched.c"
    edit=$(timed_book)
    grep -q '^== running 03-batched: b16 (batched changed)' "$work/log" ||
        { echo "bench/book.sh: the edit of batched.c did not rerun chapter 3" >&2; exit 1; }
    echo "book: $r/$reps: from clean ${clean} s; after a prose-only edit ${reweave} s; after an edit of batched.c" \
         "${edit} s" >&2
    clean_all="$clean_all $clean" reweave_all="$reweave_all $reweave" edit_all="$edit_all $edit"
done
clean_all=${clean_all# } reweave_all=${reweave_all# } edit_all=${edit_all# }

mkdir -p "$(dirname "$out")"
[ "$jobs" = auto ] && jobs=$(nproc)
printf 'book_jobs %s\nbook_reps %s\nbook_clean_s %s\nbook_reweave_s %s\nbook_clean_all %s\nbook_reweave_all %s\n' \
    "$jobs" "$reps" "$(median <<<"$clean_all")" "$(median <<<"$reweave_all")" "$clean_all" "$reweave_all" > "$out.tmp"
printf 'book_reweave_runs %s\nbook_edit_s %s\nbook_edit_all %s\n' "$runs" "$(median <<<"$edit_all")" "$edit_all" \
    >> "$out.tmp"
mv "$out.tmp" "$out"
echo "book: make${jflag:+ $jflag} book from clean, median of $reps: $(median <<<"$clean_all") s ($clean_all);" \
     "after a prose-only edit $(median <<<"$reweave_all") s ($reweave_all); $runs trainings rerun;" \
     "after an edit of batched.c $(median <<<"$edit_all") s ($edit_all)" >&2
