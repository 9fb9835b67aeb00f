"""Measure the web app's speed with the reference model and print a table of figures.

    python benchmarks/bench_web.py [--clients 20] [--requests 1500] [--workers 1 2]
                                   [--cache on off] [--seconds 60]

For each server configuration (number of uvicorn worker processes; response cache on or
off) a server is started in a subprocess on a free port of 127.0.0.1 (loopback only) with
the built-in model. Then, for each kind of endpoint, ``--clients`` concurrent clients
(asyncio tasks, each with its own keep-alive HTTP/1.1 connection) send ``--requests``
requests in all, drawn in a fixed shuffled order from that kind's URLs:

- **element**: the HTML page of every actor, instrument, statement and event
  (``/actors/russia`` …) and, one in four, its JSON twin;
- **ask**: ``/ask.json`` for every regulated action asked of its addressee and of other
  actors, in each phase that matters, with and without a chosen reading; one in four as
  the HTML page;
- **other** (shown, no target): the framework at dates, sources with their text,
  procedures, the network.

Each request's latency is measured by the client from sending to the last byte. With the
cache on, the first request for a URL renders it and later ones are served from the cache
(a URL's answer is a pure function of the model); with it off every request renders.
Nothing here is a pass/fail test: the script prints the figures, and whether the targets
(median under 50 ms, 95th percentile under 200 ms, for element pages and ask) are met.
Every loop is bounded in count and in time, and traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

HOST = "127.0.0.1"
TARGET_MEDIAN, TARGET_P95 = 50.0, 200.0

SERVER = """
import uvicorn
uvicorn.run("accord.web.app:app_from_env", factory=True, host={host!r}, port={port},
            workers={workers}, log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def urls() -> dict[str, list[str]]:
    import accord

    m = accord.load()
    rng = random.Random(1)
    element = []
    for kind in ("actors", "instruments", "statements", "events"):
        for eid in getattr(m, kind):
            path = f"/{kind}/{quote(eid)}"
            element.append(path + (".json" if rng.random() < 0.25 else ""))
    phases = [None, *dict.fromkeys(ph.id for p in m.procedures.values() for ph in p.phases)]
    readings = [None] + [f"{d.id}:{r.id}" for d in m.disagreements.values() for r in d.readings]
    actors = sorted(m.actors)
    ask = []
    for s in m.statements.values():
        if not (s.attribute and s.aim):
            continue
        for who in (s.attribute, rng.choice(actors)):
            phase = rng.choice(phases)
            params: list[tuple[str, str]] = [("actor", who), ("action", s.aim)]
            if s.object:
                params.append(("object", s.object))
            params.append(("date", rng.choice(["2001-05-17", "2000-03-01", "2003-06-01"])))
            if phase:
                params.append(("set", f"phase:{phase}"))
            reading = rng.choice(readings)
            if reading:
                params.append(("reading", reading))
            path = "/ask" if rng.random() < 0.25 else "/ask.json"
            ask.append(f"{path}?{urlencode(params)}")
    other = [f"/at?date={y}-0{rng.randint(1, 9)}-15" for y in range(1995, 2010)]
    other += [f"/sources/{s}" for s in m.sources][:12]
    other += [f"/procedures/{p}" for p in m.procedures]
    other += ["/network?date=2001-05-17", "/timeline", "/", "/events", "/statements"]
    return {"element": element, "ask": ask, "other": other}


async def client(
    port: int, queue: list[str], results: list[tuple[float, int]], deadline: float
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while queue and time.monotonic() < deadline:
            path = queue.pop()
            req = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: */*\r\n\r\n"
            t0 = time.perf_counter()
            writer.write(req.encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            results.append(((time.perf_counter() - t0) * 1000, status))
    finally:
        writer.close()


async def load(
    port: int, paths: list[str], clients: int, seconds: float
) -> list[tuple[float, int]]:
    queue = list(reversed(paths))
    results: list[tuple[float, int]] = []
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(port, queue, results, deadline) for _ in range(clients)))
    return results


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def start(workers: int, cache: bool) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "ACCORD_WEB_CACHE": "1024" if cache else "0"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(host=HOST, port=port, workers=workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as s:
                req = f"GET /index.json HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
                s.sendall(req.encode())
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start in 60 s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=1500, help="per kind of endpoint")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--cache", nargs="+", choices=["on", "off"], default=["on", "off"])
    ap.add_argument("--seconds", type=float, default=60, help="time limit per kind")
    args = ap.parse_args()

    sets = urls()
    rng = random.Random(7)
    print(
        f"accord web benchmark — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.clients} concurrent clients, up to {args.requests} "
        f"requests per kind; URLs: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}"
    )
    header = (
        f"{'server':<22}{'kind':<9}{'n':>6}{'err':>5}{'median':>9}{'p95':>9}{'p99':>9}"
        f"{'max':>9}{'req/s':>8}  target"
    )
    print(header)
    print("-" * len(header))
    for workers in args.workers:
        for cache in args.cache:
            proc, port = start(workers, cache == "on")
            label = f"{workers} worker{'s' if workers > 1 else ''}, cache {cache}"
            try:
                for kind, pool in sets.items():
                    paths = [rng.choice(pool) for _ in range(args.requests)]
                    # every URL at least once when the pool allows: the cold misses count
                    paths[: len(pool)] = rng.sample(pool, min(len(pool), args.requests))
                    t0 = time.perf_counter()
                    res = asyncio.run(load(port, paths, args.clients, args.seconds))
                    wall = time.perf_counter() - t0
                    lat = [ms for ms, _ in res]
                    errors = sum(1 for _, st in res if st >= 400)
                    med, p95 = statistics.median(lat), pct(lat, 0.95)
                    ok = (
                        ""
                        if kind == "other"
                        else ("met" if med < TARGET_MEDIAN and p95 < TARGET_P95 else "NOT met")
                    )
                    print(
                        f"{label:<22}{kind:<9}{len(res):>6}{errors:>5}{med:>8.1f}ms{p95:>7.1f}ms"
                        f"{pct(lat, 0.99):>7.1f}ms{max(lat):>7.1f}ms{len(res) / wall:>8.0f}  {ok}"
                    )
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    print(
        f"targets: median < {TARGET_MEDIAN:.0f} ms and p95 < {TARGET_P95:.0f} ms for element "
        "pages and ask, 20 concurrent clients (client and server share this machine's CPUs)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
