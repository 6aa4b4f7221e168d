#!/usr/bin/env bash
# colophon.sh — what built this copy of the book, measured by the build itself: the compiler and its flags, the
# machine, the libraries, the seeds the programs ran with, the MNIST checksums, the date, and how long each
# chapter's runs took. Nothing here is typed in by hand: every value is read from the tools, the system or the
# chapters' outputs. The Makefile runs it after every other chapter (chapters/92-colophon/chapter.mk).
#
#   colophon.sh BUILD TOC MNIST_DIR CC "CFLAGS" QUICK OUT        (from the repository's top folder)
#
# Writes OUT/results.txt (`key value` lines), OUT/times.tsv, OUT/seeds.tsv and OUT/mnist.tsv.
set -euo pipefail
[ $# -eq 7 ] || { echo "usage: colophon.sh BUILD TOC MNIST_DIR CC CFLAGS QUICK OUT" >&2; exit 2; }
build=$1 toc=$2 mnist=$3 cc=$4 cflags=$5 quick=$6 out=$7
KATEX_JS=/usr/share/javascript/katex/katex.min.js

# One `key value` line; an empty value would be an unknown key to the weaver, so say "unknown".
put() { printf '%s %s\n' "$1" "${2:-unknown}" >> "$out/results.txt"; }
: > "$out/results.txt"

# ----- when, with what, on what ---------------------------------------------------------------------------
put built "$(date -u '+%Y-%m-%d %H:%M UTC')"
put quick "$([ -n "$quick" ] && echo "yes: short runs for the tests, not the book's full ones" || echo "no: the book's full runs")"
put cc "$($cc --version | head -n 1)"
put cflags "$cflags"
put cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
put cores "$(nproc)"
put os "$(. /etc/os-release && echo "$PRETTY_NAME")"
put kernel "$(uname -r)"
for lib in cairo libcmark openblas; do put "$lib" "$(pkg-config --modversion $lib)"; done
# KaTeX: the version of the script the book ships, as it says itself.
put katex "$(grep -o 'version:"[0-9.]*"' "$KATEX_JS" | head -n 1 | sed 's/.*"\(.*\)"/\1/')"
put node "$(node --version)"

# ----- the chapters' runs: seconds, from each run's time.txt (summed over a chapter's runs) -----------------
printf 'chapter\ttitle\truns\tseconds\n' > "$out/times.tsv"
printf 'chapter\tseeds\n' > "$out/seeds.tsv"
total=0
while IFS=$'\t' read -r dir page number title; do
    ch=$(basename "$dir")
    [ -d "$build/$ch" ] || continue
    times=$(find "$build/$ch" -name time.txt -not -path '*.tmp/*' | sort)
    [ -n "$times" ] || continue
    runs=$(echo "$times" | wc -l)
    secs=$(cat $times | awk '$1 == "seconds" { s += $2 } END { printf "%.2f", s }')
    total=$(awk -v a="$total" -v b="$secs" 'BEGIN { printf "%.2f", a + b }')
    printf '%s\t%s\t%d\t%s\n' "$ch" "$title" "$runs" "$secs" >> "$out/times.tsv"
    # The seeds the chapter's programs wrote into their results.
    seeds=$(find "$build/$ch" -name results.txt -not -path '*.tmp/*' -exec awk '$1 == "seed" { print $2 }' {} + |
            sort -n | uniq | paste -sd ' ')
    [ -z "$seeds" ] || printf '%s\t%s\n' "$ch" "$seeds" >> "$out/seeds.tsv"
done < "$toc"
put seconds_total "$total"

# ----- the data: the SHA-256 of each MNIST file as read now --------------------------------------------------
# "pinned" says whether it is the checksum the repository pins in tools/mnist.sha256.
printf 'file\tbytes\tsha256\tpinned\n' > "$out/mnist.tsv"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    sum=$(sha256sum "$mnist/$f" | cut -d' ' -f1)
    pinned=$(grep -q "^$sum  $f\$" tools/mnist.sha256 2>/dev/null && echo yes || echo NO)
    # In groups of 16 digits, so that the column can wrap on a narrow page.
    printf '%s\t%s\t%s\t%s\n' "$f" "$(stat -c %s "$mnist/$f")" "$(echo "$sum" | sed 's/.\{16\}/& /g; s/ $//')" "$pinned" \
        >> "$out/mnist.tsv"
done
