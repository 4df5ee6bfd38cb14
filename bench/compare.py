#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (C) 2026 famfs contributors
"""bench/compare.py A.json B.json [--tol 0.01] - do two `make bench` runs agree?

For every run (kernel/mode) and figure present in both reports (bench/results/report.json of
each run), the relative difference of the median famfs/raw ratios, |A - B| / B, and the largest
per mode. Exit status 1 when the largest icount difference exceeds --tol (default 1 %): icount
ratios are instruction-count ratios and must repeat; plain-TCG ones move with the host's load
and are shown for information only. Python 3 standard library only.
"""
import json
import sys


def figures(js):
    out = {}
    for key, g in js["runs"].items():
        for fk, f in g["figures"].items():
            out[(key, fk)] = f["ratio"]["median"]
        cp = g.get("cp")
        if cp and cp.get("ratio_same_work"):
            out[(key, "cp-same-work")] = cp["ratio_same_work"]["median"]
    return out


def compare(a, b, tol=0.01):
    """{"max": {mode: {...}}, "figures": [...]} for report.py: A = this run, B = the other"""
    fa, fb = figures(a), figures(b)
    rows, worst = [], {}
    for k in sorted(set(fa) & set(fb)):
        d = abs(fa[k] - fb[k]) / fb[k]
        mode = k[0].rsplit("/", 1)[1]
        rows.append({"run": k[0], "figure": k[1], "a": fa[k], "b": fb[k], "rel_diff": d})
        n = worst.get(mode, {}).get("n", 0) + 1
        if d >= worst.get(mode, {}).get("rel_diff", -1):
            worst[mode] = dict(rows[-1])
        worst[mode]["n"] = n
    m = b.get("meta", {})
    return {"tolerance": tol, "max": worst, "figures": rows,
            "other": {"date": m.get("date", "?"), "commit": m.get("commit", "?"), "dirty": m.get("dirty")}}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--tol")]
    tol = 0.01
    for a in sys.argv[1:]:
        if a.startswith("--tol="):
            tol = float(a.split("=", 1)[1])
    if len(args) != 2:
        sys.exit(__doc__)
    with open(args[0]) as f:
        a = json.load(f)
    with open(args[1]) as f:
        b = json.load(f)
    fa, fb = figures(a), figures(b)
    for name, js in (("A", a), ("B", b)):
        m = js.get("meta", {})
        print(f"{name}: {m.get('date', '?')} commit {m.get('commit', '?')[:12]}{' (uncommitted tree)' if m.get('dirty') else ''}")
    print(f"{'run':<34} {'figure':<14} {'A':>8} {'B':>8} {'|A-B|/B':>9}")
    worst = {}
    for k in sorted(set(fa) & set(fb)):
        d = abs(fa[k] - fb[k]) / fb[k]
        mode = k[0].rsplit("/", 1)[1]
        if d > worst.get(mode, (-1, None))[0]:
            worst[mode] = (d, k)
        print(f"{k[0]:<34} {k[1]:<14} {fa[k]:8.4f} {fb[k]:8.4f} {d * 100:8.3f}%")
    only = sorted(set(fa) ^ set(fb))
    if only:
        print("in one report only: " + ", ".join(f"{k[0]} {k[1]}" for k in only))
    rc = 0
    for mode, (d, k) in sorted(worst.items()):
        bad = mode == "icount" and d > tol
        rc |= bad
        print(f"max {mode}: {d * 100:.3f}% ({k[0]} {k[1]})"
              + (f"  {'FAIL' if bad else 'ok'} (tolerance {tol * 100:g}%)" if mode == "icount" else "  (plain TCG: information only)"))
    if "icount" not in worst:
        print("no icount figures in common")
        rc = 1
    sys.exit(rc)


if __name__ == "__main__":
    main()
