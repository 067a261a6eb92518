#!/usr/bin/env python3
"""Regenerates the bad-file corpora and their README.md tables:
  parsers/src/test/resources/bad/          (traces, run through `mbscope stats` by BadFilesTest)
  allocator-replay/src/test/resources/bad/ (fs state inputs, loaded by BadFsInputsTest)
from the small fuzz seeds (fuzz/src/test/resources/...: run make-seeds.sh first).
Each row says what is wrong and the exit code the CLI must give: 3 corrupt, 4 unsupported.
The expected codes are written here from the format rules, not from what the readers do."""
import os, struct, subprocess, zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEEDS = os.path.join(ROOT, "fuzz/src/test/resources/io/mbscope/fuzz")
BAD = os.path.join(ROOT, "parsers/src/test/resources/bad")
BADFS = os.path.join(ROOT, "allocator-replay/src/test/resources/bad")
rows, fsrows = [], []

def seed(rel):
    return open(os.path.join(SEEDS, rel), "rb").read()

def base(name):
    """The larger complete seeds (fuzz/seeds/base/, written by make-seeds.sh) the cuts are made from."""
    return open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "base", name), "rb").read()

def put(name, data, code, why, table=rows, folder=BAD):
    open(os.path.join(folder, name), "wb").write(data)
    table.append((name, code, why))

def patch(d, off, fmt, *v):
    b = bytearray(d); struct.pack_into(fmt, b, off, *v); return bytes(b)

# ---- trace.dat v6: a complete 73 KiB file, cut at every section boundary -------------------------
v6 = base("v6-small-7.3.4-4k")
le = "<"
def v6_bounds(d):
    p = 18; b = {}
    for name in (b"header_page\0", b"header_event\0"):
        b[name[:-1].decode()] = p
        p += len(name); n = struct.unpack_from(le + "Q", d, p)[0]; p += 8 + n
    b["ftrace formats count"] = p
    cnt = struct.unpack_from(le + "I", d, p)[0]; p += 4
    b["first ftrace format"] = p
    for _ in range(cnt):
        n = struct.unpack_from(le + "Q", d, p)[0]; p += 8 + n
    b["event systems count"] = p
    ns = struct.unpack_from(le + "I", d, p)[0]; p += 4
    for _ in range(ns):
        p = d.index(b"\0", p) + 1; c = struct.unpack_from(le + "I", d, p)[0]; p += 4
        for _ in range(c):
            n = struct.unpack_from(le + "Q", d, p)[0]; p += 8 + n
    b["kallsyms size"] = p; p += 4 + struct.unpack_from(le + "I", d, p)[0]
    b["printk size"] = p; p += 4 + struct.unpack_from(le + "I", d, p)[0]
    b["cmdlines size"] = p; p += 8 + struct.unpack_from(le + "Q", d, p)[0]
    b["cpu count"] = p; p += 4
    b["options tag"] = p; p += 10
    while True:
        oid = struct.unpack_from(le + "H", d, p)[0]; p += 2
        if oid == 0: break
        p += 4 + struct.unpack_from(le + "I", d, p)[0]
    b["flyrecord tag"] = p; p += 10
    b["cpu table"] = p
    return b
b6 = v6_bounds(v6)
put("v6-cut-in-magic.dat", v6[:8], 4,
    "trace.dat cut inside its magic: the first bytes are no known format (binary, not text)")
put("v6-cut-after-magic.dat", v6[:10], 3, "trace.dat v6 cut right after the magic: no version string")
for name, off in b6.items():
    slug = name.replace(" ", "-").replace("_", "-")
    put("v6-cut-at-%s.dat" % slug, v6[:off], 3,
        "trace.dat v6 cut at the section boundary before the %s (offset %d)" % (name, off))
cpu0_off, cpu0_size = struct.unpack_from(le + "QQ", v6, b6["cpu table"])
put("v6-cut-mid-page.dat", v6[:cpu0_off + 100], 3,
    "trace.dat v6 cut 100 bytes into CPU 0's first ring-buffer page (interrupted recording): "
    "--lenient reads the events before the cut")
