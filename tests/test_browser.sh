#!/usr/bin/env bash
# test_browser.sh — the book as a reader's browser shows it. Builds a short book (QUICK=1) under $B/browser/,
# then tools/browser-check.js loads every page in headless Chromium from file:// (math, images, scripts,
# console, links, listings, layout at 390 and 1280 px in both themes; screenshots in $B/screenshots/), and
# `make pdf` prints it: the PDF must have a page per chapter at least and no TeX left unrendered.
# TAP on stdout, for prove. Chromium and poppler come from `make test` (tools/setup.sh, once).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$root/$B ;; esac
MNIST=${MNIST:-data/mnist}
case $MNIST in /*) ;; *) MNIST=$root/$MNIST ;; esac
out=$B/browser
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

for tool in chromium pdftoppm pdftotext; do
    command -v $tool >/dev/null || { echo "1..0 # $tool is missing: run make test (it installs it), or tools/setup.sh chromium poppler-utils"; exit 1; }
done

# Every numbered chapter (not the preface, not the appendices) ends with exercises that name the command
# rerunning just that chapter.
for md in "$root"/chapters/[0-8][0-9]-*/chapter.md; do
    ch=$(basename "$(dirname "$md")")
    case $ch in 00-*) continue ;; esac
    tail=$(awk '/^## /{ last = $0; body = "" } { body = body $0 "\n" } END { printf "%s\n%s", last, body }' "$md")
    ok $(grep -q '^## Try it' <<< "${tail%%$'\n'*}" && grep -q "make \(-j2 \)\?$ch\b" <<< "$tail" && echo 0 || echo 1) \
        "$ch: the last section is 'Try it' and names \`make $ch\`"
done

# The short book, in a folder of its own: rebuilt only where the sources changed since the last test.
mk() { make -C "$root" --no-print-directory QUICK=1 B="$out/build" BOOK="$out/book" FIG="$out/figures" \
            DATA="$(dirname "$MNIST")" "$@" 2>&1; }
log=$(mk book); status=$?
ok $status "make book (QUICK=1) for the browser"
[ $status -eq 0 ] || { echo "$log" | tail -n 30 | sed 's/^/# /'; echo "1..$n"; exit 1; }

# A program's page hides the teaching edition's solution markers, the other lines keeping their numbers, and
# shows its tokens in colour (a fixture: the chapter programs hold no markers yet).
fix=$root/tests/fixtures/weave/01-test/solution.c page=$out/solution.c.html
"$out/build/tools/weave" --highlight "$fix" --out "$out/solution.c.lines" &&
    node "$root/tools/source-page.js" "$fix" "$out/solution.c.lines" "$root/tests/fixtures/weave/toc.tsv" "$page"
ok $? "source-page.js writes the page of a program with solution markers"
ns=$(grep -o 'data-n="[0-9]*"' "$page" 2>/dev/null | tr -dc '0-9\n' | tr '\n' ' ')
ok $([ "$ns" = "1 2 3 4 5 6 7 8 9 11 13 14 15 " ] && echo 0 || echo 1) \
    "a program's page leaves out the marker lines (10, 12), the others numbered as in the file: $ns"
ok $(grep -q '<span class="tok-kw">static</span>' "$page" && grep -q 'class="tok-str"' "$page" && echo 0 || echo 1) \
    "a program's page shows its tokens in colour"

# Every page in the browser: its own TAP lines, renumbered into ours.
check=$(node "$root/tools/browser-check.js" check "$out/book" "$out/build" "$B/screenshots" 2>&1); status=$?
while IFS= read -r line; do
    case $line in
        ok\ *|not\ ok\ *) what=${line#* - }; [[ $line == ok* ]]; good=$?; ok $good "browser: $what" ;;
        1..*) ;;
        # A failing check's details go to stderr as well, so that prove (and a CI log) shows them.
        *) echo "# $line"; [ "${good:-0}" -ne 0 ] && echo "test_browser: $line" >&2 ;;
    esac
done <<< "$check"
ok $([ $status -eq 0 ] && echo 0 || echo 1) "browser-check.js exits 0"

# The PDF: printed after KaTeX ran, so no TeX source is left in its text; every chapter starts a page.
log=$(mk pdf); status=$?
ok $status "make pdf (QUICK=1)"
[ $status -eq 0 ] || echo "$log" | tail -n 20 | sed 's/^/# /'
pdf=$out/book/workbook.pdf
pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
chapters=$(ls -d "$root"/chapters/[0-9][0-9]-*/ | wc -l)
ok $([ "${pages:-0}" -gt "$chapters" ] && echo 0 || echo 1) "the PDF has more pages (${pages:-none}) than there are chapters ($chapters)"
text=$(pdftotext "$pdf" - 2>/dev/null)
# (grep reads a here-string: with pipefail, `echo | grep -q` fails when grep stops early and echo gets SIGPIPE.)
ok $(grep -q 'Figure 1\.1' <<< "$text" && echo 0 || echo 1) "the PDF's text has the figures' captions"
ok $(grep -q '\\frac\|\\partial\|\$\$' <<< "$text" && echo 1 || echo 0) "the PDF holds no unrendered TeX (\\frac, \\partial, \$\$)"
ok $([ "$(ls "$out/build/pdf-pages"/page-*.png 2>/dev/null | wc -l)" -eq "${pages:-0}" ] && echo 0 || echo 1) \
    "every PDF page rendered to PNG by pdftoppm"

echo "1..$n"
[ $failed -eq 0 ]
