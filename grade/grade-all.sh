#!/usr/bin/env bash
# grade-all.sh DIR OUT — grade every submission in DIR (a project tree, or a .tar.gz / .tgz / .tar of one) into
# OUT/grades.tsv, a row per submission: its name, its points, the points there are, then each item's points,
# then the messages of the items it failed. Each is graded by grade.sh in OUT/NAME/, in its own sandbox; a
# tarball is unpacked in the sandbox too (as nobody, into OUT/NAME/tree: no path outside it can be written).
# Run by make grade-all SUBMISSIONS=DIR (mk/teach.mk), which sets what grade.sh needs.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: grade-all.sh DIR OUT" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$1 out=$2
[ -d "$dir" ] || { echo "grade-all: $dir: no such folder; expected a folder of submissions" >&2; exit 2; }
mkdir -p "$out" || exit 2
rows=$out/grades.tsv.tmp
header=
n=0
for sub in "$dir"/*; do
    name=$(basename "$sub")
    case $name in *.tar.gz) name=${name%.tar.gz} ;; *.tgz) name=${name%.tgz} ;; *.tar) name=${name%.tar} ;; esac
    [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || { echo "grade-all: $sub: skipped; expected a name of letters, digits, '.', '_' or '-'" >&2; continue; }
    g=$out/$name
    rm -rf "$g" && mkdir -p "$g"
    tree=$sub
    if [ -f "$sub" ]; then
        mkdir -p "$g/tree" && chown 65534:65534 "$g/tree" 2>/dev/null
        cp "$sub" "$g/tree/.submission" && chmod a+r "$g/tree/.submission"
        # The tarball's files, or its one top folder holding them: either way a tree in $g/tree.
        if ! "$here/sandbox.sh" "$g/tree" 60 tar -xf .submission --no-same-owner --no-same-permissions \
                >"$g/unpack.log" 2>&1; then
            echo "grade-all: $sub: cannot unpack it: $(head -n1 "$g/unpack.log")" >&2
        fi
        rm -f "$g/tree/.submission"
        tree=$g/tree
        top=$(find "$tree" -mindepth 1 -maxdepth 1)
        [ ! -d "$tree/chapters" ] && [ "$(wc -l <<< "$top")" -eq 1 ] && [ -d "$top" ] && [ ! -L "$top" ] && tree=$top
    fi
    echo "== grading $name"
    "$here/grade.sh" "$tree" "$g/grade" > "$g/grade.log" 2>&1
    s=$?
    [ $s -le 1 ] && [ -f "$g/grade/report.tsv" ] || { echo "grade-all: $name: the grader failed: $(tail -n1 "$g/grade.log")" >&2; exit 2; }
    rm -rf "$g/grade/work"
    if [ -z "$header" ]; then
        header=$(awk -F'\t' 'NR > 1 { printf "\t%s", $1 }' "$g/grade/report.tsv")
        printf 'submission\tpoints\tmax_points%s\tfailed\n' "$header" > "$rows"
    fi
    read -r got max < <(awk '$1 == "points" { g = $2 } $1 == "max_points" { m = $2 } END { print g, m }' "$g/grade/results.txt")
    awk -F'\t' -v name="$name" -v got="$got" -v max="$max" '
        NR > 1 { pts = pts "\t" $3 } NR > 1 && $2 != "pass" { failed = failed sep $1 ": " $4; sep = " | " }
        END { printf "%s\t%s\t%s%s\t%s\n", name, got, max, pts, failed }' "$g/grade/report.tsv" >> "$rows"
    echo "== $name: $got of $max points"
    n=$((n + 1))
done
[ $n -gt 0 ] || { echo "grade-all: $dir holds no submission (a project tree, or a .tar.gz of one)" >&2; rm -f "$rows"; exit 2; }
mv "$rows" "$out/grades.tsv"
echo "grade-all: $n submissions graded into $out/grades.tsv"
