"""Monitoring on the invented Alpha–Beta fixture: periods, timelines, statuses, scores."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

import accord
from accord.errors import QueryError
from accord.monitor import (
    EventStore,
    Grid,
    grid_for,
    monitor,
    obligations_from_model,
    recurring_statements,
)

HERE = Path(__file__).parent / "fixtures" / "monitor"
MODEL = HERE / "model"


@pytest.fixture(scope="module")
def model() -> accord.Model:
    return accord.load(MODEL)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "events.duckdb"
    with EventStore(path) as st:
        st.import_file(HERE / "record-2005-2008.csv")
        st.import_file(HERE / "events.jsonl")
    return path


def statuses(report, oid: str) -> dict[str, str]:
    r = next(r for r in report.results if r.obligation.id == oid)
    return {p.period: p.status for p in r.periods}


def result(report, oid: str):
    return next(r for r in report.results if r.obligation.id == oid)


# ---- periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("times", "length", "unit", "step", "required", "label"),
    [
        (2, 1, "year", 6, 1, "2013-H2"),
        (1, 1, "year", 12, 1, "2013"),
        (1, 6, "month", 6, 1, "2013-H2"),
        (1, 1, "month", 1, 1, "2013-09"),
        (4, 1, "year", 3, 1, "2013-Q3"),
        (5, 1, "year", 12, 5, "2013"),
        (1, 1, "week", 7, 1, "2013-W35"),
    ],
)
def test_grid_from_recurrence(times, length, unit, step, required, label) -> None:
    g, req = grid_for(times, length, unit)
    assert (g.step, req) == (step, required)
    assert g.label(g.index(date(2013, 9, 1))) == label


def test_grid_index_start_end_agree_with_sql() -> None:
    rng = random.Random(7)
    grids = [Grid("month", s) for s in (1, 3, 6, 12, 24)] + [
        Grid("month", 5, 2),
        Grid("day", 7),
        Grid("day", 10, 3),
    ]
    days = [date(1990, 1, 1) + timedelta(days=rng.randint(0, 12000)) for _ in range(300)]
    con = duckdb.connect()
    for g in grids:
        sql = con.execute(
            f"SELECT d, {g.sql_index('d')} FROM (SELECT unnest(?::DATE[]) AS d)", [days]
        ).fetchall()
        for d, idx in sql:
            assert idx == g.index(d)
            assert g.start(idx) <= d <= g.end(idx)
            assert g.end(idx) + timedelta(days=1) == g.start(idx + 1)


# ---- obligations from the model ----------------------------------------------------------


def test_only_must_statements_with_a_recurrence_are_obligations(model) -> None:
    ids = {s.id for s in recurring_statements(model)}
    assert ids == {"summits", "council-meets", "board-meets", "liaison-monthly", "envoys-consult"}


def test_unknown_obligation_is_an_error_naming_the_choices(model) -> None:
    with pytest.raises(QueryError, match=r"alpha-may-meet.*summits"):
        obligations_from_model(model, ids=["alpha-may-meet"])


def test_timeline_reads_force_suspensions_and_body_existence(model) -> None:
    (summits, council) = obligations_from_model(model, ids=["summits", "council-meets"])
    states = [(s.start, s.end, s.state) for s in summits.segments]
    assert (date(2004, 7, 1), date(2004, 12, 31), "suspended") in states
    assert states[0] == (None, date(1999, 12, 31), "not-due")
    assert states[-1] == (date(2008, 4, 1), None, "suspended")
    assert "summit-freeze-2008" in summits.segments[-1].refs
    last = council.segments[-1]
    assert last.state == "not-due" and "replaced by board" in last.reason


def test_match_rule_comes_from_the_statement_or_observed_as(model) -> None:
    obs = {o.id: o for o in obligations_from_model(model)}
    assert obs["summits"].rule.body == "summit"
    assert obs["summits"].rule.categories == ("CONSULT",)
    assert obs["liaison-monthly"].rule.object == "beta"
    assert obs["board-meets"].rule.categories == ("CONSULT", "COOPERATE")
    assert obs["board-meets"].rule.source == "observed_as"


# ---- statuses ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(model, store):
    return monitor(model, store=store)


def test_met_missed_and_late_oldest_first(report) -> None:
    s = statuses(report, "summits")
    assert s["2000-H1"] == s["2000-H2"] == s["2001-H1"] == "met"
    # no summit in H2 2001; the one of 20 January 2002 made up for it (20 days late) …
    assert s["2001-H2"] == "late"
    # … so H1 2002, which had no other, is missed
    assert s["2002-H1"] == "missed"
    assert s["2003-H1"] == "missed"  # nothing within 45 days after either
    assert s["2007-H2"] == "missed"  # the next summit came 61 days after the period
    late = next(p for p in result(report, "summits").periods if p.period == "2001-H2")
    assert [e.id for e in late.late_events] == ["summit-04"]
    assert "20 days after" in late.reason


def test_own_period_first_keeps_a_meeting_in_its_own_period(model, store) -> None:
    r = monitor(model, store=store, late_rule="own-period-first", obligations=["summits"])
    s = statuses(r, "summits")
    assert (s["2001-H2"], s["2002-H1"]) == ("missed", "met")
    # the second summit of H2 2002 is surplus, but nothing was short before it
    assert s["2002-H2"] == "met"


def test_tolerance_is_a_parameter(model, store) -> None:
    r = monitor(model, store=store, tolerance_days=10, obligations=["summits"])
    assert statuses(r, "summits")["2001-H2"] == "missed"
    r = monitor(model, store=store, tolerance_days=70, obligations=["summits"])
    assert statuses(r, "summits")["2007-H2"] == "late"


def test_suspension_is_suspended_not_missed(report) -> None:
    s = statuses(report, "summits")
    assert s["2004-H2"] == "suspended"  # the whole half-year, by summit-freeze-2004
    assert s["2008-H2"] == "suspended"  # open-ended freeze from April 2008
    p = next(p for p in result(report, "summits").periods if p.period == "2008-H2")
    assert "summit-freeze-2008" in p.refs and "summits" in p.refs
    # a summit held before the freeze began: met, though due only part of the half-year
    assert s["2008-H1"] == "met"
    liaison = statuses(report, "liaison-monthly")
    assert liaison["2001-06"] == liaison["2001-07"] == "suspended"  # a whole suspension


def test_object_must_take_part(report) -> None:
    # in May 2001 the liaison group met Alpha's ministry only: that does not count
    assert statuses(report, "liaison-monthly")["2001-05"] == "missed"


def test_replaced_body_is_not_due(model, store) -> None:
    r = monitor(model, store=store, obligations=["council-meets"], date_to=date(2007, 12, 31))
    s = statuses(r, "council-meets")
    assert s == {"2000": "met", "2001": "missed", "2002": "met", "2003": "met", "2004": "met"}


def test_observed_as_counts_other_categories(report) -> None:
    s = statuses(report, "board-meets")
    assert s["2005-H1"] == "met"  # a COOPERATE event (a joint project)
    assert s["2006-H2"] == "missed"
    assert s["2007-H2"] == "met"  # from the JSON Lines import; the AGREE event does not count


def test_unknown_beyond_the_record_and_without_data(report) -> None:
    board = statuses(report, "board-meets")
    assert board["2008-H1"] == board["2008-H2"] == "unknown"  # the record ends 2008-03-01
    envoys = result(report, "envoys-consult")
    assert {p.status for p in envoys.periods} == {"unknown"}
    assert envoys.observed_ever == 0
    assert any("phase" in a for a in envoys.obligation.assumptions)


def test_a_false_condition_makes_periods_not_due(model, store) -> None:
    r = monitor(model, store=store, obligations=["envoys-consult"], situation={"phase": "crisis"})
    envoys = result(r, "envoys-consult")
    assert {p.status for p in envoys.periods} == {"not due"}
    assert not envoys.obligation.assumptions


def test_the_same_meeting_in_model_and_store_counts_once(report) -> None:
    p = next(p for p in result(report, "summits").periods if p.period == "2005-H1")
    assert p.status == "met" and p.matched == 1
    assert {e.id for e in p.events} == {"summit-09", "ext-001"}
    assert {e.origin for e in p.events} == {"model", "record-2005-2008.csv"}


def test_record_can_be_model_or_store_only(model, store) -> None:
    only_model = monitor(model, store=store, use_store=False, obligations=["summits"])
    assert only_model.record["to"] == "2005-02-01"
    assert statuses(only_model, "summits")["2005-H2"] == "unknown"
    only_store = monitor(model, store=store, use_model_events=False, obligations=["summits"])
    s = statuses(only_store, "summits")
    assert s["2005-H2"] == "met" and s["2008-H2"] == "suspended"
    assert "2000-H1" not in s  # the window starts with the record (2005-02-01)


def test_declared_record_span(model, store) -> None:
    r = monitor(model, store=store, obligations=["board-meets"], record_to=date(2008, 12, 31))
    assert statuses(r, "board-meets")["2008-H1"] == "missed"


def test_record_complete_only_for_some_bodies(model, store) -> None:
    r = monitor(model, store=store, complete_for=["summit"])
    assert statuses(r, "summits")["2003-H1"] == "missed"
    council = result(r, "council-meets")
    p2001 = next(p for p in council.periods if p.period == "2001")
    assert p2001.status == "unknown" and "not declared complete for joint-council" in p2001.reason
    assert statuses(r, "council-meets")["2000"] == "met"  # what was held still counts


def test_confidence_of_the_events_relied_on(report) -> None:
    by = {p.period: p for p in result(report, "summits").periods}
    assert by["2001-H1"].confidence == "inferred"
    assert by["2005-H2"].confidence == "paraphrased"
    assert by["2000-H1"].confidence == "quoted"
    assert by["2003-H1"].confidence is None


# ---- scores ------------------------------------------------------------------------------


def test_scores_per_year_and_overall(report) -> None:
    r = result(report, "summits")
    years = {y.label: y for y in r.years}
    assert (years["2002"].expected, years["2002"].met, years["2002"].missed) == (2, 1, 1)
    assert years["2002"].share_met == 0.5 and years["2002"].level == 2
    assert years["2004"].expected == 1 and years["2004"].level == 3  # H2 was suspended
    assert years["2001"].late == 1 and years["2001"].level == 3 and years["2001"].share_met == 0.5
    ov = r.overall
    assert (ov.expected, ov.met, ov.late, ov.missed) == (16, 12, 1, 3)
    assert ov.periods["suspended"] == 2
    liaison = result(report, "liaison-monthly").overall
    assert (liaison.expected, liaison.met, liaison.level) == (10, 9, 2)
    assert result(report, "envoys-consult").overall.level is None


def test_every_status_links_statements_and_events(report) -> None:
    for r in report.results:
        for p in r.periods:
            assert r.obligation.id in p.refs
            if p.status in ("met", "late"):
                assert p.events or p.late_events
            if p.status == "suspended":
                assert any("freeze" in x for x in p.refs)
    d = report.to_dict()
    summits = next(o for o in d["obligations"] if o["obligation"] == "summits")
    assert summits["cites"][0]["quote"] == "meet at a summit twice a year"
    assert summits["timeline"][0]["state"] == "not-due"
    rows = report.rows()
    assert {"obligation", "period", "status", "events", "reason", "refs"} <= set(rows[0])
