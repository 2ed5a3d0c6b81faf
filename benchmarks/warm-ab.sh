#!/usr/bin/env bash
# Warm start-to-exit (RunBenchmark's API contender) of two builds in one JVM, against runc, rounds in shuffled order
# (WarmAb). Usage (as root): benchmarks/warm-ab.sh A.jar B.jar [RUNS] [WARMUP], with A.jar and B.jar copies of
# benchmarks/target/benchmarks.jar of two builds (`mvn -o -q -pl benchmarks -am package -DskipTests`); B must hold
# WarmAb. JAVA_OPTS=-Dsettle=100 pauses 100 ms after each run (background work then lands on no contender).
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 A.jar B.jar [RUNS] [WARMUP]" >&2; exit 2; }
jdk="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
here="$(cd "$(dirname "$0")" && pwd)"
a=$1; b=$2; runs=${3:-200}; warmup=${4:-10}
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
# the engine side is compiled apart, to be loaded ahead of either jar (A may be a build without it)
"$jdk/bin/javac" -nowarn -d "$classes" -cp "$b" "$here/src/main/java/dev/jcontainers/benchmarks/WarmAbEngine.java"
# shellcheck disable=SC2086
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g ${JAVA_OPTS:-} -cp "$b" dev.jcontainers.benchmarks.WarmAb \
  "$runs" "$warmup" "$classes" "$a" "$b"
