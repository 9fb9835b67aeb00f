"""Sweeps: run many variants of a scenario at once, as arrays, in chunks.

Variants differ in the facts being varied (drawn from distributions). The sweep keeps the
variants that share a discrete state — phase, lists such as contributors, rules already
fired — together as one *partition* of index arrays, so that

- behaviour rules are evaluated for a whole partition at once (numpy, three-valued);
- the model is asked once per partition (per distinct value of any varied fact the
  relevant statements read), never once per variant;
- outcomes are counted with array operations.

The number of Python iterations therefore grows with the number of distinct states, not
with the number of variants. Work is cut into chunks, each with its own seed drawn from
one :class:`numpy.random.SeedSequence`, so a sweep can be spread over machines and still
give the same numbers. The one-at-a-time :func:`~accord.procedures.runner.run_scenario`
gives the same outcome for every variant; a test checks this on random samples.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.conditions.vector import T, U, evaluate_many
from accord.engine.state import ModelWorld
from accord.errors import AccordError
from accord.model.procedures import Procedure, Scenario
from accord.procedures.runner import allowed, apply_effect, model_condition, next_phase

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["Distribution", "SweepResult", "parse_vary", "sample_columns", "sweep", "sweep_chunk"]


@dataclass(frozen=True)
class Distribution:
    kind: str  # uniform | normal | choice | fixed
    params: tuple[Any, ...]

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        if self.kind == "uniform":
            return rng.uniform(float(self.params[0]), float(self.params[1]), n)
        if self.kind == "normal":
            return rng.normal(float(self.params[0]), float(self.params[1]), n)
        if self.kind == "choice":
            return np.asarray(self.params)[rng.integers(0, len(self.params), n)]
        return np.full(n, self.params[0])

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(map(str, self.params))})"


def _atom(text: str) -> Any:
    t = text.strip().strip("'\"")
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        return float(t) if "." in t else int(t)
    except ValueError:
        return t


def parse_vary(spec: str) -> tuple[str, Distribution]:
    """``NAME=uniform(0,1)``, ``normal(0.5,0.1)``, ``choice(a,b,c)`` or a fixed value.

    >>> parse_vary("russia_interest=uniform(0, 1)")
    ('russia_interest', Distribution(kind='uniform', params=(0, 1)))
    >>> parse_vary("region=choice(balkans, caucasus)")[1].params
    ('balkans', 'caucasus')
    """
    name, eq, rest = spec.partition("=")
    if not eq or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name.strip()):
        raise AccordError(f"--vary takes NAME=DISTRIBUTION, got {spec!r}")
    m = re.fullmatch(r"\s*(uniform|normal|choice)\s*\((.*)\)\s*", rest)
    if not m:
        return name.strip(), Distribution("fixed", (_atom(rest),))
    args = tuple(_atom(a) for a in m.group(2).split(",") if a.strip())
    kind = m.group(1)
    if kind in ("uniform", "normal") and (
        len(args) != 2 or not all(isinstance(a, int | float) for a in args)
    ):
        raise AccordError(f"{kind}() takes two numbers, got {m.group(2)!r}")
    if kind == "choice" and not args:
        raise AccordError("choice() needs at least one value")
    if kind == "normal" and float(args[1]) < 0:
        raise AccordError("normal(mu, sigma) needs sigma >= 0")
    return name.strip(), Distribution(kind, args)


def sample_columns(
    vary: Mapping[str, Distribution], n: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    return {name: d.sample(n, rng) for name, d in vary.items()}


@dataclass
class _Part:
    facts: dict[str, Any]
    idx: np.ndarray
    fired: frozenset[str]
    steps: int
    violations: int


@dataclass
class ChunkCounts:
    n: int = 0
    outcomes: dict[str, list[int]] = field(default_factory=dict)  # name -> [true, false, unk]
    phases: Counter[str] = field(default_factory=Counter)
    with_violation: int = 0
    partitions: int = 0
    asks: int = 0

    def add(self, other: ChunkCounts) -> None:
        self.n += other.n
        for k, v in other.outcomes.items():
            cur = self.outcomes.setdefault(k, [0, 0, 0])
            for i in range(3):
                cur[i] += v[i]
        self.phases.update(other.phases)
        self.with_violation += other.with_violation
        self.partitions += other.partitions
        self.asks += other.asks


def _value(x: Any) -> Any:
    return x.item() if hasattr(x, "item") else x


class _Runner:
    def __init__(
        self,
        model: Model,
        scenario: Scenario,
        columns: Mapping[str, np.ndarray],
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        procs: Mapping[str, Procedure] = getattr(model, "procedures", {})
        if scenario.procedure not in procs:
            raise AccordError(f"this model has no procedure {scenario.procedure!r}")
        self.model = model
        self.sc = scenario
        self.proc = procs[scenario.procedure]
        self.columns = columns
        self.day = scenario.date.earliest
        self.world = ModelWorld(model)
        self.counts = ChunkCounts()
        self.cache: dict[Any, Any] = {}
        self.overrides = dict(overrides or {})

    def reads(self, action: str) -> list[str]:
        names: set[str] = set()
        for s in self.model.by_aim.get(action, ()):
            c = self.model.conditions.get(s.id)
            if c is not None:
                names |= c.facts
        return sorted(n for n in names if n in self.columns)

    def cols(self, idx: np.ndarray, facts: Mapping[str, Any]) -> dict[str, np.ndarray]:
        return {k: v[idx] for k, v in self.columns.items() if k not in facts}

    def ask(self, actor: str, action: str, obj: str | None, facts: Mapping[str, Any]) -> str:
        key = (actor, action, obj, _freeze(facts))
        v = self.cache.get(key)
        if v is None:
            self.counts.asks += 1
            v = self.cache[key] = self.model.ask(
                actor, action, object=obj, day=self.day, situation=facts, reading=self.sc.reading
            ).verdict
        return str(v)

    def perform(
        self, p: _Part, actor: str, action: str, obj: str | None, fired: frozenset[str]
    ) -> list[_Part]:
        """Ask (split by any varied fact the relevant statements read), then act."""
        out: list[_Part] = []
        read = [r for r in self.reads(action) if r not in p.facts]
        if read:
            keys = np.stack([self.columns[r][p.idx].astype(str) for r in read], axis=1)
            _, first, inv = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            inv = inv.ravel()
            groups = [
                (p.idx[inv == g], {r: _value(self.columns[r][p.idx[f]]) for r in read})
                for g, f in enumerate(first)
            ]
        else:
            groups = [(p.idx, {})]
        for idx, extra in groups:
            facts = dict(p.facts)
            verdict = self.ask(actor, action, obj, {**facts, **extra})
            if allowed(self.proc, action, verdict)[0]:
                phase = next_phase(self.proc, facts["phase"], action)
                apply_effect(self.proc, action, actor, obj, facts)
                facts["phase"] = phase
                out.append(_Part(facts, idx, fired, p.steps + 1, p.violations))
            else:
                out.append(_Part(facts, idx, fired, p.steps + 1, p.violations + 1))
        return out

    def finish(self, p: _Part) -> None:
        n = len(p.idx)
        self.counts.n += n
        self.counts.partitions += 1
        self.counts.phases[str(p.facts.get("phase"))] += n
        if p.violations:
            self.counts.with_violation += n
        cols = self.cols(p.idx, p.facts)
        for name, text in self.sc.outcomes.items():
            tri = evaluate_many(
                model_condition(text), p.facts, cols, n, day=self.day, world=self.world
            )
            cur = self.counts.outcomes.setdefault(name, [0, 0, 0])
            cur[0] += int((tri == T).sum())
            cur[1] += int((tri == 0).sum())
            cur[2] += int((tri == U).sum())

    def run(self, n: int) -> ChunkCounts:
        start = {
            **self.proc.start_facts,
            **self.sc.situation,
            **self.overrides,
            "phase": self.proc.initial,
        }
        for name in self.columns:
            start.pop(name, None)
        queue = [_Part(start, np.arange(n), frozenset(), 0, 0)]
        while queue:
            p = queue.pop()
            if len(p.idx) == 0:
                continue
            if p.steps >= self.sc.max_steps:
                self.finish(p)
                continue
            if self.sc.script:
                if p.steps >= len(self.sc.script):
                    self.finish(p)
                    continue
                st = self.sc.script[p.steps]
                queue.extend(self.perform(p, st.actor, st.action, st.object, p.fired))
                continue
            remaining = p.idx
            for b in self.sc.behaviour:
                if len(remaining) == 0:
                    break
                if b.once and b.id in p.fired:
                    continue
                tri = evaluate_many(
                    model_condition(b.when),
                    p.facts,
                    self.cols(remaining, p.facts),
                    len(remaining),
                    actor=b.actor,
                    day=self.day,
                    world=self.world,
                )
                hit = tri == T
                if hit.any():
                    sub = _Part(p.facts, remaining[hit], p.fired | {b.id}, p.steps, p.violations)
                    queue.extend(self.perform(sub, b.actor, b.action, b.object, sub.fired))
                    remaining = remaining[~hit]
            if len(remaining):
                self.finish(_Part(p.facts, remaining, p.fired, p.steps, p.violations))
        return self.counts


def _freeze(v: Any) -> Any:
    if isinstance(v, Mapping):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    if isinstance(v, list | tuple):
        return tuple(_freeze(x) for x in v)
    return v


def sweep_chunk(
    model: Model,
    scenario: Scenario,
    columns: Mapping[str, np.ndarray],
    overrides: Mapping[str, Any] | None = None,
) -> ChunkCounts:
    """Run one chunk of variants given as columns (all the same length)."""
    n = len(next(iter(columns.values()))) if columns else 1
    return _Runner(model, scenario, columns, overrides).run(n)


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95 % Wilson score interval for a share k/n.

    >>> [round(x, 3) for x in wilson(50, 100)]
    [0.404, 0.596]
    """
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


