"""Procedures, scenarios, reforms and sweeps on the reference model (issue 4)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import accord
from accord.cli import main
from accord.engine.diff import diff_models
from accord.errors import ModelError
from accord.loading.overlays import load_reform, load_scenario, with_reforms
from accord.procedures.diagram import diagram_svg
from accord.procedures.runner import run_scenario
from accord.procedures.sweep import parse_vary, sweep, sweep_chunk, variant

OVERLAYS = Path(__file__).parent / "fixtures" / "overlays"


@pytest.fixture(scope="module")
def model() -> accord.Model:
    return accord.load()


def test_reference_crisis_trace(model: accord.Model) -> None:
    trace = run_scenario(model, load_scenario(model, "reference-crisis"))
    phases = [(s.phase, s.phase_after) for s in trace.steps]
    assert phases[0] == ("routine", "crisis")
    assert ("crisis", "operational") in phases
    assert trace.final_phase == "terminated"
    assert trace.decisions == {
        "consider-operation": "eu",
        "launch-operation": "council",
        "terminate-operation": "council",
    }
    # Russia's attempt to terminate is a violation, recorded with its reasons, not performed
    (bad,) = trace.violations
    assert (bad.actor, bad.action, bad.verdict) == ("russia", "terminate-operation", "forbidden")
    assert "exclusively" in bad.summary and bad.citations
    assert bad.phase == bad.phase_after == "operational"
    # the Committee of Contributors includes Russia once the EU accepted its offer
    launch = next(s for s in trace.steps if s.action == "launch-operation")
    assert "russia" in launch.bodies["committee-of-contributors"]
    assert "sweden" in launch.bodies["committee-of-contributors"]
    # entering the operational phase makes the PSC's duty to heed the contributors due
    due = {t["statement"] for t in launch.triggered}
    assert "nice-psc-take-account-of-coc" in due or any(t["who"] == "psc" for t in launch.triggered)
    assert trace.outcomes["russia_takes_part"] is True


def test_without_acceptance_russia_is_no_contributor(model: accord.Model) -> None:
    sc = load_scenario(model, "reference-crisis")
    script = tuple(s for s in sc.script if s.action != "accept-contribution")
    trace = run_scenario(model, sc.model_copy(update={"script": script}))
    attend = next(s for s in trace.steps if s.action == "attend")
    assert attend.verdict == "not-regulated"  # no rule lets a non-contributor attend …
    assert not attend.performed  # … and the procedure says attending needs a permission
    assert "needs a permission" in (attend.violation or "")
    offer = next(s for s in trace.steps if s.action == "offer-contribution")
    assert offer.performed and offer.verdict == "permitted"
    assert trace.outcomes["russia_takes_part"] is False


def test_reform_is_an_overlay(model: accord.Model) -> None:
    before = dict(model.statements)
    reformed = with_reforms(model, ["agreed-modalities"])
    assert model.statements == before  # the baseline is never modified
    assert "modalities-consult-russia-on-conops" in reformed.statements
    day = "2001-06-01"
    sit = {"phase": "crisis"}
    base = model.ask(
        "eu", "consult-on-concept-of-operations", object="russia", day=day, situation=sit
    )
    new = reformed.ask(
        "eu", "consult-on-concept-of-operations", object="russia", day=day, situation=sit
    )
    assert (base.verdict, new.verdict) == ("not-regulated", "obliged")
    # before the reform's date, the reformed model answers as the baseline
    early = reformed.ask(
        "eu", "consult-on-concept-of-operations", object="russia", day="2001-01-01", situation=sit
    )
    assert early.verdict == "not-regulated"


def test_reform_chain_and_parameter_change(model: accord.Model) -> None:
    chained = with_reforms(model, ["russia-co-decides-termination"])
    assert chained.reforms == ("agreed-modalities", "russia-co-decides-termination")
    sit = {"phase": "operational", "contributors": ["russia"]}
    ans = chained.ask("russia", "terminate-operation", day="2001-07-01", situation=sit)
    assert ans.verdict == "permitted"
    assert any(s.status == "overridden" for s in ans.set_aside)
    quarterly = with_reforms(model, ["quarterly-troika"])
    new = quarterly.statements["nice-routine-psc-troika-russia@quarterly-troika"]
    assert new.recurrence is not None and new.recurrence.per_year == 4
    changes, asked = diff_models(
        model,
        quarterly,
        quarterly.statements[
            "nice-routine-psc-troika-russia@quarterly-troika"
        ].valid.start.date.earliest,
    )
    assert asked > 100
    assert any(
        "recurrence: every 6 months → 4 times a year" in d for c in changes for d in c.details
    )


def test_diff_of_each_shipped_reform_changes_something(model: accord.Model) -> None:
    for rid in (
        "agreed-modalities",
        "arms-control-consultations",
        "third-countries-korea",
        "russia-co-decides-termination",
        "quarterly-troika",
    ):
        r = load_reform(model, rid)
        changes, _ = diff_models(model, with_reforms(model, [rid]), r.effective.earliest)
        assert changes, rid


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "reform-removes-missing.yaml",
            [
                ":4:10: cannot remove: statement 'nice-routine-psc-troika-russsia' does not exist",
                ":6:9: cannot replace: statement 'no-such-statement' does not exist",
                ":15:17: not a recurrence: 'now and then'",
                "quote not found in 'portela-2001' at p41",
            ],
        ),
        (
            "reform-bad-keys.yaml",
            [
                ":3:12: impossible date '2001-13-01'",
                ":13:5: unknown key 'atribute' (did you mean 'attribute'?)",
            ],
        ),
    ],
)
def test_bad_reforms_report_every_problem(
    model: accord.Model, name: str, expected: list[str]
) -> None:
    with pytest.raises(ModelError) as err:
        load_reform(model, str(OVERLAYS / name))
    text = "\n".join(str(p) for p in err.value.problems)
    for e in expected:
        assert e in text
    res = CliRunner().invoke(main, ["diff", "--reform", str(OVERLAYS / name)])
    assert res.exit_code == 1 and "Traceback" not in res.output


def test_bad_scenarios(model: accord.Model) -> None:
    with pytest.raises(ModelError) as err:
        load_scenario(model, str(OVERLAYS / "scenario-bad.yaml"))
    msgs = [p.message for p in err.value.problems]
    assert any(
        "procedure 'proc-partner' does not exist (did you mean 'proc-partners'?)" in m for m in msgs
    )
    assert any("actor 'rusia' does not exist" in m for m in msgs)
    assert any("condition does not parse" in m for m in msgs)
    with pytest.raises(ModelError, match="not both"):
        load_scenario(model, str(OVERLAYS / "scenario-both.yaml"))


def test_sweep_matches_one_at_a_time_runner(model: accord.Model) -> None:
    sc = load_scenario(model, "crisis-behaviour")
    vary = dict(
        parse_vary(v)
        for v in (
            "russia_interest=uniform(0,1)",
            "russia_leverage=normal(0.5,0.2)",
            "nato_engaged=choice(true,false,false)",
            "eu_inclination=uniform(0,1)",
        )
    )
    n, seed = 2000, 7
    rng = np.random.default_rng(123)
    for i in rng.choice(n, size=25, replace=False):
        facts = variant(vary, n, seed, int(i))
        one = run_scenario(model, sc, situation=facts)
        cols = {k: np.array([v]) for k, v in facts.items()}
        vec = sweep_chunk(model, sc, cols)
        assert vec.n == 1
        for name, (t, f, u) in vec.outcomes.items():
            expect = one.outcomes[name]
            assert t + f + u == 1
            got = True if t else False if f else None
            assert got == expect, (int(i), facts, name)
        assert dict(vec.phases) == {one.final_phase: 1}
        assert vec.with_violation == (1 if one.violations else 0)
    # and the whole sweep adds up, deterministically
    a = sweep(model, sc, vary, n, seed=seed, chunk_size=700)
    b = sweep(model, sc, vary, n, seed=seed, chunk_size=700)
    assert a.to_dict() == b.to_dict() and a.chunks == 3 and a.counts.n == n


def test_sweep_shares_move_with_the_assumptions(model: accord.Model) -> None:
    sc = load_scenario(model, "crisis-behaviour")
    low = sweep(model, sc, dict([parse_vary("russia_interest=uniform(0,0.4)")]), 500)
    high = sweep(model, sc, dict([parse_vary("russia_interest=uniform(0.6,1)")]), 500)
    assert low.shares()["russia_takes_part"]["share"] == 0.0
    assert high.shares()["russia_takes_part"]["share"] > 0.5


def test_diagram_is_valid_svg_with_deciders(model: accord.Model) -> None:
    svg = diagram_svg(model, model.procedures["proc-partners"])
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))
    for phrase in ("Routine phase", "Operational phase", "council", "psc-troika"):
        assert phrase in text


def test_cli_run_sweep_diagram(tmp_path: Path) -> None:
    r = CliRunner()
    res = r.invoke(main, ["run", "reference-crisis", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["baseline"]["violations"] == [10]
    out = tmp_path / "d.svg"
    res = r.invoke(main, ["diagram", "proc-eu-plus-15", "-o", str(out)])
    assert res.exit_code == 0 and out.read_text().startswith("<svg")
    chart = tmp_path / "s.svg"
    res = r.invoke(
        main,
        [
            "sweep",
            "crisis-behaviour",
            "--vary",
            "russia_interest=uniform(0,1)",
            "-n",
            "300",
            "--reform",
            "agreed-modalities",
            "--chart",
            str(chart),
        ],
    )
    assert res.exit_code == 0, res.output
    assert chart.read_text().lstrip().startswith("<?xml")
    res = r.invoke(main, ["sweep", "crisis-behaviour", "--vary", "x=uniform(1)"])
    assert res.exit_code == 1 and "two numbers" in res.output


def test_obligations_left_undone_when_a_phase_ends_are_reported(model: accord.Model) -> None:
    sc = load_scenario(model, "reference-crisis")
    base = run_scenario(model, sc)
    assert base.omissions == []
    reformed = run_scenario(with_reforms(model, ["agreed-modalities"]), sc)
    (missed,) = reformed.omissions
    assert (missed["who"], missed["aim"], missed["object"], missed["phase"]) == (
        "eu",
        "consult-on-concept-of-operations",
        "russia",
        "crisis",
    )
    assert "not done before launch-operation ended it" in missed["reason"]
    # the script without the Canada consultation misses a sourced duty of the crisis phase
    script = tuple(s for s in sc.script if s.object != "canada")
    trace = run_scenario(model, sc.model_copy(update={"script": script}))
    assert [m["statement"] for m in trace.omissions] == ["nice-crisis-canada"]
