#!/usr/bin/env python3
"""Writes a small but complete trace.dat v6 from a real one: only the ext4 event system's formats,
no kallsyms/printk, and at most PAGES ring-buffer pages per CPU. Also prints the offset of every
section boundary (used by make-bad.py to cut the file there). Layout from trace-cmd.dat(5), v6."""
import json, re, struct, sys

def main(src, dst, pages=1, systems=("ext4", "iomap", "syscalls")):
    d = open(src, "rb").read()
    assert d[:10] == b"\x17\x08Dtracing" and d[10:12] == b"6\x00", "not a v6 trace.dat"
    le = d[12] == 0
    E = "<" if le else ">"
    page = struct.unpack_from(E + "I", d, 14)[0]
    out = bytearray(d[:18]); p = 18
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
    out += struct.pack(E + "I", cnt)
    for _ in range(cnt):
        n = struct.unpack(E + "Q", take(8))[0]; out += struct.pack(E + "Q", n) + take(n)
    bounds["event systems"] = len(out)
    nsys = struct.unpack(E + "I", take(4))[0]
    kept = []
    for _ in range(nsys):
        name = cstr(); c = struct.unpack(E + "I", take(4))[0]
        fmts = []
        for _ in range(c):
            n = struct.unpack(E + "Q", take(8))[0]; fmts.append(take(n))
        if name[:-1].decode() in systems:
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
    off = (len(out) + page - 1) // page * page
    out += b"\0" * (off - len(out))
    for i, (o, s) in enumerate(cpu):
        s2 = min(s, pages * page)
        bounds["cpu%d data" % i] = len(out)
        struct.pack_into(E + "QQ", out, table + 16 * i, len(out), s2)
        out += d[o:o + s2]
    bounds["end"] = len(out)
    open(dst, "wb").write(out)
    print(json.dumps(bounds))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
