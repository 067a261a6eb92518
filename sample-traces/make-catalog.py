#!/usr/bin/env python3
"""Regenerates sample-traces/catalog.json from the files of each capture folder.

Sources (independent of mbscope's own parsers): meta.txt (kernel, device, mkfs/mount
options, tracer versions), *-cmdline.txt (exact tracer command lines), trace-stats.txt
(ring-buffer overrun/dropped = lost events), and report.txt.zst (trace-cmd's own text
output) for the event counts per type. Run: python3 sample-traces/make-catalog.py
"""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.abspath(__file__))
line_re = re.compile(r"\s\[\d+\]\s+\d+\.\d+:\s+([A-Za-z0-9_]+):")

def meta(folder):
    m = {}
    with open(os.path.join(folder, "meta.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            # some lines hold several key=value pairs separated by spaces (device=... majmin=...)
            if "=" in line:
                k, v = line.split("=", 1)
                m.setdefault(k, v)
    return m

def counts(folder):
    out = subprocess.run(["zstd", "-dc", os.path.join(folder, "report.txt.zst")],
                         check=True, capture_output=True, text=True).stdout
    c = {}
    for line in out.splitlines():
        mm = line_re.search(line)
        if mm:
            c[mm.group(1)] = c.get(mm.group(1), 0) + 1
    return dict(sorted(c.items()))

def lost(folder):
    total = 0
    with open(os.path.join(folder, "trace-stats.txt")) as f:
        for line in f:
            mm = re.match(r"(overrun|dropped events):\s*(\d+)", line)
            if mm:
                total += int(mm.group(2))
    return total

def read(folder, name):
    p = os.path.join(folder, name)
    return open(p).read().strip() if os.path.exists(p) else None

def source(name, m):
    """Provenance: the nine lab captures were copied from ../shared/traces; later ones were made
    with copies of the lab scripts (meta.txt captured_by= says which and how)."""
    if "captured_by" in m:
        return "captured into sample-traces/" + name + " on " + m.get("date_utc", "?") + " by " + m["captured_by"]
    return "../shared/traces/" + name + " (captured by shared/lab/run-scenario.sh)"

entries = []
for name in sorted(os.listdir(root)):
    folder = os.path.join(root, name)
    if not os.path.isfile(os.path.join(folder, "meta.txt")):
        continue
    m = meta(folder)
    dev = re.search(r"majmin=(\d+):(\d+)", open(os.path.join(folder, "meta.txt")).read())
    c = counts(folder)
    entries.append({
        "folder": name,
        "kernel": m.get("uname_r"),
        "device": m.get("device", "").split(" ")[0],
        "dev_major": int(dev.group(1)), "dev_minor": int(dev.group(2)),
        "mkfs_options": m.get("mkfs_opts"),
        "mount_options": m.get("mount_opts"),
        "trace_cmd_version": m.get("trace_cmd"),
        "perf_version": m.get("perf"),
        "trace_cmd_command": read(folder, "trace-cmd-cmdline.txt"),
        "perf_command": read(folder, "perf-cmdline.txt"),
        "files": sorted(f for f in os.listdir(folder) if f != "formats"),
        "lost_events": lost(folder),
        "events_total": sum(c.values()),
        "counts": c,
        "source": source(name, m),
    })
    # held-out captures (session 2, helper "capture") record what differs from the lab's defaults
    for key, mk in (("sysfs_changed_after_mount", "sysfs_changed_after_mount"),
                    ("loop_image_size", "loop_image_size"), ("debian_packages", "debian_packages"),
                    ("captured_by", "captured_by")):
        if m.get(mk):
            entries[-1][key] = m[mk].split(" loop_dev=")[0] if mk == "loop_image_size" else m[mk].strip()

with open(os.path.join(root, "catalog.json"), "w") as f:
    json.dump({"generated_by": "sample-traces/make-catalog.py", "captures": entries}, f, indent=1)
    f.write("\n")
print("wrote", len(entries), "captures")
