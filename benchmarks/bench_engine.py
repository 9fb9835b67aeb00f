"""Measure the engine's speed targets and print a table of figures.

    python benchmarks/bench_engine.py [--actors 10000 --statements 100000 --events 100000]
                                      [--asks 1000] [--seed 1] [--model DIR] [--runs 3]

1. The reference model (``accord.load()``, built in) is loaded and checked in a fresh
   subprocess, ``--runs`` times; the figure is the median wall time of the ``load()`` call
   (the interpreter start and ``import accord`` are shown apart). If the reference model does
   not load yet, the time to find its problems is shown and the test fixture
   ``tests/fixtures/mini`` is measured as well.
2. A synthetic model is generated with ``benchmarks/synth.py`` into a temporary folder (or
   ``--model DIR`` is used as it is), then loaded and checked in a fresh subprocess: wall time
   of ``load_model`` and the peak resident memory of that subprocess
   (``getrusage(RUSAGE_SELF).ru_maxrss`` read by the subprocess as it ends: interpreter,
   imports and the model together). A model this large is read with a worker process
   beside the loading one (``accord.loading.parallel``): its CPU time and peak memory are
   shown too (``RUSAGE_CHILDREN``), with the fastest and slowest run, and, before each load,
   the time of a fixed pure-Python loop, because this machine's speed varies from one
   minute to the next. Then ``accord check`` on it is run as a user would, and timed whole
   (interpreter start, load, the coverage of every text, the report).
3. In another fresh subprocess the synthetic model is loaded and ``--asks`` random questions
   are asked (statements' aims asked of their attribute, an office-holder, a member or
   anyone; random days 1995-2008; situations with phases, contributors, missing facts and
   now and then a chosen reading). Each ``model.ask`` (the Answer is the full explanation:
   every statement considered, why, traces, facts, citations) is timed with
   ``perf_counter``; the first ask, which builds the lazy indexes, is shown apart.

Nothing here is a pass/fail test: the script prints figures and whether the targets are met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402

LOAD_CHILD = r"""
import json, resource, sys, time
# the speed of this machine just now: a fixed pure-Python loop (the host's speed varies)
c0 = time.perf_counter()
n = 0
for i in range(5_000_000):
    n += i
calibration = time.perf_counter() - c0
t0 = time.perf_counter()
import accord
from accord.errors import ModelError
t1 = time.perf_counter()
path = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None
ok, problems = True, 0
c1 = time.process_time()
try:
    model = accord.load_model(path)
except ModelError as err:
    ok, problems = False, len(err.problems)
t2 = time.perf_counter()
worker = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "import": t1 - t0, "load": t2 - t1, "cpu": time.process_time() - c1, "ok": ok,
    "problems": problems, "calibration": calibration,
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "worker_cpu": worker.ru_utime + worker.ru_stime, "worker_maxrss_kb": worker.ru_maxrss,
}))
"""

CHECK_CHILD = r"""
import sys
from accord.cli import main
main(["check", sys.argv[1]])
"""

ASK_CHILD = r"""
import json, random, resource, statistics, sys, time
from datetime import date, timedelta
import accord
from accord.engine.state import holders_at, members_at

path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
model = accord.load_model(path)
load = time.perf_counter() - t0
rng = random.Random(seed)
actors = list(model.actors)
regulative = [s for s in model.statements.values() if s.aim is not None]
aims = sorted({s.aim for s in regulative})
dis = list(model.disagreements.values())
lo = date(1995, 1, 1)

