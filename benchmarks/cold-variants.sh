#!/usr/bin/env bash
# Cold `jc run --rm --network none IMAGE /bin/true` of several variants, each a jar plus extra JVM flags, run
# round-robin (the order rotating each round) so that a noisy machine weighs on all alike. Each variant gets its own
# JDK 25 AOT cache, recorded and created with its own flags first, as bin/jc does; the flags also apply to the runs.
# Prints per variant median / min wall time, median CPU (user + system of the JVM, the launch helper and the
# container), the median time from JVM start to the CLI's main class being initialised (JVM creation) and from there
# to the engine's options (the CLI's own share: picocli parsing the command line) and from there to the last class
# initialised (the engine's work, up to the JVM's exit), from a class+init log.
# Usage: benchmarks/cold-variants.sh ROOT IMAGE RUNS 'JAR [FLAGS...]' 'JAR [FLAGS...]' ...   (as root)
set -euo pipefail
[[ $# -ge 4 ]] || { echo "usage: $0 ROOT IMAGE RUNS 'JAR [FLAGS...]'..." >&2; exit 2; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
root="$1" image="$2" runs="$3"
shift 3
variants=("$@")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.httpclient.bufsize=262144 -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10
  -Djdk.reflect.useNativeAccessorOnly=true -Xlog:aot=off -Xlog:cds=off)
cmd=(--root "$root" run --rm --network none "$image" /bin/true)
n=${#variants[@]}
for ((i = 0; i < n; i++)); do
  read -ra v <<<"${variants[$i]}"
  jar="${v[0]}" extra=("${v[@]:1}")
  "$java" "${flags[@]}" "${extra[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$work/$i.conf" -jar "$jar" "${cmd[@]}" >/dev/null
  "$java" "${flags[@]}" "${extra[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$work/$i.conf" -XX:AOTCache="$work/$i.aot" \
    -jar "$jar" >/dev/null
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < runs; r++)); do
  for ((k = 0; k < n; k++)); do
    i=$(((k + r) % n))
    read -ra v <<<"${variants[$i]}"
    jar="${v[0]}" extra=("${v[@]:1}")
    /usr/bin/time -a -o "$work/$i.times" -f '%e %U %S' "$java" "${flags[@]}" "${extra[@]}" -XX:AOTCache="$work/$i.aot" \
      -Xlog:class+init=info:file="$work/$i.init":uptime -jar "$jar" "${cmd[@]}"
    at() { sed -nE "s/^\[([0-9.]+)s\].*Initializing '$1'.*/\1/p" "$work/$i.init" | head -1; }
    jc="$(at 'dev\/jcontainers\/cli\/Jc')"
    echo "$jc" >>"$work/$i.jvm"
    engine="$(at 'dev\/jcontainers\/api\/EngineOptions')"
    awk -v a="$jc" -v b="$engine" 'BEGIN { print b - a }' >>"$work/$i.cli"
    last="$(tail -1 "$work/$i.init" | sed -E 's/^\[([0-9.]+)s\].*/\1/')"
    awk -v a="$engine" -v b="$last" 'BEGIN { print b - a }' >>"$work/$i.rest"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] * 1000 }'; }
for ((i = 0; i < n; i++)); do
  printf '%s: median %s ms, min %s ms, median CPU %s ms, JVM to main %s ms, main to engine %s ms, engine to exit %s ms' \
    "${variants[$i]}" \
    "$(cut -d' ' -f1 "$work/$i.times" | median)" "$(cut -d' ' -f1 "$work/$i.times" | sort -n | head -1 | median)" \
    "$(awk '{ print $2 + $3 }' "$work/$i.times" | median)" "$(median <"$work/$i.jvm")" "$(median <"$work/$i.cli")" \
    "$(median <"$work/$i.rest")"
  echo " (n=$(wc -l <"$work/$i.times"))"
done
