#!/usr/bin/env bash
# bench/compare.sh [--quick] [--rss] [RUNS] - mbscope end to end (JVM start included) next to the
# reference tools, on the same files in one interleaved run, as issue 7 asks:
#
#   bench/compare.sh            # full: 6 rounds (1 first + 5 warm) of every tool, ~15 min idle
#   bench/compare.sh --quick    # 3 rounds of --version, stats, replay, trace-cmd report, perf script
#   bench/compare.sh --rss      # only the peak-RSS-vs-trace-length table (prefixes of the capture)
#   bench/compare.sh 9          # full, 9 rounds
#   MBSCOPE_BENCH_DIR=/path/to/bench-1m bench/compare.sh
#
# Table: tool, events, first-round seconds, median wall seconds of the warm rounds, median cpu
# (user+sys) seconds, events/s (from the wall median), peak RSS, ratio to `trace-cmd report` by
# wall median (> 1 = faster than trace-cmd report) and by cpu median; then the issue-7 targets.
# Rounds are interleaved (A B C ... A B C ...) so background load hits all tools alike; the load
# average is sampled before every command and summarised. Round 1 is "first": page cache warm,
# JVM cold, the launcher's startup cache already built (the untimed `mbscope --version` before
# the rounds builds the jar and trains the cache, as a user's first call would).
#
# Capture: $MBSCOPE_BENCH_DIR, else ../shared/bench/bench-1m next to the repo (or one level higher,
# for git worktrees). Compressed inputs are inflated once into a temp dir (removed at the end); the
# capture is never copied into the repository. Every tool writes to /dev/null (report: to a temp
# dir). Timing and RSS come from /usr/bin/time. Missing reference tools are installed from Debian
# when run as root (time, zstd, trace-cmd, linux-perf, babeltrace2); babeltrace2 rows need
# `perf data convert --to-ctf`.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
QUICK=0 RSS_ONLY=0 RUNS=
for a in "$@"; do
	case $a in
	--quick) QUICK=1 ;;
	--rss) RSS_ONLY=1 ;;
	[0-9]*) RUNS=$a ;;
	*) sed -n '2,12p' "$0" >&2; exit 2 ;;
	esac
done
[ -n "$RUNS" ] || { [ $QUICK = 1 ] && RUNS=3 || RUNS=6; }
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
HAVE_BT=0; [ $QUICK = 0 ] && need babeltrace2 babeltrace2 && HAVE_BT=1

