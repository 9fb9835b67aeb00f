"""Properties that hold for every input: dates, intervals, conditions, recurrences, YAML."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.conditions import UNKNOWN, Env, compile_condition
from accord.errors import ConditionError
from accord.loading.yamlsrc import parse_yaml_text
from accord.model.recurrence import parse_recurrence
from accord.time import Bound, Interval, PartialDate, and3, not3, or3, parse_date, parse_day

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))

# ---- dates -------------------------------------------------------------------------------


@FAST
@given(st.dates())
def test_iso_dates_round_trip(d: date) -> None:
    p = parse_date(d.isoformat())
    assert (p.earliest, p.latest, p.text, p.exact) == (d, d, d.isoformat(), True)
    assert parse_day(d.isoformat()) == d
    assert parse_date(d) == p


@FAST
@given(st.integers(1, 9999), st.integers(1, 12))
def test_partial_dates_cover_their_span(year: int, month: int) -> None:
    m = parse_date(f"{year:04d}-{month:02d}")
    assert m.earliest == date(year, month, 1)
    assert m.latest == date(year, month, calendar.monthrange(year, month)[1])
    y = parse_date(f"{year:04d}")
    assert (y.earliest, y.latest) == (date(year, 1, 1), date(year, 12, 31))
    assert not m.exact and not y.exact
    with pytest.raises(ValueError, match="exact day"):
        parse_day(f"{year:04d}-{month:02d}")


@FAST
@given(days, days)
def test_day_ranges(a: date, b: date) -> None:
    text = f"{a.isoformat()}/{b.isoformat()}"
    if b < a:
        with pytest.raises(ValueError, match="ends before it starts"):
            parse_date(text)
    else:
        r = parse_date(text)
        assert (r.earliest, r.latest) == (a, b)


@FAST
@given(st.integers(1, 9999), st.integers(1, 12), st.integers(29, 31))
def test_impossible_days_are_refused(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if day <= calendar.monthrange(year, month)[1]:
        assert parse_date(text).earliest == date(year, month, day)
    else:
        with pytest.raises(ValueError, match="impossible date"):
            parse_date(text)


@FAST
@given(st.one_of(st.text(), st.text(alphabet="0123456789-/ ", max_size=25)))
def test_parse_date_raises_only_value_error(text: str) -> None:
    try:
        p = parse_date(text)
    except ValueError:
        return
    assert isinstance(p, PartialDate)
    assert p.earliest <= p.latest


@FAST
@given(st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.text())))
def test_parse_date_refuses_non_text(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


# ---- intervals ----------------------------------------------------------------------------


@FAST
@given(st.one_of(st.none(), days), st.one_of(st.none(), days), days)
def test_exact_interval_containment_is_a_comparison(
    start: date | None, end: date | None, day: date
) -> None:
    iv = Interval(
        Bound.open() if start is None else Bound.at(PartialDate(start, start, "s")),
        Bound.open() if end is None else Bound.at(PartialDate(end, end, "e")),
    )
    brute = (start is None or start <= day) and (end is None or day <= end)
    assert iv.contains(day) is brute


def _month(d: date) -> PartialDate:
    last = calendar.monthrange(d.year, d.month)[1]
    return PartialDate(d.replace(day=1), d.replace(day=last), f"{d:%Y-%m}")


def _year(d: date) -> PartialDate:
    return PartialDate(date(d.year, 1, 1), date(d.year, 12, 31), f"{d:%Y}")


spans = st.one_of(
    st.none(),
    days.map(lambda d: PartialDate(d, d, d.isoformat())),
    days.map(_month),
    days.map(_year),
)


def _possible_days(p: PartialDate) -> list[date]:
    n = (p.latest - p.earliest).days
    return [p.earliest + timedelta(days=i) for i in range(n + 1)]


@settings(max_examples=120, deadline=None)
@given(spans, spans, days)
def test_partial_bounds_are_uncertain_only_inside_their_span(
    start: PartialDate | None, end: PartialDate | None, day: date
) -> None:
    iv = Interval(
        Bound.open() if start is None else Bound.at(start),
        Bound.open() if end is None else Bound.at(end),
    )
    got = iv.contains(day)
    # brute force: try every day each partial end could really be
    starts = [None] if start is None else _possible_days(start)
    ends = [None] if end is None else _possible_days(end)
    outcomes = {
        (s is None or s <= day) and (e is None or day <= e)
        for s in starts
        for e in (ends if len(ends) < 40 else [ends[0], ends[-1]])
    }
    if len(outcomes) == 1:
        assert got is outcomes.pop()
    else:
        assert got is None
    if got is None:
        inside = [p for p in (start, end) if p is not None and p.earliest <= day <= p.latest]
        assert inside, "uncertain only inside a partial span"


@FAST
@given(days, days)
def test_unknown_end_is_uncertain_once_started(start: date, day: date) -> None:
    iv = Interval(Bound.at(PartialDate(start, start, "s")), Bound.unknown())
    assert iv.contains(day) is (None if day >= start else False)
    assert Interval.always().contains(day) is True


truths = st.sampled_from([True, False, None])


@given(truths, truths)
def test_kleene_logic(a: bool | None, b: bool | None) -> None:
    def worlds(t: bool | None) -> list[bool]:
        return [True, False] if t is None else [t]

    for fn, op in ((and3, lambda x, y: x and y), (or3, lambda x, y: x or y)):
        outs = {op(x, y) for x in worlds(a) for y in worlds(b)}
        assert fn(a, b) is (outs.pop() if len(outs) == 1 else None)
    assert not3(not3(a)) is a


# ---- the condition language ----------------------------------------------------------------

VOCABULARY = [
    "(", ")", "[", "]", ",", ".", "@", "and", "or", "not", "in", "not in",
    "==", "!=", "<", "<=", ">", ">=", "=", "===",
    "phase", "actor", "date", "contributors", "operation.region", "x",
    "'crisis'", '"routine"', "'", '"', "3", "0.5", "-1", "1.2.3",
    "2001-05-17", "2001-02-30", "true", "false",
    "@eu", "@russia", "@",
    "member", "holds", "in_force", "in_effect", "given", "count", "launch",
    "member(actor, @eu)", "given(phase)", "count(contributors)", "object",
]  # fmt: skip

SITUATION = {
    "phase": "crisis",
    "contributors": ["russia", "ukraine"],
    "operation": {"region": "balkans"},
    "x": 3,
}


def _evaluate_any(cond_text: str) -> None:
    """Compile; if it compiles, it must evaluate to True/False/None in any situation."""
    try:
        cond = compile_condition(cond_text)
    except ConditionError as err:
        assert err.column >= 1
        assert str(err)
        return
    for situation in ({}, SITUATION):
        env = Env(situation=situation, actor="russia", day=date(2001, 5, 17))
        assert cond.evaluate(env) in (True, False, None)


@FAST
@given(st.text(max_size=80))
def test_arbitrary_text_raises_only_condition_error(text: str) -> None:
    _evaluate_any(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=14), st.sampled_from([" ", ""]))
def test_token_soup_raises_only_condition_error(tokens: list[str], sep: str) -> None:
    _evaluate_any(sep.join(tokens))


@FAST
@given(
    st.sampled_from(["(", "[", "not ", "@", "x ==", "member(", "'x", "phase in"]),
    st.integers(1, 40),
)
def test_truncated_and_repeated_prefixes(prefix: str, n: int) -> None:
    with pytest.raises(ConditionError):
        compile_condition(prefix * n)


def test_overlong_and_empty_conditions() -> None:
    with pytest.raises(ConditionError, match="longer than"):
        compile_condition("x or " * 500 + "x")
    for blank in ("", "   ", "\n"):
        with pytest.raises(ConditionError, match="empty condition"):
            compile_condition(blank)
    with pytest.raises(ConditionError, match="must be text"):
        compile_condition(None)  # type: ignore[arg-type]


# well-formed conditions from a small generator, with a situation that may lack facts
FACTS = {"phase": st.sampled_from(["routine", "crisis", "operational"]), "n": st.integers(-3, 3)}

atoms = st.one_of(
    st.sampled_from(["routine", "crisis", "operational"]).map(lambda v: f"phase == '{v}'"),
    st.sampled_from(["routine", "crisis"]).map(lambda v: f"phase != '{v}'"),
    st.tuples(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), st.integers(-3, 3)).map(
        lambda t: f"n {t[0]} {t[1]}"
    ),
    st.just("phase in ['crisis', 'operational']"),
    st.just("phase not in ['crisis']"),
    st.just("actor in contributors"),
    st.just("given(phase)"),
    st.just("count(contributors) >= 2"),
    st.just("date >= 2000-12-09"),
    st.just("true"),
    st.just("false"),
)

conditions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        inner.map(lambda c: f"not ({c})"),
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"
        ),
    ),
    max_leaves=8,
)

situations = st.fixed_dictionaries(
    {},
    optional={
        "phase": FACTS["phase"],
        "n": FACTS["n"],
        "contributors": st.lists(st.sampled_from(["russia", "@russia", "ukraine"]), max_size=3),
    },
)


def _value(text: str, situation: dict[str, Any]) -> bool | None:
    env = Env(situation=situation, actor="russia", day=date(2001, 5, 17))
    return compile_condition(text).evaluate(env)


@settings(max_examples=200, deadline=None)
@given(conditions, situations)
def test_well_formed_conditions_evaluate_and_not_flips(
    text: str, situation: dict[str, Any]
) -> None:
    v = _value(text, situation)
    assert v in (True, False, None)
    assert _value(f"not ({text})", situation) is (None if v is None else not v)


@settings(max_examples=100, deadline=None)
@given(conditions, conditions, situations)
def test_and_or_follow_kleene_logic(a: str, b: str, situation: dict[str, Any]) -> None:
    va, vb = _value(a, situation), _value(b, situation)
    assert _value(f"({a}) and ({b})", situation) is and3(va, vb)
    assert _value(f"({a}) or ({b})", situation) is or3(va, vb)


@settings(max_examples=150, deadline=None)
@given(conditions, situations)
def test_unknown_only_when_a_fact_is_missing(text: str, situation: dict[str, Any]) -> None:
    cond = compile_condition(text)
    env = Env(situation=situation, actor="russia", day=date(2001, 5, 17))
    v = cond.evaluate(env)
    if v is None:
        assert env.needs, "an unknown value must name the facts it needs"
        assert env.needs <= cond.facts
        assert not env.needs <= set(situation)
    full = {"phase": "crisis", "n": 0, "contributors": ["russia"], **situation}
    assert _value(text, full) in (True, False)


def test_unknown_is_not_a_boolean() -> None:
    with pytest.raises(TypeError):
        bool(UNKNOWN)


@pytest.mark.parametrize(
    "text",
    ["not " * 499 + "x", "[" * 300 + "]" * 300, "x in " + "[" * 300 + "]" * 300],
    ids=["not-499", "brackets-300", "in-brackets-300"],
)
def test_deep_nesting_raises_condition_error_or_compiles(text: str) -> None:
    try:
        cond = compile_condition(text)
    except ConditionError:
        return
    assert cond.evaluate(Env(situation={"x": True})) in (True, False, None)


@pytest.mark.parametrize("word", ["and", "or", "in"])
def test_keywords_are_not_fact_names(word: str) -> None:
    with pytest.raises(ConditionError):
        compile_condition(word)


# ---- recurrences ------------------------------------------------------------------------------


@FAST
@given(st.one_of(st.text(max_size=40), st.none(), st.integers()))
def test_parse_recurrence_raises_only_value_error(text: object) -> None:
    try:
        r = parse_recurrence(text)
    except ValueError:
        return
    assert r.per_year > 0
    assert r.times >= 1 and r.length >= 1


@FAST
@given(
    st.integers(1, 60),
    st.sampled_from(["day", "week", "month", "year"]),
    st.sampled_from(["", "s"]),
)
def test_every_n_units(n: int, unit: str, plural: str) -> None:
    r = parse_recurrence(f"every {n} {unit}{plural}")
    per = {"day": 365.0, "week": 52.0, "month": 12.0, "year": 1.0}[unit]
    assert r.per_year == pytest.approx(per / n)
    assert str(r) == f"every {n} {unit}{plural}"


@FAST
@given(st.integers(1, 12), st.sampled_from(["a", "per", "each", "every"]))
def test_n_times_a_year(n: int, per: str) -> None:
    assert parse_recurrence(f"{n} times {per} year").per_year == n


@pytest.mark.parametrize(
    ("text", "per_year"),
    [
        ("every six months", 2.0),
        ("twice a year", 2.0),
        ("once a year", 1.0),
        ("monthly", 12.0),
        ("annually", 1.0),
        ("quarterly", 4.0),
        ("Every  Six Months ", 2.0),
    ],
)
def test_documented_recurrences(text: str, per_year: float) -> None:
    assert parse_recurrence(text).per_year == pytest.approx(per_year)


@pytest.mark.parametrize("text", ["every 0 months", "0 times a year", "now and then", ""])
def test_bad_recurrences(text: str) -> None:
    with pytest.raises(ValueError, match="not a recurrence"):
        parse_recurrence(text)


# ---- the YAML loader ----------------------------------------------------------------------

YAML_CHARS = st.sampled_from([*"abc:- \n\t[]{},'\"#|>!%@`?~0129.", "id", "  ", "- id: "])


@FAST
@given(st.text(max_size=120))
def test_yaml_loader_never_raises_on_text(text: str) -> None:
    doc = parse_yaml_text(text, "x.yaml")
    _check_doc(doc)


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_CHARS, max_size=60).map("".join))
def test_yaml_loader_never_raises_on_yaml_like_text(text: str) -> None:
    # '&' and '*' (anchors, aliases) are left out: test_yaml_loader_survives_recursive_aliases
    doc = parse_yaml_text(text, "x.yaml")
    _check_doc(doc)


def _check_doc(doc: Any) -> None:
    assert doc.file == "x.yaml"
    for p in doc.problems:
        assert p.file == "x.yaml"
        assert p.line >= 1 and p.column >= 1
        assert p.code in ("yaml-syntax", "duplicate-key", "bad-key")
    if any(p.code == "yaml-syntax" for p in doc.problems):
        assert doc.value is None and doc.root is None
    _plain_only(doc.value)


def _plain_only(value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str)
            _plain_only(v)
    elif isinstance(value, list):
        for v in value:
            _plain_only(v)
    else:
        assert value is None or isinstance(value, str)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"id": st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)},
            optional={"date": days.map(date.isoformat), "flag": st.sampled_from(["yes", "no"])},
        ),
        max_size=5,
    )
)
def test_yaml_scalars_stay_text_and_are_located(items: list[dict[str, str]]) -> None:
    lines = []
    for item in items:
        lines.append(f"- id: {item['id']}")
        lines += [f"  {k}: {v}" for k, v in item.items() if k != "id"]
    doc = parse_yaml_text("\n".join(lines) + "\n", "x.yaml")
    assert doc.problems == []
    assert doc.value == (items or None)
    line = 1
    for i, item in enumerate(items):
        keys = ["id", *(k for k in item if k != "id")]  # the order they were written in
        for j, key in enumerate(keys):
            assert doc.locate((i, key)) == (line + j, len(key) + 5)
            assert doc.locate((i, key), key=True) == (line + j, 3)
        line += len(item)


@pytest.mark.parametrize(
    "text",
    ["&a [*a]", "a: &x {b: *x}", "- &a\n  - *a\n", "[" * 2000 + "]" * 2000],
    ids=["flow-list", "flow-mapping", "block-list", "nested-2000"],
)
def test_yaml_loader_survives_recursive_aliases(text: str) -> None:
    doc = parse_yaml_text(text, "x.yaml")
    assert doc.problems


@pytest.mark.parametrize("text", ["٢٠٠١-٠٥-١٧", "２００１", "2001-0５"])
def test_dates_are_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)
