"""The faces: accord monitor and accord events."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main

HERE = Path(__file__).parent / "fixtures" / "monitor"
MODEL = str(HERE / "model")


def run(*args: str) -> tuple[int, str]:
    """Exit code and standard output (with the error stream where there is no output)."""
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.stdout if res.stdout.strip() else res.output


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "events.duckdb")
    code, out = run("events", "import", str(HERE / "record-2005-2008.csv"), "--store", path)
    assert code == 0 and "imported 11 events" in out
    return path


def test_import_rejects_bad_files_with_row_numbers(store: str) -> None:
    code, out = run("events", "import", str(HERE / "bad-rows.csv"), "--store", store)
    assert code == 1
    text = " ".join(out.split())
    assert "row 3 (date): impossible date: 2005-02-30" in text
    assert "row 6 (id): duplicate id b-001 (first at row 2)" in text
    assert "nothing was imported, the store is unchanged" in text
    code, out = run("events", "info", "--store", store, "--json")
    info = json.loads(out)
    assert info["events"] == 11 and len(info["batches"]) == 1


def test_import_json_output(tmp_path: Path) -> None:
    path = str(tmp_path / "s.duckdb")
    code, out = run(
        "events",
        "import",
        str(HERE / "events.jsonl"),
        str(HERE / "bad.jsonl"),
        "--store",
        path,
        "--json",
    )
    data = json.loads(out)
    assert code == 1
    assert data["imported"][0]["rows"] == 2
    assert [p["row"] for p in data["rejected"][0]["problems"]] == [3, 4]
    assert data["events_in_store"] == 2


def test_events_list_filters(store: str) -> None:
    code, out = run(
        "events",
        "list",
        "-m",
        MODEL,
        "--store",
        store,
        "--body",
        "summit",
        "--from",
        "2005",
        "--to",
        "2006",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert [e["id"] for e in data["events"]] == [
        "ext-001",
        "summit-09",
        "ext-004",
        "ext-005",
        "ext-006",
    ]
    code, out = run(
        "events", "list", "--store", store, "--record", "store", "--category", "aid", "--csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["ext-007"] and rows[0]["origin"] == "record-2005-2008.csv"
    code, out = run(
        "events",
        "list",
        "-m",
        MODEL,
        "--store",
        store,
        "--actor",
        "beta",
        "--text",
        "liaison",
        "--record",
        "model",
    )
    assert code == 0 and "9 of 9 events" in out


def test_monitor_table(store: str) -> None:
    code, out = run("monitor", "-m", MODEL, "--store", store, "-o", "summits")
    assert code == 0
    assert "summit-04 2002-01-20 late" in out
    assert "suspended by summit-freeze-2004" in " ".join(out.split())
    assert "score: 12 of 16 expected occurrences on time, 1 late, 3 missed" in " ".join(out.split())


def test_monitor_json_and_csv(store: str) -> None:
    code, out = run(
        "monitor", "-m", MODEL, "--store", store, "--json", "--from", "2001", "--to", "2002"
    )
    data = json.loads(out)
    assert code == 0
    s = next(o for o in data["obligations"] if o["obligation"] == "summits")
    assert [(p["period"], p["status"]) for p in s["periods"]] == [
        ("2001-H1", "met"),
        ("2001-H2", "late"),
        ("2002-H1", "missed"),
        ("2002-H2", "met"),
    ]
    assert s["periods"][1]["late_events"][0]["id"] == "summit-04"
    code, out = run("monitor", "-m", MODEL, "--store", store, "--csv", "-o", "liaison-monthly")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["status"] for r in rows][4:7] == ["missed", "suspended", "suspended"]
    assert rows[0]["events"] == "liaison-2001-01"


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_monitor_chart(store: str, tmp_path: Path, suffix: str) -> None:
    chart = tmp_path / f"m.{suffix}"
    code, out = run("monitor", "-m", MODEL, "--store", store, "--chart", str(chart), "--json")
    assert code == 0 and json.loads(out)["model"] == "alpha-beta"
    head = chart.read_bytes()[:200]
    assert b"<svg" in head if suffix == "svg" else head.startswith(b"\x89PNG")


def test_monitor_errors(store: str, tmp_path: Path) -> None:
    code, out = run("monitor", "-m", MODEL, "--store", store, "-o", "nope")
    assert code == 1 and "not a recurring obligation" in out
    code, out = run("monitor", "-m", MODEL, "--chart", str(tmp_path / "x.gif"))
    assert code == 1 and ".svg or .png" in out


def test_monitor_situation_and_store_env(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_STORE", store)
    code, out = run(
        "monitor", "-m", MODEL, "-o", "envoys-consult", "--set", "phase=crisis", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["record"]["sources"][1].startswith("store")
    assert {p["status"] for p in data["obligations"][0]["periods"]} == {"not due"}
