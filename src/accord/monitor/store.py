"""The event store: imported records in an embedded DuckDB file.

Import is all-or-nothing. A file is read by DuckDB (CSV with a header, or JSON Lines),
appended to the ``events`` table inside a transaction, checked row by row with SQL, and
committed only if every row is good; otherwise the transaction is rolled back, the store
is left exactly as it was, and :class:`ImportRejected` lists the bad rows by number.

Row numbers are those a spreadsheet shows: in a CSV file the header is row 1 and the first
event row 2; in a JSON Lines file row N is line N. (A CSV record whose quoted field spans
several lines counts as one row.)

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "ev.csv").write_text("id,date,actors,category\\ne1,2001-05-17,eu;russia,CONSULT\\n")
>>> with EventStore(d / "store.duckdb") as st:
...     st.import_file(d / "ev.csv").rows, st.count()
(1, 1)
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from accord.errors import AccordError
from accord.monitor.records import PLOVER_CATEGORIES

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "EventStore",
    "ImportRejected",
    "ImportResult",
    "RowProblem",
    "default_store_path",
]

COLUMNS = (
    "id",
    "date",
    "actors",
    "recipients",
    "category",
    "mode",
    "context",
    "source",
    "body",
    "kind",
    "title",
    "confidence",
    "instrument",
)
REQUIRED = ("id", "date", "actors", "category")
LISTS = ("actors", "recipients", "context")
ALIASES = {
    "actor": "actors",
    "participants": "actors",
    "recipient": "recipients",
    "contexts": "context",
    "event_id": "id",
}
LIST_SEP = ";"
DATE_RE = r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?"

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER, file VARCHAR, format VARCHAR, rows BIGINT, skipped BIGINT,
    imported_at TIMESTAMP, first_date DATE, last_date DATE);
CREATE TABLE IF NOT EXISTS events (
    batch INTEGER, id VARCHAR, date VARCHAR, date_start DATE, date_end DATE,
    actors VARCHAR[], recipients VARCHAR[], category VARCHAR, mode VARCHAR,
    context VARCHAR[], source VARCHAR, body VARCHAR, kind VARCHAR, title VARCHAR,
    confidence VARCHAR, instrument VARCHAR);
"""

# partial dates and ranges -> first and last day (the same rules as accord.time.parse_date)
MACROS = r"""
CREATE OR REPLACE TEMP MACRO accord_day0(t) AS CASE
    WHEN regexp_full_match(t, '\d{4}-\d{2}-\d{2}') THEN try_cast(t AS DATE)
    WHEN regexp_full_match(t, '\d{4}-\d{2}') THEN try_cast(t || '-01' AS DATE)
    WHEN regexp_full_match(t, '\d{4}') THEN try_cast(t || '-01-01' AS DATE) END;
CREATE OR REPLACE TEMP MACRO accord_day1(t) AS CASE
    WHEN regexp_full_match(t, '\d{4}-\d{2}-\d{2}') THEN try_cast(t AS DATE)
    WHEN regexp_full_match(t, '\d{4}-\d{2}') THEN last_day(try_cast(t || '-01' AS DATE))
    WHEN regexp_full_match(t, '\d{4}') THEN try_cast(t || '-12-31' AS DATE) END;
CREATE OR REPLACE TEMP MACRO accord_start(t) AS CASE
    WHEN len(t) = 10 AND t[5] = '-' AND t[8] = '-' THEN try_cast(t AS DATE)
    ELSE accord_day0(split_part(t, '/', 1)) END;
CREATE OR REPLACE TEMP MACRO accord_end(t) AS CASE
    WHEN len(t) = 10 AND t[5] = '-' AND t[8] = '-' THEN try_cast(t AS DATE)
    WHEN contains(t, '/') THEN accord_day1(split_part(t, '/', 2))
    ELSE accord_day1(t) END;
CREATE OR REPLACE TEMP MACRO accord_list_slow(t) AS
    list_filter(list_transform(string_split(t, ';'), lambda x: trim(x)), lambda x: x <> '');
CREATE OR REPLACE TEMP MACRO accord_list(t) AS CASE
    WHEN t IS NULL THEN NULL
    WHEN t = '' THEN []::VARCHAR[]
    WHEN contains(t, ' ') OR contains(t, ';;') OR starts_with(t, ';') OR ends_with(t, ';')
         OR contains(t, chr(9)) THEN accord_list_slow(t)
    ELSE string_split(t, ';') END;
CREATE OR REPLACE TEMP MACRO accord_key(ds, de, actors, category) AS
    hash(ds, de, list_sort(actors), category);
"""


