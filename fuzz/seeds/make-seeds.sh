#!/usr/bin/env bash
# Regenerates the fuzz seeds under fuzz/src/test/resources/ from the real captures in
# sample-traces/. Seeds are kept small (a fuzzer mutates faster on small inputs): the first bytes
# of each binary file, the first lines of each text file. Needs zstd, perf and mke2fs.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=sample-traces
R=fuzz/src/test/resources/io/mbscope/fuzz
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
d() { mkdir -p "$R/$1"; echo "$R/$1"; }

# trace.dat: a real v6 trimmed to the formats of the events it holds and one ring-buffer page per CPU,
# shrunk to 1 KiB pages (the records that fit, commit lowered to match; complete and readable by
# trace-cmd report), converted by trace-cmd to v7 with zstd and without compression. Small seeds make
# the fuzzer fast: ~23 KiB (v6) and ~7 KiB (v7 zstd) instead of 73/18 KiB, ~10 formats per open.
# The larger base seeds (ext4/iomap/syscalls formats, 4 KiB pages) are what make-bad.py cuts up.
zstd -dcq $S/7.3.4-4k/trace-v6.dat.zst -o "$tmp/v6.dat"
B=fuzz/seeds/base; mkdir -p $B
python3 fuzz/seeds/trim_v6.py "$tmp/v6.dat" "$B/v6-small-7.3.4-4k" 1 > /dev/null
trace-cmd convert -i "$B/v6-small-7.3.4-4k" -o "$B/v7-small-zstd" --file-version 7 --compression zstd >/dev/null 2>&1
o=$(d TraceDatFuzzTestInputs/v6)
python3 fuzz/seeds/trim_v6.py "$tmp/v6.dat" "$o/mini-7.3.4-4k" 1 1024 used > /dev/null
o7=$(d TraceDatFuzzTestInputs/v7)
trace-cmd convert -i "$o/mini-7.3.4-4k" -o "$o7/mini-zstd" --file-version 7 --compression zstd >/dev/null 2>&1
trace-cmd convert -i "$o/mini-7.3.4-4k" -o "$o7/mini-none" --file-version 7 --compression none >/dev/null 2>&1

o=$(d PerfFuzzTestInputs/file)
zstd -dc $S/7.3.4-4k/perf.data.zst > "$tmp/perf.data"
for n in 4096 32768; do head -c $n "$tmp/perf.data" > "$o/head-$n"; done
o=$(d PerfFuzzTestInputs/pipe)
perf inject -i "$tmp/perf.data" -o - 2>/dev/null > "$tmp/perf.pipe" || true
for n in 4096 32768; do head -c $n "$tmp/perf.pipe" > "$o/head-$n"; done
# complete and small: the first 20 samples with their COMM/FORK records and the formats they use
python3 fuzz/seeds/mini_perf.py "$tmp/perf.data" "$(d PerfFuzzTestInputs/file)/mini-20-samples" 20 \
    "$(d PerfFuzzTestInputs/pipe)/mini-20-samples" > /dev/null

o=$(d TextFuzzTestInputs/report); zstd -dc $S/7.3.4-4k/report.txt.zst | head -40 > "$o/head-40" || true
o=$(d TextFuzzTestInputs/ftrace); zstd -dc $S/7.3.4-4k/trace.txt.zst | head -40 > "$o/head-40" || true
o=$(d TextFuzzTestInputs/perfScript); zstd -dc $S/7.3.4-4k/perf-script.txt.zst | head -40 > "$o/head-40" || true

o=$(d FormatFileFuzzTestInputs/formatFile)
cp $S/7.3.4-4k/formats/header_page "$o/header_page" 2>/dev/null || true
for e in ext4_mballoc_alloc ext4_request_blocks ext4_free_blocks ext4_mb_new_inode_pa ext4_allocate_blocks; do
  cp $S/7.3.4-4k/formats/ext4/$e/format "$o/$e"
done

o=$(d FsStateFuzzTestInputs/dumpe2fs); cp $S/6.18.44-1k/dumpe2fs-before.txt "$o/6.18.44-1k"
o=$(d FsStateFuzzTestInputs/meta); cp $S/7.3.4-4k/meta.txt "$o/7.3.4-4k"
o=$(d FsStateFuzzTestInputs/image)
# the smallest ext4 mke2fs makes: 1k blocks, one group, flex_bg, metadata_csum
mke2fs -q -F -t ext4 -b 1024 -N 16 -O ^has_journal,^resize_inode -E root_owner=0:0 "$tmp/img" 64 >/dev/null
cp "$tmp/img" "$o/ext4-64k"
