#!/usr/bin/env bash
# test_interrupt.sh — `make book` stopped part-way, at several moments and in several ways, then rerun, gives the
# book an uninterrupted build gives. TAP on stdout, for prove.
#
# In a copy of the repository (the files git tracks; MNIST shared), a QUICK=1 book is built once without
# interruption: the reference. Then, from the same compiled programs, a build is stopped at five moments — a
# program training, an experiment run, the plotter drawing, the weaver writing a page — by SIGINT to the whole
# job (what Ctrl-C sends) or SIGTERM to the job or to make alone (what a CI runner, `timeout` or `kill PID`
# send); after each stop every page in book/ must be whole, and the next `make book` takes over. The last one
# runs to the end. The book must then be complete and up to date (one more `make book` does nothing), hold no
# temporary file, and equal the reference: the same files; every figure and every TSV series of the runs the
# same bytes; every page the same once its numbers are masked (run times, images per second and the build
# date differ from build to build, interrupted or not).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-interrupt.XXXXXX")
cleanup() {
    [ -n "${pid:-}" ] && kill -TERM -- "-$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

. "$root/tests/lib.bash"

# The repository as git tracks it (others' untracked work in progress stays out).
copy_repo "$root" "$work/repo" tracked
cd "$work/repo" || exit 1
export QUICK=1
mk() { make --no-print-directory -j2 DATA="$root/${DATA:-data}" "$@"; }

# The compiled tools and programs, taken from the test build when they are up to date there (make rebuilds any
# that are not): the moments worth testing are runs, figures and pages, not the compiler.
seed_build "$root/$B"
programs=$(chapter_programs)
# shellcheck disable=SC2086
log=$(mk build/tools/weave build/tools/plot $programs 2>&1) || { echo "Bail out! cannot build the programs"; echo "$log" | tail -n 20 | sed 's/^/# /'; exit 1; }
cp -a build "$work/programs"

# ----- the reference: one uninterrupted build --------------------------------------------------------------

log=$(mk book 2>&1)
ok $? "an uninterrupted make book (QUICK=1) succeeds"
mkdir -p "$work/ref"
cp -a book figures "$work/ref/"
(find build -path 'build/*/out*' -name '*.tsv' -print0 | tar --null -T - -cf - 2>/dev/null) | (cd "$work/ref" && tar -xf -)
rm -rf book figures build
cp -a "$work/programs" build

# ----- the interrupted build -------------------------------------------------------------------------------

# Every page in book/ is whole: the weaver writes a page atomically. (A temporary file a stopped step left may
# sit beside them until the next make redoes that step; none may be left at the end.)
pages_whole() {
    local f
    for f in book/*.html; do
        [ -e "$f" ] || continue
        [ "$(tail -c 8 "$f")" = "</html>" ] || { echo "# $f is not whole"; return 1; }
    done
}

# Whether process PID still runs: kill -0 alone also succeeds on a make that has exited and not yet been waited
# for (a zombie), and a signal sent to it then stops nothing.
running() {
    local state
    read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [ "$state" != Z ]
}

# stop WHAT PATTERN DELAY SIGNAL WHO: start make book, wait for a line matching PATTERN, DELAY seconds more, then
# send SIGNAL to the whole job (WHO=job) or to make alone (WHO=make); wait for the job, and what make left running.
stop() {
    local what=$1 pattern=$2 delay=$3 sig=$4 who=$5 fired=0 status
    # A job of its own (setsid: make leads a new process group), with SIGINT back to its default: a shell
    # starts a background command with SIGINT ignored, and make would keep ignoring it.
    : >"$work/run.log"  # before make starts: the wait below must not read the last run's log
    env --default-signal=INT setsid make --no-print-directory -j2 DATA="$root/${DATA:-data}" book >"$work/run.log" 2>&1 &
    pid=$!  # make's, and its process group's
    for ((i = 0; i < 1200; i++)); do
        grep -q -- "$pattern" "$work/run.log" && break
        running "$pid" || break
        sleep 0.05
    done
    sleep "$delay"
    if running "$pid" && grep -q -- "$pattern" "$work/run.log"; then
        if [ "$who" = job ]; then kill "-$sig" -- "-$pid"; else kill "-$sig" "$pid"; fi
        fired=1
    fi
    wait "$pid"
    status=$?
    # A program whose make was killed alone finishes its run (make does not pass SIGTERM on to a recipe's
    # commands); a reader's rerun comes after it, and so does ours.
    for ((i = 0; i < 600; i++)); do pgrep -g "$pid" >/dev/null || break; sleep 0.05; done
    pid=
    ok $([ $fired -eq 1 ] && [ "$status" -ne 0 ] && echo 0 || echo 1) "$what: make stops (SIG$sig to the $who, exit $status)"
    [ $fired -eq 1 ] || { echo "# make had finished, or '$pattern' never came; that run did:"; grep '^==' "$work/run.log" | sed 's/^/#   /'; }
    cp "$work/run.log" "$work/run.$n.log"
    pages_whole
    ok $? "$what: every page in book/ is whole"
}

stop "a chapter program training" '== running 02-vector' 0.3 INT job
stop "an experiment run" '== running 04-experiments: ' 0.2 TERM make
stop "the plotter drawing" '== drawing figures of ' 0.05 TERM job
stop "the weaver writing a page" '== weaving ' 0 INT job
# The stop before left only the pages it did not finish to weave, which may take less than the delay: with the
# weaver newer than every page, all of them are woven again, and make is still weaving when the signal comes.
touch build/tools/weave
stop "the next page" '== weaving ' 0.1 TERM make

log=$(mk book 2>&1)
status=$?
ok $status "the last make book finishes the book"
[ $status -eq 0 ] || echo "$log" | tail -n 20 | sed 's/^/# /'

# ----- the book is whole and right -------------------------------------------------------------------------

log=$(mk book 2>&1)
ok $(grep -q '== running\|== drawing\|== weaving' <<<"$log" && echo 1 || echo 0) "one more make book does nothing"
left=$(find book figures build -name '*.tmp*' 2>/dev/null)
ok $([ -z "$left" ] && echo 0 || echo 1) "no temporary file is left in book/, figures/ or build/"
[ -z "$left" ] || echo "$left" | head | sed 's/^/#   /'

files() { (cd "$1" && find . -type f | sort); }
diff <(files "$work/ref/book") <(files book) >"$work/files.diff"
ok $? "book/ holds the same files as the reference"
sed -n '1,10s/^/#   /p' "$work/files.diff"

# Figures and the runs' series: the same bytes (but the colophon's run times). Pages: the same once numbers
# are masked.
bad=
while read -r f; do
    [ -f "$f" ] || { bad="$bad $f"; continue; }
    case $f in
    *.html) cmp -s <(sed 's/[0-9][0-9.]*/#/g' "$work/ref/$f") <(sed 's/[0-9][0-9.]*/#/g' "$f") || bad="$bad $f" ;;
    *) cmp -s "$work/ref/$f" "$f" || bad="$bad $f" ;;
    esac
done < <(cd "$work/ref" && find book figures build -type f \( -name '*.html' -o -name '*.svg' -o -name '*.png' -o -name '*.tsv' \) ! -path '*/92-colophon/out/times.tsv' | sort)
ok $([ -z "$bad" ] && echo 0 || echo 1) "pages (numbers masked), figures and series are those of the reference"
[ -z "$bad" ] || echo "# differ:$bad" | cut -c 1-400

# ----- a deleted output folder comes back -----------------------------------------------------------------

# A reader who deletes book/, figures/ or one chapter's part of them (or of build/) gets it back from make book.
for gone in book figures book/figures/02-vector figures/03-batched build/01-scalar/out; do
    rm -rf "$gone"
    log=$(mk book 2>&1)
    status=$?
    diff <(files "$work/ref/book") <(files book) >"$work/files.diff" && [ -d "$gone" ]
    ok $([ $status -eq 0 ] && [ -d "$gone" ] && [ ! -s "$work/files.diff" ] && echo 0 || echo 1) \
        "rm -rf $gone, then make book: the book is whole again"
    [ $status -eq 0 ] || echo "$log" | tail -n 5 | sed 's/^/# /'
done

echo "1..$n"
[ $failed -eq 0 ]
