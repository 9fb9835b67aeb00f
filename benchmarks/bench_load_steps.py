"""Where the load of a large model spends its time: CPU seconds per step, both processes.

    python benchmarks/bench_load_steps.py MODEL_DIR [--runs 3] [--one-process]

Each run is a fresh ``python`` subprocess that loads ``MODEL_DIR`` once with
``accord.load_model``. Inside it, the steps of the loading process are wrapped to add up
their ``time.process_time``: reading its share of the YAML, validating (pydantic),
gathering citations and sending quotes, taking in the worker's values (``marshal``),
compiling conditions, collecting ids, reading the texts. The worker's CPU time is
``getrusage(RUSAGE_CHILDREN)`` once it has ended; the minor page faults of the loading
process come from ``getrusage(RUSAGE_SELF)``. Jobs given to the worker are not wrapped
(a wrapped job could not be sent to it). The figures printed are the medians over runs.

``--one-process`` loads without the worker, for comparison.

Generate a model first, e.g. ``python benchmarks/synth.py /tmp/syn --actors 10000
--statements 100000 --events 100000 --seed 1``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, marshal, resource, sys, time
from collections import Counter
import accord
from accord.conditions import parser as conditions
from accord.loading import checks, package, parallel, yamlsrc

spent = Counter()

def timed(owner, name, label):
    f = getattr(owner, name)
    def wrapper(*args, **kwargs):
        c = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - c
    setattr(owner, name, wrapper)

if sys.argv[2] == "one":
    parallel.can_fork = lambda: False
timed(yamlsrc, "parse_yaml_text", "YAML read here")
timed(package, "validate_elements", "validation (pydantic)")
timed(checks.Cited, "add", "gathering citations, sending quotes")
timed(checks.Cited, "quote_problems", "quote results (checked here if no worker)")
timed(checks, "compile_condition", "conditions")
timed(checks._Checker, "collect_ids", "ids")
timed(package, "_texts", "source texts")

class Marshal:  # the worker's values, taken in
    dumps = staticmethod(marshal.dumps)
    @staticmethod
    def loads(data):
        c = time.process_time()
        try:
            return marshal.loads(data)
        finally:
            spent["worker's values taken in (marshal)"] += time.process_time() - c
yamlsrc.marshal = Marshal

faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
t, c = time.perf_counter(), time.process_time()
accord.load_model(sys.argv[1])
wall, cpu = time.perf_counter() - t, time.process_time() - c
worker = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "wall": wall, "cpu": cpu, "steps": dict(spent),
    "worker_cpu": worker.ru_utime + worker.ru_stime,
    "faults": resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults,
}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one-process", action="store_true", help="load without the worker")
    args = ap.parse_args(argv)
    mode = "one" if args.one_process else "two"
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.model), mode],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            return 1
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))

    def med(get: object) -> float:
        return statistics.median(get(r) for r in runs)  # type: ignore[operator]

    print(
        f"load of {args.model} ({'without' if mode == 'one' else 'with'} the worker), "
        f"medians of {args.runs} runs"
    )
    print(f"  wall {med(lambda r: r['wall']):.2f} s")
    print(
        f"  loading process: cpu {med(lambda r: r['cpu']):.2f} s, "
        f"{med(lambda r: r['faults']):,.0f} minor page faults"
    )
    steps = sorted({k for r in runs for k in r["steps"]})
    named = 0.0
    for k in sorted(steps, key=lambda k: -med(lambda r, k=k: r["steps"].get(k, 0.0))):
        v = med(lambda r, k=k: r["steps"].get(k, 0.0))
        named += v
        print(f"    {k:<45} {v:6.2f} s")
    print(
        f"    {'the rest (files, references, tables …)':<45} "
        f"{med(lambda r: r['cpu']) - named:6.2f} s"
    )
    if mode == "two":
        print(
            f"  worker: cpu {med(lambda r: r['worker_cpu']):.2f} s "
            "(its share of the YAML with marshal, then the quotes)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
