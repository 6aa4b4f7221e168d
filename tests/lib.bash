# lib.bash — what the end-to-end tests share, sourced by tests/*.sh (not named *.sh, so prove does not run it):
# TAP counting, and a copy of the repository to build in (so that a test never touches the reader's build/,
# book/ and figures/).
#
#   ok STATUS WHAT          one TAP line: "ok N - WHAT" when STATUS is 0, else "not ok N - WHAT" (counted in failed)
#   check WHAT COMMAND...   ok with the status of COMMAND, its output dropped
#   seed_build BUILD        into ./build, the compiled tools, shared objects and chapter programs of BUILD (the
#                           test build), so that a copy's make rebuilds only what is out of date there
#   chapter_programs        the chapter programs' paths in ./build, one a line
#   copy_repo ROOT DEST [tracked]
#                           ROOT's sources into DEST, without build outputs, MNIST or .git; "tracked": only what
#                           git tracks (others' untracked work in progress stays out), all of it outside git
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
check() { local what=$1; shift; "$@" >/dev/null 2>&1; ok $? "$what"; }

copy_repo() {
    local root=$1 dest=$2
    mkdir -p "$dest" || return 1
    if [ "${3:-}" = tracked ] && git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$root" && git ls-files -z | tar --null -T - -cf -) | (cd "$dest" && tar -xf -)
    else
        (cd "$root" && tar --exclude=./build --exclude=./book --exclude=./figures --exclude=./data --exclude=./.git -cf - .) |
            (cd "$dest" && tar -xf -)
    fi
}

seed_build() {
    local from=$1 c d p
    mkdir -p build
    [ -d "$from/obj" ] || return 0
    cp -p "$from/.deps-ok" build/ 2>/dev/null
    cp -rp "$from/obj" "$from/tools" build/ 2>/dev/null
    for c in chapters/*/*.c; do
        d=$(basename "$(dirname "$c")") p=$(basename "$c" .c)
        [ -x "$from/$d/$p" ] && mkdir -p "build/$d" && cp -p "$from/$d/$p" "build/$d/"
    done
    return 0
}

chapter_programs() {
    local c
    for c in chapters/*/*.c; do echo "build/$(basename "$(dirname "$c")")/$(basename "$c" .c)"; done
}