put("v6-header-page-size-huge.dat", patch(v6, 18 + 12, le + "Q", 1 << 62), 3,
    "header_page section size 2^62, past the end of the file")
put("v6-ftrace-count-huge.dat", patch(v6, b6["ftrace formats count"], le + "I", 0xffffffff), 3,
    "ftrace format count 2^32-1: more formats than bytes left")
put("v6-ftrace-format-size-negative.dat", patch(v6, b6["first ftrace format"], le + "q", -8), 3,
    "first ftrace format's size is -8 as a signed 64-bit number")
put("v6-kallsyms-past-end.dat", patch(v6, b6["kallsyms size"], le + "I", 0x7ffffff0), 3,
    "kallsyms size 2 GiB, past the end of the file")
put("v6-cpu-count-huge.dat", patch(v6, b6["cpu count"], le + "I", 0x40000000), 3,
    "CPU count 2^30: more per-CPU table entries than bytes left")
put("v6-cpu-data-past-end.dat", patch(v6, b6["cpu table"] + 8, le + "Q", 1 << 40), 3,
    "CPU 0's data size 1 TiB, past the end of the file")
put("v6-cpu-data-offset-negative.dat", patch(v6, b6["cpu table"], le + "q", -4096), 3,
    "CPU 0's data offset is negative")
put("v6-endian-marker-2.dat", patch(v6, 12, "B", 2), 3,
    "byte-order marker 2: only 0 (little) and 1 (big endian) exist")
put("v6-long-size-3.dat", patch(v6, 13, "B", 3), 3, "kernel long size 3: only 4 and 8 exist")
put("v6-page-size-zero.dat", patch(v6, 14, le + "I", 0), 3, "page size 0")
put("v6-version-9.dat", v6[:10] + b"9\0" + v6[12:], 4, "file version 9: only 6 and 7 are read")
put("v6-version-not-a-number.dat", v6[:10] + b"x\0" + v6[12:], 4,
    "version string 'x' (trace-cmd writes the version as text): an unknown version")

# ---- trace.dat v7 (zstd): option chain, compressed sections ---------------------------------------
v7 = base("v7-small-zstd")
p = 18; comp_at = p; p = v7.index(b"\0", p) + 1; p = v7.index(b"\0", p) + 1
opt_ptr = p; first_opts = struct.unpack_from("<Q", v7, p)[0]
def options(d, sec):
    size = struct.unpack_from("<Q", d, sec + 8)[0]; p = sec + 16; out = []
    while p < sec + 16 + size:
        oid, osz = struct.unpack_from("<HI", d, p); out.append((p, oid, osz)); p += 6 + osz
        if oid == 0: break
    return out
done = [o for o in options(v7, first_opts) if o[1] == 0][0]
sections = []
q = opt_ptr + 8
while q < first_opts:
    sid, flags, _, size = struct.unpack_from("<HHIQ", v7, q); sections.append((q, sid, flags, size)); q += 16 + size
fmt_sec = [s for s in sections if s[1] == 18][0]      # EVENT_FORMATS, zstd-compressed
put("v7-cut-after-header.dat", v7[:opt_ptr + 8], 3, "trace.dat v7 cut after the file header: the options it points to are missing")
put("v7-cut-mid-options.dat", v7[:first_opts + 40], 3, "trace.dat v7 cut inside the first options section")
put("v7-cut-mid-compressed-section.dat", v7[:fmt_sec[0] + 100], 3,
    "trace.dat v7 cut inside the compressed event-formats section")
put("v7-cut-mid-cpu-data.dat", v7[:len(v7) - 300], 3,
    "trace.dat v7 cut 300 bytes before its end, inside CPU 1's compressed data (interrupted recording)")
last_opts = struct.unpack_from("<Q", v7, [o for o in options(v7, struct.unpack_from("<Q", v7, done[0] + 6)[0])
                                          if o[1] == 0][0][0] + 6)[0]
put("v7-interrupted-options-lost.dat", v7[:last_opts], 3,
    "trace.dat v7 cut where trace-cmd writes the options section after the data (interrupted recording: the "
    "BUFFER option with the CPU table is lost, the data is whole); --lenient reads every event")