def default_store_path() -> Path:
    """``$ACCORD_STORE``, else ``$XDG_DATA_HOME/accord/events.duckdb``
    (``~/.local/share/accord/events.duckdb``)."""
    env = os.environ.get("ACCORD_STORE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "accord" / "events.duckdb"


@dataclass(frozen=True, order=True)
class RowProblem:
    row: int  # 0: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        col = f" ({self.column})" if self.column else ""
        return f"{where}{col}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(AccordError):
    """A file was not imported; nothing in the store changed."""

    def __init__(self, file: str, problems: Sequence[RowProblem], total: int | None = None):
        self.file = file
        self.problems = sorted(problems)
        self.total = len(self.problems) if total is None else total
        shown = "\n".join(f"{file}: {p}" for p in self.problems)
        more = self.total - len(self.problems)
        tail = f"\n… and {more} more" if more > 0 else ""
        n = self.total
        rows = len({p.row for p in self.problems})
        super().__init__(
            f"{file}: {n} problem{'s' if n != 1 else ''}"
            + (f" (the first in {rows} row{'s' if rows != 1 else ''})" if more > 0 else "")
            + f"; nothing was imported, the store is unchanged\n{shown}{tail}"
        )


@dataclass(frozen=True)
class ImportResult:
    file: str
    format: str
    batch: int
    rows: int
    skipped: tuple[RowProblem, ...] = ()
    first_date: date | None = None
    last_date: date | None = None
    seconds: float = 0.0
    timings: dict[str, float] | None = None  # append, check, commit (seconds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "batch": self.batch,
            "rows": self.rows,
            "skipped": [p.to_dict() for p in self.skipped],
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
        }


def _q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _sql_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_q(x) for x in items) + "]"


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt:
        f = fmt.lower()
        if f in ("csv", "jsonl", "ndjson", "json"):
            return "csv" if f == "csv" else "jsonl"
        raise AccordError(f"unknown format {fmt!r}: use csv or jsonl")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise AccordError(f"{path}: cannot tell the format from the name; give --format csv|jsonl")


def _canonical(name: str) -> str:
    n = name.strip().lower()
    return ALIASES.get(n, n)


