"""Sweep benchmark (issue 4): vectorised sweep against the one-at-a-time runner, and a
million variants of the reference crisis scenario. Prints figures; asserts nothing.

Run: python benchmarks/bench_sweep.py [--million-only]

How it is measured: wall-clock time (time.perf_counter) in this process for the
one-at-a-time comparison; the million-variant sweep runs in a fresh subprocess whose peak
resident memory is read from getrusage(RUSAGE_CHILDREN).ru_maxrss.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

VARY = [
    "russia_interest=uniform(0,1)",
    "russia_leverage=normal(0.5,0.2)",
    "nato_engaged=choice(true,false,false,false)",
    "eu_inclination=uniform(0,1)",
]

CHILD = """
import json, sys, time
import accord
from accord.loading.overlays import load_scenario
from accord.procedures.sweep import parse_vary, sweep
t0 = time.perf_counter()
model = accord.load()
sc = load_scenario(model, "crisis-behaviour")
vary = dict(parse_vary(v) for v in %r)
t1 = time.perf_counter()
res = sweep(model, sc, vary, %d, seed=1)
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "sweep_s": t2 - t1, "n": res.n,
                  "partitions": res.counts.partitions, "asks": res.counts.asks,
                  "share": res.shares()["russia_takes_part"]["share"]}))
"""


def one_at_a_time(n: int) -> tuple[float, float]:
    import accord
    from accord.loading.overlays import load_scenario
    from accord.procedures.runner import run_scenario
    from accord.procedures.sweep import parse_vary, sweep, variant

    model = accord.load()
    sc = load_scenario(model, "crisis-behaviour")
    vary = dict(parse_vary(v) for v in VARY)
    t0 = time.perf_counter()
    for i in range(n):
        run_scenario(model, sc, situation=variant(vary, n, 3, i))
    loop = (time.perf_counter() - t0) / n
    big = 200_000
    t0 = time.perf_counter()
    sweep(model, sc, vary, big, seed=3)
    vec = (time.perf_counter() - t0) / big
    return loop, vec


def million(n: int = 1_000_000) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD % (VARY, n)], capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout)
    data["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return data


def main() -> None:
    rows = []
    if "--million-only" not in sys.argv:
        loop, vec = one_at_a_time(300)
        rows.append(("one-at-a-time run, per scenario", f"{loop * 1e3:.2f} ms", "", ""))
        rows.append(("vectorised sweep, per scenario", f"{vec * 1e6:.2f} µs", "", ""))
        speed = loop / vec
        rows.append(
            ("sweep speed-up over run", f"{speed:,.0f}×", "≥ 50×", "yes" if speed >= 50 else "NO")
        )
    m = million()
    rows.append(
        (
            "1,000,000 variants: sweep time",
            f"{m['sweep_s']:.2f} s",
            "< 30 s",
            "yes" if m["sweep_s"] < 30 else "NO",
        )
    )
    rows.append(
        (
            "1,000,000 variants: peak memory",
            f"{m['peak_rss_mb']:.0f} MB",
            "< 2048 MB",
            "yes" if m["peak_rss_mb"] < 2048 else "NO",
        )
    )
    rows.append(("  (partitions / model asks)", f"{m['partitions']} / {m['asks']}", "", ""))
    w = max(len(r[0]) for r in rows)
    print(f"{'what':<{w}}  {'value':>14}  {'target':>10}  met")
    for what, value, target, met in rows:
        print(f"{what:<{w}}  {value:>14}  {target:>10}  {met}")


if __name__ == "__main__":
    main()
