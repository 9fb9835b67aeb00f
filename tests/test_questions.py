"""Question files: tests written as data, answered by the engine and compared with ``expect``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main
from accord.engine import Model
from accord.engine.questions import run_question, run_questions

PASSING = """\
- id: chair-may-2001
  date: 2001-05-17
  who: {action: chair, deontic: must}
  expect: {actors: [presidency, sweden]}
- id: committee-members
  date: 2001-05-17
  who: {action: take-part-in-committee}
  expect: {includes: [sweden, finland], excludes: [russia]}
- id: troika-1999
  date: 1999-10-01
  members: psc-troika
  expect: {actors: [finland]}
- id: presidency-2001
  date: 2001-05-17
  holder: presidency
  expect: {actors: [sweden], excludes: [finland]}
- id: routine-twice-a-year
  recurrence: routine-meetings
  expect: {times: 2, per: year}
- id: strategy-june-1999
  date: 1999-06-15
  status: common-strategy
  expect: {in_force: uncertain, in_effect: uncertain, suspended: false}
- id: tacis-frozen
  date: 2000-03-01
  status: tacis
  expect: {in_force: true, in_effect: false, suspended: true, status: "in force, suspended"}
- id: council-launch-by-reading
  date: 2001-05-17
  ask: {actor: council, action: launch-operation}
  expect: {verdict: contested, readings: {note: forbidden, council: permitted}}
- id: council-launch-under-council
  date: 2001-05-17
  reading: {launch-decision: council}
  ask: {actor: council, action: launch-operation}
  expect: {verdict: permitted, statements: [launch-council]}
- id: exception-applies
  date: 2001-05-17
  situation: {invited: false}
  ask: {actor: russia, action: participate}
  expect: {verdict: forbidden, statements: [participate-case-by-case]}
"""

FAILING = """\
- id: wrong-verdict
  date: 2001-05-17
  situation: {phase: routine}
  ask: {actor: psc-troika, action: meet, object: russia}
  expect: {verdict: permitted, statements: [contributors-manage]}
- id: wrong-status
  date: 2000-03-01
  status: pca
  expect: {suspended: false, status: "in force, in effect"}
- id: wrong-members
  date: 2001-05-17
  members: psc-troika
  expect: {includes: [finland], excludes: [sweden]}
- id: wrong-holder
  date: 2001-05-17
  holder: presidency
  expect: {actors: [finland]}
- id: wrong-recurrence
  recurrence: routine-meetings
  expect: {times: 4, per: year}
- id: wrong-reading
  date: 2001-05-17
  ask: {actor: council, action: launch-operation}
  expect: {readings: {note: permitted}}
- id: wrong-who
  date: 2001-05-17
  who: {action: chair, deontic: must}
  expect: {actors: [finland]}
