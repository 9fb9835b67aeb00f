"""Cross-checks over a whole package: ids, references, conditions, overrides, quotes.

Every problem is appended to ``loaded.problems`` with its file, line and column; nothing
stops at the first problem.
"""

from __future__ import annotations

import difflib
import pickle
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from accord.conditions import Condition, compile_condition
from accord.conditions.parser import SCENARIO_ONLY
from accord.errors import ConditionError, Problem
from accord.loading.parallel import Child, can_fork, collect, start
from accord.loading.texts import SourceText, parse_locator
from accord.loading.yamlsrc import YamlDoc
from accord.model.elements import Citation
from accord.model.recurrence import Recurrence
from accord.time import Bound, PartialDate

if TYPE_CHECKING:
    from accord.loading.package import Loaded

__all__ = ["check_references", "citation_problems"]

Path_ = tuple[Any, ...]


def _walk(value: Any, path: Path_) -> Iterator[tuple[Any, Path_]]:
    """Yield every record and value inside a record with its path (by alias)."""
    yield value, path
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _walk(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, tuple | list):
        for i, v in enumerate(value):
            yield from _walk(v, (*path, i))


_PLAIN = (str, int, float, bool, type(None), PartialDate, Recurrence)


def _may_hold(tp: Any) -> bool:
    """Can a field of this type hold (inside it) a citation or an interval end?"""
    if tp in _PLAIN or tp is Literal:
        return False
    origin = get_origin(tp)
    if origin is Literal or origin is dict:  # _walk does not look inside mappings
        return False
    if origin is Annotated:
        return _may_hold(get_args(tp)[0])
    if origin is not None:  # unions, tuples, lists …
        return any(_may_hold(a) for a in get_args(tp) if a is not Ellipsis)
    if isinstance(tp, type) and tp is not object:
        return issubclass(tp, BaseModel | Bound | tuple | list)
    return True  # Any, type variables, forward references: look


