#!/usr/bin/env python3
"""Writes a small but complete trace.dat v6 from a real one: only the ext4 event system's formats,
no kallsyms/printk, and at most PAGES ring-buffer pages per CPU. Also prints the offset of every
section boundary (used by make-bad.py to cut the file there). Layout from trace-cmd.dat(5), v6."""
import json, re, struct, sys

def walk_page(pg, E):
    """(end of each record, common_type of each data record) of one ring-buffer page (kernel/trace/ring_buffer.c)."""
    commit = struct.unpack_from(E + "Q", pg, 8)[0] & ((1 << 27) - 1)
    p, end, ends, ids = 16, 16 + commit, [], []
    while p + 4 <= end:
        w = struct.unpack_from(E + "I", pg, p)[0]
        tl, delta = (w & 0x1f, w >> 5) if E == "<" else (w >> 27, w & 0x7ffffff)
        if 1 <= tl <= 28:
            ids.append(struct.unpack_from(E + "H", pg, p + 4)[0]); p += 4 + 4 * tl
        elif tl == 0:
            n = struct.unpack_from(E + "I", pg, p + 4)[0] - 4
            ids.append(struct.unpack_from(E + "H", pg, p + 8)[0]); p += 8 + ((n + 3) & ~3)
        elif tl == 29:
            if delta == 0:
                break
            p += 4 + struct.unpack_from(E + "I", pg, p + 4)[0]
        else:
            p += 8
        ends.append(p)
    return ends, ids

def shrink_page(pg, E, size):
    """The page cut to the records that fit in a page of `size` bytes, its commit lowered to match."""
    ends, _ = walk_page(pg, E)
    keep = max([e for e in ends if e <= size] or [16])
    out = bytearray(pg[:keep]) + b"\0" * (size - keep)
    flags = struct.unpack_from(E + "Q", pg, 8)[0] & ~((1 << 27) - 1)
    struct.pack_into(E + "Q", out, 8, flags | (keep - 16))
    return bytes(out)

def main(src, dst, pages=1, systems=("ext4", "iomap", "syscalls"), page_size=None, used_only=False):
    d = open(src, "rb").read()
    assert d[:10] == b"\x17\x08Dtracing" and d[10:12] == b"6\x00", "not a v6 trace.dat"
    le = d[12] == 0
    E = "<" if le else ">"
    page = struct.unpack_from(E + "I", d, 14)[0]
    out = bytearray(d[:18]); p = 18
    if page_size:
        struct.pack_into(E + "I", out, 14, page_size)
    used = used_ids(d, E, page, pages) if used_only else None
    bounds = {"file header": 0, "header_page": 18}
    def take(n):
        nonlocal p
        b = d[p:p + n]; p += n; return b
    def cstr():
        nonlocal p
        e = d.index(b"\0", p); s = d[p:e + 1]; p = e + 1; return s
    for name in (b"header_page\0", b"header_event\0"):
        assert take(len(name)) == name
        n = struct.unpack(E + "Q", take(8))[0]
        out += name + struct.pack(E + "Q", n) + take(n)
    bounds["ftrace formats"] = len(out)
    cnt = struct.unpack(E + "I", take(4))[0]
    ftrace = []
    for _ in range(cnt):
        n = struct.unpack(E + "Q", take(8))[0]; ftrace.append(take(n))
    if used is not None:
        ftrace = [f for f in ftrace if int(re.search(rb"ID: (\d+)", f).group(1)) in used]
    out += struct.pack(E + "I", len(ftrace))
    for f in ftrace:
        out += struct.pack(E + "Q", len(f)) + f
    bounds["event systems"] = len(out)
    nsys = struct.unpack(E + "I", take(4))[0]
    kept = []
    for _ in range(nsys):
        name = cstr(); c = struct.unpack(E + "I", take(4))[0]
        fmts = []
        for _ in range(c):
            n = struct.unpack(E + "Q", take(8))[0]; fmts.append(take(n))
        if used is not None:
            fmts = [f for f in fmts if int(re.search(rb"ID: (\d+)", f).group(1)) in used]
            if fmts:
                kept.append((name, fmts))
        elif name[:-1].decode() in systems:
            if name == b"syscalls\0":
                # ~700 formats, of which mbscope types a handful: keep those, so a fuzzer's
                # executions are not spent parsing the rest
                fmts = [f for f in fmts if re.search(rb"name: sys_(enter|exit)_(pwrite|fallocate|unlink)", f)]
            kept.append((name, fmts))
    out += struct.pack(E + "I", len(kept))
    for name, fmts in kept:
        out += name + struct.pack(E + "I", len(fmts))
        for f in fmts:
            out += struct.pack(E + "Q", len(f)) + f
    bounds["kallsyms"] = len(out)
    n = struct.unpack(E + "I", take(4))[0]; take(n); out += struct.pack(E + "I", 0)
    bounds["printk"] = len(out)
    n = struct.unpack(E + "I", take(4))[0]; take(n); out += struct.pack(E + "I", 0)
    bounds["cmdlines"] = len(out)
    n = struct.unpack(E + "Q", take(8))[0]; out += struct.pack(E + "Q", n) + take(n)
    bounds["cpu count"] = len(out)
    cpus = struct.unpack(E + "I", take(4))[0]; out += struct.pack(E + "I", cpus)
    tag = take(10)
    instance = None
    if tag == b"options  \0":
        bounds["options"] = len(out)
        out += tag
        instance = None
        while True:
            oid = struct.unpack(E + "H", take(2))[0]
            if oid == 0:
                out += struct.pack(E + "H", oid)
                break
            n = struct.unpack(E + "I", take(4))[0]
            data = take(n)
            if oid == 3 and instance is None:
                instance = struct.unpack_from(E + "Q", data, 0)[0]
            if oid == 3:  # BUFFER: an instance's own flyrecord elsewhere in the file; not kept
                continue
            out += struct.pack(E + "H", oid) + struct.pack(E + "I", n) + data
        tag = take(10)
    assert tag == b"flyrecord\0", tag
    bounds["flyrecord"] = len(out)
    out += tag
    cpu = [struct.unpack(E + "QQ", take(16)) for _ in range(cpus)]
    if all(sz == 0 for _, sz in cpu) and instance is not None:
        # trace-cmd record -B: the events are in the instance; make its pages the top-level ones
        q = instance + 10
        cpu = [struct.unpack_from(E + "QQ", d, q + 16 * i) for i in range(cpus)]
    table = len(out); out += b"\0" * 16 * cpus
    psize = page_size or page
    off = (len(out) + psize - 1) // psize * psize
    out += b"\0" * (off - len(out))
    for i, (o, s) in enumerate(cpu):
        s2 = min(s, pages * page)
        bounds["cpu%d data" % i] = len(out)
        data = d[o:o + s2]
        if page_size:
            data = b"".join(shrink_page(data[k:k + page], E, page_size) for k in range(0, len(data), page))
        struct.pack_into(E + "QQ", out, table + 16 * i, len(out), len(data))
        out += data
    bounds["end"] = len(out)
    open(dst, "wb").write(out)
    print(json.dumps(bounds))

