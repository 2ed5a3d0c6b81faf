#!/usr/bin/env bash
# Where a cold `jc run --rm --network none bb:1 /bin/true` spends its time, step by step, for two builds of jc.jar:
# interleaved runs, each jar with its own AOT cache (flags as bin/jc), timed by -Xlog:class+init (ms resolution).
# Prints the median span (ms) of the steps named in benchmarks/RESULTS.md 9s.
# Usage: benchmarks/cold-spans.sh JAR_A JAR_B ROOT [RUNS=10]   (as root; ROOT holds the image bb:1)
set -eu
[[ $# -ge 3 ]] || { echo "usage: $0 JAR_A JAR_B ROOT [RUNS]" >&2; exit 2; }
J="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
F=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.httpclient.bufsize=262144 -Xlog:aot=off -Xlog:cds=off -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -Djdk.reflect.useNativeAccessorOnly=true)
C=(--root "$3" run --rm --network none bb:1 /bin/true)
declare -A JAR=([a]="$1" [b]="$2")
runs="${4:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for s in a b; do
  $J "${F[@]}" -XX:AOTMode=record -XX:AOTConfiguration=$work/$s.conf -jar ${JAR[$s]} "${C[@]}" >/dev/null 2>&1
  $J "${F[@]}" -XX:AOTMode=create -XX:AOTConfiguration=$work/$s.conf -XX:AOTCache=$work/$s.aot -jar ${JAR[$s]} >/dev/null 2>&1
done
for ((r=0; r<runs; r++)); do
  for s in a b; do
    $J "${F[@]}" -XX:AOTCache=$work/$s.aot -Xlog:class+init=info:file=$work/$s.log:uptime -jar ${JAR[$s]} "${C[@]}"
    awk -v s=$s 'function t(){ return substr($1,2,length($1)-3)*1000 }
      /Initializing .dev\/jcontainers\/(core\/container\/LaunchPlanFactory\$DefaultProfile|linux\/seccomp\/DefaultSeccompPrograms)\x27/ { if(!sc) sc=t() }
      /Initializing .dev\/jcontainers\/linux\/launch\/LaunchPlan\$SeccompProgram/ { if(!sce) sce=t() }
      /Initializing .dev\/jcontainers\/linux\/launch\/LaunchHelperBinary\x27/ { hb=t() }
      /Initializing .dev\/jcontainers\/linux\/launch\/PlanCodec\x27/ { if(!hbe) hbe=t() }
      /Initializing .dev\/jcontainers\/oci\/layer\/PosixFiles\$Euid/ { eu=t() }
      /Initializing .dev\/jcontainers\/oci\/layer\/LayerStore\x27/ { if(!eue) eue=t() }
      /Initializing .dev\/jcontainers\/core\/container\/ContainerService\x27/ { cs=t() }
      /Initializing .dev\/jcontainers\/api\/ContainerBuilder\x27/ { if(!cse) cse=t() }
      /Initializing .dev\/jcontainers\/linux\/ffm\/Mount\x27/ { if(!fm) fm=t() }
      /Initializing .dev\/jcontainers\/core\/container\/UserResolver\x27/ { if(!fme) fme=t() }
      { last=t() }
      END { printf "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n", s, sce-sc, hbe-hb, eue-eu, cse-cs, fme-fm, last }' $work/$s.log >> $work/$s.tsv
  done
done
for s in a b; do
  for c in 2 3 4 5 6 7; do sort -n -k$c,$c $work/$s.tsv | awk -v c=$c '{v[NR]=$c} END{printf "%s ", v[int((NR+1)/2)]}'; done; echo " <- ${JAR[$s]}: seccomp helper euid engine(ContainerService..ContainerBuilder) ffm(Mount..UserResolver) last-init (median ms, n=$runs)"
done
