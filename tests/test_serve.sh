#!/usr/bin/env bash
# test_serve.sh — `make serve` as a reader uses it, and as someone else on the machine might try it. In a copy of
# the repository (QUICK=1, MNIST shared), the server builds the book and serves it on a free port; then:
#   - it listens on the loopback address only, and a second one on the same port says the port is taken;
#   - GET and HEAD work; /../Makefile, /%2e%2e/Makefile, a symbolic link to /etc/passwd placed in book/, and a POST
#     are refused;
#   - in headless Chromium, an open page follows an edit of chapter.md, keeping its scroll position, and shows a
#     broken placeholder's chapter.md:LINE message in an overlay until it is fixed (tests/serve-check.js);
#   - 20 saves in one second give at most two builds, and a save that changes nothing gives none;
#   - while a build runs, the status counts a chapter's runs against the build's plan;
#   - Ctrl-C stops it, with no temporary file left.
# TAP on stdout, for prove.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wb-serve.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill -INT -- "-$pid" 2>/dev/null; sleep 0.3; rm -rf "$work"; }
trap cleanup EXIT
. "$root/tests/lib.bash"

copy_repo "$root" "$work"
cd "$work" || exit 1
export QUICK=1
DATA_DIR="$root/${DATA:-data}"
make --no-print-directory DATA="$DATA_DIR" book >/dev/null 2>&1  # the build the server starts with is then quick
port=$((20000 + $$ % 20000))
log=$work/serve.log
: >"$log"  # before the server starts: the loop below may read it before the server's shell has opened it
env --default-signal=INT setsid make --no-print-directory DATA="$DATA_DIR" serve PORT=$port >"$log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do grep -q 'serve: build 1 done\|serve: build 1 failed' "$log" && break; sleep 0.1; done
ok $(grep -q "serve: http://127.0.0.1:$port/" "$log" && grep -q 'serve: build 1 done' "$log" && echo 0 || echo 1) \
    "make serve builds the book and prints its address"
[ $n -eq 1 ] && ! grep -q 'build 1 done' "$log" && tail -n 20 "$log" | sed 's/^/# /'

ok $(ss -ltnH "sport = :$port" | awk '{print $4}' | grep -qx "127.0.0.1:$port" && echo 0 || echo 1) \
    "it listens on 127.0.0.1 only"
out=$(make --no-print-directory DATA="$DATA_DIR" serve PORT=$port 2>&1); status=$?
ok $([ $status -ne 0 ] && echo "$out" | grep -q "port $port on 127.0.0.1 is taken" && echo 0 || echo 1) \
    "a second make serve on the same port says the port is taken and fails"

code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
u=http://127.0.0.1:$port
ok $([ "$(code "$u/")" = 200 ] && [ "$(code "$u/01-scalar.html")" = 200 ] && echo 0 || echo 1) "GET / and a page: 200"
ok $([ "$(code -I "$u/01-scalar.html")" = 200 ] && echo 0 || echo 1) "HEAD: 200"
ok $(curl -s "$u/01-scalar.html" | grep -q '<script src="/__serve.js"></script>' && ! grep -q '__serve' book/01-scalar.html &&
    echo 0 || echo 1) "a served page gets the reload script; the page on disk does not"
ok $([ "$(code "$u/../Makefile")" = 404 ] && echo 0 || echo 1) "/../Makefile: 404"
ok $([ "$(code "$u/%2e%2e/Makefile")" = 404 ] && [ "$(code "$u/%2E%2E/%2E%2E/etc/passwd")" = 404 ] && echo 0 || echo 1) \
    "/%2e%2e/Makefile, /%2E%2E/%2E%2E/etc/passwd: 404"
ln -s /etc/passwd book/passwd && ln -s "$work" book/repo
ok $([ "$(code "$u/passwd")" = 404 ] && [ "$(code "$u/repo/Makefile")" = 404 ] && echo 0 || echo 1) \
    "symbolic links out of book/ (to /etc/passwd, to the repository): 404"
rm -f book/passwd book/repo
ok $([ "$(code -X POST -d x=1 "$u/")" = 405 ] && [ "$(code -X PUT "$u/index.html")" = 405 ] && echo 0 || echo 1) \
    "POST and PUT: 405"
ok $([ "$(code "$u//etc/passwd")" = 404 ] && echo 0 || echo 1) "an absolute path: 404"

# The reader's edit loop in the browser.
node "$root/tests/serve-check.js" "$u/01-scalar.html" "$work/chapters/01-scalar/chapter.md" "$n" >"$work/browser.tap"
cat "$work/browser.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$work/browser.tap")))
failed=$((failed + $(grep -c '^not ok ' "$work/browser.tap")))

