#!/usr/bin/env bash
# student-tree.sh STUDENT OUT — the student version of this tree, in OUT/ and OUT.tar.gz (make student).
#
# The project's sources (what git tracks; without git, every file but build/, book/, figures/ and data/),
# with each chapter program that has solution regions rewritten by STUDENT (src/student.c): the regions become
# TODOs and stubs. Built in OUT.tmp and moved into place whole; the tarball is reproducible (sorted names, no
# times or owners).
set -euo pipefail
student=$1 out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
trap 'rm -rf "$out.tmp" "$out.tar.gz.tmp"' EXIT
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z
else
    find . -type f ! -path './build/*' ! -path './book/*' ! -path './figures/*' ! -path './data/*' ! -path './.git/*' \
         -printf '%P\0'
fi | while IFS= read -r -d '' f; do
    [ -e "$f" ] || continue  # tracked but deleted in the work tree
    mkdir -p "$out.tmp/$(dirname "$f")"
    cp -p "$f" "$out.tmp/$f"
done
regions=0
for f in chapters/*/*.c; do
    grep -q '^\s*// BEGIN SOLUTION' "$f" || continue
    "$student" "$f" "$(dirname "$f")/chapter.md" "$out.tmp/$f"
    regions=$((regions + $(grep -c '^\s*// BEGIN SOLUTION' "$f")))
done
rm -rf "$out" && mv "$out.tmp" "$out"
name=$(basename "$out")
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$(dirname "$out")" -cf - "$name" |
    gzip -n > "$out.tar.gz.tmp"
mv "$out.tar.gz.tmp" "$out.tar.gz"
echo "student: $out/ and $out.tar.gz: $regions solution regions replaced by TODOs and stubs; give the tarball to the class"