put("v7-options-loop.dat", patch(v7, done[0] + 6, "<Q", first_opts), 3,
    "the last option of the first options section points back to that same section: a loop in the option chain")
put("v7-options-offset-past-end.dat", patch(v7, opt_ptr, "<Q", 1 << 40), 3, "options offset 1 TiB, past the end of the file")
put("v7-section-inflates-more.dat", patch(v7, fmt_sec[0] + 20, "<I", 100), 3,
    "event-formats section declares 100 uncompressed bytes; its zstd data inflates to %d" %
    struct.unpack_from("<I", v7, fmt_sec[0] + 20)[0])
put("v7-section-declares-4gib.dat", patch(v7, fmt_sec[0] + 20, "<I", 0xfffffff0), 3,
    "event-formats section declares 4 GiB uncompressed (more than any cap) for 5 KiB of zstd")
put("v7-section-compressed-size-past-end.dat", patch(v7, fmt_sec[0] + 16, "<I", 0x7ffffff0), 3,
    "event-formats section's compressed size 2 GiB, past the section and the file")
# a real zip bomb: 1 GiB of zeros in a few KiB of zstd, declared honestly as 1 GiB
bomb = subprocess.run(["zstd", "-19", "-c"], input=b"\0" * (1 << 30), capture_output=True, check=True).stdout
sec = fmt_sec[0]
newsec = struct.pack("<HHIQ", 18, fmt_sec[2], struct.unpack_from("<I", v7, sec + 4)[0], 8 + len(bomb)) \
    + struct.pack("<II", len(bomb), 1 << 30) + bomb