# A burst of saves: at most two builds; a save that changes nothing: none.
for ((i = 0; i < 600; i++)); do tail -n 1 "$log" | grep -q 'serve: build [0-9]* \(done\|failed\)' && break; sleep 0.1; done
before=$(grep -c 'serve: build [0-9]*: make book' "$log")
md=chapters/01-scalar/chapter.md
cp "$md" "$work/ch1.md"
for ((i = 0; i < 20; i++)); do echo "Burst line $i." >>"$md"; sleep 0.05; done
sleep 1
for ((i = 0; i < 600; i++)); do tail -n 1 "$log" | grep -q 'serve: build [0-9]* \(done\|failed\)' && break; sleep 0.1; done
sleep 1
after=$(grep -c 'serve: build [0-9]*: make book' "$log")
ok $([ $((after - before)) -ge 1 ] && [ $((after - before)) -le 2 ] && echo 0 || echo 1) \
    "20 saves in one second give one or two builds (gave $((after - before)))"
touch "$md" chapters/01-scalar/scalar.c && sleep 1.5
ok $([ "$(grep -c 'serve: build [0-9]*: make book' "$log")" -eq "$after" ] && echo 0 || echo 1) \
    "a save that changes nothing builds nothing"
cp "$work/ch1.md" "$md"

# The status line counts a chapter's runs against the build's plan: a rate added to chapter 4's grid, and the
# pages are told "04-experiments: K of up to M runs: ..." for each run it reports, K counting up to the runs
# the build started (the plan is an upper bound: a final run waits on the chosen rate, which may stay as it was).
sleep 1  # the build of chapter 1's text put back, just above, ends first
for ((i = 0; i < 600; i++)); do tail -n 1 "$log" | grep -q 'serve: build [0-9]* \(done\|failed\)' && break; sleep 0.1; done
curl -sN --max-time 120 "$u/__events" >"$work/events.txt" 2>/dev/null &
events=$!
sleep 0.5
# Wait for the build that a save starts (the count of builds $1 so far) to end.
build_after() {
    for ((i = 0; i < 600; i++)); do
        [ "$(grep -c 'serve: build [0-9]*: make book' "$log")" -gt "$1" ] &&
            tail -n 1 "$log" | grep -q 'serve: build [0-9]* \(done\|failed\)' && break
        sleep 0.1
    done
}
before=$(grep -c 'serve: build [0-9]*: make book' "$log")
mkf=chapters/04-experiments/chapter.mk
cp "$mkf" "$work/ch4.mk"
sed -i 's/^\(EXP_RATES  *:= 0.01\) 0.3 30$/\1 0.1 0.3 30/' "$mkf"
build_after "$before"
kill "$events" 2>/dev/null; wait "$events" 2>/dev/null
started=$(sed -n "/serve: build $((before + 1)): make book/,\$p" "$log" | grep -c '^== running 04-experiments')
counts=$(sed -n 's/^data: 04-experiments: \([0-9]*\) of up to \([0-9]*\) runs: .*/\1 \2/p' "$work/events.txt")
ok $(! cmp -s "$mkf" "$work/ch4.mk" && [ "$started" -ge 1 ] && [ -n "$counts" ] &&
     awk -v want="$started" '{ if ($1 != NR || $1 > $2) bad = 1 } END { exit bad || NR != want }' <<< "$counts" &&
     grep -q '^data: 04-experiments: 1 of up to [0-9]* runs: runs/lr0.1_s1 ' "$work/events.txt" && echo 0 || echo 1) \
    "a rate added: the status says \"04-experiments: K of up to M runs\", K = 1 .. $started, never above M"
[ -n "$counts" ] && [ "$started" -ge 1 ] || { echo "# events:"; sed -n '1,12s/^/#   /p' "$work/events.txt"
    echo "# the build's log:"; sed -n "/serve: build $((before + 1)): make book/,\$p" "$log" | grep '^==\|^serve' | head -n 12 | sed 's/^/#   /'; }
done_builds=$(grep -c 'serve: build [0-9]*: make book' "$log")
cp "$work/ch4.mk" "$mkf"
build_after "$done_builds"  # the rate taken out again: a build that Ctrl-C below must not cut short

kill -INT -- "-$pid"
for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
ok $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0) "Ctrl-C stops make serve"
pid=
left=$(find book build figures -name '*.tmp*' 2>/dev/null | head -3)
ok $([ -z "$left" ] && echo 0 || echo 1) "... leaving no temporary file ($left)"

echo "1..$n"
[ $failed -eq 0 ]
