#!/usr/bin/env bash
# make-book.sh MAKE BUILD STRICT BOOK CHAPTER:PAGE... — what `make book` runs: every page it can, then the report.
#
# The pages are built by `MAKE -k book-pages` (one broken chapter does not stop the others), its output shown
# and kept in BUILD/book.log; then tools/book-report.sh marks each page that could not be rebuilt as out of
# date, names what failed last, and sets the exit status. Before the build every such mark comes off (a page
# that is up to date again must not keep it). A stop reaches the inner make: Ctrl-C (SIGINT) goes to the whole
# job anyway, and SIGTERM, which make sends to this script alone, is passed on, so that `kill`, `timeout` or a
# CI runner stop the build instead of leaving it running to the end.
set -uo pipefail
mk=$1 b=$2 strict=$3 book=$4
shift 4
mkdir -p "$b/pages" && rm -f "$b"/pages/*.ok
# With WB_PLAN=1 (make serve), first the plan: "== plan: CHAPTER up to N runs" for each chapter that will start
# runs, so that the status line can say how far a chapter has got (mk/run.mk, book-stamps).
if [ -n "${WB_PLAN:-}" ]; then
    $mk --no-print-directory -k -s book-stamps >/dev/null 2>&1
    $mk --no-print-directory -n S_PLAN_DRY=1 book-pages 2>/dev/null |
        sed -n 's/.*== running \([0-9][0-9]-[a-z0-9-]*\).*/\1/p' | sort | uniq -c |
        awk '{ printf "== plan: %s up to %d runs\n", $2, $1 }'
fi
tools/book-report.sh "$b" "$strict" unmark "$b/book.log" "$book" "$@"
# The log's descriptor is one bash picks (10 or above): make passes its jobserver to the inner make on low
# descriptors, and taking one of those would leave the inner make without it, running one job at a time.
exec {log}> >(tee "$b/book.log")
teepid=$!
$mk --no-print-directory -k book-pages >&"$log" 2>&"$log" &
inner=$!
trap 'kill -TERM "$inner" 2>/dev/null; wait "$inner"; exec {log}>&-; wait "$teepid"; exit 143' TERM
trap 'kill -INT "$inner" 2>/dev/null; wait "$inner"; exec {log}>&-; wait "$teepid"; exit 130' INT
wait "$inner"
status=$?
trap - TERM INT
exec {log}>&-
wait "$teepid"
tools/book-report.sh "$b" "$strict" "$status" "$b/book.log" "$book" "$@"