put("v7-zip-bomb.dat", v7[:sec] + newsec + v7[sec + 16 + fmt_sec[3]:], 3,
    "event-formats section replaced by %d bytes of zstd that inflate to 1 GiB (declared): ratio %d:1, "
    "must be refused by the size cap before inflating" % (len(bomb), (1 << 30) // len(bomb)))
compname = v7[comp_at:v7.index(b"\0", comp_at)]
put("v7-compressor-lzma.dat", v7[:comp_at] + b"lzma" + v7[comp_at + len(compname):], 4,
    "compression 'lzma' (trace-cmd knows only zstd and zlib)")
put("v7-endian-marker-7.dat", patch(v7, 12, "B", 7), 3, "byte-order marker 7")

# ---- perf.data -------------------------------------------------------------------------------------
pf = seed("PerfFuzzTestInputs/file/head-32768")
pp = seed("PerfFuzzTestInputs/pipe/head-32768")
put("perf-file-cut-in-header.data", pf[:64], 3, "perf.data cut inside its 104-byte file header")
put("perf-file-attr-size-zero.data", patch(pf, 16, "<Q", 0), 3, "perf_file_header.attr_size 0")
put("perf-file-attrs-past-end.data", patch(pf, 32, "<Q", 1 << 40), 3, "attrs section size 1 TiB, past the end")
put("perf-file-data-past-end.data", patch(pf, 48, "<Q", 1 << 40), 3, "data section size 1 TiB, past the end")
put("perf-file-data-offset-negative.data", patch(pf, 40, "<q", -64), 3, "data section offset negative")
put("perf-file-header-size-200.data", patch(pf, 8, "<Q", 200), 4,
    "file header size 200: not the 104 bytes of the format mbscope reads (a future perf_file_header)")
put("perf-version-1.data", b"PERFFILE" + pf[8:], 4, "magic PERFFILE (perf's version 1 format, long gone)")
first = struct.unpack_from("<HHH", pp, 16 + 4)      # pipe: 16-byte header, then records
put("perf-pipe-record-size-zero.data", patch(pp, 16 + 6, "<H", 0), 3,
    "first record of a pipe-mode stream has size 0 (a reader that trusts it loops forever)")
put("perf-pipe-record-size-short.data", patch(pp, 16 + 6, "<H", 4), 3,
    "first record's size 4 is smaller than a perf_event_header (8)")
put("perf-pipe-cut-mid-record.data", pp[:16 + struct.unpack_from("<H", pp, 16 + 6)[0] + 5], 3,
    "pipe-mode stream cut 5 bytes into its second record")

# ---- other inputs ----------------------------------------------------------------------------------
put("garbage.bin", bytes((i * 131 + 7) & 0xff for i in range(4096)), 4, "4 KiB of binary noise: no known format")
put("zstd-corrupt.dat.zst", subprocess.run(["zstd", "-c"], input=v6, capture_output=True, check=True).stdout[:600]
    + b"\xff" * 64, 3, "zstd-compressed trace.dat whose frame breaks off into garbage after 600 bytes")

with open(os.path.join(BAD, "README.md"), "w") as f:
    f.write("# Bad traces\n\nGenerated by `fuzz/seeds/make-bad.py` from the fuzz seeds (real captures cut down).\n"
            "`BadFilesTest` (module fuzz) runs each through `mbscope stats FILE` and asserts the exit code below,\n"
            "exactly one stderr line naming the file and a byte offset, no stack trace, and an end within 20 s.\n\n"
            "| file | exit | what is wrong |\n| --- | --- | --- |\n")
    for n, c, w in rows:
        f.write("| %s | %d | %s |\n" % (n, c, w))

# ---- file system state -------------------------------------------------------------------------------
img = seed("FsStateFuzzTestInputs/image/ext4-64k")
put("image-zeros.img", b"\0" * 65536, 3, "64 KiB of zeros: no ext4 superblock magic", fsrows, BADFS)
put("image-xfs.img", b"XFSB" + b"\0" * 65532, 3, "an XFS superblock magic at offset 0, nothing at 1024", fsrows, BADFS)
put("image-cut-in-superblock.img", img[:1024 + 100], 3, "ext4 image cut inside its superblock", fsrows, BADFS)
put("image-log-block-size-huge.img", patch(img, 1024 + 24, "<I", 40), 3,
    "s_log_block_size 40 (blocks of 2^50 bytes)", fsrows, BADFS)
put("image-blocks-per-group-zero.img", patch(img, 1024 + 32, "<I", 0), 3, "s_blocks_per_group 0", fsrows, BADFS)
put("image-cut-after-superblock.img", img[:2048], 3,
    "ext4 image cut after its superblock: group descriptors and bitmaps missing", fsrows, BADFS)
xfs_info = ("meta-data=/dev/sdb               isize=512    agcount=4, agsize=65536 blks\n"
            "         =                       sectsz=512   attr=2, projid32bit=1\n"
            "data     =                       bsize=4096   blocks=262144, imaxpct=25\n"
            "naming   =version 2              bsize=4096   ascii-ci=0, ftype=1\n"
            "log      =internal log           bsize=4096   blocks=16384, version=2\n")
put("dumpe2fs-xfs-info.txt", xfs_info.encode(), 3, "xfs_info output given as dumpe2fs output", fsrows, BADFS)
put("dumpe2fs-empty.txt", b"", 3, "an empty file", fsrows, BADFS)
d2 = seed("FsStateFuzzTestInputs/dumpe2fs/6.18.44-1k").decode()
put("dumpe2fs-cut-before-groups.txt", d2[:d2.index("Group 0")].encode(), 3,
    "dumpe2fs output cut before its first group", fsrows, BADFS)
put("dumpe2fs-block-count-huge.txt", __import__("re").sub(r"Block count: +\d+", "Block count:              99999999999999999999999", d2).encode(), 3,
    "Block count larger than 2^64", fsrows, BADFS)
with open(os.path.join(BADFS, "README.md"), "w") as f:
    f.write("# Bad file system state inputs\n\nGenerated by `fuzz/seeds/make-bad.py`. `BadFsInputsTest` (module fuzz) loads\n"
            "each (images with FsStateLoader.fromImage, the rest with fromDumpe2fs) and asserts a\n"
            "TraceFormatException naming the file and an offset (line for text), within 20 s. Exit 3 = corrupt.\n\n"
            "| file | exit | what is wrong |\n| --- | --- | --- |\n")
    for n, c, w in fsrows:
        f.write("| %s | %d | %s |\n" % (n, c, w))
print(len(rows), "traces,", len(fsrows), "fs inputs")
