#!/usr/bin/env bash
# test_settings.sh — every setting the pages show comes from the run. A QUICK=1 book is built twice in a copy
# of the repository: as it is, and with the chapter.mk settings changed to distinctive values (chapter 1's rate
# 0.1 -> 0.11, chapter 2's 0.01 -> 0.013 and 300 hidden units -> 123, chapter 3's batch sizes 16 -> 13 and
# 8 -> 7 with rates 0.8 -> 0.65, 0.4 -> 0.35 and 0.16 -> 0.169, chapter 4's 300 hidden units -> 123 and batch 16
# -> 13). On each page, every place the old value was shown as a setting must now show the new one: the old
# value may stay only where it is not this run's setting (an exercise that suggests it, 1 - 1/5 = 0.8), and those
# places are counted below. Numbers are read from the pages' text, as whole numbers (b16, 10^-8, 0.16 are not
# 16, 8, 16). TAP on stdout, for prove.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-settings.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$root/tests/lib.bash"

copy_repo "$root" "$work"
cd "$work" || exit 1
export QUICK=1
mk() { make --no-print-directory DATA="$root/${DATA:-data}" book 2>&1; }
log=$(mk)
ok $? "make book (QUICK=1), as it is" || echo "$log" | tail -n 10 | sed 's/^/# /'
cp -r book ref

edit() {  # edit FILE SED-EXPRESSION: the expression must change the file
    cp "$1" "$1.was" && sed -i "$2" "$1" && ! cmp -s "$1" "$1.was"
    ok $? "$1: $2"
}
edit chapters/01-scalar/chapter.mk 's/--n-val 2000 --lr 0.1,/--n-val 2000 --lr 0.11,/'
edit chapters/02-vector/chapter.mk 's/^VECTOR_FLAGS := --epochs 1 --lr 0.01 --seed 0/VECTOR_FLAGS := --epochs 1 --lr 0.013 --hidden 123 --seed 0/'
edit chapters/03-batched/chapter.mk 's/--batch 16 --lr 0.8$/--batch 13 --lr 0.65/; s/--batch 8 --lr 0.4$/--batch 7 --lr 0.35/; s/--batch 16 --lr 0.16$/--batch 13 --lr 0.169/'
edit chapters/04-experiments/chapter.mk 's/^EXP_HIDDEN := 300/EXP_HIDDEN := 123/; s/^EXP_BATCH  := 16/EXP_BATCH  := 13/'
log=$(mk)
ok $? "make book (QUICK=1) with the distinctive settings" || echo "$log" | tail -n 10 | sed 's/^/# /'

# How often the number x is shown in a page's text.
count() {
    sed 's/<[^>]*>/ /g' "$1" | perl -ne 'while (/(?<![\w.\/\-])(\d+(?:\.\d+)?)(?!\w)/g) { print "$1\n" }' | grep -cxF "$2"
}

# PAGE OLD NEW STAYS: OLD may stay STAYS times (where it is not the run's setting); every other place shows NEW.
shown() {
    local page=$1 old=$2 new=$3 stays=$4
    local r_old r_new m_old m_new
    r_old=$(count "ref/$page.html" "$old") r_new=$(count "ref/$page.html" "$new")
    m_old=$(count "book/$page.html" "$old") m_new=$(count "book/$page.html" "$new")
    ok $([ "$m_old" -eq "$stays" ] && [ $((m_new - r_new)) -eq $((r_old - stays)) ] && [ $((r_old - stays)) -gt 0 ] &&
        echo 0 || echo 1) "$page: $old -> $new wherever it was shown ($((r_old - stays)) places; $old stays $m_old, expected $stays)"
}
shown 01-scalar 0.1 0.11 1          # the rate exercise suggests --lr 0.1
shown 02-vector 300 123 1           # the width exercise suggests --hidden 300
shown 02-vector 0.01 0.013 0
shown 03-batched 16 13 2            # two exercises: train at B = 16 and B = 64; time B = 16 and B = 256
shown 03-batched 8 7 1              # float's rounding, 6 x 10^-8
shown 03-batched 0.8 0.65 1         # 1 - 1/5 = 0.8, the batch-sum exercise's relative error
shown 03-batched 0.4 0.35 0
shown 03-batched 0.16 0.169 0
shown 03-batched 0.01 0.013 0       # chapter 2's rate, as chapter 3 compares with it
shown 04-experiments 300 123 0
shown 04-experiments 16 13 0

echo "1..$n"
[ $failed -eq 0 ]
