#!/usr/bin/env bash
# grade.sh TREE OUT [PROGRAM...] — grade the chapter programs of TREE (a project tree: the teacher's, a student's,
# a submission) item by item into OUT/report.tsv ("item result points message", a row per item) and
# OUT/results.txt (the points, and the settings the items used), and print the table. PROGRAM (scalar, vector,
# batched) grades only those programs' items: the book grades each program as its own run, so that an edit of
# one program regrades that one alone, and
# grade.sh --combine OUT PART... — joins such parts (folders with a report.tsv each) into one report.
#
# Only TREE's three chapter programs are read (chapters/01-scalar/scalar.c, 02-vector/vector.c,
# 03-batched/batched.c): they are compiled here, with the grader's own library (src/, already built in
# GRADE_OBJ) and harnesses (grade/items_*.c), never with TREE's Makefile or scripts. Compiling and every run
# happen in grade/sandbox.sh, in OUT/work, with its limits: a program that loops, eats memory, forks or
# deletes files fails the items it broke, and the message says which limit stopped it.
# From make (mk/teach.mk): GRADE_CC, GRADE_CFLAGS, GRADE_LIBS (objects and -l flags), MNIST.
# Exit status 0 when every item passes, 1 when one fails, 2 when the grader itself cannot run.
set -uo pipefail
usage() { echo "usage: grade.sh TREE OUT [scalar|vector|batched]... | grade.sh --combine OUT PART..." >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
combine=
if [ "${1:-}" = --combine ]; then
    combine=1; shift; [ $# -ge 2 ] || usage
    out=$1; shift; parts=("$@"); progs=(scalar vector batched)
else
    [ $# -ge 2 ] || usage
    tree=$(cd "$1" 2>/dev/null && pwd) || { echo "grade: $1: no such folder; expected a project tree" >&2; exit 2; }
    out=$2; shift 2; progs=("$@"); [ $# -eq 0 ] && progs=(scalar vector batched)
    for p in "${progs[@]}"; do case $p in scalar|vector|batched) ;; *) usage ;; esac; done
    : "${GRADE_CC:?} ${GRADE_CFLAGS:?} ${GRADE_LIBS:?} ${MNIST:?}"
    mnist=$(cd "$MNIST" && pwd) || { echo "grade: $MNIST: no MNIST folder" >&2; exit 2; }
fi
SECS_BUILD=${GRADE_BUILD_SECONDS:-60} SECS_RUN=${GRADE_RUN_SECONDS:-60}
# The short trainings and the validation accuracy each must reach (the page "Your results" quotes them).
SCALAR_EPOCHS=3 SCALAR_POINTS=10000 SCALAR_WANT=0.95 MNIST_EPOCHS=1 MNIST_LIMIT=3000 MNIST_WANT=0.80

rm -rf "$out" && mkdir -p "$out/work" || exit 2
work=$(cd "$out/work" && pwd)
chown 65534:65534 "$work" 2>/dev/null || chmod 777 "$work"
rows=$out/report.tsv.tmp
printf 'item\tresult\tpoints\tmessage\n' > "$rows"
[ -n "$combine" ] && rmdir "$work"

# The items: name, points, program, and the functions of that program an item exercises (their TODOs are
# what a failing item's message names).
ITEMS="worked-example 2 scalar softmax_xent_forward,forward,softmax_xent_backward,backward
softmax-stable 1 scalar softmax_xent_forward
gradcheck-scalar 2 scalar softmax_xent_forward,forward,softmax_xent_backward,backward
train-scalar 2 scalar softmax_xent_forward,forward,softmax_xent_backward,backward
gradcheck-vector 2 vector softmax_xent_backward,layer2_backward,sigmoid_backward,layer1_backward
train-vector 2 vector softmax_xent_backward,layer2_backward,sigmoid_backward,layer1_backward
gradcheck-batched 2 batched output_loss_backward,output_backward,hidden_backward
batch-mean 2 batched output_loss_backward,output_backward,hidden_backward
train-batched 2 batched output_loss_backward,output_backward,hidden_backward"
declare -A src=([scalar]=chapters/01-scalar/scalar.c [vector]=chapters/02-vector/vector.c
                [batched]=chapters/03-batched/batched.c)
declare -A verdict message graded

# What stopped a sandboxed command, from its exit status and its messages ($1, $2: the file of stderr).
why() {
    if grep -q 'memory limit' "$limits" 2>/dev/null; then
        echo "stopped at the memory limit (${SANDBOX_MEM_MB:-2048} MiB)"; return
    fi
    local p=; grep -q 'process limit' "$limits" 2>/dev/null && p=", after it reached the process limit (${SANDBOX_NPROC:-64})"
    case $1 in
        124) echo "stopped at the time limit ($3 s)$p" ;;
        152) echo "stopped at the CPU time limit ($3 s)" ;;
        153) echo "stopped at the file size limit (${SANDBOX_FSIZE_MB:-64} MiB)" ;;
        134|139) echo "crashed ($( [ "$1" -eq 139 ] && echo segmentation fault || echo aborted))$(first "$2" ': ')" ;;
        *) local m; m=$(first "$2")
           if grep -qi 'out of memory\|cannot allocate\|bad_alloc' "$2" 2>/dev/null; then
               echo "stopped at the memory limit (${SANDBOX_MEM_MB:-2048} MiB): $m"
           elif grep -qi 'fork\|resource temporarily unavailable' "$2" 2>/dev/null; then
               echo "stopped at the process limit (${SANDBOX_NPROC:-64}): $m"
           else echo "exit status $1${m:+: $m}"; fi ;;
    esac
}
first() { [ -s "$1" ] && printf '%s%s' "${2:-}" "$(grep -m1 -v '^\s*$' "$1" | cut -c1-200 | tr '\t' ' ')"; }
# The sandbox sees the grader's library (src/ and its objects: the folders GRADE_CFLAGS and GRADE_LIBS name),
# MNIST and the harnesses, read-only, wherever they are.
SANDBOX_RO=$(for w in ${GRADE_CFLAGS:-} ${GRADE_LIBS:-}; do
                 case $w in -I/*) echo "${w#-I}" ;; /*.o) dirname "$w" ;; esac
             done | sort -u | tr '\n' ':')${mnist:-}:$here
export SANDBOX_RO
# A run's limits report (grade/sandbox.sh): which limit stopped it, when one did.
limits=$out/limits
run() { : > "$limits"; SANDBOX_REPORT=$limits "$here/sandbox.sh" "$work" "$@"; }
set_item() { verdict[$1]=$2; message[$1]=$3; graded[$1]=1; }
items_of() { awk -v p="$1" '$3 == p { print $1 }' <<< "$ITEMS"; }  # the items of program $1

# The first TODO that make student put in program $1 and that is still there, inside one of the functions $2
# (comma-separated), whole with its continuation lines: "scalar.c:85: TODO: ...".
todo() {
    awk -v f="$1.c" -v fns=",$2," 'done { exit }
        /^[A-Za-z].*[A-Za-z_0-9]+\(/ { fn = $0; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn) }
        index(fns, "," fn ",") && /\/\/ TODO: / { n = FNR; sub(/^[ \t]*\/\/ /, ""); t = $0; next }
        t && /^[ \t]*\/\/       / { sub(/^[ \t]*\/\/ +/, ""); t = t " " $0; next }
        t { done = 1 } END { if (t) print f ":" n ": " t }' "$work/$1.c" 2>/dev/null
}

# A part's rows, as they are (the TODO already in their messages).
for part in "${parts[@]:-}"; do
    [ -n "$combine" ] || break
    [ -f "$part/report.tsv" ] || { echo "grade: $part/report.tsv: missing; expected a part graded by grade.sh" >&2; exit 2; }
    while IFS=$'\t' read -r it v pts m; do
        verdict[$it]=$v message[$it]=$m graded[$it]=1
    done < <(tail -n +2 "$part/report.tsv")
done

for prog in "${progs[@]}"; do
    [ -n "$combine" ] && break
    f=$tree/${src[$prog]}
    real=$(realpath -e "$f" 2>/dev/null)
    if [ -z "$real" ] || [ -L "$f" ] || [ ! -f "$real" ] || [[ $real != "$tree"/* ]]; then
        for it in $(items_of "$prog"); do
            set_item "$it" fail "${src[$prog]}: missing, or not a regular file inside the submission"
        done
        continue
    fi
    cp "$real" "$work/$prog.c" && chmod a+r "$work/$prog.c"
    log=$out/$prog.build.log
    # shellcheck disable=SC2086  # the flags are words
    run "$SECS_BUILD" $GRADE_CC $GRADE_CFLAGS "$work/$prog.c" $GRADE_LIBS -o "$work/$prog" >"$log" 2>&1; s=$?
    if [ $s -eq 0 ] && [ -f "$here/items_$prog.c" ]; then
        run "$SECS_BUILD" $GRADE_CC $GRADE_CFLAGS -I"$here" -DTESTING -include "$work/$prog.c" "$here/items_$prog.c" \
            $GRADE_LIBS -o "$work/items_$prog" >>"$log" 2>&1; s=$?
    fi
    if [ $s -ne 0 ]; then
        msg="${src[$prog]} does not compile: $(why $s "$log" "$SECS_BUILD")"
        [ $s -eq 1 ] && msg="${src[$prog]} does not compile: $(grep -m1 'error' "$log" | sed "s|$work/||g" | cut -c1-200)"
        for it in $(items_of "$prog"); do set_item "$it" fail "$msg"; done
        continue
    fi

    # The program's own gradient check: exit 0, or 4 with gradcheck.tsv naming the failing groups.
    run "$SECS_RUN" "$work/$prog" --gradcheck --out "$work/gc-$prog" >/dev/null 2>"$out/gc-$prog.err"; s=$?
    tsv=$work/gc-$prog/gradcheck.tsv
    if [ $s -eq 0 ]; then set_item "gradcheck-$prog" pass "every parameter group within the tolerance"
    elif [ $s -eq 4 ] && [ -f "$tsv" ]; then
        set_item "gradcheck-$prog" fail "$(awk -F'\t' 'NR > 1 && $6 != "pass" {
            if ($3 + 0 == 0 && $4 + 0 == 0) printf "%s%s: the loss does not change with it", sep, $1
            else printf "%s%s: relative error %s (tolerance %s)", sep, $1, $4, $5
            sep = "; " }' "$tsv")"
    else set_item "gradcheck-$prog" fail "$(why $s "$out/gc-$prog.err" "$SECS_RUN")"; fi

    # A short training, and the accuracy it must reach.
    case $prog in
        scalar)  flags=(--epochs "$SCALAR_EPOCHS" --n-train "$SCALAR_POINTS" --n-val 2000 --lr 0.1 --seed 0) want=$SCALAR_WANT ;;
        vector)  flags=(--epochs "$MNIST_EPOCHS" --limit "$MNIST_LIMIT" --mnist "$mnist") want=$MNIST_WANT ;;
        batched) flags=(--epochs "$MNIST_EPOCHS" --limit "$MNIST_LIMIT" --batch 16 --lr 0.8 --mnist "$mnist") want=$MNIST_WANT ;;
    esac
    run "$SECS_RUN" env -u WORKBOOK_LIMIT "$work/$prog" "${flags[@]}" --out "$work/train-$prog" >/dev/null \
        2>"$out/train-$prog.err"; s=$?
    res=$work/train-$prog/results.txt
    acc=$(awk '$1 == "val_acc" { print $2 }' "$res" 2>/dev/null)
    if [ $s -eq 3 ]; then set_item "train-$prog" fail "the training diverged: $(first "$out/train-$prog.err")"
    elif [ $s -ne 0 ] || [ -z "$acc" ]; then set_item "train-$prog" fail "$(why $s "$out/train-$prog.err" "$SECS_RUN")"
    else
        pct=$(awk -v a="$acc" 'BEGIN { printf "%.1f%%", 100 * a }') wpct=$(awk -v a=$want 'BEGIN { printf "%.0f%%", 100 * a }')
        if awk -v a="$acc" -v w=$want 'BEGIN { exit !(a >= w) }'; then
            set_item "train-$prog" pass "validation accuracy $pct after ${flags[1]} epoch(s) (at least $wpct)"
        else set_item "train-$prog" fail "the network did not learn: validation accuracy $pct; expected at least $wpct"; fi
    fi

    # The harness's items, answered by the program's own functions.
    if [ -x "$work/items_$prog" ]; then
        run "$SECS_RUN" "$work/items_$prog" >"$out/items-$prog.tsv" 2>"$out/items-$prog.err"; s=$?
        for it in $(items_of "$prog"); do
            line=$(awk -F'\t' -v i="$it" '$1 == i' "$out/items-$prog.tsv")
            [ -n "$line" ] && set_item "$it" "$(cut -f2 <<< "$line")" "$(cut -f3- <<< "$line")"
            [ -z "$line" ] && [ -z "${verdict[$it]:-}" ] && set_item "$it" fail "$(why $s "$out/items-$prog.err" "$SECS_RUN")"
        done
    fi
done

# The report: a failing item whose functions still hold a TODO says so, after what was found.
total=0 max=0
while read -r it pts prog fns; do
    [[ " ${progs[*]} " == *" $prog "* ]] || continue
    v=${verdict[$it]:-fail} m=${message[$it]:-not graded}
    [ -z "${graded[$it]:-}" ] && [ -n "$combine" ] && m="not graded: no part has this item"
    t=; [ -z "$combine" ] && t=$(todo "$prog" "$fns")
    [ "$v" = fail ] && [ -n "$t" ] && m="$m. Still to write: $t"
    [ "$v" = pass ] && total=$((total + pts))
    max=$((max + pts))
    printf '%s\t%s\t%s\t%s\n' "$it" "$v" "$([ "$v" = pass ] && echo "$pts" || echo 0)" "$(printf '%s' "$m" | tr '\t\n' '  ')" >> "$rows"
done <<< "$ITEMS"
mv "$rows" "$out/report.tsv"
awk -F'\t' -v got=$total -v max=$max 'NR > 1 { n++; pass += $2 == "pass" }
    END { printf "items %d\npassed %d\npoints %d\nmax_points %d\n", n, pass, got, max }' "$out/report.tsv" > "$out/results.txt"
printf '%s %s\n' scalar_epochs $SCALAR_EPOCHS scalar_points $SCALAR_POINTS scalar_want $SCALAR_WANT \
    mnist_epochs $MNIST_EPOCHS mnist_limit $MNIST_LIMIT mnist_want $MNIST_WANT \
    run_seconds "$SECS_RUN" mem_mb "${SANDBOX_MEM_MB:-2048}" nproc "${SANDBOX_NPROC:-64}" fsize_mb "${SANDBOX_FSIZE_MB:-64}" \
    >> "$out/results.txt"

awk -F'\t' 'NR == 1 { printf "%-18s %-6s %-6s %s\n", "item", "result", "points", "message"; next }
            { printf "%-18s %-6s %-6s %s\n", $1, $2, $3, $4 }' "$out/report.tsv"
echo "grade: $total of $max points; the rows are in $out/report.tsv"
[ "$total" -eq "$max" ]
