"""The framework at a date: instrument lifecycles, bodies, members and office-holders."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from accord.engine import Model, State
from accord.engine.state import ModelWorld, holders_at, members_at, membership_path
from accord.errors import QueryError

D = date.fromisoformat


def status(m: Model, iid: str, day: str) -> tuple[str, object, object, object]:
    s = m.at(day).instrument(iid)
    return s.label, s.in_force, s.in_effect, s.suspended


def body(state: State, actor: str) -> dict[str, object] | None:
    for b in state.bodies:
        if b.actor == actor:
            return b.to_dict()
    return None


# ---- instruments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iid", "day", "label", "in_force", "in_effect", "suspended"),
    [
        # not yet in force (signed or not), in force
        ("pca", "1995-01-01", "signed, not yet in force", False, False, False),
        ("nice", "2000-06-01", "not yet in force", False, False, False),
        ("pca", "1997-12-01", "in force, in effect", True, True, False),
        ("nice", "2000-12-09", "in force, in effect", True, True, False),
        # suspended in part: still in force and in effect
        ("pca", "2000-01-24", "in force, in effect, suspended in part", True, True, True),
        ("pca", "2000-07-10", "in force, in effect, suspended in part", True, True, True),
        ("pca", "2000-07-11", "in force, in effect", True, True, False),
        # suspended as a whole: in force, not in effect
        ("tacis", "2000-03-01", "in force, suspended", True, False, True),
        ("tacis", "2000-07-11", "in force, in effect", True, True, False),
        # expired
        ("common-strategy", "2004-06-24", "in force, in effect", True, True, False),
        ("common-strategy", "2004-06-25", "expired", False, False, False),
        # partial start date "1999-06": uncertain inside June 1999
        ("common-strategy", "1999-05-31", "not yet in force", False, False, False),
        ("common-strategy", "1999-06-15", "in force (uncertain)", None, None, False),
        ("common-strategy", "1999-06-30", "in force, in effect", True, True, False),
        # partial start "1990"; end at an event; replaced from that event on
        ("tca", "1990-06-01", "in force (uncertain)", None, None, False),
        ("tca", "1995-01-01", "in force, in effect", True, True, False),
        ("tca", "1997-12-01", "replaced by pca", True, True, False),
        ("tca", "1998-01-01", "replaced by pca", False, False, False),
    ],
)
def test_instrument_status(
    mini: Model,
    iid: str,
    day: str,
    label: str,
    in_force: object,
    in_effect: object,
    suspended: object,
) -> None:
    assert status(mini, iid, day) == (label, in_force, in_effect, suspended)


def test_partial_suspension_names_the_provisions(mini: Model) -> None:
    s = mini.at("2000-03-01").instrument("pca")
    assert s.suspended_provisions == ("pca-dialogue",)
    assert s.suspensions == ("pca-part",)
    assert "suspended in part by pca-part (2000-01-24 to 2000-07-10): pca-dialogue" in s.reasons


def test_whole_suspension_gives_its_reason(mini: Model) -> None:
    s = mini.at("2000-03-01").instrument("tacis")
    assert s.suspensions == ("tacis-freeze",)
    assert s.suspended_provisions == ()
    assert "suspended as a whole by tacis-freeze (2000-01-24 to 2000-07-10)" in s.reasons


def test_replacement(mini: Model) -> None:
    s = mini.at("1999-01-01").instrument("tca")
    assert s.replaced_by == "pca"
    assert "replaced by pca from 1997-12-01 (event pca-in-force)" in s.reasons
    assert mini.at("1996-01-01").instrument("tca").replaced_by is None


def test_signed_partial_year(mini: Model) -> None:
    assert mini.at("1994-06-01").instrument("pca").signed is None  # signed "1994"
    assert mini.at("1995-01-01").instrument("pca").signed is True
    assert mini.at("1993-12-31").instrument("pca").signed is False
    assert mini.at("2001-01-01").instrument("nice").signed is None  # no date recorded


def test_instrument_truths(mini: Model) -> None:
    assert mini.instrument_truths("tacis", D("2000-03-01")) == {
        "in_force": True,
        "in_effect": False,
        "suspended": True,
        "signed": True,
    }


# ---- statements in effect ---------------------------------------------------------------


def test_statements_in_effect(mini: Model) -> None:
    def in_effect(day: str) -> dict[str, object]:
        return {s: t for s, _, t in mini.at(day).statements}

    may_2001 = in_effect("2001-05-17")
    assert set(may_2001) == set(mini.statements)
    assert all(t is True for t in may_2001.values())
    # March 2000: the dialogue (partial suspension) and TACIS (whole) are out; Nice not yet
    assert in_effect("2000-03-01") == {
        "participate-default": True,
        "participate-case-by-case": True,
    }
    assert in_effect("1999-06-15") == {
        "pca-dialogue": True,
        "participate-default": None,
        "participate-case-by-case": None,
        "tacis-assistance": True,
    }
    assert "participate-default" not in in_effect("2005-01-01")


# ---- bodies, members, holders -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "holder"),
    [
        ("1999-06-30", None),
        ("1999-07-01", "finland"),
        ("1999-12-31", "finland"),
        ("2000-03-01", None),
        ("2001-01-01", "sweden"),
        ("2001-05-17", "sweden"),
        ("2001-07-01", None),
    ],
)
def test_rotating_office(mini: Model, day: str, holder: str | None) -> None:
    holders = [h for h, _, _ in holders_at(mini, "presidency", D(day))]
    assert holders == ([holder] if holder else [])
    # the PSC Troika's member is the Presidency: whoever holds it on the day
    members = [a for a, _, _ in members_at(mini, "psc-troika", D(day))]
    assert members == ([holder] if holder else [])
    state = mini.at(day)
    if holder:
        office = body(state, "presidency")
        assert office is not None
        assert office["kind"] == "office"
        assert office["members"] == []
        assert office["holders"] == [{"actor": holder, "certain": True}]
        assert body(state, "psc-troika")["members"] == [  # type: ignore[index]
            {"actor": holder, "role": None, "certain": True}
        ]
    else:
        assert body(state, "presidency") is None
        assert body(state, "psc-troika") is None


def test_members_from_an_event(mini: Model) -> None:
    assert body(mini.at("1997-11-30"), "coop-council") is None
    assert members_at(mini, "coop-council", D("1997-11-30")) == []
    members = body(mini.at("1997-12-01"), "coop-council")
    assert members is not None
    got = {m["actor"] for m in members["members"]}  # type: ignore[attr-defined]
    # a member of a member is a member: the EU's member states sit there too
    assert got == {"eu", "russia", "sweden", "finland"}
    direct = [a for a, _, _ in members_at(mini, "coop-council", D("1997-12-01"), transitive=False)]
    assert direct == ["eu", "russia"]


def test_membership_is_transitive_for_matching(mini: Model) -> None:
    ok, why = membership_path(mini, "sweden", "coop-council", D("2001-05-17"))
    assert ok is True
    assert why == (
        "sweden is a member of eu (1995-01-01 to open); "
        "eu is a member of coop-council (1997-12-01 (event pca-in-force) to open)"
    )
    assert membership_path(mini, "sweden", "coop-council", D("1997-01-01"))[0] is False
    # through an office: Sweden holds the Presidency, a member of the PSC Troika
    ok, why = membership_path(mini, "sweden", "psc-troika", D("2001-05-17"))
    assert ok is True
    assert why.startswith("sweden holds presidency")
    assert membership_path(mini, "finland", "psc-troika", D("2001-05-17"))[0] is False
    assert membership_path(mini, "finland", "psc-troika", D("1999-10-01"))[0] is True


def test_model_world_reads_dated_facts(mini: Model) -> None:
    w = ModelWorld(mini)
    assert w.holds("sweden", "presidency", D("2001-05-17")) == (
        True,
        "sweden holds presidency (2001-01-01 to 2001-06-30)",
    )
    assert w.holds("finland", "presidency", D("2001-05-17")) == (
        False,
        "finland does not hold presidency on 2001-05-17",
    )
    assert w.in_force("tacis", D("2000-03-01"))[0] is True
    assert w.in_effect("tacis", D("2000-03-01")) == (
        False,
        "tacis: in force, suspended on 2000-03-01",
    )
    assert w.in_force("common-strategy", D("1999-06-15"))[0] is None
    assert w.member("ukraine", "eu", D("2001-05-17"))[0] is False


def test_uncertain_membership_from_a_partial_date(load_changed: Callable[..., Model]) -> None:
    m = load_changed(
        append={
            "actors.yaml": (
                "- id: contact-group\n"
                "  name: Contact group\n"
                "  kind: group\n"
                "  members:\n"
                "    - {actor: russia, from: 2001-05}\n"
                "    - {actor: psc-troika, to: 2001-12-31}\n"
                "  cite: {source: note, at: p2, confidence: inferred}\n"
            )
        }
    )
    members = {a: c for a, _, c in members_at(m, "contact-group", D("2001-05-10"))}
    # Russia joins some day in May 2001; the PSC Troika (a format) expands to its members
    assert members == {"russia": None, "psc-troika": True, "sweden": True}
    assert {a: c for a, _, c in members_at(m, "contact-group", D("2001-06-01"))}["russia"]
    assert membership_path(m, "russia", "contact-group", D("2001-05-10"))[0] is None
    assert membership_path(m, "russia", "contact-group", D("2001-04-30"))[0] is False
    d = body(m.at("2001-05-10"), "contact-group")
    assert d is not None
    assert {"actor": "russia", "role": None, "certain": False} in d["members"]  # type: ignore[operator]


# ---- the state as a whole ---------------------------------------------------------------


def test_events_on_the_day(mini: Model) -> None:
    assert mini.at("1997-12-01").events == ("pca-in-force",)
    # the Nice European Council is a range of days
    for day in ("2000-12-07", "2000-12-08", "2000-12-09"):
        assert mini.at(day).events == ("nice-council",)
    assert mini.at("2000-12-10").events == ()


def test_default_date_and_to_dict(mini: Model) -> None:
    s = mini.at()
    assert s.day == D("2001-05-17")
    assert s.model == "mini"
    data = json.loads(json.dumps(s.to_dict()))
    assert data["date"] == "2001-05-17"
    pca = next(i for i in data["instruments"] if i["instrument"] == "pca")
    assert pca["label"] == "in force, in effect"
    assert {"statement": "routine-meetings", "instrument": "nice", "in_effect": "yes"} in data[
        "statements"
    ]
    uncertain = mini.at("1999-06-15").to_dict()
    assert {
        "statement": "participate-default",
        "instrument": "common-strategy",
        "in_effect": "uncertain",
    } in uncertain["statements"]


@pytest.mark.parametrize("day", ["2001-02-30", "yesterday", "2001"])
def test_bad_dates(mini: Model, day: str) -> None:
    with pytest.raises(QueryError):
        mini.at(day)
