"""Every way a model can be wrong gets one exact, located message — and all of them at once.

Each folder under ``fixtures/bad`` holds only the files that differ from ``fixtures/mini``
(plus ``remove.txt`` listing files to delete) and ``expected.txt``: the exact
``file:line:column: message [code]`` lines accord must print, in the order it prints them
(sorted). The model is copied to ``tmp_path/mini`` so that paths start with ``mini/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import accord
from accord.cli import main
from accord.errors import ModelError, Problem

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())

# fixtures whose expected output is right but accord's is not (yet): see the reasons
KNOWN_BUGS: dict[str, str] = {}  # fixture name -> bug, for cases expected to fail


def _params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True))
        if name in KNOWN_BUGS
        else name
        for name in CASES
    ]


def expected_lines(name: str) -> list[str]:
    text = (BAD / name / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("mini/")]


def test_there_is_a_fixture_for_every_failure_mode() -> None:
    wanted = {
        "unknown-key",
        "unknown-key-in-citation",
        "duplicate-key",
        "duplicate-id",
        "wrong-type-list",
        "wrong-type-text",
        "missing-key",
        "bad-date",
        "impossible-date",
        "bad-interval-end",
        "dangling-actor",
        "dangling-instrument",
        "dangling-override",
        "dangling-event",
        "dangling-source",
        "dangling-reading",
        "bad-condition",
        "unknown-function",
        "unknown-condition-actor",
        "override-cycle",
        "quote-not-found",
        "quote-other-paragraph",
        "bad-locator",
        "yaml-syntax",
        "not-a-list",
        "unknown-file",
        "missing-manifest",
        "bad-recurrence",
        "missing-aim",
        "bad-plover",
        "two-queries",
        "several",
    }
    assert wanted <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_expected_file_is_well_formed(name: str) -> None:
    lines = expected_lines(name)
    assert lines, "expected.txt is empty"
    for line in lines:
        assert line.startswith("mini/"), line
        assert line.endswith("]"), line
    # accord prints problems sorted by file, line, column
    assert lines == sorted(lines, key=_sort_key)


def _sort_key(line: str) -> tuple[str, int, int]:
    file, ln, col, _ = line.split(":", 3)
    return (file, int(ln), int(col))


@pytest.mark.parametrize("name", _params())
def test_check_reports_exactly_the_expected_problems(
    name: str, make_model: Callable[..., Path]
) -> None:
    root = make_model(overlay=BAD / name)
    result = CliRunner().invoke(main, ["check", str(root)])
    want = expected_lines(name)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Internal error" not in result.output
    got = problem_lines(result.stderr)
    for line in want:
        assert line in got, f"missing: {line}\n--- got:\n" + "\n".join(got)
    assert got == want  # nothing else, in this order
    n = len(want)
    assert f": {n} problem{'s' if n != 1 else ''}" in result.stderr
    assert result.stdout == ""  # problems go to stderr, nothing claims "ok"


@pytest.mark.parametrize("name", _params())
def test_check_json_lists_the_same_problems(name: str, make_model: Callable[..., Path]) -> None:
    root = make_model(overlay=BAD / name)
    result = CliRunner().invoke(main, ["check", str(root), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [str(Problem(**p)) for p in data["problems"]] == expected_lines(name)


@pytest.mark.parametrize("name", _params())
def test_load_raises_model_error_with_every_problem(
    name: str, make_model: Callable[..., Path]
) -> None:
    root = make_model(overlay=BAD / name)
    model = None
    with pytest.raises(ModelError) as info:
        model = accord.load(root)
    assert model is None  # never a half-loaded model
    assert [str(p) for p in info.value.problems] == expected_lines(name)
    assert info.value.problems == sorted(info.value.problems)
    assert str(len(expected_lines(name))) in info.value.summary()


def test_the_mini_model_itself_checks_clean() -> None:
    result = CliRunner().invoke(main, ["check", str(Path(__file__).parent / "fixtures" / "mini")])
    assert result.exit_code == 0, result.output
    assert "ok mini" in result.stdout


def test_a_path_that_is_not_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "not a folder" in result.stderr
    assert "[not-a-model]" in result.stderr
    assert "Traceback" not in result.output


def test_a_file_that_is_not_utf8(make_model: Callable[..., Path]) -> None:
    root = make_model()
    (root / "events").mkdir()
    (root / "events" / "latin1.yaml").write_bytes("- id: caf\xe9\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert problem_lines(result.stderr) == [
        "mini/events/latin1.yaml:1:1: not UTF-8 text (invalid continuation byte) [encoding]"
    ]


def test_a_missing_source_text(make_model: Callable[..., Path]) -> None:
    root = make_model(remove=["texts/note-excerpt.txt"])
    with pytest.raises(ModelError) as info:
        accord.load(root)
    codes = {p.code for p in info.value.problems}
    assert "missing-text" in codes
    first = info.value.problems[0]
    assert (first.file, first.line, first.column) == ("mini/sources.yaml", 6, 9)
    assert "cannot read source text 'texts/note-excerpt.txt'" in first.message


@pytest.mark.parametrize(
    ("kind", "article"),
    [("actors", "an actor"), ("instruments", "an instrument"), ("events", "an event")],
)
def test_not_a_list_message_uses_the_right_article(
    kind: str, article: str, make_model: Callable[..., Path]
) -> None:
    root = make_model(files={f"{kind}/extra.yaml": "id: x\n"})
    with pytest.raises(ModelError) as info:
        accord.load(root)
    assert f"{article} file must hold a list" in info.value.problems[0].message


def test_a_cycle_of_locator_aliases_is_a_problem(make_model: Callable[..., Path]) -> None:
    root = make_model(
        append={"sources.yaml": "  locator_aliases: {fn7: fn8, fn8: fn7}\n"},
        files={
            "actors/extra.yaml": (
                "- id: nato\n  name: NATO\n  kind: organisation\n"
                "  cite: {source: note, at: fn7, confidence: inferred}\n"
            )
        },
    )
    with pytest.raises(ModelError) as info:
        accord.load(root)
    assert [p.code for p in info.value.problems] == ["bad-locator"]


def test_a_locator_alias_resolves(make_model: Callable[..., Path]) -> None:
    root = make_model(
        append={"sources.yaml": "  locator_aliases: {fn7: fn6}\n"},
        files={
            "actors/extra.yaml": (
                "- id: nato\n  name: NATO\n  kind: organisation\n"
                "  cite: {source: note, at: fn7, quote: 'Title VI', confidence: quoted}\n"
            )
        },
    )
    model = accord.load(root)
    assert model.texts["note"].resolve("fn7") == "p3"


@pytest.mark.parametrize(
    ("name", "points_at"),
    [
        ("bad-condition", "= 'crisis'"),  # the third '=' of '==='
        ("unknown-function", "contemplates(@eu)"),
        ("several", '"'),  # the end of the condition: "… and"
        ("bad-condition-block", "= 'crisis'"),
        ("bad-condition-multiline", "==="),
    ],
)
def test_condition_problems_point_inside_the_condition(
    name: str, points_at: str, make_model: Callable[..., Path]
) -> None:
    root = make_model(overlay=BAD / name)
    with pytest.raises(ModelError) as info:
        accord.load(root)
    (p,) = [p for p in info.value.problems if p.code == "bad-condition"]
    text = (root.parent / p.file).read_text(encoding="utf-8").splitlines()[p.line - 1]
    assert text[p.column - 1 :].startswith(points_at), (text, p.column)


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(ModelError) as info:
        accord.load(root)
    return info.value.problems


def _use_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read even a small model with a worker process, whatever else the test run runs."""
    from accord.loading import parallel, yamlsrc

    monkeypatch.setattr(yamlsrc, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)


