#!/usr/bin/env bash
# weave_scale.sh WEAVE OUT_FILE — how the weaver's time grows with its input, for `make bench`: a chapter whose
# one paragraph holds 10 000, then 1 000 000 formulas, and one whose one line holds 100 000 placeholders, each
# woven once. The weaver is linear (it must not rescan a paragraph or a line per formula or placeholder), so
# the rate should not fall with the size. Writes OUT_FILE as `key value` lines: weave_formulas_per_s_10k,
# weave_formulas_per_s_1m, weave_placeholders_per_s_100k, and the seconds of each.
set -euo pipefail
weave=$1 out=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-weave-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/01-scale" "$work/out" "$work/figures"
echo "x 1" > "$work/out/results.txt"

# Seconds to weave the chapter whose text is on stdin.
timed() {
    cat > "$work/01-scale/chapter.md"
    "$weave" --toc "$work/01-scale" > "$work/toc.tsv"
    local t0=$EPOCHREALTIME
    "$weave" --chapter "$work/01-scale" --data "$work/out" --figures "$work/figures" --toc "$work/toc.tsv" \
        --out "$work/page.html"
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}
formulas() { { echo "# Scale"; echo; awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "$x_{%d}$ ", i; print "" }'; }; }
placeholders() { { echo "# Scale"; echo; awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "{{x}} "; print "" }'; }; }

s10k=$(formulas 10000 | timed)
s1m=$(formulas 1000000 | timed)
p100k=$(placeholders 100000 | timed)
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / (s > 0 ? s : 1e-3) }'; }
{
    echo "weave_formulas_10k_s $s10k"
    echo "weave_formulas_1m_s $s1m"
    echo "weave_placeholders_100k_s $p100k"
    echo "weave_formulas_per_s_10k $(rate 10000 "$s10k")"
    echo "weave_formulas_per_s_1m $(rate 1000000 "$s1m")"
    echo "weave_placeholders_per_s_100k $(rate 100000 "$p100k")"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "weave: 10 000 formulas in ${s10k} s, 1 000 000 in ${s1m} s, 100 000 placeholders on one line in ${p100k} s" >&2
