"""Monitoring a model's recurring obligations against its events and an event store."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import duckdb
import numpy as np

from accord.errors import AccordError
from accord.monitor.matching import LATE_RULES, RECORD_COLUMNS, RecordSource, match_and_score
from accord.monitor.obligations import model_event_rows, obligations_from_model
from accord.monitor.records import MonitorReport
from accord.monitor.store import MACROS, _q

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["close_record", "monitor", "open_record"]

RECORD_SELECT = (
    "id, date, date_start, date_end, actors, recipients, category, body, kind, title, "
    "confidence, source"
)
MODEL_RID = -(2**40)  # model events get row ids below any store row id


class Record(NamedTuple):
    con: duckdb.DuckDBPyConnection
    origins: dict[str, str]
    sources: list[RecordSource]


def _spill_dir() -> Path:
    """Where DuckDB may spill to disk beyond its memory limit (removed by close_record)."""
    return Path(tempfile.gettempdir()) / f"accord-duckdb-{os.getpid()}"


def close_record(con: duckdb.DuckDBPyConnection) -> None:
    con.close()
    shutil.rmtree(_spill_dir(), ignore_errors=True)


def open_record(
    model: Model | None,
    store: str | Path | None,
    *,
    use_model: bool = True,
    use_store: bool = True,
    memory_limit: str = "1GB",
    threads: int | None = None,
) -> Record:
    """An in-memory DuckDB connection whose ``accord_record`` view holds the model's events
    and, attached read-only, the store's; with a map origin -> file and the source tables."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = {_q(memory_limit)}")
    con.execute(f"SET temp_directory = {_q(str(_spill_dir()))}")
    con.execute("SET enable_progress_bar = false")  # never mix it into our output
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(MACROS)
    con.execute(f"CREATE TEMP TABLE accord_model_events ({RECORD_COLUMNS})")
    parts = []
    sources: list[RecordSource] = []
    origins: dict[str, str] = {"model": "model"}
    if model is not None and use_model:
        rows = model_event_rows(model)
        if rows:
            epoch = date(1970, 1, 1)

            def col(name: str, fn: Any = None) -> np.ndarray:
                vals = [fn(r[name]) if fn else r[name] for r in rows]
                return np.array(vals, dtype=object)

            con.register(
                "accord_model_in",
                {
                    **{c: col(c) for c in ("id", "date", "category", "body", "kind", "title")},
                    **{c: col(c) for c in ("confidence", "source")},
                    "ds": np.array([(r["date_start"] - epoch).days for r in rows], np.int32),
                    "de": np.array([(r["date_end"] - epoch).days for r in rows], np.int32),
                    "actors": col("actors", ";".join),
                    "recipients": col("recipients", ";".join),
                },
            )
            con.execute(
                "INSERT INTO accord_model_events SELECT id, date, DATE '1970-01-01' + ds, "
                "DATE '1970-01-01' + de, accord_list(actors), accord_list(recipients), "
                "category, body, kind, title, confidence, source, 'model' "
                "FROM accord_model_in"
            )
            con.unregister("accord_model_in")
        parts.append(
            f"SELECT {RECORD_SELECT}, origin, {MODEL_RID} + rowid AS rid FROM accord_model_events"
        )
        sources.append(
            RecordSource("accord_model_events", f"({MODEL_RID} + e.rowid)", "e.date", "'model'")
        )
    if use_store and store is not None and Path(store).exists():
        try:
            con.execute(f"ATTACH {_q(str(store))} AS accord_store (READ_ONLY)")
        except duckdb.Error as e:
            raise AccordError(f"cannot open the event store {store}: {e}") from None
        store_date = "coalesce(e.date, strftime(e.date_start, '%Y-%m-%d'))"
        parts.append(
            f"SELECT {RECORD_SELECT.replace('id, date,', 'id, ' + store_date + ' AS date,')}, "
            "'store:' || batch AS origin, rowid AS rid FROM accord_store.events e"
        )
        sources.append(
            RecordSource("accord_store.events", "e.rowid", store_date, "'store:' || e.batch")
        )
        for b, f in con.execute("SELECT batch, file FROM accord_store.batches").fetchall():
            origins[f"store:{b}"] = Path(f).name
    if not parts:
        parts.append(f"SELECT {RECORD_SELECT}, origin, rowid AS rid FROM accord_model_events")
    con.execute("CREATE TEMP VIEW accord_record AS " + " UNION ALL ".join(parts))
    return Record(con, origins, sources)


def monitor(
    model: Model,
    *,
    store: str | Path | None = None,
    use_model_events: bool = True,
    use_store: bool = True,
    obligations: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    situation: Mapping[str, Any] | None = None,
    tolerance_days: int | None = None,
    late_rule: str = "oldest-first",
    record_from: date | None = None,
    record_to: date | None = None,
    evidence: int = 3,
    complete_for: Iterable[str] | None = None,
    memory_limit: str = "1GB",
    threads: int | None = None,
) -> MonitorReport:
    """Check the model's recurring obligations against the record, period by period.

    The record is the model's events (``use_model_events``) and the events imported into
    the store at ``store`` (``use_store``). It is taken to cover the days from its first to
    its last event, unless ``record_from``/``record_to`` say otherwise. The window
    ``date_from``–``date_to`` defaults to the record's first day through the end of the year
    of its last day. ``complete_for`` names the bodies the record is complete for (default:
    every body); where it is not, a period without a matching event is *unknown*.
    """
    if late_rule not in LATE_RULES:
        raise AccordError(f"unknown late rule {late_rule!r}: use {' or '.join(LATE_RULES)}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    con, origins, sources = open_record(
        model,
        store,
        use_model=use_model_events,
        use_store=use_store,
        memory_limit=memory_limit,
        threads=threads,
    )
    try:
        first, last, n = con.execute(
            "SELECT min(date_start), max(date_end), count(*) FROM accord_record"
        ).fetchall()[0]
        timings["record"] = time.perf_counter() - t0
        span = None
        if first is not None or record_from or record_to:
            span = (record_from or first or date.min, record_to or last or date.max)
        lo = date_from or (span[0] if span else date(1900, 1, 1))
        hi = date_to or (date(span[1].year, 12, 31) if span else date.today())
        if hi < lo:
            raise AccordError(f"--to {hi} is before --from {lo}")
        t1 = time.perf_counter()
        obs = obligations_from_model(
            model,
            ids=obligations,
            situation=situation,
            window=(lo, hi),
            tolerance_days=tolerance_days,
        )
        timings["obligations"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        results = match_and_score(
            con,
            obs,
            window=(lo, hi),
            record_span=span,
            late_rule=late_rule,
            evidence=evidence,
            origins=origins,
            sources=sources,
            complete_for=None if complete_for is None else list(complete_for),
        )
        timings["match"] = time.perf_counter() - t2
    finally:
        close_record(con)
    used = ["model events"] if use_model_events else []
    if use_store and store is not None and Path(store).exists():
        used.append(f"store {store}")
    return MonitorReport(
        model=model.manifest.id,
        window=(lo, hi),
        record={
            "from": span[0].isoformat() if span else None,
            "to": span[1].isoformat() if span else None,
            "events": int(n),
            "sources": used,
            "declared": bool(record_from or record_to),
            "complete_for": None if complete_for is None else sorted(complete_for),
        },
        rules={
            "late_rule": late_rule,
            "tolerance_days": tolerance_days,
            "situation": dict(situation or {}),
        },
        results=tuple(results),
        timings=timings,
    )
