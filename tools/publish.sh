#!/usr/bin/env bash
# publish.sh DEST SCRIPT — make DEST (a file or a folder of the book: book/assets, book/figures/NN-name, a source
# copy) by SCRIPT, bash that writes $T, DEST's temporary name (DEST.tmp); moved into place only when SCRIPT
# succeeded. When it fails (a full disk, a read-only folder), the temporary goes with all it holds — no 0-byte
# or half-copied file is left — DEST stays as it was, and one line names it and says why:
#     copy: book/figures/01-scalar: no space left on device
# (cp, on a full disk, would print a line for every file it could not write.) Exit 0, or 1 on failure.
set -u
dest=$1 script=$2
export T=$dest.tmp
rm -rf "$T"
# SCRIPT's messages kept (its output goes through), to name the first one only.
err=$({ bash -ec "$script" 2>&1 1>&3 3>&-; } 3>&1)
status=$?
if [ $status -eq 0 ]; then
    [ -d "$T" ] && { rm -rf "$dest" || exit 1; }
    mv -T "$T" "$dest" && exit 0
    err="cannot move $T into place"
fi
rm -rf "$T"
line=$(printf '%s\n' "$err" | grep -m1 .)
case $line in
*"$T"*": "*) why=${line##*: }; why="$(tr '[:upper:]' '[:lower:]' <<<"${why:0:1}")${why:1}" ;;  # writing it failed
'') why="failed (exit $status)" ;;
*) why=$line ;;  # reading what it copies failed: cp's own words
esac
echo "copy: $dest: $why" >&2
exit 1
