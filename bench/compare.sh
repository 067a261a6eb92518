#!/usr/bin/env bash
# bench/compare.sh [RUNS] - mbscope end to end (JVM start included) next to the reference tools, on
# the same files in one interleaved run. Prints a table: tool, events, first-run seconds, median
# seconds of the warm runs, events/s (from the median), peak RSS, speedup vs `trace-cmd report`.
#
#   bench/compare.sh            # 5 rounds (1 first + 4 warm per tool)
#   MBSCOPE_BENCH_DIR=/path/to/bench-1m bench/compare.sh 7
#
# Capture: $MBSCOPE_BENCH_DIR, else ../shared/bench/bench-1m next to the repo (or one level higher,
# for git worktrees). Compressed inputs are inflated once into a temp dir (removed at the end); the
# capture itself is never copied into the repository. Every tool writes to /dev/null (report: to a
# temp dir). Rounds are interleaved (tool A, B, C, ... then again) so background load hits all
# tools alike; round 1 is reported as "first" (page cache warm, JVM/JIT cold; for mbscope the very
# first use of a fresh CDS archive), the median is over rounds 2..RUNS. Timing and RSS come from
# /usr/bin/time (apt: time). Missing reference tools are installed from Debian when run as root
# (trace-cmd, linux-perf, babeltrace2); babeltrace2 rows need `perf data convert --to-ctf`.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=${1:-5}
[ "$RUNS" -ge 2 ] || { echo "RUNS must be >= 2" >&2; exit 2; }
D=${MBSCOPE_BENCH_DIR:-}
if [ -z "$D" ]; then
	for c in "$ROOT/../shared/bench/bench-1m" "$ROOT/../../shared/bench/bench-1m"; do
		[ -d "$c" ] && { D=$(cd "$c" && pwd); break; }
	done
fi
[ -n "$D" ] && [ -d "$D" ] || { echo "capture not found: set MBSCOPE_BENCH_DIR" >&2; exit 2; }

need() { # command debian-package
	command -v "$1" > /dev/null && return 0
	[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" > /dev/null 2>&1
	command -v "$1" > /dev/null
}
need /usr/bin/time time || { echo "need /usr/bin/time (apt install time)" >&2; exit 2; }
need zstd zstd || { echo "need zstd" >&2; exit 2; }
HAVE_TC=0; need trace-cmd trace-cmd && HAVE_TC=1
HAVE_PERF=0; need perf linux-perf && HAVE_PERF=1
HAVE_BT=0; need babeltrace2 babeltrace2 && HAVE_BT=1

T=$(mktemp -d /tmp/mbscope-compare.XXXXXX)
trap 'rm -rf "$T"' EXIT
TRACE=$D/trace.dat
zstd -q -d "$D/perf.data.zst" -o "$T/perf.data"
CTF=
if [ $HAVE_BT = 1 ] && [ $HAVE_PERF = 1 ] &&
	perf data convert --to-ctf "$T/ctf" -i "$T/perf.data" > "$T/ctf.log" 2>&1 && [ -d "$T/ctf" ]; then
	CTF=$T/ctf
fi
ev_tc=$(sed -n 's/^count.TOTAL raw=[0-9]* tc=\([0-9]*\) perf=.*/\1/p' "$D/meta.txt")
ev_perf=$(sed -n 's/^count.TOTAL raw=[0-9]* tc=[0-9]* perf=\([0-9]*\).*/\1/p' "$D/meta.txt")

# Build once outside the timed region (the launcher rebuilds only when sources changed).
"$ROOT/mbscope" --version > /dev/null || exit 2
MB="$ROOT/mbscope"

names=(); evs=(); cmds=()
add() { names+=("$1"); evs+=("$2"); cmds+=("$3"); }
add "mbscope --version" 0 "$MB --version"
add "mbscope stats (v7)" "$ev_tc" "$MB stats $TRACE"
add "mbscope stats (perf.data)" "$ev_perf" "$MB stats $T/perf.data"
add "mbscope replay (folder, v7)" "$ev_tc" "$MB replay $D"
add "mbscope report (v7)" "$ev_tc" "$MB report --no-svg -o $T/report $D"
[ $HAVE_TC = 1 ] && add "trace-cmd report (v7)" "$ev_tc" "trace-cmd report -i $TRACE"
[ $HAVE_TC = 1 ] && add "trace-cmd report -R (v7)" "$ev_tc" "trace-cmd report -R -i $TRACE"
[ $HAVE_PERF = 1 ] && add "perf script" "$ev_perf" "perf script -i $T/perf.data"
[ -n "$CTF" ] && add "babeltrace2 (sink.utils.dummy)" "$ev_perf" "babeltrace2 $CTF -c sink.utils.dummy"
[ -n "$CTF" ] && add "babeltrace2 (text)" "$ev_perf" "babeltrace2 $CTF"

n=${#names[@]}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= RUNS; r++)); do
	for ((i = 0; i < n; i++)); do
		rm -rf "$T/report"
		# replay exits 1 when a divergence is unexplained: that is a result, not a failure
		/usr/bin/time -o "$T/t" -f '%e %M %U %S' bash -c "${cmds[$i]} > /dev/null 2> $T/err" || true
		echo "$r $(tail -1 "$T/t")" >> "$T/res.$i"
		[ -s "$T/err" ] && grep -v '^$' "$T/err" | head -2 | sed "s/^/# ${names[$i]}: /" >> "$T/errs"
	done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "# mbscope compare on $(hostname) $(uname -r), $(nproc) CPUs, $(date -u +%FT%TZ), capture $D"
echo "# $(java -version 2>&1 | head -2 | tail -1); $(trace-cmd --version 2>&1 | grep -i version | head -1); $(perf --version 2>/dev/null); $(babeltrace2 --version 2>/dev/null | head -1)"
echo "# $RUNS interleaved rounds; first = round 1, median = rounds 2..$RUNS; loadavg before: $load0, after: $load1"
# speedup = median(trace-cmd report) / median(tool): > 1 means faster than trace-cmd report
python3 - "$T" "$n" "${names[@]}" "${evs[@]}" <<'PY'
import statistics, sys
T, n = sys.argv[1], int(sys.argv[2])
names, evs = sys.argv[3:3 + n], sys.argv[3 + n:3 + 2 * n]
rows = []
for i in range(n):
    runs = [l.split() for l in open(f"{T}/res.{i}")]
    first = float(runs[0][1])
    warm = [float(x[1]) for x in runs[1:]]
    cpu = [float(x[3]) + float(x[4]) for x in runs[1:]]
    rss = max(int(x[2]) for x in runs) / 1024
    rows.append((names[i], int(evs[i] or 0), first, statistics.median(warm), statistics.median(cpu), rss))
ref = next((r[3] for r in rows if r[0].startswith("trace-cmd report (")), None)
print(f"{'tool':32} {'events':>9} {'first_s':>8} {'median_s':>9} {'cpu_s':>7} {'events/s':>10} {'peak_MiB':>9} {'vs_tc_report':>12}")
for name, ev, first, med, cpu, rss in rows:
    eps = f"{ev / med:,.0f}" if ev and med > 0 else "-"
    sp = f"{ref / med:.2f}x" if ref and med > 0 else "-"
    print(f"{name:32} {ev:>9} {first:8.2f} {med:9.2f} {cpu:7.2f} {eps:>10} {rss:9.1f} {sp:>12}")
PY
echo "# cpu_s = median user+sys seconds (less sensitive to other jobs on a shared machine than wall time)"
[ -f "$T/errs" ] && sort -u "$T/errs" | head -20
exit 0
