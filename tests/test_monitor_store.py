"""The event store: validation by row number, all-or-nothing imports, duplicates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.monitor import EventStore, ImportRejected, default_store_path

HERE = Path(__file__).parent / "fixtures" / "monitor"


def snapshot(store: EventStore) -> tuple[int, str, int]:
    """Everything in the store, as a fingerprint."""
    rows = store.con.execute("SELECT * FROM events ORDER BY batch, id").fetchall()
    batches = store.con.execute("SELECT count(*) FROM batches").fetchall()[0][0]
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest(), batches


@pytest.fixture
def store(tmp_path: Path):
    with EventStore(tmp_path / "events.duckdb") as st:
        st.import_file(HERE / "record-2005-2008.csv")
        yield st


def problems_by_row(err: ImportRejected) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for p in err.problems:
        out.setdefault(p.row, []).append(p.message)
    return out


def test_bad_csv_rows_are_reported_by_number_and_nothing_changes(store) -> None:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as exc:
        store.import_file(HERE / "bad-rows.csv")
    rows = problems_by_row(exc.value)
    assert sorted(rows) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert any("already in the store" in m and "ext-001" in m for m in rows[2])
    assert rows[3] == ["impossible date: 2005-02-30"]
    assert rows[4] == ["actors is empty: give at least one actor (several: a;b)"]
    assert rows[5][0].startswith("category MEET is not a PLOVER category")
    assert rows[6] == ["duplicate id b-001 (first at row 2)"]
    assert any("confidence sure" in m for m in rows[7])
    assert any("as row 2 (a duplicate event)" in m for m in rows[7])
    assert rows[8][0].startswith("not a date: 5 May 2005")
    assert rows[9][0].startswith("malformed CSV record")
    assert "nothing was imported, the store is unchanged" in str(exc.value)
    assert snapshot(store) == before


def test_bad_jsonl_lines_are_reported_by_line(store) -> None:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as exc:
        store.import_file(HERE / "bad.jsonl")
    rows = problems_by_row(exc.value)
    assert rows[3] == ["a line must be a JSON object"]
    assert rows[4][0].startswith("unknown field venue (fields are: id, date, actors")
    assert sorted(rows) == [3, 4]
    assert snapshot(store) == before


def test_bad_json_syntax_and_field_errors_by_line(tmp_path: Path, store) -> None:
    f = tmp_path / "x.jsonl"
    f.write_text(
        '{"id": "a", "date": "2009-01-01", "actors": ["alpha"], "category": "CONSULT"}\n'
        "\n"
        '{"id": "b", "date": "2009-01-02", "actors": ["alpha], "category": "CONSULT"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        store.import_file(f)
    assert problems_by_row(exc.value) == {3: ["not valid JSON"]}
    f.write_text(
        '{"id": "a", "date": "2009-01-01", "actors": ["alpha"], "category": "CONSULT"}\n'
        "\n"
        '{"id": "b", "date": "2009-02-29", "actors": [], "category": "consult"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        store.import_file(f)
    rows = problems_by_row(exc.value)
    assert sorted(rows) == [3] and len(rows[3]) == 2  # the blank line 2 is skipped, not counted


def test_jsonl_lists_aliases_and_confidence_marks(tmp_path: Path) -> None:
    with EventStore(tmp_path / "s.duckdb") as st:
        res = st.import_file(HERE / "events.jsonl")
        assert res.rows == 2 and res.format == "jsonl"
        ev = {e["id"]: e for e in st.iter_events()}
    assert ev["j-001"]["actors"] == ["alpha", "beta"] and ev["j-001"]["confidence"] == "paraphrased"
    assert ev["j-002"]["actors"] == ["alpha", "beta"]  # "actor", a ;-list
    assert ev["j-002"]["category"] == "COOPERATE"
    assert (str(ev["j-002"]["date_start"]), str(ev["j-002"]["date_end"])) == (
        "2006-02-01",
        "2006-02-28",
    )


def test_csv_values_are_normalised(store) -> None:
    ev = {e["id"]: e for e in store.iter_events()}
    assert ev["ext-002"]["confidence"] == "quoted"  # Q
    assert ev["ext-004"]["confidence"] == "paraphrased"  # P
    assert ev["ext-006"]["date"] == "2006-10-01/2006-10-02"
    assert str(ev["ext-006"]["date_end"]) == "2006-10-02"
    assert ev["ext-001"]["recipients"] == ["beta"] and ev["ext-001"]["context"] == ["diplomatic"]
    assert ev["ext-007"]["body"] is None


def test_reimport_is_rejected_or_skipped(store) -> None:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as exc:
        store.import_file(HERE / "record-2005-2008.csv")
    assert len(problems_by_row(exc.value)) == 11
    assert snapshot(store) == before
    res = store.import_file(HERE / "record-2005-2008.csv", skip_duplicates=True)
    assert res.rows == 0 and len(res.skipped) == 11
    assert res.skipped[0].row == 2
    assert store.count() == 11


def test_header_problems(tmp_path: Path, store) -> None:
    f = tmp_path / "h.csv"
    f.write_text("id,when,actors,categroy\na,2001,alpha,CONSULT\n", encoding="utf-8")
    before = snapshot(store)
    with pytest.raises(ImportRejected) as exc:
        store.import_file(f)
    text = str(exc.value)
    assert "unknown column 'categroy' (did you mean 'category'?)" in text
    assert "required column 'date' is missing" in text
    assert all(p.row == 1 for p in exc.value.problems)
    assert snapshot(store) == before


def test_an_error_half_way_rolls_back(tmp_path: Path, store) -> None:
    """Rows before the bad one were appended inside the transaction: all are gone."""
    f = tmp_path / "late-error.csv"
    lines = ["id,date,actors,category"]
    lines += [f"ok-{i},2010-01-{(i % 28) + 1:02d},x{i},CONSULT" for i in range(500)]
    lines.append("bad,2010-13-01,x,CONSULT")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(store)
    with pytest.raises(ImportRejected) as exc:
        store.import_file(f)
    assert [p.row for p in exc.value.problems] == [502]
    assert snapshot(store) == before


def test_many_problems_are_capped_but_counted(tmp_path: Path, store) -> None:
    f = tmp_path / "many.csv"
    f.write_text(
        "id,date,actors,category\n" + "".join(f"e{i},2010-01-01,x{i},NOPE\n" for i in range(80)),
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        store.import_file(f, max_problems=10)
    assert exc.value.total == 80 and len(exc.value.problems) == 10
    assert "… and 70 more" in str(exc.value)


def test_unknown_format_and_missing_file(tmp_path: Path, store) -> None:
    with pytest.raises(AccordError, match="no such file"):
        store.import_file(tmp_path / "nope.csv")
    (tmp_path / "x.xml").write_text("<x/>", encoding="utf-8")
    with pytest.raises(AccordError, match="--format"):
        store.import_file(tmp_path / "x.xml")


def test_default_store_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ACCORD_STORE", str(tmp_path / "a.duckdb"))
    assert default_store_path() == tmp_path / "a.duckdb"
    monkeypatch.delenv("ACCORD_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "accord" / "events.duckdb"
