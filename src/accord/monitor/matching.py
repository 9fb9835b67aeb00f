"""Matching recorded events to expected occurrences, and scoring — in SQL, then per period.

The events never pass through Python one by one. DuckDB joins the record with the
obligations' match rules, computes each event's period arithmetically (the grids are
regular) and aggregates per obligation and period: the number of distinct event days, the
number in the tolerance window at the start of the period (which may make up for the
period before), and the first few events as evidence. The expected periods are written to a
DuckDB table and joined with those counts. Python then walks the *periods* (not the events)
to apply the late rule and decide each status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

import duckdb
import numpy as np

from accord.monitor.periods import DAY_EPOCH
from accord.monitor.records import (
    CONFIDENCE_RANK,
    EvidenceEvent,
    Obligation,
    ObligationResult,
    PeriodResult,
    Score,
    Segment,
)

__all__ = ["LATE_RULES", "RECORD_COLUMNS", "RecordSource", "match_and_score"]

LATE_RULES = ("oldest-first", "own-period-first")
EPOCH = date(1970, 1, 1)
RECORD_COLUMNS = (
    "id VARCHAR, date VARCHAR, date_start DATE, date_end DATE, actors VARCHAR[], "
    "recipients VARCHAR[], category VARCHAR, body VARCHAR, kind VARCHAR, title VARCHAR, "
    "confidence VARCHAR, source VARCHAR, origin VARCHAR"
)


class RecordSource(NamedTuple):
    """A table behind the ``accord_record`` view: SQL for its row id, date and origin."""

    table: str
    rid: str
    date: str
    origin: str


@dataclass
class _Cell:
    """What the record holds for one obligation-period."""

    n: int = 0  # distinct event days in the period
    early: int = 0  # of which within the tolerance after the period's start
    best: tuple[EvidenceEvent, ...] = ()  # best-attested events (confidence, then date)
    first_early: tuple[EvidenceEvent, ...] = ()  # the first events of the early window


def _write_obligations(con: duckdb.DuckDBPyConnection, obs: Sequence[Obligation]) -> None:
    rows: dict[str, list[Any]] = {
        k: []
        for k in ("oid", "body", "category", "object", "kind", "unit", "step", "anchor", "tol")
    }
    parts: list[list[str]] = []
    for i, o in enumerate(obs):
        for cat in o.rule.categories:
            rows["oid"].append(i)
            rows["body"].append(o.rule.body)
            rows["category"].append(cat)
            rows["object"].append(o.rule.object)
            rows["kind"].append(o.rule.kind)
            rows["unit"].append(o.grid.unit)
            rows["step"].append(o.grid.step)
            rows["anchor"].append(o.grid.anchor)
            rows["tol"].append(o.tolerance_days)
            parts.append(list(o.rule.participants))
    arrays = {
        "oid": np.array(rows["oid"], dtype=np.int32),
        "body": np.array(rows["body"], dtype=object),
        "category": np.array(rows["category"], dtype=object),
        "object": np.array(rows["object"], dtype=object),
        "kind": np.array(rows["kind"], dtype=object),
        "unit": np.array(rows["unit"], dtype=object),
        "step": np.array(rows["step"], dtype=np.int32),
        "anchor": np.array(rows["anchor"], dtype=np.int32),
        "tol": np.array(rows["tol"], dtype=np.int32),
        "participants": np.array([";".join(p) for p in parts], dtype=object),
    }
    con.register("accord_ob_in", arrays)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE accord_ob AS SELECT oid, body, category, object, kind, "
        "unit, step, anchor, tol, list_filter(string_split(participants, ';'), "
        "lambda x: x <> '') AS participants, "
        "(object IS NULL AND participants = '') AS simple FROM accord_ob_in"
    )
    con.unregister("accord_ob_in")


def _write_periods(
    con: duckdb.DuckDBPyConnection, spans: Sequence[tuple[int, int, int]], obs: Sequence[Obligation]
) -> None:
    """The expected periods: one row per obligation and period index, with its dates."""
    oid, idx, start, end, req = [], [], [], [], []
    for i, lo, hi in spans:
        g = obs[i].grid
        for k in range(lo, hi + 2):  # one more: its early events may make up for the last
            oid.append(i)
            idx.append(k)
            start.append((g.start(k) - EPOCH).days)
            end.append((g.end(k) - EPOCH).days)
            req.append(obs[i].required)
    con.register(
        "accord_periods_in",
        {
            "oid": np.array(oid, dtype=np.int32),
            "idx": np.array(idx, dtype=np.int64),
            "start": np.array(start, dtype=np.int32),
            "end": np.array(end, dtype=np.int32),
            "required": np.array(req, dtype=np.int32),
        },
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE accord_periods AS SELECT oid, idx, "
        "DATE '1970-01-01' + start AS period_start, DATE '1970-01-01' + \"end\" AS period_end, "
        "required FROM accord_periods_in"
    )
    con.unregister("accord_periods_in")


MATCH_SQL = """
CREATE OR REPLACE TEMP TABLE accord_match AS
WITH m AS (
    {branches}),