def _header(path: Path) -> tuple[list[str], list[RowProblem]]:
    """The CSV header's columns (canonical names) and the problems with it."""
    with path.open(encoding="utf-8", newline="") as fh:
        first = fh.readline()
    names = next(csv.reader(io.StringIO(first)), [])
    problems: list[RowProblem] = []
    cols = [_canonical(n) for n in names]
    seen: set[str] = set()
    for raw, c in zip(names, cols, strict=True):
        if c in seen:
            problems.append(RowProblem(1, raw, f"column {raw!r} appears twice in the header"))
        seen.add(c)
        if c not in COLUMNS:
            near = difflib.get_close_matches(c, COLUMNS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            problems.append(
                RowProblem(
                    1, raw, f"unknown column {raw!r}{hint}; columns are: {', '.join(COLUMNS)}"
                )
            )
    for r in REQUIRED:
        if r not in cols:
            problems.append(RowProblem(1, r, f"required column {r!r} is missing from the header"))
    return cols, problems


class EventStore:
    """An event store: a DuckDB file with the ``events`` and ``batches`` tables.

    ``memory_limit`` bounds DuckDB's memory (it spills to a temporary folder beyond it).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        memory_limit: str = "1GB",
        threads: int | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise AccordError(f"no event store at {self.path} (import events first)")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            raise AccordError(f"cannot open the event store {self.path}: {e}") from None
        self.con.execute(f"SET memory_limit = {_q(memory_limit)}")
        self.con.execute("SET enable_progress_bar = false")  # never mix it into our output
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if not read_only:
            self.con.execute(SCHEMA)
        self.con.execute(MACROS)

    # ---- context manager -----------------------------------------------------------------
    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # ---- reading -------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM events").fetchall()[0][0])

    def batches(self) -> list[dict[str, Any]]:
        cur = self.con.execute("SELECT * FROM batches ORDER BY batch")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    # ---- import --------------------------------------------------------------------------
    def import_file(
        self,
        file: str | Path,
        *,
        format: str | None = None,
        skip_duplicates: bool = False,
        max_problems: int = 50,
    ) -> ImportResult:
        """Import one CSV or JSON Lines file, all or nothing. Raise :class:`ImportRejected`
        with the bad rows (up to ``max_problems`` of them) if any row is bad."""
        import time

        t0 = time.perf_counter()
        path = Path(file)
        if not path.is_file():
            raise AccordError(f"no such file: {path}")
        fmt = _format_of(path, format)
        con = self.con
        batch = int(con.execute("SELECT coalesce(max(batch), 0) + 1 FROM batches").fetchall()[0][0])
        con.execute("BEGIN TRANSACTION")
        try:
            if fmt == "csv":
                rowmap, file_problems = self._append_csv(path, batch)
            else:
                rowmap, file_problems = self._append_jsonl(path, batch)
            if file_problems and rowmap is None:  # the file could not be read at all
                raise ImportRejected(str(path), file_problems[:max_problems], len(file_problems))
            t1 = time.perf_counter()
            problems, total = self._check(batch, rowmap, max_problems, skip_duplicates)
            t2 = time.perf_counter()
            if problems or file_problems:
                every = sorted([*file_problems, *problems])[:max_problems]
                raise ImportRejected(str(path), every, total + len(file_problems))
            skipped: list[RowProblem] = []
            if skip_duplicates:
                skipped = self._drop_store_duplicates(batch, rowmap)
            n, first, last = con.execute(
                "SELECT count(*), min(date_start), max(date_end) FROM events WHERE batch = ?",
                [batch],
            ).fetchall()[0]
            con.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?)",
                [batch, str(path.resolve()), fmt, n, len(skipped), first, last],
            )
            con.execute("COMMIT")
            t3 = time.perf_counter()
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            self._drop_temp()
        return ImportResult(
            str(path),
            fmt,
            batch,
            int(n),
            tuple(skipped),
            first,
            last,
            t3 - t0,
            {"append": t1 - t0, "check": t2 - t1, "commit": t3 - t2},
        )

    def _drop_temp(self) -> None:
        for t in ("accord_lines", "accord_rejects", "accord_reject_scans"):
            with contextlib.suppress(duckdb.Error):  # best-effort clean-up
                self.con.execute(f"DROP TABLE IF EXISTS temp.{t}")

    def _insert_sql(self, batch: int, src: str, cols: dict[str, str]) -> str:
        """INSERT … SELECT normalising the raw text columns of ``src`` into ``events``.

        ``cols`` maps each column to a SQL expression over ``src`` giving its raw text (or,
        for lists, a VARCHAR[]).
        """

        def txt(c: str) -> str:
            return f"nullif(trim({cols[c]}), '')" if c in cols else "NULL::VARCHAR"

        def lst(c: str) -> str:
            return cols.get(c, "[]::VARCHAR[]")

        conf = txt("confidence")
        return f"""
        INSERT INTO events
        SELECT {batch}, id,
               -- the text of the date is kept only where it is not an exact day
               CASE WHEN exact AND date_start IS NOT NULL THEN NULL ELSE date END,
               date_start, CASE WHEN exact THEN date_start ELSE accord_end(date) END,
               actors, recipients, category, mode, context, source, body, kind, title,
               confidence, instrument
        FROM (
          SELECT *, accord_start(date) AS date_start,
                 (len(date) = 10 AND date[5] = '-' AND date[8] = '-') AS exact
          FROM (
            SELECT {txt("id")} AS id, {txt("date")} AS date,
                   coalesce({lst("actors")}, []) AS actors,
                   coalesce({lst("recipients")}, []) AS recipients,
                   upper({txt("category")}) AS category, {txt("mode")} AS mode,
                   coalesce({lst("context")}, []) AS context, {txt("source")} AS source,
                   {txt("body")} AS body, {txt("kind")} AS kind, {txt("title")} AS title,
                   CASE lower({conf}) WHEN 'q' THEN 'quoted' WHEN 'p' THEN 'paraphrased'
                        WHEN 'i' THEN 'inferred' ELSE lower({conf}) END AS confidence,
                   {txt("instrument")} AS instrument
            FROM {src}))
        """

    def _append_csv(self, path: Path, batch: int) -> tuple[Any, list[RowProblem]]:
        cols, problems = _header(path)
        if problems:
            return None, problems
        # read every column as text, in file order; malformed records go to a rejects table
        spec = "{" + ", ".join(f"{_q(f'c{i}')}: 'VARCHAR'" for i in range(len(cols))) + "}"
        src = (
            f"read_csv({_q(str(path))}, columns = {spec}, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
            "store_rejects = true, rejects_table = 'accord_rejects', "
            "rejects_scan = 'accord_reject_scans')"
        )
        exprs: dict[str, str] = {}
        for i, c in enumerate(cols):
            exprs[c] = f"accord_list(c{i})" if c in LISTS else f"c{i}"
        try:
            self.con.execute(self._insert_sql(batch, src, exprs))
        except duckdb.Error as e:
            return None, [RowProblem(0, "", f"cannot read the file as CSV: {_first_line(e)}")]
        rejects = self.con.execute(
            "SELECT line, error_type, error_message, column_name FROM temp.accord_rejects "
            "ORDER BY line"
        ).fetchall()
        bad, seen = [], set()
        for line, etype, msg, _col in rejects:  # one problem per malformed record
            if line in seen:
                continue
            seen.add(line)
            text = msg.strip().replace("Expected Number of Columns", "expected columns")
            bad.append(RowProblem(int(line), "", f"malformed CSV record: {text} ({etype.lower()})"))
        reject_rows = sorted({p.row for p in bad})
        return ("csv", reject_rows), bad

    def _append_jsonl(self, path: Path, batch: int) -> tuple[Any, list[RowProblem]]:
        con = self.con
        try:
            con.execute(
                "CREATE TEMP TABLE accord_lines AS SELECT line FROM read_csv("
                f"{_q(str(path))}, columns = {{'line': 'VARCHAR'}}, header = false, "
                "auto_detect = false, delim = '\x1f', quote = '', escape = '', "
                "strict_mode = false)"
            )
        except duckdb.Error as e:
            return None, [RowProblem(0, "", f"cannot read the file: {_first_line(e)}")]
        # structural problems first: not JSON, not an object, unknown fields
        known = _sql_list([*COLUMNS, *ALIASES])
        bad = con.execute(
            f"""
            SELECT rowid - (SELECT min(rowid) FROM accord_lines) + 1 AS row,
                   CASE WHEN NOT json_valid(line) THEN 'not valid JSON'
                        WHEN json_type(line) <> 'OBJECT' THEN 'a line must be a JSON object'
                        ELSE 'unknown field ' || list_filter(json_keys(line),
                             lambda k: NOT list_contains({known}, k))[1] END AS msg
            FROM accord_lines
            WHERE line IS NOT NULL AND trim(line) <> ''
              AND (NOT json_valid(line) OR json_type(line) <> 'OBJECT'
                   OR len(list_filter(json_keys(line),
                          lambda k: NOT list_contains({known}, k))) > 0)
            ORDER BY row
            """
        ).fetchall()
        fields = ", ".join(COLUMNS)
        problems = [
            RowProblem(int(r), "", m + (f" (fields are: {fields})" if "unknown" in m else ""))
            for r, m in bad
        ]
        if problems:
            return None, problems  # nothing appended: report these alone

        # parse each line once into a struct of every known field (lists kept as JSON)
        names = [*COLUMNS, *ALIASES]
        shape = (
            "{"
            + ", ".join(
                f'"{n}": "{"JSON" if ALIASES.get(n, n) in LISTS else "VARCHAR"}"' for n in names
            )
            + "}"
        )

        def spellings(c: str) -> list[str]:
            return [c, *[a for a, t in ALIASES.items() if t == c]]

        def field(c: str) -> str:
            return "coalesce(" + ", ".join(f'j."{n}"' for n in spellings(c)) + ")"

        def lst(c: str) -> str:
            alts = [
                f"""CASE json_type(j."{n}") WHEN 'ARRAY' THEN """
                f"""list_filter(list_transform(json_extract_string(j."{n}", '$[*]'),"""
                " lambda x: trim(x)), lambda x: x IS NOT NULL AND x <> '') "
                f"""WHEN 'VARCHAR' THEN accord_list(j."{n}"->>'$') END"""
                for n in spellings(c)
            ]
            return "coalesce(" + ", ".join(alts) + ")"

        exprs = {c: (lst(c) if c in LISTS else field(c)) for c in COLUMNS}
        src = (
            f"(SELECT json_transform(line, {_q(shape)}) AS j FROM accord_lines "
            "WHERE line IS NOT NULL AND trim(line) <> '' ORDER BY rowid)"
        )
        con.execute(self._insert_sql(batch, src, exprs))
        return ("jsonl", None), []

    def _rows(self, rowmap: Any, ordinals: Sequence[int]) -> dict[int, int]:
        """File row numbers of the events at 0-based ``ordinals`` within the batch."""
        kind, extra = rowmap
        out: dict[int, int] = {}
        if kind == "csv":
            rejects: list[int] = extra or []
            for k in ordinals:
                row = k + 2
                for r in rejects:  # rejected records are not in the table: step over them
                    if r <= row:
                        row += 1
                out[k] = row
            return out
        if not ordinals:
            return out
        want = ", ".join(str(int(k)) for k in ordinals)
        for k, line in self.con.execute(
            f"""SELECT k, line FROM (
                  SELECT row_number() OVER (ORDER BY rowid) - 1 AS k,
                         rowid - (SELECT min(rowid) FROM accord_lines) + 1 AS line
                  FROM accord_lines WHERE line IS NOT NULL AND trim(line) <> '')
                WHERE k IN ({want})"""
        ).fetchall():
            out[int(k)] = int(line)
        return out

    def _check(
        self, batch: int, rowmap: Any, limit: int, skip_duplicates: bool
    ) -> tuple[list[RowProblem], int]:
        """Every check on the rows just appended; the first ``limit`` problems and the total.

        A fast pass first (one scan for the field checks, hash aggregates for duplicates);
        only if it finds something does the detailed query name every bad row.
        """
        con = self.con
        cats = _sql_list(PLOVER_CATEGORIES)
        base = f"(SELECT min(rowid) FROM events WHERE batch = {batch})"
        bad_date = (
            f"(date_start IS NULL OR date_end IS NULL OR date_end < date_start "
            f"OR (date IS NOT NULL AND NOT regexp_full_match(date, '{DATE_RE}')))"
        )
        bad_conf = (
            "(confidence IS NOT NULL AND confidence NOT IN ('quoted', 'paraphrased', 'inferred'))"
        )
        bad_cat = f"(category IS NULL OR NOT list_contains({cats}, category))"
        key = "accord_key(date_start, date_end, actors, category)"
        others = bool(
            con.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM events WHERE batch <> {batch} LIMIT 1)"
            ).fetchall()[0][0]
        )
        fast = con.execute(
            f"""
            SELECT
              (SELECT count(*) FROM events WHERE batch = {batch} AND (id IS NULL OR {bad_date}
                 OR len(actors) = 0 OR {bad_cat} OR {bad_conf})),
              (SELECT count(*) FROM (SELECT hash(id) AS h FROM events WHERE batch = {batch}
                 AND id IS NOT NULL GROUP BY h HAVING count(*) > 1)),
              (SELECT count(*) FROM (SELECT {key} AS h FROM events WHERE batch = {batch}
                 AND date_start IS NOT NULL GROUP BY h HAVING count(*) > 1))
            """
        ).fetchall()[0]
        store_dups = False
        if others and not skip_duplicates:
            store_dups = bool(
                con.execute(
                    f"""SELECT count(*) FROM (
                      SELECT 1 FROM (SELECT id FROM events WHERE batch = {batch}) b
                      JOIN (SELECT id FROM events WHERE batch <> {batch}) s USING (id)
                      UNION ALL
                      SELECT 1 FROM (SELECT {key} AS h FROM events WHERE batch = {batch}) b
                      JOIN (SELECT {key} AS h FROM events WHERE batch <> {batch}) s USING (h)
                      LIMIT 1)"""
                ).fetchall()[0][0]
            )
        if not any(fast) and not store_dups:
            return [], 0
        checks = f"""
        WITH b AS (SELECT rowid - {base} AS k, *, {key} AS key FROM events WHERE batch = {batch}),
        field_problems AS (
          SELECT k, 'id' AS col, 'id is empty' AS msg FROM b WHERE id IS NULL
          UNION ALL
          SELECT k, 'date', CASE
              WHEN date IS NULL THEN 'date is empty'
              WHEN NOT regexp_full_match(date, '{DATE_RE}') THEN
                  'not a date: ' || date || ' (expected YYYY-MM-DD, YYYY-MM or YYYY, '
                  || 'or a range YYYY-MM-DD/YYYY-MM-DD)'
              WHEN date_start IS NULL OR date_end IS NULL THEN 'impossible date: ' || date
              ELSE 'date range ' || date || ' ends before it starts' END
            FROM b WHERE {bad_date}
          UNION ALL
          SELECT k, 'actors', 'actors is empty: give at least one actor (several: a;b)'
            FROM b WHERE len(actors) = 0
          UNION ALL
          SELECT k, 'category', CASE WHEN category IS NULL THEN 'category is empty'
              ELSE 'category ' || category || ' is not a PLOVER category (one of '
                   || array_to_string({cats}, ', ') || ')' END
            FROM b WHERE {bad_cat}
          UNION ALL
          SELECT k, 'confidence', 'confidence ' || confidence
                 || ' must be quoted, paraphrased or inferred (or Q, P, I)'
            FROM b WHERE {bad_conf}
        ),
        dup_hashes AS (
          SELECT hash(id) AS h FROM b WHERE id IS NOT NULL GROUP BY h HAVING count(*) > 1),
        dup_ids AS (
          SELECT id FROM b WHERE hash(id) IN (SELECT h FROM dup_hashes)
          GROUP BY id HAVING count(*) > 1),
        dup_id_rows AS (
          SELECT k, 'id' AS col, id, min(k) OVER (PARTITION BY id) AS first
          FROM b WHERE id IN (SELECT id FROM dup_ids)),
        dup_keys AS (
          SELECT key FROM b WHERE date_start IS NOT NULL GROUP BY key HAVING count(*) > 1),
        dup_key_rows AS (
          SELECT k, 'date+actors+category' AS col, id,
                 min(k) OVER (PARTITION BY date_start, date_end, list_sort(actors), category)
                   AS first
          FROM b WHERE key IN (SELECT key FROM dup_keys)),
        in_file AS (
          SELECT k, col, 'duplicate id ' || id || ' (first at row {{' || first || '}})' AS msg
            FROM dup_id_rows WHERE k > first
          UNION ALL
          SELECT k, col, 'same date, actors and category as row {{' || first || '}}'
                 || ' (a duplicate event)'
            FROM dup_key_rows WHERE k > first)
        SELECT k, col, msg FROM field_problems
        UNION ALL SELECT k, col, msg FROM in_file
        """
        if store_dups:
            checks += f"""
        UNION ALL
        SELECT b.k, 'id', 'id ' || b.id || ' is already in the store (imported from '
               || coalesce(bt.file, 'an earlier import') || ')'
          FROM b JOIN events s ON s.id = b.id AND s.batch <> {batch}
          LEFT JOIN batches bt ON bt.batch = s.batch
        UNION ALL
        SELECT b.k, 'date+actors+category', 'same date, actors and category as event '
               || s.id || ' already in the store'
          FROM b JOIN (SELECT *, {key} AS key FROM events WHERE batch <> {batch}) s
               ON s.key = b.key AND s.date_start = b.date_start AND s.date_end = b.date_end
               AND list_sort(s.actors) = list_sort(b.actors) AND s.category = b.category
          WHERE s.id IS DISTINCT FROM b.id
        """
        total = int(con.execute(f"SELECT count(*) FROM ({checks})").fetchall()[0][0])
        if not total:
            return [], 0
        found = con.execute(
            f"SELECT k, col, msg FROM ({checks}) ORDER BY k, col LIMIT {int(limit)}"
        ).fetchall()
        ks = {int(k) for k, _, _ in found}
        for _, _, msg in found:
            if "{" in msg:
                ks.add(int(msg.split("{", 1)[1].split("}", 1)[0]))
        rows = self._rows(rowmap, sorted(ks))
        out = []
        for k, col, msg in found:
            if "{" in msg:
                head, rest = msg.split("{", 1)
                ref, tail = rest.split("}", 1)
                msg = f"{head}{rows.get(int(ref), int(ref))}{tail}"
            out.append(RowProblem(rows.get(int(k), int(k)), col, msg))
        return out, total

    def _drop_store_duplicates(self, batch: int, rowmap: Any) -> list[RowProblem]:
        con = self.con
        base = f"(SELECT min(rowid) FROM events WHERE batch = {batch})"
        key = "accord_key(date_start, date_end, actors, category)"
        dups = con.execute(
            f"""
            WITH b AS (SELECT rowid AS r, *, {key} AS key FROM events WHERE batch = {batch}),
            s AS (SELECT *, {key} AS key FROM events WHERE batch <> {batch})
            SELECT DISTINCT b.r, b.r - {base} AS k, b.id, s.id FROM b
            JOIN s ON s.id = b.id OR (s.key = b.key
                 AND s.date_start = b.date_start AND s.date_end = b.date_end
                 AND list_sort(s.actors) = list_sort(b.actors) AND s.category = b.category)
            ORDER BY k
            """
        ).fetchall()
        if not dups:
            return []
        rows = self._rows(rowmap, [int(k) for _, k, _, _ in dups])
        con.execute(
            f"DELETE FROM events WHERE batch = {batch} AND rowid IN "
            f"({', '.join(str(int(r)) for r, _, _, _ in dups)})"
        )
        return [
            RowProblem(rows[int(k)], "id", f"skipped: {bid} duplicates {sid} already in the store")
            for _, k, bid, sid in dups
        ]

    # ---- listing -------------------------------------------------------------------------
    def iter_events(
        self, where: str = "TRUE", limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        lim = f" LIMIT {int(limit)}" if limit else ""
        cur = self.con.execute(
            "SELECT * REPLACE (coalesce(date, strftime(date_start, '%Y-%m-%d')) AS date) "
            f"FROM events WHERE {where} ORDER BY date_start, id{lim}"
        )
        names = [d[0] for d in cur.description]
        while True:
            chunk = cur.fetchmany(10_000)
            if not chunk:
                return
            for r in chunk:
                yield dict(zip(names, r, strict=True))


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
