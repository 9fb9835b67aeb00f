"""Measure monitoring at scale and print the figures.

    python benchmarks/bench_monitor.py [--events 10000000] [--obligations 1000]
                                       [--years 30] [--seed 1] [--keep DIR]

1. A synthetic model package is written: ``--obligations`` recurring obligations (monthly,
   four times a year, twice a year, once a year), each addressed to its own body, under
   instruments with lifecycles (entry into force, expiry, replacement) and partial and
   whole suspensions; some with ``observed_as`` rules. It is loaded and checked.
2. A synthetic CSV of ``--events`` PLOVER-style events is written by DuckDB (not timed):
   events of 1,200 bodies (the obligations' bodies and bodies no obligation names) over
   ``--years`` years, mostly CONSULT, with a stretch of other categories for every tenth
   body so that some periods are missed; no two events share an id or a date, actors and
   category, so the import's duplicate checks run in full and find nothing.
3. In a fresh subprocess (so that its peak memory is its own): ``EventStore.import_file``
   into a new store file (validation, duplicate checks, commit), then ``monitor`` of every
   obligation against the store and the model. Wall times come from ``perf_counter``; the
   peak resident memory is ``getrusage(RUSAGE_SELF).ru_maxrss`` of that subprocess
   (interpreter, model, DuckDB and results together). DuckDB runs with its default threads
   (one per core) and ``memory_limit`` 1GB.

Targets: import + monitor under 60 s, peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RECURRENCES = ["monthly"] * 2 + ["4 times a year"] * 2 + ["twice a year"] * 4 + ["once a year"] * 2
CATEGORIES = ["AGREE", "SUPPORT", "COOPERATE", "AID", "REQUEST", "REJECT"]


def write_model(root: Path, n: int, years: int, seed: int) -> None:
    rng = random.Random(seed)
    (root / "texts").mkdir(parents=True)
    (root / "texts" / "charter.txt").write_text(
        "The bodies meet as often as the charter says.\n", encoding="utf-8"
    )
    first = 2020 - years
    cite = "{source: charter, at: p1, confidence: inferred}"
    (root / "model.yaml").write_text(
        "id: synthetic-monitor\ntitle: Synthetic monitoring benchmark\n"
        f"default_date: {first + 5}-01-01\n",
        encoding="utf-8",
    )
    (root / "sources.yaml").write_text(
        "- id: charter\n  title: Synthetic charter\n  kind: treaty\n  text: texts/charter.txt\n"
        "  segments: paragraphs\n",
        encoding="utf-8",
    )
    actors = ["- id: alpha\n  name: Alpha\n  kind: state\n  cite: " + cite]
    for k in range(1200):
        actors.append(f"- id: b{k}\n  name: Body {k}\n  kind: body\n  cite: {cite}")
    (root / "actors.yaml").write_text("\n".join(actors) + "\n", encoding="utf-8")
    ins = []
    n_ins = 20
    for j in range(n_ins):
        start = first + rng.randint(0, years // 3)
        end = "open" if j % 3 else f"{start + rng.randint(years // 3, years)}-12-31"
        sus = []
        if j % 4 == 1:
            y = start + rng.randint(1, years // 2)
            sus.append(
                f"    - id: whole-{j}\n      scope: whole\n"
                f"      during: {{from: {y}-03-01, to: {y + 1}-02-28}}\n      cite: {cite}"
            )
        if j % 4 == 2:
            provs = ", ".join(f"s{k}" for k in range(j, n, n_ins * 3))
            y = start + rng.randint(1, years // 2)
            sus.append(
                f"    - id: part-{j}\n      scope: partial\n      provisions: [{provs}]\n"
                f"      during: {{from: {y}-07-01, to: open}}\n      cite: {cite}"
            )
        body = (
            f"- id: i{j}\n  title: Instrument {j}\n  kind: agreement\n"
            f"  in_force: {{from: {start}-01-01, to: {end}}}\n"
        )
        if sus:
            body += "  suspensions:\n" + "\n".join(sus) + "\n"
        ins.append(body + f"  cite: {cite}")
    (root / "instruments.yaml").write_text("\n".join(ins) + "\n", encoding="utf-8")
    st = []
    for k in range(n):
        rec = RECURRENCES[k % len(RECURRENCES)]
        extra = ""
        if k % 25 == 7:
            extra = "  observed_as: {category: [CONSULT, COOPERATE]}\n"
        st.append(
            f"- id: s{k}\n  instrument: i{k % n_ins}\n  text: Body {k} meets ({rec}).\n"
            f"  attribute: b{k if k % 50 != 49 else 1100 + k % 100}\n  deontic: must\n"
            f"  aim: meet\n  recurrence: {rec}\n{extra}  cite: {cite}"
        )
    (root / "statements.yaml").write_text("\n".join(st) + "\n", encoding="utf-8")


def write_events(path: Path, n: int, years: int) -> None:
    import duckdb

    days = int(years * 365.25)
    first = f"{2020 - years}-01-01"
    cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    # event i: body k = i % 1200, the seq-th event of that body, on a day that is a
    # bijection of seq (7919 is prime to the number of days), so no two collide
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          SELECT 'e' || i AS id,
                 strftime(DATE '{first}' + d::INTEGER, '%Y-%m-%d') AS date,
                 'b' || (i % 1200) || ';alpha' AS actors,
                 CASE WHEN i % 3 = 0 THEN 'p' || (i % 89) ELSE '' END AS recipients,
                 -- every fifth event is not a meeting; every tenth body has a stretch of
                 -- two years with nothing that counts (missed periods)
                 CASE WHEN i % 5 = 4 OR ((i % 1200) % 10 = 3 AND d BETWEEN 3000 AND 3730)
                      THEN {cats}[1 + (i % {len(CATEGORIES)})] ELSE 'CONSULT' END AS category,
                 CASE WHEN i % 2 = 0 THEN 'meeting' ELSE '' END AS mode,
                 'b' || (i % 1200) AS body,
                 ['Q', 'P', 'I'][1 + (i % 3)] AS confidence,
                 'synthetic feed' AS source
          FROM (SELECT i, ((i // 1200) * 7919 + (i % 1200) * 31) % {days} AS d
                FROM range({n}) t(i))
        ) TO '{path}' (HEADER)
        """
    )
    con.close()


