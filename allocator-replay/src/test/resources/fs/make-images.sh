#!/bin/sh
# Regenerates the small ext4 images of this folder (e2fsprogs 1.47.0, Debian bookworm) and the
# dumpe2fs output of each. Layouts the corpus lacks: many groups, no flex_bg, meta_bg,
# sparse_super2, crc16 group checksums with 32-byte descriptors, bigalloc on 1 KiB blocks,
# no sparse_super, 64 KiB blocks, metadata_csum_seed. A few files are written with debugfs so the
# free space has holes; libext2fs then clears BLOCK_UNINIT where it allocated.
set -e
cd "$(dirname "$0")"
seq 1 50000 > /tmp/mbscope-blob
mk() {
    name=$1; size=$2; shift 2
    rm -f "$name.img"; truncate -s "$size" "$name.img"
    mke2fs -q -F -t ext4 -E nodiscard "$@" "$name.img" >/dev/null
    printf 'write /tmp/mbscope-blob a\nwrite /tmp/mbscope-blob b\nwrite /tmp/mbscope-blob c\nmkdir d\nwrite /tmp/mbscope-blob d/e\nrm b\n' \
        | debugfs -w -f - "$name.img" >/dev/null 2>&1
    e2fsck -fn "$name.img" >/dev/null
    dumpe2fs "$name.img" > "$name.dumpe2fs.txt" 2>/dev/null
    zstd -q -19 -f --rm "$name.img" -o "$name.img.zst"
}
mk flex1k 32M -b 1024 -g 1024
mk noflex1k 32M -b 1024 -g 1024 -O ^flex_bg
mk metabg1k 32M -b 1024 -g 1024 -O meta_bg,^resize_inode
mk sparse2 64M -b 4096 -g 4096 -O sparse_super2 -E num_backup_sb=2
mk gdtcsum32 32M -b 1024 -g 1024 -O ^metadata_csum,uninit_bg,^64bit
mk bigalloc1k 64M -b 1024 -O bigalloc -C 4096 -g 2048
mk nosparse2k 32M -b 2048 -g 2048 -O ^sparse_super,^resize_inode
mk block64k 128M -b 65536
mk csumseed 32M -b 4096 -g 2048 -O metadata_csum_seed