T=$(mktemp -d /tmp/mbscope-compare.XXXXXX)
trap 'rm -rf "$T"' EXIT
MB="$ROOT/mbscope"
# Build and train the startup cache once, outside the timed rounds.
"$MB" --version > /dev/null || exit 2
JAVA_CMD=$(MBSCOPE_SHOW_CMD=1 "$MB" --version 2>&1 > /dev/null | sed -n 's/^mbscope: exec //p')
JAVA_BIN=${JAVA_CMD%% *}
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# --rss: peak RSS against trace length. Prefixes of the capture's raw ftrace text (trace.txt: the
# one format that can be cut at any event and stay a valid trace) in capture folders of their own
# (same image, meta.txt, formats/), each replayed and counted; plus the binary trace.dat in full.
rss_table() {
	local z=$D/trace.txt.zst total n dir
	[ -f "$z" ] || { echo "# --rss needs $z" >&2; return; }
	zstd -q -d "$z" -o "$T/trace.txt"
	total=$(grep -vc '^#' "$T/trace.txt")
	echo
	echo "# peak RSS vs trace length ($(date -u +%FT%TZ), loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
	printf '%-44s %9s %8s %8s %9s\n' "run" "events" "wall_s" "cpu_s" "peak_MiB"
	for frac in 8 4 2 1; do
		n=$((total / frac))
		dir=$T/prefix-$frac
		mkdir -p "$dir"
		for f in image-before.img.zst dumpe2fs-before.txt meta.txt formats syscalls.csv.zst; do
			[ -e "$D/$f" ] && ln -s "$D/$f" "$dir/$f"
		done
		{ grep '^#' "$T/trace.txt"; grep -v '^#' "$T/trace.txt" | head -n "$n"; } > "$dir/trace.txt"
		for cmd in "stats $dir/trace.txt" "replay $dir"; do
			/usr/bin/time -o "$T/t" -f '%e %U %S %M' "$MB" $cmd > /dev/null 2>&1
			read -r w u s m < <(tail -1 "$T/t")
			printf '%-44s %9d %8.2f %8.2f %9.1f\n' "mbscope ${cmd%% *} (text, 1/$frac)" "$n" "$w" \
				"$(echo "$u + $s" | bc)" "$(echo "scale=1; $m / 1024" | bc)"
		done
		rm -f "$dir/trace.txt"
	done
	for cmd in "stats $D/trace.dat" "replay $D"; do
		/usr/bin/time -o "$T/t" -f '%e %U %S %M' "$MB" $cmd > /dev/null 2>&1
		read -r w u s m < <(tail -1 "$T/t")
		printf '%-44s %9s %8.2f %8.2f %9.1f\n' "mbscope ${cmd%% *} (trace.dat, all)" "-" "$w" \
			"$(echo "$u + $s" | bc)" "$(echo "scale=1; $m / 1024" | bc)"
	done
	# The live heap after each young collection over a full replay: flat = streaming.
	JAVA_OPTS="${JAVA_OPTS:-} -Xlog:gc:file=$T/gc.log" "$MB" replay "$D" > /dev/null 2>&1
	echo "# replay of trace.dat, heap after GC at 10/25/50/75/100% of its collections (-Xlog:gc):" \
		"$(grep -o -- '->[0-9]*M' "$T/gc.log" | tr -d '>-' | awk '{a[NR]=$0} END {
			n=NR; if (n == 0) { print "no GC"; exit }
			split("10 25 50 75 100", p, " "); s=""
			for (i = 1; i <= 5; i++) { k = int(n * p[i] / 100); if (k < 1) k = 1; s = s a[k] " " }
			print s "(" n " collections)" }')"
}
if [ $RSS_ONLY = 1 ]; then
	echo "# mbscope --rss on $(hostname) $(uname -r), $(nproc) CPUs, capture $D"
	echo "# java: $JAVA_CMD"
	rss_table
	exit 0
fi

TRACE=$D/trace.dat
zstd -q -d "$D/perf.data.zst" -o "$T/perf.data"
CTF=
if [ $HAVE_BT = 1 ] && [ $HAVE_PERF = 1 ] &&
	perf data convert --to-ctf "$T/ctf" -i "$T/perf.data" > "$T/ctf.log" 2>&1 && [ -d "$T/ctf" ]; then
	CTF=$T/ctf
fi
ev_tc=$(sed -n 's/^count.TOTAL raw=[0-9]* tc=\([0-9]*\) perf=.*/\1/p' "$D/meta.txt")
ev_perf=$(sed -n 's/^count.TOTAL raw=[0-9]* tc=[0-9]* perf=\([0-9]*\).*/\1/p' "$D/meta.txt")

names=(); evs=(); cmds=()
add() { names+=("$1"); evs+=("$2"); cmds+=("$3"); }
add "mbscope --version" 0 "$MB --version"
add "mbscope stats (v7)" "$ev_tc" "$MB stats $TRACE"
[ $QUICK = 0 ] && add "mbscope stats (perf.data)" "$ev_perf" "$MB stats $T/perf.data"
add "mbscope replay (folder, v7)" "$ev_tc" "$MB replay $D"
[ $QUICK = 0 ] && add "mbscope report (v7)" "$ev_tc" "$MB report --no-svg -o $T/report $D"
[ $HAVE_TC = 1 ] && add "trace-cmd report (v7)" "$ev_tc" "trace-cmd report -i $TRACE"
[ $HAVE_TC = 1 ] && [ $QUICK = 0 ] && add "trace-cmd report -R (v7)" "$ev_tc" "trace-cmd report -R -i $TRACE"
[ $HAVE_PERF = 1 ] && add "perf script" "$ev_perf" "perf script -i $T/perf.data"
[ -n "$CTF" ] && add "babeltrace2 (sink.utils.dummy)" "$ev_perf" "babeltrace2 $CTF -c sink.utils.dummy"
[ -n "$CTF" ] && add "babeltrace2 (text)" "$ev_perf" "babeltrace2 $CTF"