r AS (
    SELECT oid, rid, ds, unit, step, anchor, tol,
           CASE confidence WHEN 'quoted' THEN 1 WHEN 'paraphrased' THEN 2
                           WHEN 'inferred' THEN 3 ELSE 4 END::TINYINT AS rank,
           CASE WHEN unit = 'month'
                THEN (year(ds) * 12 + month(ds) - 1 - anchor) // step
                ELSE ((ds - DATE '{epoch}') - anchor) // step END AS idx
    FROM m)
SELECT oid, idx, ds, rank, rid,
       ds - CASE WHEN unit = 'month'
                 THEN make_date(((idx * step + anchor) // 12)::INTEGER,
                                ((idx * step + anchor) % 12 + 1)::INTEGER, 1)
                 ELSE DATE '{epoch}' + (idx * step + anchor)::INTEGER END < tol AS early
FROM r
"""

# obligations whose rule is a body and categories (and maybe a kind): an equi-join on the
# event's body -- or, for an event without one, each of its actors
SIMPLE_BRANCH = """
    SELECT ob.oid, ev.rid, ev.ds, ev.confidence, ob.unit, ob.step, ob.anchor, ob.tol
    FROM (SELECT rid, date_start AS ds, category, kind, confidence, body AS k
          FROM accord_record WHERE body IS NOT NULL
          UNION ALL
          SELECT rid, date_start, category, kind, confidence, unnest(actors)
          FROM accord_record WHERE body IS NULL) ev
    JOIN accord_ob ob ON ev.k = ob.body AND ev.category = ob.category
    WHERE ob.simple AND (ob.kind IS NULL OR ev.kind = ob.kind)"""

# obligations that also name an object or participants: read the event's actors too
OBJECT_BRANCH = """
    SELECT ob.oid, e.rid, e.date_start, e.confidence, ob.unit, ob.step, ob.anchor, ob.tol
    FROM accord_record e JOIN accord_ob ob ON e.category = ob.category
         AND (e.body = ob.body OR (e.body IS NULL AND list_contains(e.actors, ob.body)))
    WHERE NOT ob.simple AND (ob.kind IS NULL OR e.kind = ob.kind)
      AND (ob.object IS NULL OR list_contains(list_concat(e.actors, e.recipients), ob.object))
      AND (len(ob.participants) = 0
           OR list_has_all(list_concat(e.actors, e.recipients), ob.participants))"""

# per obligation-period: distinct event days, those in the early window, the best-attested
# events (confidence, then date) and the first early ones (by date) as evidence
CELLS_SQL = """
CREATE OR REPLACE TEMP TABLE accord_cells AS
WITH d AS (SELECT oid, idx, ds, bool_or(early) AS early
           FROM accord_match GROUP BY oid, idx, ds),
c AS (SELECT oid, idx, count(*) AS n, count(*) FILTER (WHERE early) AS early
      FROM d GROUP BY oid, idx),
e AS (SELECT oid, idx,
             min_by(rid, rank::BIGINT * 1000000 + (ds - DATE '1800-01-01'), {best}) AS best,
             min_by(rid, ds, {early}) FILTER (WHERE early) AS first_early
      FROM accord_match GROUP BY oid, idx)
SELECT c.*, e.best, e.first_early, (x.oid IS NOT NULL) AS expected
FROM c JOIN e USING (oid, idx)
LEFT JOIN accord_periods x USING (oid, idx)
"""

EVIDENCE_SQL = """
SELECT {rid} AS rid, e.id, {date} AS date, {origin} AS origin, e.confidence, e.title,
       e.source, e.date_start
FROM {table} e JOIN accord_wanted w ON {rid} = w.rid
"""

LISTS_SQL = """
SELECT oid, idx, 0 AS which, unnest(best) AS rid FROM accord_cells WHERE expected
UNION ALL
SELECT oid, idx, 1, unnest(first_early) FROM accord_cells WHERE expected
"""


def _evidence_objects(
    con: duckdb.DuckDBPyConnection,
    origins: dict[str, str],
    sources: Sequence[RecordSource],
) -> dict[int, EvidenceEvent]:
    """The evidence events, fetched from each source table by row id (a join on the
    row id reads only the rows wanted)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE accord_wanted AS SELECT DISTINCT rid FROM ("
        "SELECT unnest(best) AS rid FROM accord_cells WHERE expected UNION ALL "
        "SELECT unnest(first_early) FROM accord_cells WHERE expected)"
    )
    ev = EvidenceEvent
    out: dict[int, EvidenceEvent] = {}
    for src in sources:
        rows = con.execute(
            EVIDENCE_SQL.format(rid=src.rid, date=src.date, origin=src.origin, table=src.table)
        ).fetchall()
        for r in rows:
            out[r[0]] = ev(
                r[1], r[2] or r[7].isoformat(), origins.get(r[3], r[3]), r[4], r[5], r[6], r[7]
            )
    con.execute("DROP TABLE accord_wanted")
    return out


def _days_by_state(
    segs: Sequence[Segment], j: int, a: date, b: date
) -> tuple[Counter[str], list[Segment], int]:
    """Days of [a, b] in each state, the segments met, and where to start looking next."""
    while j < len(segs) - 1:
        end = segs[j].end
        if end is None or end >= a:
            break
        j += 1
    c: Counter[str] = Counter()
    met = []
    k = j
    while k < len(segs):
        start = segs[k].start
        if start is not None and start > b:
            break
        n = segs[k].overlap(a, b)
        if n:
            c[segs[k].state] += n
            met.append(segs[k])
        k += 1
    return c, met, j


def _days(events: Sequence[EvidenceEvent]) -> list[list[EvidenceEvent]]:
    """Events grouped by day, in the order of first appearance."""
    days: dict[date, list[EvidenceEvent]] = {}
    for e in events:
        days.setdefault(e.day, []).append(e)
    return list(days.values())


def match_and_score(
    con: duckdb.DuckDBPyConnection,
    obligations: Sequence[Obligation],
    *,
    window: tuple[date, date],
    record_span: tuple[date, date] | None,
    late_rule: str = "oldest-first",
    evidence: int = 3,
    origins: dict[str, str] | None = None,
    sources: Sequence[RecordSource] | None = None,
    complete_for: Iterable[str] | None = None,
) -> list[ObligationResult]:
    """Monitor ``obligations`` against the events in the ``accord_record`` table or view
    of ``con`` (columns :data:`RECORD_COLUMNS` and ``rid``, a unique row number).
    ``sources`` are the tables behind that view (for fetching evidence by row id).
    ``complete_for``: the bodies the record is complete for (default: all); a shortfall in
    an obligation of another body is *unknown*, not *missed*."""
    if late_rule not in LATE_RULES:
        raise ValueError(f"late rule must be one of {', '.join(LATE_RULES)}")
    origins = origins or {}
    spans: list[tuple[int, int, int]] = []
    for i, o in enumerate(obligations):
        first, last = o.first_active(), o.last_active()
        if first is None or last is None:
            continue
        lo_day, hi_day = max(window[0], first), min(window[1], last)
        if lo_day > hi_day:
            continue
        spans.append((i, o.grid.index(lo_day), o.grid.index(hi_day)))
    _write_obligations(con, obligations)
    _write_periods(con, spans, obligations)
    k = max(1, int(evidence))
    most = max((o.required for o in obligations), default=1)
    branches = [SIMPLE_BRANCH]
    if any(o.rule.object or o.rule.participants for o in obligations):
        branches.append(OBJECT_BRANCH)
    con.execute(
        MATCH_SQL.format(epoch=DAY_EPOCH.isoformat(), branches=" UNION ALL ".join(branches))
    )
    con.execute(CELLS_SQL.format(best=k, early=2 * most))
    observed = {
        int(o): int(n)
        for o, n in con.execute("SELECT oid, sum(n) FROM accord_cells GROUP BY oid").fetchall()
    }
    ev = _evidence_objects(
        con, origins, sources or [RecordSource("accord_record", "e.rid", "e.date", "e.origin")]
    )
    cols = con.execute("SELECT oid, idx, n, early FROM accord_cells WHERE expected").fetchnumpy()
    cells: dict[tuple[int, int], _Cell] = {
        (int(o), int(x)): _Cell(int(n), int(e))
        for o, x, n, e in zip(cols["oid"], cols["idx"], cols["n"], cols["early"], strict=True)
    }
    lists = con.execute(LISTS_SQL).fetchnumpy()
    best: dict[tuple[int, int], list[EvidenceEvent]] = {}
    early: dict[tuple[int, int], list[EvidenceEvent]] = {}
    for o, x, which, rid in zip(
        lists["oid"], lists["idx"], lists["which"], lists["rid"], strict=True
    ):
        target = early if which else best
        target.setdefault((int(o), int(x)), []).append(ev[int(rid)])
    for key, cell in cells.items():
        cell.best = tuple(best.get(key, ()))
        cell.first_early = tuple(sorted(early.get(key, ()), key=lambda e: (e.day, e.id)))
    for t in ("accord_match", "accord_cells"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    results = []
    span_of = {i: (lo, hi) for i, lo, hi in spans}
    for i, o in enumerate(obligations):
        lo, hi = span_of.get(i, (0, -1))
        complete = complete_for is None or o.rule.body in set(complete_for)
        results.append(
            _score_obligation(
                o, lo, hi, cells, i, observed.get(i, 0), record_span, late_rule, k, complete
            )
        )
    return results


def _own_confidence(best: Sequence[EvidenceEvent], skip: set[date], used: int) -> str | None:
    """Weakest confidence among the ``used`` best-attested days; ``best`` is sorted by
    confidence, then date, so the answer is the confidence of the ``used``-th new day."""
    if not used:
        return None
    seen: set[date] = set()
    for e in best:
        if e.day in skip or e.day in seen:
            continue
        seen.add(e.day)
        if len(seen) == used:
            return e.confidence if e.confidence in CONFIDENCE_RANK else "unmarked"
    return None


def _score_obligation(
    o: Obligation,
    lo: int,
    hi: int,
    cells: dict[tuple[int, int], _Cell],
    oid: int,
    observed: int,
    record_span: tuple[date, date] | None,
    late_rule: str,
    evidence: int,
    complete: bool = True,
) -> ObligationResult:
    g, req, tol = o.grid, o.required, o.tolerance_days
    segs = o.segments
    empty = _Cell()
    one = timedelta(days=1)
    starts = [g.start(k) for k in range(lo, hi + 3)] if hi >= lo else []
    rec_lo, rec_hi = record_span if record_span else (None, None)
    taken: set[date] = set()  # days at the start of this period counted late for the one before
    periods: list[PeriodResult] = []
    j = 0
    for k in range(lo, hi + 1):
        a, b = starts[k - lo], starts[k - lo + 1] - one
        cell = cells.get((oid, k), empty)
        days = (b - a).days + 1
        c, met_segs, j = _days_by_state(segs, j, a, b)
        override = o.period_overrides.get(k)
        avail = cell.n - len(taken) if cell.n > len(taken) else 0
        held = min(avail, req)
        late = 0
        late_events: tuple[EvidenceEvent, ...] = ()
        covered = rec_lo is not None and rec_lo <= a and b <= rec_hi  # type: ignore[operator]
        full_due = override is None and c["due"] == days
        take_next = 0
        if full_due and held < req:
            short = req - held
            nxt = cells.get((oid, k + 1), empty)
            nxt_c, _, _ = _days_by_state(segs, j, starts[k - lo + 1], starts[k - lo + 2] - one)
            # the next period needs its own events if it is due on any day
            nxt_needs = o.period_overrides.get(k + 1) is None and (
                nxt_c["due"] + nxt_c["uncertain"] > 0
            )
            if late_rule == "oldest-first":
                take_next = min(short, nxt.early)
            else:
                surplus = nxt.n - (req if nxt_needs else 0)
                take_next = max(0, min(short, nxt.early, surplus))
            if take_next:
                late_events = tuple(e for grp in _days(nxt.first_early)[:take_next] for e in grp)
                take_next = len({e.day for e in late_events})
            late = take_next
        if override is not None:
            status, reason = "not due", override[1]
        elif full_due:
            if held >= req:
                status, reason = "met", f"{held} of {req} held in the period"
            elif held + late >= req:
                after = (late_events[-1].day - b).days if late_events else 0
                status = "late"
                reason = (
                    f"{held} of {req} held in the period; made up {after} days after it ended "
                    f"(tolerance {tol} days)"
                )
            elif not covered or b + timedelta(tol) > rec_hi:  # type: ignore[operator]
                status = "unknown"
                reason = (
                    "the record covers "
                    + (f"{rec_lo} to {rec_hi}" if record_span else "nothing")
                    + (" (not this period" if not covered else " (not the tolerance after it")
                    + ")"
                )
            elif observed == 0:
                status = "unknown"
                reason = "the record holds no events that count for this obligation"
            elif not complete:
                status = "unknown"
                reason = (
                    f"{held} of {req} held; the record is not declared complete for {o.rule.body}"
                )
            else:
                status = "missed"
                reason = f"{held} of {req} held; none within {tol} days after the period"
        elif c["suspended"] == days:
            status = "suspended"
            reason = "; ".join(dict.fromkeys(s.reason for s in met_segs))
        elif held >= req and (c["due"] or c["uncertain"]):
            status, reason = "met", f"{held} of {req} held (the obligation was due only in part)"
        elif c["suspended"]:
            status = "suspended"
            reason = "; ".join(dict.fromkeys(s.reason for s in met_segs if s.state == "suspended"))
            reason += f" ({c['suspended']} of {days} days)"
        elif c["not-due"]:
            status = "not due"
            parts = [s.reason for s in met_segs if s.state == "not-due"]
            reason = "; ".join(dict.fromkeys(parts))
            if c["not-due"] < days:
                reason = f"due only {days - c['not-due']} of {days} days: " + reason
        else:
            status = "unknown"
            reason = "whether it was due is uncertain: " + "; ".join(
                dict.fromkeys(s.reason for s in met_segs if s.state == "uncertain")
            )
        if avail and status in ("not due", "suspended"):
            reason += f"; {avail} held all the same"
        refs = [o.id]
        for s in met_segs:
            if s.state != "due" or status in ("suspended", "not due", "unknown"):
                refs.extend(s.refs)
        if status in ("met", "late", "missed"):
            refs.append(o.instrument)
        is_late = status == "late"
        conf = _own_confidence(cell.best, taken, held) if held else None
        if is_late:
            lc = _own_confidence(sorted(late_events, key=_by_rank), set(), late)
            conf = max(
                (x for x in (conf, lc) if x),
                key=lambda x: CONFIDENCE_RANK.get(x, 4),
                default=None,
            )
        own = cell.best
        if taken:
            own = tuple(e for e in own if e.day not in taken)
        if len(own) > 1:
            own = tuple(sorted(own, key=_by_day))
        periods.append(
            PeriodResult(
                period=g.label(k),
                start=a,
                end=b,
                status=status,
                required=req,
                held=held,
                late=late if is_late else 0,
                matched=cell.n,
                reason=reason,
                refs=tuple(dict.fromkeys(refs)),
                events=own[:evidence],
                late_events=late_events if is_late else (),
                confidence=conf,
            )
        )
        taken = {e.day for e in late_events} if is_late else set()
    years = _scores(periods)
    return ObligationResult(o, tuple(periods), years, _score("overall", periods), observed)


def _by_day(e: EvidenceEvent) -> tuple[date, str]:
    return (e.day, e.id)


def _by_rank(e: EvidenceEvent) -> tuple[int, date]:
    return (CONFIDENCE_RANK.get(e.confidence or "", 4), e.day)


def _score(label: str, periods: Sequence[PeriodResult]) -> Score:
    due = [p for p in periods if p.status in ("met", "late", "missed")]
    expected = sum(p.required for p in due)
    met = sum(min(p.held, p.required) for p in due)
    late = sum(p.late for p in due)
    return Score(
        label,
        expected,
        met,
        late,
        expected - met - late,
        dict(Counter(p.status for p in periods)),
    )


def _scores(periods: Sequence[PeriodResult]) -> tuple[Score, ...]:
    by_year: dict[int, list[PeriodResult]] = {}
    for p in periods:
        by_year.setdefault(p.start.year, []).append(p)
    return tuple(_score(str(y), ps) for y, ps in sorted(by_year.items()))