"""

EXPECTED_DIFFS = {
    "wrong-verdict": [
        "verdict: expected permitted, got obliged (required by routine-meetings)",
        "expected statement 'contributors-manage' to apply; applied: ['routine-meetings']",
    ],
    "wrong-status": [
        "suspended: expected False, got True (in force, in effect, suspended in part)",
        "status: expected 'in force, in effect', got 'in force, in effect, suspended in part'",
    ],
    "wrong-members": [
        "expected 'finland' among ['sweden']",
        "expected 'sweden' not among ['sweden']",
    ],
    "wrong-holder": ["actors: expected ['finland'], got ['sweden']"],
    "wrong-recurrence": ["recurrence: expected 4 per year, got 'every six months'"],
    "wrong-reading": ["reading note: expected permitted, got forbidden"],
    "wrong-who": ["actors: expected ['finland'], got ['presidency', 'sweden']"],
}


@pytest.fixture
def with_questions(make_model: Callable[..., Path]) -> Callable[[str], Path]:
    def build(text: str) -> Path:
        return make_model(files={"questions/extra.yaml": text})

    return build


def test_the_mini_questions_pass(mini: Model) -> None:
    results = run_questions(mini)
    assert [(r.question, r.ok) for r in results] == [
        ("routine-meeting", True),
        ("launch-contested", True),
        ("pca-in-force", True),
    ]


def test_every_kind_of_question_can_pass(with_questions: Callable[[str], Path]) -> None:
    root = with_questions(PASSING)
    result = CliRunner().invoke(main, ["test", str(root), "--json"])
    data = json.loads(result.stdout)
    bad = [(r["question"], r["diffs"]) for r in data["results"] if not r["ok"]]
    assert bad == []
    assert (data["passed"], data["failed"]) == (13, 0)
    assert result.exit_code == 0
    queries = {r["question"]: r["query"] for r in data["results"]}
    assert queries["troika-1999"] == "members"
    assert queries["routine-twice-a-year"] == "recurrence"
    got = {r["question"]: r["got"] for r in data["results"]}
    assert got["presidency-2001"] == {"holders": ["sweden"]}
    assert got["strategy-june-1999"]["in_force"] == "uncertain"


def test_failing_questions_give_readable_diffs(with_questions: Callable[[str], Path]) -> None:
    root = with_questions(FAILING)
    result = CliRunner().invoke(main, ["test", str(root), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["passed"], data["failed"]) == (3, 7)
    diffs = {r["question"]: r["diffs"] for r in data["results"] if not r["ok"]}
    assert diffs == EXPECTED_DIFFS
    origins = {r["question"]: r["origin"] for r in data["results"]}
    assert origins["wrong-verdict"] == "mini/questions/extra.yaml:1"
    assert origins["wrong-who"] == "mini/questions/extra.yaml:25"


def test_accord_test_prints_each_failure_and_exits_1(
    with_questions: Callable[[str], Path],
) -> None:
    root = with_questions(FAILING)
    result = CliRunner().invoke(main, ["test", str(root)])
    assert result.exit_code == 1
    out = result.stdout
    assert "Traceback" not in result.output
    assert "FAIL wrong-verdict (ask) mini/questions/extra.yaml:1" in out
    assert "FAIL wrong-holder (holder) mini/questions/extra.yaml:14" in out
    assert "actors: expected ['finland'], got ['sweden']" in out
    assert "recurrence: expected 4 per year, got 'every six months'" in out
    assert out.count("FAIL ") == 7
    assert out.rstrip().endswith("3 passed, 7 failed")
    # the passing questions are not shown
    assert "routine-meeting " not in out


def test_selecting_questions(with_questions: Callable[[str], Path]) -> None:
    root = with_questions(FAILING)
    only_passing = CliRunner().invoke(main, ["test", str(root), "-k", "launch"])
    assert only_passing.exit_code == 0
    assert "1 passed, 0 failed" in only_passing.stdout
    one = CliRunner().invoke(main, ["test", str(root), "-k", "wrong-holder", "--json"])
    assert one.exit_code == 1
    assert [r["question"] for r in json.loads(one.stdout)["results"]] == ["wrong-holder"]


def test_run_question_directly(load_changed: Callable[..., Model]) -> None:
    m = load_changed(files={"questions/extra.yaml": FAILING})
    r = run_question(m, m.questions["wrong-verdict"])
    assert not r.ok
    assert r.query == "ask"
    assert r.got["verdict"] == "obliged"
    assert r.got["statements"] == ["routine-meetings"]
    assert r.to_dict()["diffs"] == EXPECTED_DIFFS["wrong-verdict"]


STRANDS = {
    "strands.yaml": """\
- id: internal-assistance
  name: Internal assistance to Russia
  instruments: [tacis]
  issue_areas:
    - {id: nuclear-safety, name: Nuclear safety}
  cite: {source: note, at: p1, confidence: inferred}
- id: external-security
  name: Co-operation in external security
  cite: {source: note, at: p2, confidence: inferred}
""",
    "programmes.yaml": """\
- id: tacis-programme
  name: TACIS programme
  instrument: tacis
  strand: internal-assistance
  projects:
    - id: gorny
      name: Gorny
      issue_areas: [nuclear-safety]
      cite: {source: note, at: p1, confidence: inferred}
  cite: {source: note, at: p1, confidence: inferred}
""",
    "questions/strands.yaml": """\
- id: gorny-strand
  strand_of: gorny
  expect: {strand: internal-assistance}
- id: area-strand
  strand_of: nuclear-safety
  expect: {strand: internal-assistance}
- id: wrong-strand
  strand_of: tacis-programme
  expect: {strand: external-security}
""",
}


def test_strand_questions(make_model: Callable[..., Path]) -> None:
    root = make_model(files=STRANDS)
    result = CliRunner().invoke(main, ["test", str(root), "--json"])
    assert result.exit_code == 1, result.output
    by_id = {r["question"]: r for r in json.loads(result.stdout)["results"]}
    assert by_id["gorny-strand"]["ok"]
    assert by_id["area-strand"]["ok"]
    assert by_id["wrong-strand"]["diffs"] == [
        "strand: expected external-security, got internal-assistance"
    ]


def test_a_question_about_something_missing_is_a_load_error(
    with_questions: Callable[[str], Path],
) -> None:
    root = with_questions(
        "- id: ghost\n  date: 2001-05-17\n  holder: prezidency\n  expect: {actors: [sweden]}\n"
    )
    result = CliRunner().invoke(main, ["test", str(root)])
    assert result.exit_code == 1
    assert (
        "mini/questions/extra.yaml:3:11: actor 'prezidency' does not exist "
        "(did you mean 'presidency'?) [dangling-reference]"
    ) in result.stderr