def used_ids(d, E, page, pages):
    """common_type ids of the records in the first `pages` pages of every CPU (top level or instance)."""
    import io
    ids = set()
    # find the flyrecord CPU table the same way main() does, on a throwaway copy
    tmp = io.StringIO()
    old = sys.stdout; sys.stdout = tmp
    try:
        cpus = cpu_table(d, E)
    finally:
        sys.stdout = old
    for o, s in cpus:
        for k in range(0, min(s, pages * page), page):
            ids.update(walk_page(d[o + k:o + k + page], E)[1])
    return ids

def cpu_table(d, E):
    """(offset, size) per CPU of the data main() keeps, found by walking the sections."""
    p = 18
    def u(fmt, at):
        return struct.unpack_from(E + fmt, d, at)[0]
    for name in (b"header_page\0", b"header_event\0"):
        p += len(name); p += 8 + u("Q", p)
    cnt = u("I", p); p += 4
    for _ in range(cnt):
        p += 8 + u("Q", p)
    nsys = u("I", p); p += 4
    for _ in range(nsys):
        p = d.index(b"\0", p) + 1; c = u("I", p); p += 4
        for _ in range(c):
            p += 8 + u("Q", p)
    p += 4 + u("I", p); p += 4 + u("I", p); p += 8 + u("Q", p)
    cpus = u("I", p); p += 4
    tag = d[p:p + 10]; p += 10
    instance = None
    if tag == b"options  \0":
        while True:
            oid = u("H", p); p += 2
            if oid == 0:
                break
            n = u("I", p); p += 4
            if oid == 3 and instance is None:
                instance = u("Q", p)
            p += n
        p += 10
    cpu = [struct.unpack_from(E + "QQ", d, p + 16 * i) for i in range(cpus)]
    if all(sz == 0 for _, sz in cpu) and instance is not None:
        cpu = [struct.unpack_from(E + "QQ", d, instance + 10 + 16 * i) for i in range(cpus)]
    return cpu

if __name__ == "__main__":
    a = sys.argv
    main(a[1], a[2], int(a[3]) if len(a) > 3 else 1,
         page_size=int(a[4]) if len(a) > 4 and int(a[4]) else None, used_only=len(a) > 5 and a[5] == "used")
