#!/usr/bin/env bash
# sandbox.sh DIR SECONDS COMMAND... — run a submission's COMMAND in DIR, not trusting it.
#
# bubblewrap (Debian's bubblewrap) gives it a view of the machine that holds the system alone (/usr, /etc and the
# links into /usr), read-only, then the folders in SANDBOX_RO read-only, DIR writable and an empty /tmp: no other
# folder of the machine, so not the grader's tree or another submission. No network, its own process, IPC and
# host-name namespaces, and it dies with the grader. Inside, it runs as the
# user nobody (setpriv drops root and every capability, when the grader is root; an unprivileged grader is
# already nobody's equal, in a user namespace of its own) under the limits prlimit sets:
#   SECONDS of wall-clock time (timeout) and of CPU time; four times SANDBOX_MEM_MB (2048) of address space;
#   SANDBOX_NPROC processes of the user (64); files of at most SANDBOX_FSIZE_MB (64); no core dumps.
# Exit status: COMMAND's, or 124 when it reached the time limit. DIR must be writable by nobody (grade.sh
# makes it so).
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: sandbox.sh DIR SECONDS COMMAND..." >&2; exit 2; }
dir=$(cd "$1" && pwd) || exit 2
secs=$2
shift 2
command -v bwrap >/dev/null || { echo "sandbox: bwrap (Debian's bubblewrap) is missing; make grade installs it" >&2; exit 2; }
if [ "$(id -u)" -eq 0 ]; then
    ns=() drop=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs)
else
    ns=(--unshare-user) drop=()
fi
# The system: what a compiler and the programs need (the loader, libraries, headers, /etc's configuration).
system=(--ro-bind /usr /usr --ro-bind /etc /etc)
for p in /bin /sbin /lib /lib32 /lib64 /libx32; do
    if [ -L "$p" ]; then system+=(--symlink "$(readlink "$p")" "$p")
    elif [ -d "$p" ]; then system+=(--ro-bind "$p" "$p"); fi
done
# DIR, and the folders in SANDBOX_RO (':' between them: the grader's library and MNIST), are bound in where they
# are, DIR writable and the others read-only, through folders anyone may pass (bwrap would make them root's
# alone). A folder of the system is in the view already.
binds=()
bind() {  # bind --bind|--ro-bind PATH
    local p= part parts
    case $2 in /usr|/usr/*|/etc|/etc/*) return ;; esac
    IFS=/ read -r -a parts <<< "${2#/}"
    for part in "${parts[@]:0:${#parts[@]}-1}"; do p=$p/$part; binds+=(--perms 0755 --dir "$p"); done
    binds+=("$1" "$2" "$2")
}
IFS=: read -r -a ro <<< "${SANDBOX_RO:-}"
for r in "${ro[@]}"; do [ -n "$r" ] && bind --ro-bind "$(cd "$r" && pwd)"; done
bind --bind "$dir"
# As root, the run also gets cgroups of its own (the v1 memory and pids controllers, where the machine has them):
# SANDBOX_MEM_MB of memory in use, beyond which the kernel kills it, and SANDBOX_NPROC processes. Their counters
# say afterwards which limit stopped it: a line "memory limit" or "process limit" in SANDBOX_REPORT, a file the
# caller names outside DIR (the submission cannot write it).
mem=$(( ${SANDBOX_MEM_MB:-2048} << 20 )) nproc=${SANDBOX_NPROC:-64}
cgroups=()
if [ "$(id -u)" -eq 0 ]; then
    for c in memory pids; do
        g=/sys/fs/cgroup/$c/wb-sandbox-$$
        [ -w /sys/fs/cgroup/$c ] && mkdir -p "$g" 2>/dev/null && cgroups+=("$g")
    done
fi
for g in "${cgroups[@]}"; do
    case $g in
        */memory/*) echo "$mem" > "$g/memory.limit_in_bytes" ;;
        */pids/*) echo "$nproc" > "$g/pids.max" ;;
    esac
    echo $$ > "$g/cgroup.procs"
done
release() {
    local g
    for g in "${cgroups[@]}"; do
        echo $$ > "${g%/*}/cgroup.procs"
        kill -9 $(cat "$g/cgroup.procs" 2>/dev/null) 2>/dev/null
        case $g in
            */memory/*) [ "$(awk '$1 == "oom_kill" { print $2 }' "$g/memory.oom_control")" -gt 0 ] 2>/dev/null &&
                            [ -n "${SANDBOX_REPORT:-}" ] && echo "memory limit" >> "$SANDBOX_REPORT" ;;
            */pids/*) [ "$(awk '$1 == "max" { print $2 }' "$g/pids.events")" -gt 0 ] 2>/dev/null &&
                          [ -n "${SANDBOX_REPORT:-}" ] && echo "process limit" >> "$SANDBOX_REPORT" ;;
        esac
        for _ in 1 2 3 4 5; do rmdir "$g" 2>/dev/null && break; sleep 0.1; done
    done
}
trap release EXIT
timeout --kill-after=2 "$secs" \
    bwrap "${system[@]}" --tmpfs /tmp "${binds[@]}" --proc /proc --dev /dev \
          --unshare-ipc --unshare-pid --unshare-net --unshare-uts --unshare-cgroup-try "${ns[@]}" \
          --die-with-parent --new-session --chdir "$dir" \
          --setenv HOME "$dir" --setenv TMPDIR /tmp --setenv OPENBLAS_NUM_THREADS 1 \
          "${drop[@]}" \
          prlimit --as=$((4 * mem)) --nproc="$nproc" --fsize=$(( ${SANDBOX_FSIZE_MB:-64} << 20 )) --cpu="$secs" \
                  --core=0 -- "$@"
