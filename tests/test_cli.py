"""The ``accord`` command on the mini model: every command, with and without ``--json``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from accord.cli import main
from accord.loading.schema import json_schema

MINI = str(Path(__file__).parent / "fixtures" / "mini")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert "Internal error" not in result.output, result.output
    return result


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


def failed(*args: str, code: int = 1) -> Result:
    result = run(*args)
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit)
    return result


# ---- check ------------------------------------------------------------------------------


def test_check() -> None:
    out = ok("check", MINI).stdout
    assert out.startswith("ok mini: 1 sources, 11 actors, 5 instruments, 10 statements")
    assert "coverage of note: 3/3 paragraphs cited or marked non-factual" in out


def test_check_json() -> None:
    data = as_json("check", MINI)
    assert data["ok"] is True
    assert data["model"] == "mini"
    counts = data["counts"]
    assert (counts["actors"], counts["instruments"], counts["statements"]) == (11, 5, 10)
    assert (counts["events"], counts["readings"], counts["questions"]) == (2, 1, 3)
    assert data["uncited_paragraphs"] == {"note": []}


# ---- at ---------------------------------------------------------------------------------


def test_at_text() -> None:
    out = ok("at", "2000-03-01", "-m", MINI).stdout
    assert "March 2000" in out
    assert "not yet in force (1): nice" in out
    assert "pca-dialogue" in out
    assert "tacis-freeze" in out
    assert "participate-default" not in out
    listed = ok("at", "2000-03-01", "-m", MINI, "--statements").stdout
    assert "participate-default, participate-case-by-case" in listed


def test_at_json() -> None:
    data = as_json("at", "2000-03-01", "-m", MINI)
    assert data["date"] == "2000-03-01"
    labels = {i["instrument"]: i["label"] for i in data["instruments"]}
    assert labels == {
        "pca": "in force, in effect, suspended in part",
        "nice": "not yet in force",
        "tca": "replaced by pca",
        "common-strategy": "in force, in effect",
        "tacis": "in force, suspended",
    }
    pca = next(i for i in data["instruments"] if i["instrument"] == "pca")
    assert pca["suspended_provisions"] == ["pca-dialogue"]
    assert {s["statement"] for s in data["statements"]} == {
        "participate-default",
        "participate-case-by-case",
    }


def test_at_default_date_and_bodies() -> None:
    data = as_json("at", "-m", MINI)
    assert data["date"] == "2001-05-17"
    bodies = {b["actor"]: b for b in data["bodies"]}
    assert bodies["presidency"]["holders"] == [{"actor": "sweden", "certain": True}]
    assert [m["actor"] for m in bodies["psc-troika"]["members"]] == ["sweden"]


# ---- ask --------------------------------------------------------------------------------


def test_ask_text_with_set() -> None:
    out = ok("ask", "psc-troika", "meet", "-o", "russia", "--set", "phase=routine", "-m", MINI)
    text = out.stdout
    assert text.startswith("OBLIGED  psc-troika / meet russia / 2001-05-17  phase=routine")
    assert "required by routine-meetings" in text
    assert "recurrence: every six months" in text
    assert 'note p2 [quoted] "will hold Troika meetings' in text


def test_ask_json_with_set_lists() -> None:
    data = as_json(
        "ask",
        "russia",
        "manage-day-to-day",
        "--set",
        "phase=operational",
        "--set",
        "contributors=russia,ukraine",
        "-m",
        MINI,
    )
    assert data["verdict"] == "permitted"
    assert data["situation"] == {"phase": "operational", "contributors": ["russia", "ukraine"]}
    assert [s["statement"] for s in data["applied"]] == ["contributors-manage"]


def test_ask_set_values_are_typed() -> None:
    data = as_json("ask", "russia", "participate", "--set", "invited=false", "-m", MINI)
    assert data["situation"] == {"invited": False}
    assert data["verdict"] == "forbidden"
    assert data["set_aside"][0]["status"] == "overridden"
    data = as_json("ask", "russia", "participate", "--set", "invited=TRUE", "-m", MINI)
    assert data["verdict"] == "permitted"


def test_ask_situation_file(tmp_path: Path) -> None:
    f = tmp_path / "situation.yaml"
    f.write_text("phase: operational\ncontributors: [russia]\n", encoding="utf-8")
    data = as_json("ask", "russia", "manage-day-to-day", "--situation", str(f), "-m", MINI)
    assert data["verdict"] == "permitted"
    # --set wins over the file
    data = as_json(
        "ask",
        "russia",
        "manage-day-to-day",
        "--situation",
        str(f),
        "--set",
        "phase=routine",
        "-m",
        MINI,
    )
    assert data["verdict"] == "not-regulated"


def test_ask_needs_and_verbose() -> None:
    out = ok("ask", "russia", "participate", "-m", MINI, "-v").stdout
    assert out.startswith("PERMITTED")
    assert "would need: invited" in out
    assert "dated facts read" in out
    data = as_json("ask", "russia", "participate", "-m", MINI)
    assert data["needs"] == ["invited"]


def test_ask_contested_and_reading() -> None:
    out = ok("ask", "council", "launch-operation", "-m", MINI).stdout
    assert out.startswith("CONTESTED")
    assert "launch-decision=note: forbidden" in out
    assert "launch-decision=council: permitted" in out
    data = as_json("ask", "council", "launch-operation", "-m", MINI)
    assert data["by_reading"] == {
        "launch-decision=note": "forbidden",
        "launch-decision=council": "permitted",
    }
    data = as_json(
        "ask", "council", "launch-operation", "--reading", "launch-decision=council", "-m", MINI
    )
    assert data["verdict"] == "permitted"
    assert data["reading"] == {"launch-decision": "council"}
    assert data["by_reading"] == {}
    out = ok("ask", "council", "launch-operation", "-r", "launch-decision=note", "-m", MINI)
    assert out.stdout.startswith("FORBIDDEN")


def test_ask_date() -> None:
    data = as_json("ask", "eu", "hold-political-dialogue", "-d", "2000-03-01", "-m", MINI)
    assert data["verdict"] == "not-regulated"
    assert data["date"] == "2000-03-01"
    assert data["set_aside"][0]["reason"] == (
        "suspended by pca-part of pca (2000-01-24 to 2000-07-10)"
    )


# ---- who --------------------------------------------------------------------------------


def test_who_text() -> None:
    out = ok("who", "take-part-in-committee", "-m", MINI).stdout
    for actor in ("eu", "sweden", "finland"):
        assert actor in out
    assert "russia" not in out


def test_who_json() -> None:
    data = as_json("who", "chair", "--deontic", "must", "-m", MINI)
    assert data["deontic"] == "must"
    assert [(a["actor"], a["verdict"]) for a in data["answers"]] == [
        ("presidency", "obliged"),
        ("sweden", "obliged"),
    ]
    data = as_json(
        "who", "launch-operation", "--deontic", "may", "-r", "launch-decision=council", "-m", MINI
    )
    assert [a["actor"] for a in data["answers"]] == ["council"]


def test_who_nobody() -> None:
    out = ok("who", "chair", "-d", "2001-08-01", "--deontic", "must-not", "-m", MINI).stdout
    assert "no actor is must-not to chair" in out


# ---- test, coverage, schema ---------------------------------------------------------------


def test_test_command() -> None:
    assert "3 passed, 0 failed" in ok("test", MINI).stdout
    data = as_json("test", MINI)
    assert (data["passed"], data["failed"]) == (3, 0)
    assert {r["question"] for r in data["results"]} == {
        "routine-meeting",
        "launch-contested",
        "pca-in-force",
    }
    data = as_json("test", MINI, "-k", "launch")
    assert [r["question"] for r in data["results"]] == ["launch-contested"]
    assert data["results"][0]["origin"] == "mini/questions/basic.yaml:6"


def test_coverage() -> None:
    out = ok("coverage", "-m", MINI).stdout
    assert "coverage of note" in out
    assert "0 uncited factual paragraphs" in out
    data = as_json("coverage", "-m", MINI)
    (note,) = data
    assert note["source"] == "note"
    assert [p["paragraph"] for p in note["paragraphs"]] == ["p1", "p2", "p3"]
    assert "presidency-chairs" in note["paragraphs"][2]["cited_by"]  # cited at fn6 = p3
    assert "routine-meetings" in note["paragraphs"][1]["cited_by"]
    assert note["uncited"] == []


def test_coverage_of_an_unknown_source() -> None:
    result = failed("coverage", "--source", "portela", "-m", MINI)
    assert "source 'portela' has no text in this model" in result.stderr


def test_schema() -> None:
    data = as_json_plain("schema")
    assert {"model", "statements", "actors", "instruments", "events"} <= set(data)
    one = as_json_plain("schema", "--kind", "statements")
    assert one["type"] == "array"
    assert {"id", "aim", "deontic", "condition", "overrides"} <= set(one["items"]["properties"])
    assert one == data["statements"]
    result = failed("schema", "--kind", "bogus")
    assert "unknown kind 'bogus'" in result.stderr


def as_json_plain(*args: str) -> Any:
    return json.loads(ok(*args).stdout)


# ---- errors -----------------------------------------------------------------------------


def test_unknown_actor() -> None:
    result = failed("ask", "rusia", "participate", "-m", MINI)
    assert "Error: unknown actor 'rusia' (did you mean 'russia'?)" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("cmd", [("ask", "russia", "participate"), ("who", "participate")])
@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2001-02-30", "impossible date '2001-02-30'"),
        ("soon", "not a date: 'soon'"),
        ("2001-05", "a question needs an exact day"),
    ],
)
def test_bad_date(cmd: tuple[str, ...], day: str, message: str) -> None:
    result = failed(*cmd, "-d", day, "-m", MINI)
    assert "Error:" in result.stderr
    assert message in result.stderr


def test_at_bad_date() -> None:
    result = failed("at", "2001-02-30", "-m", MINI)
    assert "impossible date '2001-02-30'" in result.stderr


def test_unknown_reading() -> None:
    result = failed("ask", "council", "launch-operation", "-r", "launch-decision=nato", "-m", MINI)
    assert "unknown reading 'nato' of 'launch-decision' (known: note, council)" in result.stderr


def test_set_without_a_value_is_a_usage_error() -> None:
    result = failed("ask", "russia", "participate", "--set", "invited", "-m", MINI, code=2)
    assert "expected NAME=VALUE, got 'invited'" in result.output


def test_conflicting_set_paths_are_reported() -> None:
    result = CliRunner().invoke(
        main, ["ask", "russia", "participate", "--set", "a=1", "--set", "a.b=2", "-m", MINI]
    )
    assert "Internal error" not in result.output
    assert result.exit_code in (1, 2)


def test_bad_model_folder(make_model: Callable[..., Path]) -> None:
    root = make_model(files={"actors/extra.yaml": "- id: x\n"})
    result = failed("ask", "russia", "participate", "-m", str(root))
    assert "mini/actors/extra.yaml:1:3: missing required key 'name' [missing-key]" in (
        result.stderr
    )
    result = failed("at", "-m", str(root))
    assert "[missing-key]" in result.stderr


# ---- JSON Schema against the model files -------------------------------------------------


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as editors read files: true/false, numbers, no dates, on/yes
    are text."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), first)


def load12(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def validate(kind: str, data: Any) -> list[str]:
    v = jsonschema.Draft202012Validator(json_schema(kind))
    return [f"{list(e.path)}: {e.message}" for e in v.iter_errors(data)]


def _cites_as_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: [v] if k == "cite" and isinstance(v, dict) else _cites_as_lists(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_cites_as_lists(v) for v in value]
    return value


def test_yaml12_loader_reads_like_an_editor() -> None:
    assert load12_text("a: 2001-05-17\nb: on\nc: true\nd: 1994\n") == {
        "a": "2001-05-17",
        "b": "on",
        "c": True,
        "d": 1994,
    }


def load12_text(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)


@pytest.mark.parametrize("kind", ["statements", "actors", "events", "readings", "sources"])
def test_schema_validates_the_mini_files_with_list_citations(kind: str) -> None:
    data = _cites_as_lists(load12(Path(MINI) / f"{kind}.yaml"))
    assert validate(kind, data) == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    data = _cites_as_lists(load12(Path(MINI) / "statements.yaml"))
    data[0]["aim_"] = "meet"
    data[1]["deontic"] = "shall"
    errors = validate("statements", data)
    assert any("aim_" in e for e in errors)
    assert any("'shall'" in e for e in errors)


def test_schema_validates_the_mini_statements_file() -> None:
    result = ok("schema", "--kind", "statements")
    schema = json.loads(result.stdout)
    data = load12(Path(MINI) / "statements.yaml")
    errors = [
        f"{list(e.path)}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ]
    assert errors == []


def test_schema_accepts_year_only_dates() -> None:
    data = load12_text(
        "- id: tca\n  title: TCA\n  kind: agreement\n  signed: 1989\n"
        "  in_force: {from: 1990}\n  cite: [{source: note, confidence: inferred}]\n"
    )
    assert validate("instruments", data) == []


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_set_values_keep_the_json_valid() -> None:
    result = ok("ask", "russia", "participate", "--set", "region=Infinity", "-m", MINI, "--json")
    assert _strict_json(result.stdout)["situation"] == {"region": "Infinity"}