CHILD = r"""
import json, resource, sys, time
from datetime import date


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


t0, c0 = time.perf_counter(), cpu()
import accord
from accord.monitor import EventStore, monitor
t1, c1 = time.perf_counter(), cpu()
model_dir, csv_path, store_path = sys.argv[1:4]
model = accord.load(model_dir)
t2, c2 = time.perf_counter(), cpu()
with EventStore(store_path) as st:
    res = st.import_file(csv_path)
t3, c3 = time.perf_counter(), cpu()
rep = monitor(model, store=store_path)
t4, c4 = time.perf_counter(), cpu()
statuses = {}
for r in rep.results:
    for p in r.periods:
        statuses[p.status] = statuses.get(p.status, 0) + 1
print(json.dumps({
    "imports": t1 - t0, "load_model": t2 - t1, "import": t3 - t2, "monitor": t4 - t3,
    "cpu_import": c3 - c2, "cpu_monitor": c4 - c3,
    "import_parts": res.timings, "monitor_parts": rep.timings, "rows": res.rows,
    "obligations": len(rep.results), "periods": sum(statuses.values()), "statuses": statuses,
    "record_events": rep.record["events"],
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _load() -> str:
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:  # pragma: no cover - not Linux
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--obligations", type=int, default=1000)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it.")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="accord-bench-monitor-"))
    work.mkdir(parents=True, exist_ok=True)
    model_dir, csv_path, store = work / "model", work / "events.csv", work / "events.duckdb"
    for p in (model_dir,):
        if p.exists():
            shutil.rmtree(p)
    for p in (store, Path(str(store) + ".wal")):
        if p.exists():
            p.unlink()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    t = time.perf_counter()
    write_model(model_dir, args.obligations, args.years, args.seed)
    print(
        f"wrote a model with {args.obligations:,} recurring obligations "
        f"in {time.perf_counter() - t:.1f} s"
    )
    if not csv_path.exists() or args.keep is None:
        t = time.perf_counter()
        write_events(csv_path, args.events, args.years)
        print(
            f"wrote {args.events:,} events ({csv_path.stat().st_size / 1e6:,.0f} MB CSV) "
            f"in {time.perf_counter() - t:.1f} s (not counted)"
        )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    before = _load()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(model_dir), str(csv_path), str(store)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode or '{"imports"' not in proc.stdout:
        print(proc.stdout, proc.stderr)
        sys.exit(1)
    line = [x for x in proc.stdout.splitlines() if x.startswith('{"imports"')][-1]
    r = json.loads(line)
    total = r["import"] + r["monitor"]
    ip, mp = r["import_parts"], r["monitor_parts"]
    rows = [
        (f"load the model ({r['obligations']:,} obligations)", r["load_model"], None, ""),
        (
            f"import {r['rows']:,} events",
            r["import"],
            r["cpu_import"],
            f"append {ip['append']:.1f}, check {ip['check']:.1f}, commit {ip['commit']:.1f}",
        ),
        (
            f"monitor {r['periods']:,} obligation-periods",
            r["monitor"],
            r["cpu_monitor"],
            f"record {mp['record']:.1f}, obligations {mp['obligations']:.1f}, "
            f"match+score {mp['match']:.1f}",
        ),
    ]
    print()
    print(f"{'':<44}{'wall':>9}{'CPU':>9}")
    for label, wall, cpu, parts in rows:
        c = f"{cpu:8.1f}s" if cpu is not None else " " * 9
        print(f"{label:<44}{wall:8.1f}s{c}  {parts}")
    print(
        f"{'import + monitor':<44}{total:8.1f}s{r['cpu_import'] + r['cpu_monitor']:8.1f}s  "
        f"target < 60 s wall: {'met' if total < 60 else 'NOT MET'}"
    )
    print(
        f"{'peak memory of the run (max RSS)':<44}{r['maxrss_mb']:8.0f} MB  target < 2048 MB: "
        f"{'met' if r['maxrss_mb'] < 2048 else 'NOT MET'}"
    )
    print(f"load average (1 min) before / after the run: {before} / {_load()}")
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(r["statuses"].items())))
    print(f"store: {store} ({store.stat().st_size / 1e6:,.0f} MB)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