def test_quotes_checked_in_a_second_process_give_the_same_problems(
    make_model: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.loading import parallel

    root = make_model(overlay=BAD / "several")
    inline = _problems(root)
    jobs: list[str] = []
    real_send = parallel.Worker.send

    def counting_send(self: parallel.Worker, fn: Any, *args: Any) -> bool:
        jobs.append(fn.__name__)
        return real_send(self, fn, *args)

    _use_a_worker(monkeypatch)
    monkeypatch.setattr(parallel.Worker, "send", counting_send)
    forked = _problems(root)
    assert jobs[0] == "_keep_texts_job" and jobs.count("_check_quotes_job") >= 2, jobs
    assert forked == inline
    assert any(p.code == "quote-not-found" for p in forked)


def _broken_job(*args: Any) -> bytes:
    raise RuntimeError("the job fails in the worker")


def _dying_job(*args: Any) -> bytes:
    import os

    os._exit(3)  # as if the worker were killed


def test_a_worker_that_dies_changes_nothing(
    make_model: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker dies on its first job: this process reads and checks everything itself."""
    from accord.loading import package

    root = make_model(overlay=BAD / "several")
    inline = _problems(root)
    _use_a_worker(monkeypatch)
    monkeypatch.setattr(package, "parse_one", _dying_job)
    assert _problems(root) == inline


@pytest.mark.parametrize(
    "failing",
    [
        ("package", "parse_one"),
        ("checks", "_keep_texts_job"),
        ("checks", "_check_quotes_job"),
        ("both", ""),
    ],
)
def test_a_worker_that_fails_changes_nothing(
    failing: tuple[str, str], make_model: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kind of job given to the worker fails there: this process does those itself."""
    from accord.loading import checks, package, parallel

    root = make_model(overlay=BAD / "several")
    inline = _problems(root)
    _use_a_worker(monkeypatch)
    where, name = failing
    if where == "both":
        monkeypatch.setattr(package, "parse_one", _broken_job)
        monkeypatch.setattr(checks, "_check_quotes_job", _broken_job)
    else:
        monkeypatch.setattr({"package": package, "checks": checks}[where], name, _broken_job)
    sent: list[bool] = []
    real_send = parallel.Worker.send
    monkeypatch.setattr(
        parallel.Worker, "send", lambda self, *a: sent.append(real_send(self, *a)) or sent[-1]
    )
    failed = _problems(root)
    assert sent and all(sent)  # the jobs reached the worker (and failed there)
    assert failed == inline


@pytest.mark.parametrize("name", ["yaml-syntax", "duplicate-key", "several"])
def test_files_read_in_two_processes_report_the_same_problems(
    name: str, make_model: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_model(overlay=BAD / name)
    serial = _problems(root)
    _use_a_worker(monkeypatch)
    assert _problems(root) == serial


def test_the_fast_gathering_finds_what_the_located_walk_finds() -> None:
    """Citations and event ends are gathered without paths (fast) and found again with
    paths only for a record with a problem: both walks must see the same things."""
    from accord.loading.package import read_package
    from accord.model.walk import gather as _gather
    from accord.model.walk import located as _located

    loaded = read_package(accord.builtin_path())
    seen = 0
    for items in loaded.records.values():
        for rec, _, path in items:
            fast: list[object] = []
            _gather(rec, fast)
            located = _located(rec, path)
            assert sorted(map(id, fast)) == sorted(id(v) for v, _ in located), rec.id
            assert all(p[: len(path)] == path for _, p in located)
            seen += len(fast)
    assert seen > 300  # the reference model cites a great deal
