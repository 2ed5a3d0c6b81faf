#!/bin/sh
# Builds the launch helper: build.sh <source.c> <native output dir>. Output: <dir>/linux-<arch>/jc-launch, and
# jc-launch.sha256 beside it (the extracted file's name; a cold JVM would spend ~20 ms hashing 0.9 MB).
# Static when the libc has a static archive (Debian: libc6-dev does), dynamic otherwise.
set -eu
src=$1
out=$2/linux-$(uname -m)
mkdir -p "$out"
cc=${CC:-cc}
flags="-std=gnu11 -Wall -Wextra -Werror -O2 -s"
if ! $cc $flags -static -o "$out/jc-launch" "$src" 2>/dev/null; then
  echo "jc-launch: static linking unavailable, linking dynamically" >&2
  $cc $flags -o "$out/jc-launch" "$src"
fi
sha256sum "$out/jc-launch" | cut -c1-64 > "$out/jc-launch.sha256"