@dataclass(frozen=True)
class SweepResult:
    scenario: str
    model: str
    n: int
    seed: int
    vary: dict[str, str]
    counts: ChunkCounts
    chunks: int

    def shares(self) -> dict[str, dict[str, float]]:
        out = {}
        for name, (t, f, u) in self.counts.outcomes.items():
            lo, hi = wilson(t, self.n)
            out[name] = {
                "true": t,
                "false": f,
                "unknown": u,
                "share": t / self.n if self.n else 0.0,
                "ci_low": lo,
                "ci_high": hi,
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "model": self.model,
            "n": self.n,
            "seed": self.seed,
            "vary": self.vary,
            "chunks": self.chunks,
            "outcomes": self.shares(),
            "final_phases": dict(self.counts.phases),
            "with_violation": self.counts.with_violation,
            "partitions": self.counts.partitions,
            "model_asks": self.counts.asks,
        }


def sweep(
    model: Model,
    scenario: Scenario,
    vary: Mapping[str, Distribution],
    n: int,
    *,
    seed: int = 0,
    chunk_size: int = 250_000,
) -> SweepResult:
    """Run ``n`` variants of ``scenario`` with facts drawn from ``vary``."""
    if n <= 0:
        raise AccordError("a sweep needs n >= 1")
    nchunks = max(1, math.ceil(n / chunk_size))
    seeds = np.random.SeedSequence(seed).spawn(nchunks)
    total = ChunkCounts()
    for i in range(nchunks):
        m = min(chunk_size, n - i * chunk_size)
        rng = np.random.default_rng(seeds[i])
        cols = sample_columns(vary, m, rng)
        if not cols:
            cols = {"_variant": np.arange(m)}
        total.add(sweep_chunk(model, scenario, cols))
    return SweepResult(
        scenario.id,
        model.manifest.id,
        n,
        seed,
        {k: str(v) for k, v in vary.items()},
        total,
        nchunks,
    )


def variant(
    vary: Mapping[str, Distribution], n: int, seed: int, i: int, chunk_size: int = 250_000
) -> dict[str, Any]:
    """The facts of variant ``i`` of a sweep (to replay it with the one-at-a-time runner)."""
    nchunks = max(1, math.ceil(n / chunk_size))
    seeds = np.random.SeedSequence(seed).spawn(nchunks)
    c, j = divmod(i, chunk_size)
    m = min(chunk_size, n - c * chunk_size)
    cols = sample_columns(vary, m, np.random.default_rng(seeds[c]))
    return {k: _value(v[j]) for k, v in cols.items()}
