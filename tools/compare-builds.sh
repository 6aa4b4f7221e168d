#!/usr/bin/env bash
# compare-builds.sh A B — compare two built trees (book/, figures/, build/NN-name/ outputs) file by file, masking only
# what differs between any two clean builds: the timing keys of results.txt, logs, time.txt, the colophon.
# Used to show that a refactoring leaves the book as it was: tools/compare-builds.sh /tmp/before .
a=$1 b=$2
mask='s/^(train_seconds|samples_per_s|load_seconds|epoch_seconds|gflop_per_s|final_train_seconds) .*/\1 MASKED/'
diffs=0
while IFS= read -r f; do
    case $f in */log|*/time.txt|*/done|*92-colophon*|*/math.tsv) continue;; esac
    [ -x "$a/$f" ] && continue  # a program: its bytes follow the compiler, not the book
    [ -e "$b/$f" ] || { echo "only in $a: $f"; diffs=$((diffs+1)); continue; }
    case $f in
        *results.txt|*.txt) cmp -s <(sed -E "$mask" "$a/$f") <(sed -E "$mask" "$b/$f") || { echo "differs: $f"; diffs=$((diffs+1)); } ;;
        *) cmp -s "$a/$f" "$b/$f" || { echo "differs: $f"; diffs=$((diffs+1)); } ;;
    esac
done < <(cd "$a" && find book figures build -type f \( -path 'build/[0-9]*' -o -path 'book/*' -o -path 'figures/*' \) | sort)
echo "$diffs differences"
