#!/usr/bin/env bash
# book-report.sh BUILD [STRICT] — the last lines of `make book`: what the book shows the reader that went wrong
# in their run. Every gradient check that failed (a gradcheck.tsv row marked FAIL), named by chapter and group,
# and every claim of the text that the run does not bear out (a claims.tsv row marked FAILS, from the weaver).
# Exit 0, or 1 when something failed and STRICT is not empty (`make book STRICT=1`, as CI runs it).
set -uo pipefail
b=$1 strict=${2:-}
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
[ "$failed" -eq 0 ] || [ -z "$strict" ] || { echo "book: STRICT=1: failing, since a check failed" >&2; exit 1; }
exit 0