@cache
def _fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(name, alias) of the fields of a record type that may hold citations or bounds."""
    return tuple(
        (name, info.alias or name)
        for name, info in cls.model_fields.items()
        if _may_hold(info.annotation)
    )


def _cites_and_bounds(value: Any, path: Path_, out: list[tuple[Any, Path_]]) -> None:
    """What ``_walk`` finds that is a citation or an ``{event: ID}`` interval end, in the same
    order and with the same paths, without visiting the fields that cannot hold one."""
    if isinstance(value, BaseModel):
        if isinstance(value, Citation):
            out.append((value, path))
        for name, alias in _fields(type(value)):
            v = getattr(value, name)
            if v is None:
                continue
            if type(v) is tuple:
                for i, x in enumerate(v):
                    _cites_and_bounds(x, (*path, alias, i), out)
            else:
                _cites_and_bounds(v, (*path, alias), out)
    elif isinstance(value, Bound):
        if value.kind == "event":
            out.append((value, path))
    elif isinstance(value, tuple | list):
        for i, v in enumerate(value):
            _cites_and_bounds(v, (*path, i), out)


_Found = list[tuple[tuple[str, ...], str, str]]


class QuoteCheck:
    """Every citation's locator and quote checked against the texts — in a forked second
    process when the model is large and the machine has a second core, so that it runs
    beside the other checks; otherwise (or if anything goes wrong there) right here.

    Only the problems travel back from the child (a few bytes for a clean model).
    """

    MIN_FOR_A_SECOND_PROCESS = 50_000

    def __init__(
        self, quotes: list[tuple[Citation, YamlDoc, Path_]], texts: Mapping[str, SourceText]
    ) -> None:
        self.keys = [(c.via or c.source, c.at, c.quote) for c, _, _ in quotes]
        self.first = {k: c for k, (c, _, _) in zip(self.keys, quotes, strict=True)}
        self.texts = texts
        self.child: Child | None = None
        if len(quotes) >= self.MIN_FOR_A_SECOND_PROCESS and can_fork():
            self.child = self._fork()

    def _check(self) -> dict[tuple[str, str | None, str | None], _Found]:
        """The problems of each distinct (text, locator, quote), clean ones left out."""
        out = {}
        for key, c in self.first.items():
            found = citation_problems(c, self.texts, None)
            if found:
                out[key] = found
        return out

    def _fork(self) -> Child | None:
        return start(lambda: pickle.dumps(self._check(), protocol=pickle.HIGHEST_PROTOCOL))

    def results(self) -> list[_Found]:
        found: dict[tuple[str, str | None, str | None], _Found] | None = None
        if self.child is not None:
            data = collect(self.child)
            if data is not None:
                try:
                    got = pickle.loads(data)
                except (pickle.UnpicklingError, EOFError):
                    got = None
                found = got if isinstance(got, dict) else None
        if found is None:
            found = self._check()
        return [found.get(k, []) for k in self.keys]


class _Origins(Mapping[str, tuple[str, int]]):
    """Element id -> (file, line): the line is looked up when first asked for, so that a
    file read without its node tree (see ``yamlsrc``) is not composed just to fill this."""

    def __init__(self) -> None:
        self._where: dict[str, tuple[YamlDoc, Path_]] = {}
        self._found: dict[str, tuple[str, int]] = {}

    def add(self, key: str, doc: YamlDoc, path: Path_) -> None:
        self._where[key] = (doc, path)

    def __getitem__(self, key: str) -> tuple[str, int]:
        got = self._found.get(key)
        if got is None:
            doc, path = self._where[key]
            got = self._found[key] = (doc.file, doc.locate(path)[0])
        return got

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


class _Checker:
    def __init__(self, loaded: Loaded, texts: dict[str, SourceText]) -> None:
        self.loaded = loaded
        self.texts = texts
        self.kind_of: dict[str, str] = {}
        self.where: dict[tuple[str, str], tuple[YamlDoc, Path_]] = {}
        self.origins = _Origins()
        self.pools: dict[tuple[str, ...], list[str]] = {}
        self.compiled: dict[str, Condition] = {}

    def problem(self, doc: YamlDoc, path: Path_, code: str, msg: str, key: bool = False) -> None:
        self.loaded.problems.append(doc.problem(path, code, msg, key=key))

    # ---- ids -------------------------------------------------------------------------------
    def register(self, eid: str, kind: str, doc: YamlDoc, path: Path_) -> None:
        # questions are tests, not model elements: their ids have a namespace of their own
        key = ("questions" if kind == "questions" else "model", eid)
        if key in self.where:
            first_doc, first_path = self.where[key]
            line, _ = first_doc.locate((*first_path, "id"))
            self.problem(
                doc,
                (*path, "id"),
                "duplicate-id",
                f"duplicate id {eid!r} (first defined in {first_doc.file}:{line})",
            )
            return
        self.where[key] = (doc, path)
        if kind == "questions":
            self.origins.add(f"questions/{eid}", doc, path)
            return
        self.kind_of[eid] = kind
        self.origins.add(eid, doc, path)

    def collect_ids(self) -> None:
        for kind, items in self.loaded.records.items():
            if not items:
                continue
            # asking a record for a field it lacks is slow (pydantic's __getattr__)
            fields = type(items[0][0]).model_fields
            sus_, areas_, projs_ = (n in fields for n in ("suspensions", "issue_areas", "projects"))
            for rec, doc, path in items:
                self.register(rec.id, kind, doc, path)
                if sus_:
                    for i, sus in enumerate(rec.suspensions):
                        self.register(sus.id, "suspensions", doc, (*path, "suspensions", i))
                if areas_:
                    for i, area in enumerate(rec.issue_areas):
                        if hasattr(area, "id"):
                            self.register(area.id, "issue_areas", doc, (*path, "issue_areas", i))
                if projs_:
                    for i, proj in enumerate(rec.projects):
                        self.register(proj.id, "projects", doc, (*path, "projects", i))

    def ref(
        self, doc: YamlDoc, path: Path_, value: str | None, kinds: tuple[str, ...], what: str
    ) -> None:
        if value is None:
            return
        if self.kind_of.get(value) in kinds:
            return
        pool = self.pools.get(kinds)
        if pool is None:  # every id is known by now: one pool per kind of reference
            pool = self.pools[kinds] = [i for i, k in self.kind_of.items() if k in kinds]
        near = difflib.get_close_matches(value, pool, n=2, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
        found = self.kind_of.get(value)
        noun = found[:-1].replace("_", " ") if found else ""
        extra = f"; {value!r} is {'an' if noun[:1] in 'aeiou' else 'a'} {noun}" if found else ""
        self.problem(
            doc, path, "dangling-reference", f"{what} {value!r} does not exist{extra}{hint}"
        )

    # ---- per element -----------------------------------------------------------------------
    def bounds(self, rec: Any, doc: YamlDoc, path: Path_) -> None:
        for value, p in _walk(rec, path):
            if isinstance(value, Bound) and value.kind == "event":
                self.ref(doc, p, value.event, ("events",), "event")

    def reading_ref(self, doc: YamlDoc, path: Path_, value: str) -> None:
        """``DISAGREEMENT/READING`` must name a reading of a disagreement of the model."""
        if value.count("/") != 1:
            self.problem(
                doc,
                path,
                "bad-value",
                "a reading is DISAGREEMENT/READING, e.g. launch-decision/note",
            )
            return
        dis, rid = value.split("/")
        d = next((r for r, _, _ in self.loaded.records["readings"] if r.id == dis), None)
        if d is None:
            self.ref(doc, path, dis, ("readings",), "disagreement")
        elif rid not in [r.id for r in d.readings]:
            self.problem(
                doc,
                path,
                "dangling-reference",
                f"disagreement {dis!r} has no reading {rid!r} (it has "
                f"{', '.join(r.id for r in d.readings)})",
            )

    def condition_refs(self, cond: Condition, doc: YamlDoc, path: Path_) -> None:
        for code, msg in condition_ref_problems(cond, self.kind_of):
            self.problem(doc, path, code, msg)

    def condition(self, s: Any, doc: YamlDoc, path: Path_) -> Condition | None:
        try:
            cond = self.compiled.get(s.condition)
            if cond is None:  # statements share conditions: compile each text once
                cond = self.compiled[s.condition] = compile_condition(s.condition)
        except ConditionError as err:
            line, col = doc.locate_in((*path, "condition"), err.pos)
            self.loaded.problems.append(
                Problem(doc.file, line, col, "bad-condition", f"{err} in {s.condition!r}")
            )
            return None
        for name in sorted(cond.calls & SCENARIO_ONLY):
            self.problem(
                doc,
                (*path, "condition"),
                "bad-condition",
                f"{name}() asks the model itself: it may be used in scenarios, "
                "not in a model's statements",
            )
        self.condition_refs(cond, doc, (*path, "condition"))
        return cond

    # ---- the whole model ---------------------------------------------------------------------
    def run(self) -> dict[str, Condition]:
        self.collect_ids()
        rec_kinds = self.loaded.records
        conditions: dict[str, Condition] = {}
        ACT, INS, STM = ("actors",), ("instruments",), ("statements",)
        found: list[tuple[Any, Path_]] = []
        quotes: list[tuple[Citation, YamlDoc, Path_]] = []
        for items in rec_kinds.values():
            for rec, doc, path in items:
                _cites_and_bounds(rec, path, found)
                for value, p in found:
                    if isinstance(value, Citation):
                        self.ref(doc, (*p, "source"), value.source, ("sources",), "source")
                        self.ref(doc, (*p, "via"), value.via, ("sources",), "source")
                        quotes.append((value, doc, p))
                    else:
                        self.ref(doc, p, value.event, ("events",), "event")
                found.clear()
        # the quotes are checked against the texts while the rest is checked here: in a second
        # process for a large model, on a machine that can run one
        quote_check = QuoteCheck(quotes, self.texts)
        for a, doc, p in rec_kinds["actors"]:
            self.ref(doc, (*p, "part_of"), a.part_of, ACT, "actor")
            self.ref(doc, (*p, "replaced_by"), a.replaced_by, ACT, "actor")
            for field in ("members", "holders"):
                for i, t in enumerate(getattr(a, field)):
                    self.ref(doc, (*p, field, i, "actor"), t.actor, ACT, "actor")
        for ins, doc, p in rec_kinds["instruments"]:
            for i, party in enumerate(ins.parties):
                self.ref(doc, (*p, "parties", i), party, ACT, "actor")
            self.ref(doc, (*p, "issuer"), ins.issuer, ACT, "actor")
            if ins.replaced_by:
                self.ref(
                    doc,
                    (*p, "replaced_by", "instrument"),
                    ins.replaced_by.instrument,
                    INS,
                    "instrument",
                )
            for i, sus in enumerate(ins.suspensions):
                if sus.reading:
                    self.reading_ref(doc, (*p, "suspensions", i, "reading"), sus.reading)
                for j, prov in enumerate(sus.provisions):
                    self.ref(doc, (*p, "suspensions", i, "provisions", j), prov, STM, "statement")
                self.ref(
                    doc,
                    (*p, "suspensions", i, "by"),
                    sus.by,
                    ("instruments", "events"),
                    "instrument or event",
                )
        overrides: dict[str, tuple[str, ...]] = {}
        for s, doc, p in rec_kinds["statements"]:
            self.ref(doc, (*p, "instrument"), s.instrument, INS, "instrument")
            self.ref(doc, (*p, "attribute"), s.attribute, ACT, "actor")
            if s.observed_as is not None:
                obs = (*p, "observed_as")
                self.ref(doc, (*obs, "body"), s.observed_as.body, ACT, "actor")
                for i, a in enumerate(s.observed_as.participants):
                    self.ref(doc, (*obs, "participants", i), a, ACT, "actor")
            for i, o in enumerate(s.overrides):
                self.ref(doc, (*p, "overrides", i), o, STM, "statement")
            overrides[s.id] = s.overrides
            if s.reading:
                self.reading_ref(doc, (*p, "reading"), s.reading)
            if s.condition is not None:
                cond = self.condition(s, doc, p)
                if cond is not None:
                    conditions[s.id] = cond
        self.cycles(overrides)
        for e, doc, p in rec_kinds["events"]:
            for i, a in enumerate(e.participants):
                self.ref(doc, (*p, "participants", i), a, ACT, "actor")
            self.ref(doc, (*p, "body"), e.body, ACT, "actor")
            self.ref(doc, (*p, "instrument"), e.instrument, INS, "instrument")
        for st, doc, p in rec_kinds["strands"]:
            for i, x in enumerate(st.instruments):
                self.ref(doc, (*p, "instruments", i), x, INS, "instrument")
        for pr, doc, p in rec_kinds["programmes"]:
            self.ref(doc, (*p, "instrument"), pr.instrument, INS, "instrument")
            self.ref(doc, (*p, "strand"), pr.strand, ("strands",), "strand")
            for i, x in enumerate(pr.issue_areas):
                self.ref(doc, (*p, "issue_areas", i), x, ("issue_areas",), "issue area")
            for j, proj in enumerate(pr.projects):
                self.ref(doc, (*p, "projects", j, "instrument"), proj.instrument, INS, "instrument")
                for i, x in enumerate(proj.issue_areas):
                    self.ref(
                        doc,
                        (*p, "projects", j, "issue_areas", i),
                        x,
                        ("issue_areas",),
                        "issue area",
                    )
        everything = tuple({*self.kind_of.values()})
        for a, doc, p in rec_kinds["assessments"]:
            for i, x in enumerate(a.about):
                self.ref(doc, (*p, "about", i), x, everything, "element")
        for pr, doc, p in rec_kinds["procedures"]:
            self.ref(doc, (*p, "instrument"), pr.instrument, INS, "instrument")
            for i, a in enumerate(pr.concerns):
                self.ref(doc, (*p, "concerns", i), a, ACT, "actor")
            for i, a in enumerate(pr.bodies):
                self.ref(doc, (*p, "bodies", i), a, ACT, "actor")
            self.ref(doc, (*p, "compare_with"), pr.compare_with, ("procedures",), "procedure")
        for q, doc, p in rec_kinds["questions"]:
            self.question(q, doc, p, rec_kinds)
        for (_, doc, p), problems in zip(quotes, quote_check.results(), strict=True):
            for suffix, code, msg in problems:
                self.problem(doc, (*p, *suffix), code, msg)
        return conditions

    def question(self, q: Any, doc: YamlDoc, p: Path_, rec_kinds: Any) -> None:
        ACT = ("actors",)
        if q.ask:
            self.ref(doc, (*p, "ask", "actor"), q.ask.actor, ACT, "actor")
        self.ref(doc, (*p, "status"), q.status, ("instruments",), "instrument")
        self.ref(doc, (*p, "members"), q.members, ACT, "actor")
        self.ref(doc, (*p, "holder"), q.holder, ACT, "actor")
        self.ref(doc, (*p, "recurrence"), q.recurrence, ("statements",), "statement")
        self.ref(
            doc,
            (*p, "strand_of"),
            q.strand_of,
            ("projects", "programmes", "issue_areas"),
            "project, programme or issue area",
        )
        for dis, rid in q.reading.items():
            d = next((r for r, _, _ in rec_kinds["readings"] if r.id == dis), None)
            if d is None:
                self.ref(doc, (*p, "reading", dis), dis, ("readings",), "disagreement")
            elif rid not in [r.id for r in d.readings]:
                self.problem(
                    doc,
                    (*p, "reading", dis),
                    "dangling-reference",
                    f"disagreement {dis!r} has no reading {rid!r}",
                )
        e = q.expect
        for i, s in enumerate(e.statements):
            self.ref(doc, (*p, "expect", "statements", i), s, ("statements",), "statement")
        for field in ("actors", "includes", "excludes"):
            for i, a in enumerate(getattr(e, field) or ()):
                self.ref(doc, (*p, "expect", field, i), a, ACT, "actor")
        self.ref(doc, (*p, "expect", "strand"), e.strand, ("strands",), "strand")

    def cycles(self, overrides: dict[str, tuple[str, ...]]) -> None:
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()

        def visit(n: str, stack: list[str]) -> None:
            state[n] = 1
            stack.append(n)
            for m in overrides.get(n, ()):
                if state.get(m) == 1:
                    cyc = [*stack[stack.index(m) :], m]
                    key = frozenset(cyc)
                    if key not in reported:
                        reported.add(key)
                        doc, path = self.where[("model", n)]
                        i = overrides[n].index(m)
                        self.problem(
                            doc,
                            (*path, "overrides", i),
                            "override-cycle",
                            "overrides form a cycle: " + " → ".join(cyc),
                        )
                elif state.get(m, 0) == 0 and m in overrides:
                    visit(m, stack)
            stack.pop()
            state[n] = 2

        for n in overrides:
            if state.get(n, 0) == 0:
                visit(n, [])


def citation_problems(
    c: Citation, texts: Mapping[str, SourceText], sources: Mapping[str, Any] | None
) -> list[tuple[tuple[str, ...], str, str]]:
    """Problems with one citation: (path suffix, code, message). With ``sources`` given,
    unknown sources are reported too (the model's own checker reports those itself)."""
    out: list[tuple[tuple[str, ...], str, str]] = []
    if sources is not None:
        for key in ("source", "via"):
            sid = getattr(c, key)
            if sid is not None and sid not in sources:
                near = difflib.get_close_matches(sid, list(sources), n=2, cutoff=0.6)
                hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
                out.append(((key,), "dangling-reference", f"source {sid!r} does not exist{hint}"))
    holder = c.via or c.source
    text = texts.get(holder)
    if text is None:
        return out
    if c.at and parse_locator(c.at) is not None and text.segmented and not text.resolve(c.at):
        fns = sorted(text.footnotes)
        notes = f", footnotes {fns[0]}–{fns[-1]}" if fns else ""
        out.append(
            (
                ("at",),
                "bad-locator",
                f"locator {c.at!r} points nowhere in {holder!r} "
                f"({len(text.paragraphs)} paragraphs{notes})",
            )
        )
        return out
    if c.quote and not text.contains(c.quote, c.at):
        where = text.find(c.quote)
        hint = (
            f"; it occurs in {', '.join(where)}"
            if where
            else "; it does not occur anywhere in that text"
        )
        loc = f" at {c.at}" if c.at and text.segmented and parse_locator(c.at) else ""
        short = c.quote if len(c.quote) <= 70 else c.quote[:67] + "…"
        out.append(
            (("quote",), "quote-not-found", f"quote not found in {holder!r}{loc}: {short!r}{hint}")
        )
    return out


_ARG_KINDS = {
    ("in_force", 0): "instruments",
    ("in_effect", 0): "instruments",
    ("member", 1): "actors",
    ("holds", 1): "actors",
    ("member", 0): "actors",
    ("holds", 0): "actors",
    ("obliged", 0): "actors",
    ("obliged", 2): "actors",
}


def condition_ref_problems(cond: Condition, kind_of: Mapping[str, str]) -> list[tuple[str, str]]:
    """(code, message) for each ``@id`` in a condition that names nothing, or the wrong kind
    of thing for the function it is given to."""
    out: list[tuple[str, str]] = []
    for name in sorted(cond.actors):
        if kind_of.get(name) not in ("actors", "instruments"):
            pool = [i for i, k in kind_of.items() if k in ("actors", "instruments")]
            near = difflib.get_close_matches(name, pool, n=2, cutoff=0.6)
            hint = f" (did you mean {', '.join('@' + n for n in near)}?)" if near else ""
            out.append(
                (
                    "dangling-reference",
                    f"the condition names @{name}, which is not an actor or instrument "
                    f"of this model{hint}",
                )
            )

    def noun(kind: str) -> str:
        return "an instrument" if kind == "instruments" else "an actor"

    for fn, i, name in sorted(cond.call_refs):
        want = _ARG_KINDS.get((fn, i))
        got = kind_of.get(name)
        if want and got and got != want:
            out.append(
                (
                    "bad-condition",
                    f"{fn}() needs {noun(want)} as argument {i + 1}, but @{name} is {noun(got)}",
                )
            )
    return out


def check_references(
    loaded: Loaded, texts: dict[str, SourceText]
) -> tuple[dict[str, Condition], Mapping[str, tuple[str, int]]]:
    checker = _Checker(loaded, texts)
    conditions = checker.run()
    return conditions, checker.origins
