#!/usr/bin/env bash
# build-lock.sh BUILD WHAT COMMAND... — run COMMAND (WHAT, as the waiting line names it: "make book") as the only build of this tree: `make book`, `make 01-scalar`
# and `make test` each run under it, so that two of them started at once (two terminals, an editor's build on
# save) do not rerun the same program into the same folder or delete what the other just wrote. A second one
# says so on one line and waits for the first, then finds the book up to date or finishes it.
#
# The lock is flock(1) on BUILD/.lock, held on file descriptor 9, which COMMAND and everything it starts
# inherit: the lock goes only when the last of them has ended, so a program left running by a stopped make
# (make does not stop a recipe's commands on SIGTERM) still keeps the next build out of its folder. WB_LOCK
# names the lock held, so that a build inside a build (make-book.sh's make, the chapter goal's) does not wait
# for itself; a build of another tree (B=..., a copy of the repository) takes its own. COMMAND is exec'd, so
# signals reach it as they would without the lock.
set -u
b=$1 what=$2
shift 2
mkdir -p "$b" || exit 1
lock=$(realpath -m "$b/.lock")
if [ "${WB_LOCK:-}" != "$lock" ]; then
    exec 9>>"$lock" || exit 1
    if ! flock -n 9; then
        holder=$(head -c 20 "$lock" 2>/dev/null | tr -cd 0-9)
        echo "$what: another build is running in this tree (pid ${holder:-?}); waiting" >&2
        # Waiting in the background, so that Ctrl-C or a SIGTERM to this script (make passes it on) ends the
        # wait at once with the status of a stopped build (130, 143), the first build going on.
        trap 'kill "$w" 2>/dev/null; wait "$w"; exit 130' INT
        trap 'kill "$w" 2>/dev/null; wait "$w"; exit 143' TERM
        flock 9 &
        w=$!
        wait "$w" || exit 1
        trap - INT TERM
    fi
    echo $$ >"$lock"  # the pid the next build names (exec keeps it)
    export WB_LOCK=$lock
fi
exec "$@"