def question():
    day = lo + timedelta(days=rng.randint(0, 14 * 365))
    if rng.random() < 0.7:
        s = rng.choice(regulative)
        aim, r = s.aim, rng.random()
        actor = s.attribute
        if r < 0.35:
            hs = [h for h, _, _ in holders_at(model, s.attribute, day)]
            ms = [m for m, _, _ in members_at(model, s.attribute, day)]
            pool = [a for a in hs + ms if a in model.actors]
            if pool:
                actor = rng.choice(pool)
        elif r < 0.6:
            actor = rng.choice(actors)
        obj = s.object if (s.object in model.actors and rng.random() < 0.5) else None
    else:
        aim, actor, obj = rng.choice(aims), rng.choice(actors), None
    sit = {}
    if rng.random() < 0.85:
        sit["phase"] = rng.choice(["routine", "crisis", "operational"])
    if rng.random() < 0.6:
        sit["contributors"] = rng.sample(actors, rng.randint(0, 6)) + (
            [actor] if rng.random() < 0.4 else []
        )
    if rng.random() < 0.5:
        sit["nato_engaged"] = rng.random() < 0.5
    if rng.random() < 0.3:
        sit["operation"] = {"region": rng.choice(["balkans", "caucasus", "baltic"])}
    reading = None
    if dis and rng.random() < 0.05:
        d = rng.choice(dis)
        reading = {d.id: rng.choice(d.readings).id}
    return actor, aim, obj, day, sit, reading

qs = [question() for _ in range(n + 1)]
times, cpus, verdicts, considered = [], [], {}, []
for i, (actor, aim, obj, day, sit, reading) in enumerate(qs):
    t, c = time.perf_counter(), time.process_time()
    a = model.ask(actor, aim, object=obj, day=day, situation=sit, reading=reading)
    times.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
    verdicts[a.verdict] = verdicts.get(a.verdict, 0) + 1
    considered.append(len(a.applied) + len(a.set_aside))
first, rest = times[0], times[1:]
t = time.perf_counter()
for actor, aim, obj, day, sit, reading in qs[1:]:
    model.ask(actor, aim, object=obj, day=day, situation=sit, reading=reading).to_dict()
