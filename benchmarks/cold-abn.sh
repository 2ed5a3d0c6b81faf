#!/usr/bin/env bash
# Cold `jc run --rm --network none bb:1 /bin/true` of two or more variants, interleaved run by run in a rotating
# order. A variant is a jar, optionally followed by extra JVM flags in the same argument ('JAR -XX:Flag ...'); each
# gets its own AOT cache, recorded and created with its flags as bin/jc does. Wall time from `date +%s%N` around the
# JVM (microseconds, where /usr/bin/time's elapsed time has 10 ms steps); prints median, 25th percentile and minimum
# of the wall time and the median CPU time (task-clock of the JVM, the launch helper and the container, from
# `perf stat`).
# Usage (as root): benchmarks/cold-abn.sh ROOT RUNS 'JAR [FLAGS...]'...   (ROOT: an engine root holding bb:1)
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: $0 ROOT RUNS 'JAR [FLAGS...]'..." >&2; exit 2; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
root=$1; runs=$2; shift 2; variants=("$@")
w="$(mktemp -d)"
trap 'rm -rf "$w"' EXIT
# bin/jc's flags for container verbs
flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.httpclient.bufsize=262144
  -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -Djdk.reflect.useNativeAccessorOnly=true -Xlog:aot=off -Xlog:cds=off)
cmd=(--root "$root" run --rm --network none bb:1 /bin/true)
n=${#variants[@]}
for ((i=0;i<n;i++)); do
  read -ra v <<<"${variants[$i]}"
  "$java" "${flags[@]}" "${v[@]:1}" -XX:AOTMode=record -XX:AOTConfiguration=$w/$i.conf -jar "${v[0]}" "${cmd[@]}" >/dev/null
  "$java" "${flags[@]}" "${v[@]:1}" -XX:AOTMode=create -XX:AOTConfiguration=$w/$i.conf -XX:AOTCache=$w/$i.aot -jar "${v[0]}" >/dev/null
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r=0;r<runs;r++)); do
  for ((k=0;k<n;k++)); do i=$(((r+k)%n))
    read -ra v <<<"${variants[$i]}"
    s=$(date +%s%N)
    perf stat -x, -e task-clock --append -o $w/$i.cpu "$java" "${flags[@]}" "${v[@]:1}" -XX:AOTCache=$w/$i.aot -jar "${v[0]}" "${cmd[@]}"
    e=$(date +%s%N)
    echo $(((e-s)/1000)) >> $w/$i.us
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i=0;i<n;i++)); do
  cpu=$(awk -F, '$3 == "task-clock" {print $1}' $w/$i.cpu | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  sort -n $w/$i.us | awk -v j="${variants[$i]}" -v cpu="$cpu" '{a[NR]=$1} END{printf "%s: median %.1f ms, p25 %.1f, min %.1f, CPU median %.1f ms (n=%d)\n", j, a[int((NR+1)/2)]/1000, a[int((NR+3)/4)]/1000, a[1]/1000, cpu, NR}'
done
