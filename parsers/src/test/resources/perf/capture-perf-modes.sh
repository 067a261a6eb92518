#!/bin/sh
# Captures the perf-modes sample: the same ext4 allocator workload recorded at the same time by
# four `perf record` instances writing (1) a normal perf.data file, (2) pipe mode (`-o -`),
# (3) a zstd-compressed perf.data (`-z`, PERF_RECORD_COMPRESSED records) and (4) a compressed pipe
# (`-z -o -`), so the reader's file, pipe and compressed paths can be checked against each other and
# against `perf script`.
# Root needed (loop device, mount, system-wide tracepoints). Usage: capture-perf-modes.sh OUTDIR
set -eu
OUT=${1:?usage: $0 OUTDIR}
mkdir -p "$OUT"
IMG=$(mktemp /tmp/perfmodes-img.XXXXXX)
MNT=$(mktemp -d /tmp/perfmodes-mnt.XXXXXX)
truncate -s 64M "$IMG"
mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$IMG"
DEV=$(losetup -f --show "$IMG")
MINOR=$(stat -c %T "$DEV"); MINOR=$((0x$MINOR))
KDEV=$(( (7 << 20) | MINOR ))
mount "$DEV" "$MNT"
set --
for ev in ext4_request_blocks ext4_allocate_blocks ext4_mballoc_alloc ext4_mballoc_prealloc \
          ext4_mballoc_discard ext4_mballoc_free ext4_free_blocks ext4_mb_new_inode_pa \
          ext4_mb_new_group_pa ext4_mb_release_inode_pa ext4_discard_preallocations \
          ext4_ext_map_blocks_enter ext4_ext_map_blocks_exit ext4_fallocate_enter ext4_unlink_enter; do
	set -- "$@" -e "ext4:$ev" --filter "dev == $KDEV"
done
echo "perf record -a -k mono $* -o perf.data | -o - | -z -o perf-z.data | -z -o -" > "$OUT/perf-cmdline.txt"
perf record -q -a -k mono "$@" -o "$OUT/perf.data" 2> "$OUT/perf-file.log" & P1=$!
perf record -q -a -k mono "$@" -o - 2> "$OUT/perf-pipe.log" > "$OUT/perf-pipe.data" & P2=$!
perf record -q -a -k mono -z "$@" -o "$OUT/perf-z.data" 2> "$OUT/perf-z.log" & P3=$!
perf record -q -a -k mono -z "$@" -o - 2> "$OUT/perf-zpipe.log" > "$OUT/perf-zpipe.data" & P4=$!
sleep 3
i=0
while [ $i -lt 40 ]; do
	dd if=/dev/zero of="$MNT/d$i" bs=4k count=$((i % 7 + 1)) oflag=direct status=none
	fallocate -l $(( (i % 5 + 1) * 65536 )) "$MNT/fa$i"
	head -c $(( (i % 9 + 1) * 3000 )) /dev/zero > "$MNT/s$i"
	i=$((i + 1))
done
sync
rm -f "$MNT"/d1* "$MNT"/fa2* "$MNT"/s3*
sync
sleep 1
kill -INT $P1 $P2 $P3 $P4
wait $P1 $P2 $P3 $P4 || true
umount "$MNT"
losetup -d "$DEV"
rm -f "$IMG"; rmdir "$MNT"
perf script -i "$OUT/perf.data" > "$OUT/perf-script.txt" 2> /dev/null
perf script -i "$OUT/perf-z.data" > "$OUT/perf-z-script.txt" 2> /dev/null
perf script -i - < "$OUT/perf-pipe.data" > "$OUT/perf-pipe-script.txt" 2> /dev/null
perf script -i - < "$OUT/perf-zpipe.data" > "$OUT/perf-zpipe-script.txt" 2> /dev/null
uname -r > "$OUT/kernel.txt"; perf --version >> "$OUT/kernel.txt"
