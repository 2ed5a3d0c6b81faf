#!/usr/bin/env bash
# Cold `jc run --rm --network none IMAGE /bin/true` of two builds of jc.jar, interleaved run by run, each with its
# own JDK 25 AOT cache recorded and created first exactly as bin/jc does (same flags: SerialGC, C1 only).
# Prints median / min wall time and mean CPU (user + system, the launch helper and container included) per jar.
# Usage: [A_FLAGS=...] [B_FLAGS=...] benchmarks/cold-ab.sh JAR_A JAR_B ROOT IMAGE [RUNS=20]
# (as root; ROOT is an engine root holding IMAGE; A_FLAGS/B_FLAGS: extra JVM flags of one side, e.g. a property)
set -euo pipefail
[[ $# -ge 4 ]] || { echo "usage: $0 JAR_A JAR_B ROOT IMAGE [RUNS]" >&2; exit 2; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jars=("$1" "$2") root="$3" image="$4" runs="${5:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.httpclient.bufsize=262144 -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10
  -Djdk.reflect.useNativeAccessorOnly=true
  -Xlog:aot=off -Xlog:cds=off)
# side i's extra flags into the array `extra`
pick() { if (($1 == 0)); then read -ra extra <<<"${A_FLAGS:-}"; else read -ra extra <<<"${B_FLAGS:-}"; fi; }
cmd=(--root "$root" run --rm --network none "$image" /bin/true)
for i in 0 1; do
  pick "$i"
  "$java" "${flags[@]}" "${extra[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$work/$i.conf" -jar "${jars[$i]}" "${cmd[@]}" >/dev/null
  "$java" "${flags[@]}" "${extra[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$work/$i.conf" -XX:AOTCache="$work/$i.aot" \
    -jar "${jars[$i]}" >/dev/null
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < runs; r++)); do
  for i in $((r % 2)) $((1 - r % 2)); do # alternate which jar goes first
    pick "$i"
    /usr/bin/time -a -o "$work/$i.times" -f '%e %U %S' \
      "$java" "${flags[@]}" "${extra[@]}" -XX:AOTCache="$work/$i.aot" -jar "${jars[$i]}" "${cmd[@]}"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 0 1; do
  pick "$i"
  sort -n "$work/$i.times" | awk -v jar="${jars[$i]} ${extra[*]}" '{ wall[NR] = $1; cpu += $2 + $3 }
    END { printf "%s: median %.0f ms, min %.0f ms, mean CPU %.0f ms (n=%d)\n", jar, wall[int((NR + 1) / 2)] * 1000,
          wall[1] * 1000, cpu / NR * 1000, NR }'
done