dict_mean = (time.perf_counter() - t) / n
q = statistics.quantiles(rest, n=100)
print(json.dumps({
    "load": load, "first": first, "median": statistics.median(rest), "mean": statistics.mean(rest),
    "cpu_median": statistics.median(cpus[1:]),
    "p90": q[89], "p99": q[98], "max": max(rest), "with_dict_mean": dict_mean,
    "verdicts": verdicts, "considered_median": statistics.median(considered[1:]),
    "considered_max": max(considered[1:]),
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def child(code: str, *args: str) -> dict[str, object]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"benchmark subprocess failed ({out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--actors", type=int, default=10_000)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--asks", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="fresh loads of each model")
    ap.add_argument("--model", type=Path, help="an existing synthetic model (no generation)")
    args = ap.parse_args(argv)

    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []

    def row(what: str, value: str, target: str = "", met: bool | None = None) -> None:
        rows.append((what, value, target, "" if met is None else ("yes" if met else "NO")))
        print(f"  {what}: {value}", file=sys.stderr)

    # ---- 1. the reference model --------------------------------------------------------------
    print("measuring the reference model …", file=sys.stderr)
    runs = [child(LOAD_CHILD, "-") for _ in range(args.runs)]
    load = statistics.median(r["load"] for r in runs)  # type: ignore[misc]
    cpu = statistics.median(r["cpu"] for r in runs)  # type: ignore[misc]
    imp = statistics.median(r["import"] for r in runs)  # type: ignore[misc]
    if runs[0]["ok"]:
        row("reference model: accord.load()", f"{ms(load)} (cpu {ms(cpu)})", "< 1 s", load < 1.0)
    else:
        row(
            f"reference model: accord.load() finds {runs[0]['problems']} problems "
            "(does not load yet)",
            ms(load),
            "< 1 s",
            load < 1.0,
        )
        mini = [child(LOAD_CHILD, str(ROOT / "tests/fixtures/mini")) for _ in range(args.runs)]
        mload = statistics.median(r["load"] for r in mini)  # type: ignore[misc]
        row("fixture tests/fixtures/mini: load_model()", ms(mload), "< 1 s", mload < 1.0)
    row("  import accord (not part of the target)", ms(imp))

    # ---- 2. the synthetic model --------------------------------------------------------------
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.model is None:
        tmp = tempfile.TemporaryDirectory(prefix="accord-synth-")
        path = Path(tmp.name) / "synth"
        print(f"generating {path} …", file=sys.stderr)
        t = time.perf_counter()
        counts = generate(
            path,
            actors=args.actors,
            statements=args.statements,
            events=args.events,
            seed=args.seed,
        )
        notes.append(
            f"synthetic model ({time.perf_counter() - t:.1f} s to generate): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
        )
    else:
        path = args.model
        notes.append(f"synthetic model: {path} (given)")
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    notes[-1] += f"; {size / 1e6:.0f} MB on disk"
    try:
        print("loading the synthetic model …", file=sys.stderr)
        loads = [child(LOAD_CHILD, str(path)) for _ in range(args.runs)]
        if not loads[0]["ok"]:
            raise SystemExit(f"the synthetic model has {loads[0]['problems']} problems")
        sload = statistics.median(r["load"] for r in loads)  # type: ignore[misc]
        scpu = statistics.median(r["cpu"] for r in loads)  # type: ignore[misc]
        rss = max(r["maxrss_kb"] for r in loads) / 1024 / 1024  # type: ignore[operator]
        row(
            "synthetic model: load_model() (load + check)",
            f"{ms(sload)} (cpu {ms(scpu)})",
            "< 10 s",
            sload < 10,
        )
        row(
            "  load: fastest / slowest run",
            f"{ms(min(r['load'] for r in loads))} / {ms(max(r['load'] for r in loads))}",  # type: ignore[type-var]
        )
        wcpu = statistics.median(r["worker_cpu"] for r in loads)  # type: ignore[misc]
        wrss = max(r["worker_maxrss_kb"] for r in loads) / 1024 / 1024  # type: ignore[operator]
        row("  the worker process beside it: cpu, peak RSS", f"{ms(wcpu)}, {wrss:.2f} GB")
        cal = sorted(r["calibration"] for r in loads)  # type: ignore[type-var]
        row(
            "  this machine's speed: 5M-step Python loop",
            f"{ms(statistics.median(cal))} (runs {ms(cal[0])}–{ms(cal[-1])})",
        )
        row("synthetic model: peak RSS of the loading process", f"{rss:.2f} GB", "< 2 GB", rss < 2)
        # what a user runs: the whole command, interpreter start to the last line printed
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHECK_CHILD, str(path)], capture_output=True, cwd=ROOT
        )
        row(
            "  `accord check` on it, the whole command",
            f"{ms(time.perf_counter() - t)} (exit {done.returncode})",
        )

        print(f"asking {args.asks} questions …", file=sys.stderr)
        a = child(ASK_CHILD, str(path), str(args.asks), str(args.seed))
        row(
            "ask with full explanation, median",
            f"{ms(a['median'])} (cpu {ms(a['cpu_median'])})",  # type: ignore[arg-type]
            "< 5 ms",
            a["median"] < 0.005,  # type: ignore[operator]
        )
        row(
            "  ask: mean / p90 / p99 / max",
            " / ".join(ms(a[k]) for k in ("mean", "p90", "p99", "max")),
        )  # type: ignore[arg-type]
        row("  ask: first (builds the lazy indexes)", ms(a["first"]))  # type: ignore[arg-type]
        row("  ask + Answer.to_dict(), mean", ms(a["with_dict_mean"]))  # type: ignore[arg-type]
        notes.append(
            f"asks: statements considered per ask median {a['considered_median']}, max "
            f"{a['considered_max']}; verdicts {a['verdicts']}"
        )
    finally:
        if tmp is not None:
            tmp.cleanup()

    # ---- the table ---------------------------------------------------------------------------
    head = ("what", "value", "target", "met?")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print(
        f"accord engine benchmark — {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
    )
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(line)
    for n in notes:
        print(n)
    print(
        f"how: every figure comes from a fresh `python` subprocess; loads are the median of "
        f"{args.runs} runs (wall time of the load call, after `import accord`; the process's "
        "CPU time beside it, less sensitive to other load on the machine); peak RSS is "
        "getrusage(RUSAGE_SELF).ru_maxrss of the loading subprocess (max over runs); a large "
        "model is read with a worker process beside it (its CPU and peak from RUSAGE_CHILDREN); "
        "the loop before each load shows how fast the machine was just then; asks are "
        "timed one by one with perf_counter after the model is loaded."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
