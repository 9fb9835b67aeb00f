"""The reference model of the 2001 note (issue 3): whole, cited, and answering from its rules."""

from __future__ import annotations

import pytest

import accord
from accord.engine.coverage import coverage
from accord.engine.questions import run_questions
from accord.model.walk import citations as iter_citations


@pytest.fixture(scope="module")
def model() -> accord.Model:
    return accord.load()


def test_every_question_passes_and_there_are_enough(model: accord.Model) -> None:
    results = run_questions(model)
    assert len(results) >= 60
    failed = [(r.question, r.diffs) for r in results if not r.ok]
    assert not failed


def test_no_factual_paragraph_of_the_note_is_uncited(model: accord.Model) -> None:
    cov = coverage(model, "portela-2001")
    assert len(cov.paragraphs) == 72
    assert [p.paragraph for p in cov.uncited] == []
    # the substantive paragraphs are cited, not waved through as non-factual
    for pid in ("p9", "p10", "p12", "p14", "p16", "p18", "p19", "p31", "p41", "p43"):
        p = next(x for x in cov.paragraphs if x.paragraph == pid)
        assert p.cited_by and p.non_factual is None, pid


def test_every_element_is_cited_and_inferred_is_never_quoted(model: accord.Model) -> None:
    for table in (model.actors, model.instruments, model.statements, model.events):
        for eid, el in table.items():
            cites = list(iter_citations(el))
            assert cites, eid
            for c in cites:
                if c.confidence == "quoted":
                    assert c.quote, eid
    # facts the research file marks I are kept as inferred (e.g. who decides a launch)
    launch = model.statements["launch-council-nice"]
    assert {c.confidence for c in launch.cite} == {"inferred"}


def test_known_discrepancies_are_recorded_with_both_sources(model: accord.Model) -> None:
    disc = [a for a in model.assessments.values() if a.kind == "discrepancy"]
    text = " ".join(a.text for a in disc)
    for topic in ("Title 6", "Partnership and Co-operation Council", "launch"):
        assert topic in text, topic
        # the note on one side, the primary facts on the other
        for a in (a for a in disc if topic in a.text):
            assert len({c.source for c in a.cite}) >= 2, a.id


def test_the_state_on_the_summit_day(model: accord.Model) -> None:
    s = model.at("2001-05-17")
    assert s.instrument("pca").in_force is True
    assert s.instrument("common-strategy").in_effect is True
    assert s.instrument("trade-agreement-1989").replaced_by == "pca"
    assert "summit-07" in s.events
    holders = {b.actor: [a for a, _ in b.holders] for b in s.bodies if b.holders}
    assert holders["presidency"] == ["sweden"]
    troika = next(b for b in s.bodies if b.actor == "psc-troika")
    assert {"sweden", "belgium"} <= {a for a, _, _ in troika.members}


def test_needs_only_what_could_change_the_answer(model: accord.Model) -> None:
    sure = model.ask("coop-council", "meet", day="1998-06-01")
    assert sure.verdict == "obliged" and sure.needs == ()
    open_ = model.ask(
        "russia",
        "manage-day-to-day",
        object="the EU-led operation",
        day="2001-06-15",
        situation={"phase": "operational"},
    )
    assert open_.verdict == "not-regulated" and "contributors" in open_.needs


def test_a_body_that_no_longer_exists_has_no_duties(model: accord.Model) -> None:
    before = model.ask("coop-council", "meet", day="2002-06-01")
    after = model.ask("coop-council", "meet", day="2005-06-01")
    assert before.verdict == "obliged"
    assert after.verdict == "not-regulated"
    assert any("does not exist" in s.reason for s in after.set_aside)


def test_the_suspension_reading_decides_the_pca_provision(model: accord.Model) -> None:
    day = "2000-03-01"
    both = model.ask("eu", "provide-technical-assistance", object="russia", day=day)
    assert both.verdict == "contested"
    assert both.by_reading == {
        "pca-suspension=note": "not-regulated",
        "pca-suspension=facts": "obliged",
    }
    note = model.ask(
        "eu",
        "provide-technical-assistance",
        object="russia",
        day=day,
        reading={"pca-suspension": "note"},
    )
    assert note.verdict == "not-regulated"
    after = model.ask("eu", "provide-technical-assistance", object="russia", day="2000-09-01")
    assert after.verdict == "obliged"  # unfrozen on 10 July 2000


def test_reading_in_two_processes_gives_the_same_model(
    model: accord.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.loading import parallel, yamlsrc

    monkeypatch.setattr(yamlsrc, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    forks: list[object] = []
    real_fork = parallel.Worker.fork
    monkeypatch.setattr(parallel.Worker, "fork", lambda first: forks.append(1) or real_fork(first))
    again = accord.load()
    assert forks == [1]
    for table in ("actors", "instruments", "statements", "events", "questions", "sources"):
        assert getattr(again, table) == getattr(model, table), table
    assert again.origins["pca"] == model.origins["pca"]


def test_loading_leaves_nothing_for_the_garbage_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is paused while a model loads (it would scan millions of new objects
    again and again): so a reference cycle made while loading would hold its memory until
    the load ends. None is made, with a worker process or without."""
    import gc

    from accord.loading import parallel, yamlsrc

    for forked in (False, True):
        if forked:
            monkeypatch.setattr(yamlsrc, "PARALLEL_MIN_CHARS", 0)
            monkeypatch.setattr(parallel, "can_fork", lambda: True)
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            accord.load()
            gc.collect()
            garbage = [type(o).__name__ for o in gc.garbage]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
        assert garbage == [], (forked, garbage[:20])