n=${#names[@]}
start=$(date -u +%FT%TZ)
for ((r = 1; r <= RUNS; r++)); do
	for ((i = 0; i < n; i++)); do
		rm -rf "$T/report"
		loadavg >> "$T/load"
		# replay exits 1 when a divergence is unexplained: that is a result, not a failure
		/usr/bin/time -o "$T/t" -f '%e %M %U %S' bash -c "${cmds[$i]} > /dev/null 2> $T/err" || true
		echo "$r $(tail -1 "$T/t")" >> "$T/res.$i"
		[ -s "$T/err" ] && grep -v '^$' "$T/err" | head -2 | sed "s/^/# ${names[$i]}: /" >> "$T/errs"
	done
done
end=$(date -u +%FT%TZ)

echo "# mbscope compare on $(hostname) $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem/ {print $2}') GiB"
echo "# $start .. $end, capture $D, mbscope $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
echo "# java: $("$JAVA_BIN" -version 2>&1 | sed -n 2p)"
echo "# launcher runs: $JAVA_CMD"
echo "# $(trace-cmd --version 2>&1 | grep -i version | head -1 | sed 's/^ *//'); $(perf --version 2>/dev/null); $(babeltrace2 --version 2>/dev/null | head -1)"
echo "# $RUNS interleaved rounds$([ $QUICK = 1 ] && echo ' (--quick)'); first = round 1, median = rounds 2..$RUNS; loadavg (1 min) over the run: $(sort -n "$T/load" | awk '{a[NR]=$1} END {printf "min %s, median %s, max %s", a[1], a[int((NR+1)/2)], a[NR]}')"
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
by = {r[0]: r for r in rows}
ref = by.get("trace-cmd report (v7)")
print(f"{'tool':32} {'events':>9} {'first_s':>8} {'median_s':>9} {'cpu_s':>7} {'events/s':>10} {'peak_MiB':>9} {'vs_tc_wall':>10} {'vs_tc_cpu':>9}")
for name, ev, first, med, cpu, rss in rows:
    eps = f"{ev / med:,.0f}" if ev and med > 0 else "-"
    sp = f"{ref[3] / med:.2f}x" if ref and med > 0 else "-"
    spc = f"{ref[4] / cpu:.2f}x" if ref and cpu > 0 else "-"
    print(f"{name:32} {ev:>9} {first:8.2f} {med:9.2f} {cpu:7.2f} {eps:>10} {rss:9.1f} {sp:>10} {spc:>9}")
print("# vs_tc_* = median(trace-cmd report) / median(tool), wall and user+sys cpu: > 1 is faster")
rp, ps, ver = by.get("mbscope replay (folder, v7)"), by.get("perf script"), by.get("mbscope --version")
def ratio(a, b, k):
    return f"{a[k] / b[k]:.2f}x" if a and b and b[k] > 0 else "n/a"
print("# issue 7 targets (wall medians; cpu in brackets):")
print(f"#   replay vs trace-cmd report  {ratio(ref, rp, 3)} ({ratio(ref, rp, 4)})   target >= 5x")
print(f"#   replay vs perf script       {ratio(ps, rp, 3)} ({ratio(ps, rp, 4)})   target >= 3x")
if ver:
    print(f"#   mbscope --version           {ver[3]:.2f} s ({ver[4]:.2f} s cpu)   target < 0.5 s")
if rp:
    print(f"#   replay peak RSS             {rp[5]:.0f} MiB   target well under 300 MiB, flat in length (--rss)")
PY
[ -f "$T/errs" ] && sort -u "$T/errs" | head -20
exit 0
