#!/usr/bin/env bash
# test_tryit.sh — every shell command of every "Try it" section, run as the page shows it (after a QUICK=1 book,
# in a copy of the repository, from its top folder). The commands are read from the built pages, so that a
# command the page takes from a run ({{code b16/results:command}}) is tested as the reader sees it. A command
# is a code span of the section that starts with `make`, with an assignment (OPENBLAS_NUM_THREADS=2), or with a
# program of build/; `make test` is left out (it would run this test). The programs' data sets are capped by
# WORKBOOK_LIMIT (wb.h), so that a command that trains on all of MNIST takes a second. TAP on stdout, for prove.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-tryit.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$root/tests/lib.bash"

copy_repo "$root" "$work"
ln -s "$root/${DATA:-data}" "$work/data"  # the commands as written read data/mnist
cd "$work" || exit 1
export QUICK=1 WORKBOOK_LIMIT=2000
log=$(make --no-print-directory book 2>&1)
ok $? "make book (QUICK=1) succeeds" || true
[ -s book/index.html ] || { echo "$log" | tail -n 20 | sed 's/^/# /'; echo "1..$n"; exit 1; }

# The commands of one page's "Try it" section, one a line, HTML entities undone.
commands() {
    awk '/<h2[^>]*>.*Try it<\/h2>/ { on = 1; next } on && (/<h2/ || /<\/article>/) { on = 0 } on' "$1" |
        grep -o '<code>[^<]*</code>' | sed 's/<code>//; s/<\/code>//; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g' |
        while IFS= read -r c; do
            w=${c%% *}
            case $c in "make test"*) continue ;; esac
            if [ "$w" = make ] || [[ $w =~ ^[A-Z_]+=[^\ ]*$ ]] || { [[ $w == build/* ]] && [ -x "$w" ]; }; then
                echo "$c"
            fi
        done
}

total=0
for page in book/index.html book/[0-9][0-9]-*.html; do
    name=$(basename "$page" .html)
    while IFS= read -r cmd; do
        total=$((total + 1))
        out=$(timeout 300 bash -c "$cmd" 2>&1 </dev/null)
        status=$?
        ok $status "$name: \`$cmd\` exits 0"
        [ $status -eq 0 ] || echo "$out" | tail -n 5 | sed 's/^/#   /'
    done < <(commands "$page")
done
ok $([ $total -ge 20 ] && echo 0 || echo 1) "the Try it sections hold $total commands (at least 20)"

echo "1..$n"
[ $failed -eq 0 ]
