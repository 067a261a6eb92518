#!/usr/bin/env python3
"""Writes a small perf.data (file mode) from a real one, complete for mbscope: the header, attrs and
their ids as they are, the COMM/FORK/SAMPLE/FINISHED_ROUND records of the data section up to the N-th
sample, and only the features mbscope reads (TRACING_DATA trimmed to the formats of the samples kept,
OSRELEASE, NRCPUS, CLOCKID). perf itself refuses it (it wants a format for every attr). Little-endian
only. Layout: tools/perf/util/header.c, tools/perf/util/trace-event-info.c."""
import re, struct, sys

KEEP = {1, 4, 7, 23}
# records kept: COMM, FORK (task names), SAMPLE, FINISHED_ROUND; the side-band records for symbols
# (MMAP, ID_INDEX, THREAD_MAP, CPU_MAP, ...) are dropped
RECORDS = {3, 7, 9, 68}

def trim_tracing(t, used):
    """Tracing data: magic, version, endian, long size, page size, header_page, header_event,
    ftrace formats, event systems, kallsyms, printk, saved cmdlines: keep only the used formats."""
    p = 10
    e = t.index(b"\0", p) + 1
    out = bytearray(t[:e + 6]); p = e + 6  # version, endian byte, long size byte, u32 page size
    for _ in range(2):  # header_page, header_event: name\0 u64 size data
        n = t.index(b"\0", p) + 1; sz = struct.unpack_from("<Q", t, n)[0]
        out += t[p:n + 8 + sz]; p = n + 8 + sz
    cnt = struct.unpack_from("<I", t, p)[0]; p += 4; keep = []
    for _ in range(cnt):
        sz = struct.unpack_from("<Q", t, p)[0]; f = t[p + 8:p + 8 + sz]; p += 8 + sz
        if int(re.search(rb"ID: (\d+)", f).group(1)) in used: keep.append(f)
    out += struct.pack("<I", len(keep)) + b"".join(struct.pack("<Q", len(f)) + f for f in keep)
    nsys = struct.unpack_from("<I", t, p)[0]; p += 4; systems = []
    for _ in range(nsys):
        n = t.index(b"\0", p) + 1; name = t[p:n]; c = struct.unpack_from("<I", t, n)[0]; p = n + 4; fs = []
        for _ in range(c):
            sz = struct.unpack_from("<Q", t, p)[0]; f = t[p + 8:p + 8 + sz]; p += 8 + sz
            if int(re.search(rb"ID: (\d+)", f).group(1)) in used: fs.append(f)
        if fs: systems.append((name, fs))
    out += struct.pack("<I", len(systems))
    for name, fs in systems:
        out += name + struct.pack("<I", len(fs)) + b"".join(struct.pack("<Q", len(f)) + f for f in fs)
    out += struct.pack("<I", 0) + struct.pack("<I", 0)  # kallsyms, printk: empty
    sz = struct.unpack_from("<I", t, p)[0]; p += 4 + sz; sz = struct.unpack_from("<I", t, p)[0]; p += 4 + sz
    if p + 8 <= len(t):
        sz = struct.unpack_from("<Q", t, p)[0]; out += t[p:p + 8 + sz]
    out += b"\0" * (-len(out) % 8)
    return bytes(out)

def main(src, dst, samples, pipe_dst=None):
    d = open(src, "rb").read()
    assert d[:8] == b"PERFILE2"
    hs, asz, aoff, asize, doff, dsize = struct.unpack_from("<QQQQQQ", d, 8)
    bits = list(struct.unpack_from("<4Q", d, 72))
    feats = [i for i in range(256) if bits[i // 64] >> (i % 64) & 1]
    table = doff + dsize
    sec = {f: struct.unpack_from("<QQ", d, table + 16 * i) for i, f in enumerate(feats)}
    st = struct.unpack_from("<Q", d, aoff + 24)[0]  # sample_type of the first attr (perf record: all alike)
    assert st & 1024 and not st & 16, "needs RAW samples without READ"
    p, n, used = doff, 0, set()
    while p < doff + dsize and n < samples:
        t, m, s = struct.unpack_from("<IHH", d, p)
        if t == 9:
            n += 1
            q = p + 8 + 8 * sum(1 for b in (1 << 16, 1, 2, 4, 8, 64, 512, 128, 256) if st & b)
            if st & 32:  # CALLCHAIN: u64 nr, then nr u64
                q += 8 + 8 * struct.unpack_from("<Q", d, q)[0]
            used.add(struct.unpack_from("<H", d, q + 4)[0])  # RAW: u32 size, then common_type
        p += s
    data = bytearray()
    q = doff
    while q < p:
        t, m, s = struct.unpack_from("<IHH", d, q)
        if t in RECORDS:
            data += d[q:q + s]
        q += s
    data = bytes(data)
    kept = [f for f in feats if f in KEEP]
    out = bytearray(d[:doff]) + data
    ftab = len(out); out += b"\0" * 16 * len(kept)
    for i, f in enumerate(kept):
        o, s = sec[f]; body = d[o:o + s]
        if f == 1: body = trim_tracing(body, used)
        struct.pack_into("<QQ", out, ftab + 16 * i, len(out), len(body)); out += body
    struct.pack_into("<Q", out, 48, len(data))
    nb = [0, 0, 0, 0]
    for f in kept: nb[f // 64] |= 1 << (f % 64)
    struct.pack_into("<4Q", out, 72, *nb)
    open(dst, "wb").write(out)
    print(len(out), "bytes,", n, "samples, formats", sorted(used))
    if pipe_dst:
        # The same as perf record -o - writes it (tools/perf/util/synthetic-events.c): the 16-byte
        # pipe header, one HEADER_ATTR record per attr (attr then its ids), the features as
        # HEADER_FEATURE records, HEADER_TRACING_DATA (a 12-byte record, then the data padded to 8),
        # then the data records.
        pp = bytearray(b"PERFILE2" + struct.pack("<Q", 16))
        for i in range(asize // asz):
            a = d[aoff + i * asz:aoff + i * asz + asz - 16]
            io_, isz = struct.unpack_from("<QQ", d, aoff + i * asz + asz - 16)
            pp += struct.pack("<IHH", 64, 0, 8 + len(a) + isz) + a + d[io_:io_ + isz]
        tracing = b""
        for i, f in enumerate(kept):
            o, sz = struct.unpack_from("<QQ", out, ftab + 16 * i)
            body = bytes(out[o:o + sz])
            if f == 1:
                tracing = body
                continue
            pp += struct.pack("<IHHQ", 80, 0, 16 + len(body), f) + body
        pp += struct.pack("<IHHI", 66, 0, 12, len(tracing)) + tracing
        pp += data
        open(pipe_dst, "wb").write(pp)
        print(len(pp), "bytes (pipe)")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 20,
         sys.argv[4] if len(sys.argv) > 4 else None)
