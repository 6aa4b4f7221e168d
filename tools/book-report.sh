#!/usr/bin/env bash
# book-report.sh BUILD STRICT STATUS LOG BOOK CHAPTER:PAGE... — the last lines of `make book`, what the reader
# must know about the build that just ran (STATUS "unmark", before the build: take every out-of-date mark off):
#   - every gradient check that failed (a gradcheck.tsv row marked FAIL), named by chapter and group;
#   - every claim of the text that the run does not bear out (a claims.tsv row marked FAILS, from the weaver);
#   - every page the build could not bring up to date (STATUS non-zero: make -k went on without it). Such a page
#     keeps its last good version, marked at its top as out of date with the first error of the build (LOG);
#     a page that is up to date again loses that mark. The failure is named last, and the exit status is 1.
# Exit 0; 1 when a page is out of date; 1 too when a check or a claim failed and STRICT is not empty
# (`make book STRICT=1`, as CI runs it).
set -uo pipefail
b=$1 strict=$2 status=$3 log=$4 book=$5
shift 5
# The mark at the top of an out-of-date page, put in or taken out in place: a new file moved over the page,
# with the page's time stamp, so that neither make nor the print version takes it for a new page.
mark='<div class="verdict stale" role="alert">'
rewrite() {  # rewrite PAGE AWK-PROGRAM [ERROR]
    local tmp="$1.tmp.$$"
    awk -v m="$mark" -v e="${3:-}" "$2" "$1" >"$tmp" && touch -r "$1" "$tmp" && mv "$tmp" "$1" ||
        { rm -f "$tmp"; echo "book: cannot update $1" >&2; }
}
unmark='index($0, m) == 1 { skip = 1 } skip { if (/<\/div>/) skip = 0; next } { print }'
if [ "$status" = unmark ]; then  # before the build: every page as the weaver wrote it
    for pair in "$@"; do page=${pair#*:}; [ -f "$page" ] && grep -qF "$mark" "$page" && rewrite "$page" "$unmark"; done
    exit 0
fi
failed=0
while IFS= read -r f; do
    groups=$(awk -F'\t' 'NR > 1 && $NF == "FAIL" { printf " %s", $1 }' "$f")
    [ -n "$groups" ] || continue
    ch=${f#"$b"/}; ch=${ch%%/*}
    echo "book: gradient check FAILED in $ch for$groups ($f); the page says so, see Appendix A"
    failed=1
done < <(find "$b" -path "$b/[0-9][0-9]-*/out/*" -name gradcheck.tsv 2>/dev/null | sort)
while IFS= read -r f; do
    ch=${f#"$b"/}; ch=${ch%%/*}
    while IFS=$'\t' read -r line verdict what cond values; do
        [ "$verdict" = FAILS ] || continue
        echo "book: chapters/$ch/chapter.md:$line: not so in this run: $what ($cond; $values); the page marks it"
        failed=1
    done <"$f"
done < <(find "$b" -path "$b/[0-9][0-9]-*/claims.tsv" 2>/dev/null | sort)

# The first error of the build: a compiler's "file:line:col: error:"; else make's first "*** No rule ..." or
# "*** [target] Error N" — for the latter, the message of the tool or program that failed, the last such line
# in the few lines before it (make prints a target's output, then its failure); else make's line itself.
first_error() {
    local e
    e=$(grep -a -m1 -E '^[^ ]+:[0-9]+:[0-9]+: (fatal )?error:' "$log" 2>/dev/null) ||
        e=$(awk '
            /^(==|\+|make(\[[0-9]+\])?: |gradcheck |epoch |book: |setup: )/ { if ($0 !~ /\*\*\*/) { n++; next } }
            /\*\*\* No rule/ { print; exit }
            /\*\*\* \[/ { if (msg != "" && n - at <= 5) print msg; else print; exit }
            /^[a-z][a-z0-9_-]*: / { msg = $0; at = n }
            { n++ }' "$log" 2>/dev/null | head -n 1) && [ -n "$e" ] || e="make book failed (see $log)"
    printf '%s' "$e"
}

stale=()
for pair in "$@"; do
    ch=${pair%%:*} page=${pair#*:}
    [ -e "$b/pages/$ch.ok" ] && continue
    [ -f "$page" ] || { stale+=("$ch (no page yet)"); continue; }
    stale+=("$ch")
    err=$(first_error | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' | cut -c 1-300)
    rewrite "$page" "$unmark"'
        /^<article>/ && !done {
            print m
            print "<p><strong>This page is out of date.</strong> The last <code>make book</code> could not rebuild it: <code>" e "</code>. It shows the last build that worked; fix the error and run <code>make book</code> again.</p>"
            print "</div>"
            done = 1
        }' "$err"
done

n=$#
if [ "$status" -ne 0 ]; then
    echo "book: $((n - ${#stale[@]})) of $n pages up to date in $book/; out of date: ${stale[*]:-none}"
    echo "book: FAILED: $(first_error)" >&2
    exit 1
fi
echo "book: $n pages in $book/ — open $book/index.html"
[ "$failed" -eq 0 ] || [ -z "$strict" ] || { echo "book: STRICT=1: failing, since a check failed" >&2; exit 1; }
exit 0
