"""The monitor on the reference model and the real summit record, 1998–2014."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

import accord
from accord.monitor import EventStore, monitor

HERE = Path(__file__).parent / "fixtures" / "monitor"
SUMMITS_CSV = HERE / "eu-russia-summits.csv"
WINDOW = {"date_from": date(1998, 1, 1), "date_to": date(2014, 12, 31)}


def summit_rows_from_events_csv(model: accord.Model) -> list[dict[str, str]]:
    """How eu-russia-summits.csv is made: the summits of the model's events.csv, each with
    its date, title, source and confidence mark as given, as PLOVER-style records."""
    text = (model.path / "texts" / "events.csv").read_text(encoding="utf-8")
    out = []
    for r in csv.DictReader(text.splitlines()):
        if r["kind"] != "summit":
            continue
        n = int(re.search(r"summit (\d+)", r["event"]).group(1))  # type: ignore[union-attr]
        out.append(
            {
                "id": f"summit-{n:02d}",
                "date": r["date"],
                "actors": "eu;russia",
                "recipients": "",
                "category": "CONSULT",
                "body": "eu-russia-summit",
                "kind": "summit",
                "title": r["event"],
                "source": r["source"],
                "confidence": r["conf"],
            }
        )
    return out


@pytest.fixture(scope="module")
def model() -> accord.Model:
    return accord.load()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("real") / "summits.duckdb"
    with EventStore(path) as st:
        assert st.import_file(SUMMITS_CSV).rows == 32
    return path


def summits(report) -> dict[str, object]:
    r = next(r for r in report.results if r.obligation.id == "pca-summits")
    return {p.period: p for p in r.periods}


def test_the_fixture_is_the_summit_record_of_events_csv(model) -> None:
    with SUMMITS_CSV.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == summit_rows_from_events_csv(model)


def test_imported_record_every_half_year_has_its_summit_until_2013(model, store) -> None:
    r = monitor(model, store=store, use_model_events=False, obligations=["pca-summits"], **WINDOW)
    by = summits(r)
    first = [f"{y}-H{h}" for y in range(1998, 2013) for h in (1, 2)] + ["2013-H1"]
    assert all(by[k].status == "met" for k in first)
    # the half-years in which the record has no summit at all, computed from the data
    assert [k for k, p in by.items() if p.matched == 0] == ["2013-H2", "2014-H2"]


def test_2013_h2_is_made_up_late_by_the_january_2014_summit(model, store) -> None:
    by = summits(monitor(model, store=store, use_model_events=False, **WINDOW))
    p = by["2013-H2"]
    assert p.status == "late"
    assert [e.id for e in p.late_events] == ["summit-32"]
    assert "28 days after it ended" in p.reason


def test_2014_is_suspended_not_missed(model, store) -> None:
    for rule in ("oldest-first", "own-period-first"):
        by = summits(monitor(model, store=store, use_model_events=False, late_rule=rule, **WINDOW))
        assert by["2014-H2"].status == "suspended"
        assert "pca-summits-suspension-2014" in by["2014-H2"].refs
        assert all(p.status != "missed" for k, p in by.items() if k.startswith("2014"))
    # with the January summit counted for its own half-year, H2 2013 is missed — once the
    # record is known to go on past the tolerance (events.csv runs to March 2014)
    kw = {"store": store, "use_model_events": False, "late_rule": "own-period-first"}
    by = summits(monitor(model, **kw, **WINDOW))
    assert (by["2013-H2"].status, by["2014-H1"].status) == ("unknown", "met")
    by = summits(monitor(model, **kw, record_to=date(2014, 3, 31), **WINDOW))
    assert (by["2013-H2"].status, by["2014-H1"].status) == ("missed", "met")


def test_oldest_first_leaves_2014_h1_suspended(model, store) -> None:
    by = summits(monitor(model, store=store, use_model_events=False, **WINDOW))
    p = by["2014-H1"]
    assert p.status == "suspended"
    assert "pca-summits-suspension-2014" in p.refs


def test_confidence_marks_are_kept(model, store) -> None:
    by = summits(monitor(model, store=store, use_model_events=False, **WINDOW))
    assert by["1998-H1"].confidence == "inferred"  # London 1998: recalled, not sourced
    assert by["1998-H2"].confidence == "paraphrased"
    assert by["2000-H1"].confidence == "quoted"
    assert by["2013-H2"].confidence == "quoted"


def test_model_events_give_the_same_result(model, store) -> None:
    from_store = summits(monitor(model, store=store, use_model_events=False, **WINDOW))
    from_model = summits(monitor(model, use_store=False, **WINDOW))
    assert {k: p.status for k, p in from_store.items()} == {
        k: p.status for k, p in from_model.items()
    }


def test_scores_on_the_real_record(model, store) -> None:
    r = monitor(model, store=store, obligations=["pca-summits"], **WINDOW).results[0]
    assert (r.overall.expected, r.overall.met, r.overall.late, r.overall.missed) == (32, 31, 1, 0)
    assert r.overall.level == 3
    assert {y.label: y.level for y in r.years}["2014"] is None  # nothing was due in 2014


def test_later_arrangements_are_monitored(model) -> None:
    r = monitor(model, use_store=False, **WINDOW)
    ids = {x.obligation.id for x in r.results}
    assert {"brussels-monthly-consultations", "ppc-meets-twice-a-year"} <= ids
    ppc = next(x for x in r.results if x.obligation.id == "ppc-meets-twice-a-year")
    # the record holds no Permanent Partnership Council meeting: no data, not "missed"
    assert {p.status for p in ppc.periods} == {"unknown"}
    cc = next(x for x in r.results if x.obligation.id == "pca-coop-council-meets")
    assert [p.period for p in cc.periods if p.status == "met"] == ["1998", "2002"]
    assert cc.periods[-1].period == "2003"  # replaced by the PPC: nothing due after 2003
