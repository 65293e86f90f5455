#!/usr/bin/env python3
"""Turns the JMH JSON of benchmarks/run-writers.sh into a Markdown table (writers.md) and an SVG plot (writers.svg).

Usage: python3 benchmarks/plot-writers.py DIRECTORY   (reads DIRECTORY/writers-t*.json and machine.txt)

Standard library only. Ratios are eskit / hand-written (SimpleJdbc) in the same run, higher is better; for CPU the
ratio is hand-written CPU per command / eskit CPU per command.
"""
import glob
import json
import math
import os
import sys

SIDES = [("eskitWriters", "eskit, group commit, no state cache", "#1f77b4"),
         ("eskitWritersNoGroup", "eskit, no group commit, no state cache", "#9ecae1"),
         ("eskitWritersCached", "eskit as it comes (no option set)", "#2ca02c"),
         ("simpleWriters", "hand-written JDBC (SimpleJdbc)", "#d62728")]
DBS = [("sqlite", "SQLite"), ("postgres", "PostgreSQL")]


def load(directory):
    rows = {}
    for path in sorted(glob.glob(os.path.join(directory, "writers-t*.json"))):
        with open(path) as f:
            for result in json.load(f):
                method = result["benchmark"].rsplit(".", 1)[1]
                db = result.get("params", {}).get("db", "?")
                primary = result["primaryMetric"]
                score = primary.get("scorePercentiles", {}).get("50.0", primary["score"])
                secondary = result.get("secondaryMetrics", {})

                def metric(name):
                    value = secondary.get(name, {}).get("score")
                    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
                rows[(db, method, result["threads"])] = {
                    "score": score,
                    "cpu": metric("cpu.ns/op"),
                    "process": metric("cpu.process.ns/op"),
                    "machine": metric("cpu.machine.ns/op"),
                }
    return rows


def us(nanos):
    return "" if nanos is None else f"{nanos / 1000:,.0f}"


def ratio(a, b):
    return "" if not a or not b else f"{a / b:.2f}"


def table(rows):
    lines = ["| db | writers | eskit cmd/s | no group | default | hand-written | ratio | ratio (no group) "
             "| ratio (default) | CPU µs/cmd JVM eskit / default / hand | CPU µs/cmd machine eskit / default / hand "
             "| CPU ratio (machine) | CPU ratio (machine, default) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for db, name in DBS:
        for threads in sorted({t for (d, _, t) in rows if d == db}):
            eskit = rows.get((db, "eskitWriters", threads), {})
            nogroup = rows.get((db, "eskitWritersNoGroup", threads), {})
            cached = rows.get((db, "eskitWritersCached", threads), {})
            simple = rows.get((db, "simpleWriters", threads), {})
            lines.append(
                f"| {name} | {threads} | {eskit.get('score', 0):,.0f} | {nogroup.get('score', 0):,.0f} "
                f"| {cached.get('score', 0):,.0f} "
                f"| {simple.get('score', 0):,.0f} | {ratio(eskit.get('score'), simple.get('score'))} "
                f"| {ratio(nogroup.get('score'), simple.get('score'))} "
                f"| {ratio(cached.get('score'), simple.get('score'))} "
                f"| {us(eskit.get('process'))} / {us(cached.get('process'))} / {us(simple.get('process'))} "
                f"| {us(eskit.get('machine'))} / {us(cached.get('machine'))} / {us(simple.get('machine'))} "
                f"| {ratio(simple.get('machine'), eskit.get('machine'))} "
                f"| {ratio(simple.get('machine'), cached.get('machine'))} |")
    return "\n".join(lines) + "\n"


def svg(rows, subtitle):
    width, height, margin = 980, 430, 60
    panel = (width - 3 * margin) / 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">Commands per second by concurrent '
           f'writers (load, fold, decide, append one event)</text>',
           f'<text x="{width / 2}" y="38" text-anchor="middle" fill="#555">{escape(subtitle)}</text>']
    for index, (db, name) in enumerate(DBS):
        x0 = margin + index * (panel + margin)
        y0, y1 = 60, height - 70
        threads = sorted({t for (d, _, t) in rows if d == db})
        if not threads:
            continue
        top = max(rows[k]["score"] for k in rows if k[0] == db) * 1.1
        top = nice(top)
        lo, hi = math.log2(min(threads)), math.log2(max(threads)) or 1

        def px(t):
            return x0 + (math.log2(t) - lo) / ((hi - lo) or 1) * panel

        def py(v):
            return y1 - v / top * (y1 - y0)
        out.append(f'<text x="{x0 + panel / 2}" y="{y0 - 6}" text-anchor="middle" font-size="14">{name}</text>')
        out.append(f'<line x1="{x0}" y1="{y1}" x2="{x0 + panel}" y2="{y1}" stroke="black"/>')
        out.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="black"/>')
        for step in range(6):
            v = top * step / 5
            out.append(f'<line x1="{x0}" y1="{py(v)}" x2="{x0 + panel}" y2="{py(v)}" stroke="#eee"/>')
            out.append(f'<text x="{x0 - 5}" y="{py(v) + 4}" text-anchor="end">{v:,.0f}</text>')
        for t in threads:
            out.append(f'<text x="{px(t)}" y="{y1 + 16}" text-anchor="middle">{t}</text>')
        out.append(f'<text x="{x0 + panel / 2}" y="{y1 + 34}" text-anchor="middle">concurrent writers</text>')
        for method, label, color in SIDES:
            points = [(px(t), py(rows[(db, method, t)]["score"])) for t in threads if (db, method, t) in rows]
            if not points:
                continue
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                       + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
            for x, y in points:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
    for i, (_, label, color) in enumerate(SIDES):
        x = margin + i * 225
        out.append(f'<rect x="{x}" y="{height - 22}" width="14" height="4" fill="{color}"/>')
        out.append(f'<text x="{x + 20}" y="{height - 16}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def nice(value):
    magnitude = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: plot-writers.py DIRECTORY")
    directory = sys.argv[1]
    rows = load(directory)
    if not rows:
        sys.exit(f"no writers-t*.json in {directory}")
    subtitle = ""
    machine = os.path.join(directory, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            subtitle = "; ".join(line.strip() for line in f if line.strip())
    markdown = table(rows)
    with open(os.path.join(directory, "writers.md"), "w") as f:
        f.write(subtitle + "\n\n" + markdown)
    with open(os.path.join(directory, "writers.svg"), "w") as f:
        f.write(svg(rows, subtitle))
    print(subtitle)
    print()
    print(markdown)
    print(f"wrote {os.path.join(directory, 'writers.md')} and {os.path.join(directory, 'writers.svg')}")


if __name__ == "__main__":
    main()
