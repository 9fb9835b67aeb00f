"""Cross-checks over a whole package: ids, references, conditions, overrides, quotes.

Every problem is appended to ``loaded.problems`` with its file, line and column; nothing
stops at the first problem.
"""

from __future__ import annotations

import difflib
import pickle
from collections import defaultdict
from collections.abc import Iterator, Mapping, Set
from typing import TYPE_CHECKING, Any

from accord.conditions import Condition, compile_condition
from accord.conditions.parser import SCENARIO_ONLY
from accord.errors import ConditionError, Problem
from accord.loading.parallel import Worker
from accord.loading.texts import SourceText, normalise, parse_locator
from accord.loading.yamlsrc import YamlDoc
from accord.model.elements import Citation
from accord.model.walk import Path_
from accord.model.walk import gather as _gather
from accord.model.walk import located as _located

if TYPE_CHECKING:
    from accord.loading.package import Loaded

__all__ = ["check_references", "citation_problems"]


_Found = list[tuple[tuple[str, ...], str, str]]


_Key = tuple[str, str | None, str | None]  # (source holding the text, locator, quote)


def check_quotes(keys: list[_Key], texts: Mapping[str, SourceText]) -> dict[int, _Found]:
    """The problems of each citation that has some, by its place in ``keys``.

    The common case (the locator names a paragraph that holds the quote) is decided
    inline; anything else goes to :func:`quote_problems`, once per distinct key.
    """
    out: dict[int, _Found] = {}
    seen: dict[_Key, _Found] = {}
    for i, key in enumerate(keys):
        holder, at, quote = key
        text = texts.get(holder)
        if text is None:
            continue
        if quote is not None and at is not None:
            para = text.paragraph_at(at)
            if para is not None and normalise(quote) in para:
                continue
        found = seen.get(key)
        if found is None:
            found = seen[key] = quote_problems(holder, at, quote, texts)
        if found:
            out[i] = found
    return out


# the texts a worker checks quotes against, sent to it once per load (see ``Cited``)
_WORKER_TEXTS: dict[str, SourceText] | None = None


def _keep_texts_job(texts: dict[str, SourceText]) -> bytes:
    global _WORKER_TEXTS
    _WORKER_TEXTS = texts
    return b""


def _check_quotes_job(keys: list[_Key]) -> bytes:
    if _WORKER_TEXTS is None:  # the texts never arrived: fail, and the parent checks
        raise RuntimeError("no texts to check quotes against")
    return pickle.dumps(check_quotes(keys, _WORKER_TEXTS), protocol=pickle.HIGHEST_PROTOCOL)


_Cited = tuple[Any, YamlDoc, Any, Path_]  # citation or event end, file, record, record's path


class Cited:
    """The citations and ``{event: ID}`` interval ends of a model, gathered file by file as
    the files are validated, and the check of every quote against the texts.

    Each citation's source is checked as it is gathered (the sources are read first); an
    interval end waits for the events. When a large model is read with a worker (see
    :mod:`accord.loading.parallel`), the quotes of each file are sent to it as soon as the
    file is validated, so that they are checked there while this process reads and checks
    the rest; otherwise (or if anything goes wrong there) they are checked here, in
    :meth:`quote_problems`. Only problems come back.
    """

    def __init__(
        self, texts: Mapping[str, SourceText], sources: Set[str], worker: Worker | None
    ) -> None:
        self.texts = texts
        self.sources = sources
        self.worker = worker
        self.quotes: list[_Cited] = []
        self.ends: list[_Cited] = []  # the {event: ID} interval ends
        # records citing a source that does not exist (to be walked again for the paths)
        self.unsourced: list[tuple[Any, YamlDoc, Path_]] = []
        # (first, end) in ``quotes`` of each file's citations, and whether the worker has them
        self.batches: list[tuple[int, int, bool]] = []
        # (a text travels as its raw text and is segmented again there: see SourceText)
        self.texts_sent = worker is not None and worker.send(_keep_texts_job, dict(texts))

    def add(self, records: list[tuple[Any, YamlDoc, Path_]]) -> None:
        """Gather what the records of one file cite; send their quotes to be checked."""
        start = len(self.quotes)
        sources, quotes = self.sources, self.quotes
        out: list[Any] = []
        for rec, doc, path in records:
            _gather(rec, out)
            clean = True
            for value in out:
                if type(value) is Citation:
                    quotes.append((value, doc, rec, path))
                    if value.source not in sources or (
                        value.via is not None and value.via not in sources
                    ):
                        clean = False
                else:
                    self.ends.append((value, doc, rec, path))
            out.clear()
            if not clean:
                self.unsourced.append((rec, doc, path))
        end = len(quotes)
        if end == start:
            return
        sent = (
            self.texts_sent
            and self.worker is not None
            and self.worker.send(_check_quotes_job, self.keys(start, end))
        )
        self.batches.append((start, end, sent))

    def keys(self, start: int, end: int) -> list[_Key]:
        """What the quote check needs of ``quotes[start:end]``."""
        return [(c.via or c.source, c.at, c.quote) for c, _, _, _ in self.quotes[start:end]]

    def quote_problems(self) -> dict[int, _Found]:
        """Problems by the citation's place in ``quotes``."""
        worker = self.worker if self.texts_sent else None
        if worker is not None and worker.receive() is None:
            worker = None  # the texts did not arrive: every quote is checked here
        out: dict[int, _Found] = {}
        for start, end, sent in self.batches:
            got = None
            if sent and worker is not None:
                data = worker.receive()
                if data is not None:
                    try:
                        got = pickle.loads(data)
                    except (pickle.UnpicklingError, EOFError):
                        got = None
            if not isinstance(got, dict):
                got = check_quotes(self.keys(start, end), self.texts)
            out.update((start + i, found) for i, found in got.items())
        return out


class _Origins(Mapping[str, tuple[str, int]]):
    """Element id -> (file, line): the line is looked up when first asked for, so that a
    file read without its node tree (see ``yamlsrc``) is not composed just to fill this."""

    def __init__(self) -> None:
        # filled by the checker: (record or None, file, path) of each id
        self._where: dict[str, tuple[Any, YamlDoc, Path_]] = {}
        self._found: dict[str, tuple[str, int]] = {}

    def __getitem__(self, key: str) -> tuple[str, int]:
        got = self._found.get(key)
        if got is None:
            _, doc, path = self._where[key]
            got = self._found[key] = (doc.file, doc.locate(path)[0])
        return got

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


class _Checker:
    """The cross-checks of one package.

    A large model holds over a million references: each is first looked up in the set of
    ids of the kinds it may name (a whole list at once where it can), and only a reference
    that fails is looked at again, slowly, to build its path and its message.
    """

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.cited = loaded.cited
        self.kind_of: dict[str, str] = {}
        self.origins = _Origins()
        # element id (or ``questions/ID``: questions have a namespace of their own) -> where
        self.where = self.origins._where
        self.pools: dict[tuple[str, ...], list[str]] = {}
        self.id_sets: dict[tuple[str, ...], set[str]] = {}
        self.by_kind: defaultdict[str, set[str]] = defaultdict(set)
        self.compiled: dict[str, Condition] = {}

    def problem(self, doc: YamlDoc, path: Path_, code: str, msg: str, key: bool = False) -> None:
        self.loaded.problems.append(doc.problem(path, code, msg, key=key))

    # ---- ids -------------------------------------------------------------------------------
    def register(self, eid: str, kind: str, doc: YamlDoc, path: Path_) -> None:
        key = f"questions/{eid}" if kind == "questions" else eid
        first = self.where.get(key)
        if first is not None:
            _, first_doc, first_path = first
            line, _ = first_doc.locate((*first_path, "id"))
            self.problem(
                doc,
                (*path, "id"),
                "duplicate-id",
                f"duplicate id {eid!r} (first defined in {first_doc.file}:{line})",
            )
            return
        self.where[key] = (None, doc, path)
        if kind != "questions":
            self.kind_of[eid] = kind
            self.by_kind[kind].add(eid)

    def collect_ids(self) -> None:
        where, kind_of = self.where, self.kind_of
        for kind, items in self.loaded.records.items():
            if not items:
                continue
            # asking a record for a field it lacks is slow (pydantic's __getattr__)
            fields = type(items[0][0]).model_fields
            inner = [n for n in ("suspensions", "issue_areas", "projects") if n in fields]
            ids = [rec.id for rec, _, _ in items]
            if (
                not inner
                and kind != "questions"
                and len(set(ids)) == len(ids)
                and where.keys().isdisjoint(ids)
            ):  # the common case, all at once
                where.update(zip(ids, items, strict=True))
                kind_of.update(dict.fromkeys(ids, kind))
                self.by_kind[kind].update(ids)
                continue
            for eid, (rec, doc, path) in zip(ids, items, strict=True):
                self.register(eid, kind, doc, path)
                for name in inner:
                    for i, sub in enumerate(getattr(rec, name)):
                        if hasattr(sub, "id"):  # (a strand's issue area may be a plain name)
                            self.register(sub.id, name, doc, (*path, name, i))

    def ids(self, kinds: tuple[str, ...]) -> set[str]:
        """The ids of the elements of these kinds (every id is known by then; not to be
        changed)."""
        got = self.id_sets.get(kinds)
        if got is None:
            sets = [self.by_kind.get(k, set()) for k in kinds]
            got = self.id_sets[kinds] = sets[0] if len(sets) == 1 else set().union(*sets)
        return got

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

    def refs(
        self,
        doc: YamlDoc,
        path: Path_,
        values: tuple[str, ...] | list[str],
        kinds: tuple[str, ...],
        what: str,
    ) -> None:
        """Each of a list of references; ``path`` is the list's."""
        if self.ids(kinds).issuperset(values):
            return
        for i, v in enumerate(values):
            self.ref(doc, (*path, i), v, kinds, what)

    # ---- per element -----------------------------------------------------------------------
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
    def sources_and_event_ends(self, cited: Cited) -> None:
        """Every citation's source and every ``{event: ID}`` interval end must exist; a
        record with one that does not is walked again, slowly, for the paths."""
        events = self.ids(("events",))
        bad = {id(rec): (rec, doc, path) for rec, doc, path in cited.unsourced}
        for value, doc, rec, path in cited.ends:
            if value.event not in events:
                bad[id(rec)] = (rec, doc, path)
        for rec, doc, path in bad.values():
            for value, p in _located(rec, path):
                if isinstance(value, Citation):
                    self.ref(doc, (*p, "source"), value.source, ("sources",), "source")
                    self.ref(doc, (*p, "via"), value.via, ("sources",), "source")
                else:
                    self.ref(doc, p, value.event, ("events",), "event")

    def actors(self) -> None:
        ACT = ("actors",)
        actors = self.ids(ACT)
        for a, doc, p in self.loaded.records["actors"]:
            if a.part_of is not None and a.part_of not in actors:
                self.ref(doc, (*p, "part_of"), a.part_of, ACT, "actor")
            if a.replaced_by is not None and a.replaced_by not in actors:
                self.ref(doc, (*p, "replaced_by"), a.replaced_by, ACT, "actor")
            for field in ("members", "holders"):
                tenures = getattr(a, field)
                if tenures and not actors.issuperset([t.actor for t in tenures]):
                    for i, t in enumerate(tenures):
                        self.ref(doc, (*p, field, i, "actor"), t.actor, ACT, "actor")

    def instruments(self) -> None:
        ACT, INS, STM = ("actors",), ("instruments",), ("statements",)
        actors = self.ids(ACT)
        for ins, doc, p in self.loaded.records["instruments"]:
            self.refs(doc, (*p, "parties"), ins.parties, ACT, "actor")
            if ins.issuer is not None and ins.issuer not in actors:
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
                self.refs(
                    doc, (*p, "suspensions", i, "provisions"), sus.provisions, STM, "statement"
                )
                self.ref(
                    doc,
                    (*p, "suspensions", i, "by"),
                    sus.by,
                    ("instruments", "events"),
                    "instrument or event",
                )

    def statements(self) -> dict[str, Condition]:
        ACT, INS, STM = ("actors",), ("instruments",), ("statements",)
        actors, instruments = self.ids(ACT), self.ids(INS)
        conditions: dict[str, Condition] = {}
        overrides: dict[str, tuple[str, ...]] = {}
        for s, doc, p in self.loaded.records["statements"]:
            if s.instrument not in instruments:
                self.ref(doc, (*p, "instrument"), s.instrument, INS, "instrument")
            if s.attribute is not None and s.attribute not in actors:
                self.ref(doc, (*p, "attribute"), s.attribute, ACT, "actor")
            if s.observed_as is not None:
                obs = (*p, "observed_as")
                self.ref(doc, (*obs, "body"), s.observed_as.body, ACT, "actor")
                self.refs(doc, (*obs, "participants"), s.observed_as.participants, ACT, "actor")
            if s.overrides:
                self.refs(doc, (*p, "overrides"), s.overrides, STM, "statement")
            overrides[s.id] = s.overrides
            if s.reading:
                self.reading_ref(doc, (*p, "reading"), s.reading)
            if s.condition is not None:
                cond = self.condition(s, doc, p)
                if cond is not None:
                    conditions[s.id] = cond
        self.cycles(overrides)
        return conditions

    def events(self) -> None:
        ACT, INS = ("actors",), ("instruments",)
        actors, instruments = self.ids(ACT), self.ids(INS)
        for e, doc, p in self.loaded.records["events"]:
            if not actors.issuperset(e.participants):
                self.refs(doc, (*p, "participants"), e.participants, ACT, "actor")
            if e.body is not None and e.body not in actors:
                self.ref(doc, (*p, "body"), e.body, ACT, "actor")
            if e.instrument is not None and e.instrument not in instruments:
                self.ref(doc, (*p, "instrument"), e.instrument, INS, "instrument")

    def run(self) -> dict[str, Condition]:
        self.collect_ids()
        rec_kinds = self.loaded.records
        ACT, INS = ("actors",), ("instruments",)
        cited = self.cited
        if cited is None:  # gathered here if reading did not (a package read alone)
            cited = self.cited = Cited(self.loaded.texts or {}, self.ids(("sources",)), None)
            for items in self.loaded.records.values():
                cited.add(items)
        self.sources_and_event_ends(cited)
        self.actors()
        self.instruments()
        conditions = self.statements()
        self.events()
        for st, doc, p in rec_kinds["strands"]:
            self.refs(doc, (*p, "instruments"), st.instruments, INS, "instrument")
        for pr, doc, p in rec_kinds["programmes"]:
            self.ref(doc, (*p, "instrument"), pr.instrument, INS, "instrument")
            self.ref(doc, (*p, "strand"), pr.strand, ("strands",), "strand")
            self.refs(doc, (*p, "issue_areas"), pr.issue_areas, ("issue_areas",), "issue area")
            for j, proj in enumerate(pr.projects):
                self.ref(doc, (*p, "projects", j, "instrument"), proj.instrument, INS, "instrument")
                self.refs(
                    doc,
                    (*p, "projects", j, "issue_areas"),
                    proj.issue_areas,
                    ("issue_areas",),
                    "issue area",
                )
        everything = tuple({*self.kind_of.values()})
        for a, doc, p in rec_kinds["assessments"]:
            self.refs(doc, (*p, "about"), a.about, everything, "element")
        for pr, doc, p in rec_kinds["procedures"]:
            self.ref(doc, (*p, "instrument"), pr.instrument, INS, "instrument")
            self.refs(doc, (*p, "concerns"), pr.concerns, ACT, "actor")
            self.refs(doc, (*p, "bodies"), pr.bodies, ACT, "actor")
            self.ref(doc, (*p, "compare_with"), pr.compare_with, ("procedures",), "procedure")
        for q, doc, p in rec_kinds["questions"]:
            self.question(q, doc, p, rec_kinds)
        for i, problems in sorted(cited.quote_problems().items()):
            c, doc, rec, path = cited.quotes[i]
            where = next(q for v, q in _located(rec, path) if v is c)
            for suffix, code, msg in problems:
                self.problem(doc, (*where, *suffix), code, msg)
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
        self.refs(doc, (*p, "expect", "statements"), e.statements, ("statements",), "statement")
        for field in ("actors", "includes", "excludes"):
            self.refs(doc, (*p, "expect", field), getattr(e, field) or (), ACT, "actor")
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
                        _, doc, path = self.where[n]
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
        visit = None  # type: ignore[assignment]  # (it refers to itself: free it now)


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
    out.extend(quote_problems(c.via or c.source, c.at, c.quote, texts))
    return out


def quote_problems(
    holder: str, at: str | None, quote: str | None, texts: Mapping[str, SourceText]
) -> _Found:
    """Problems with a citation's locator and quote in the text of source ``holder``."""
    text = texts.get(holder)
    if text is None:
        return []
    if at and parse_locator(at) is not None and text.segmented and not text.resolve(at):
        fns = sorted(text.footnotes)
        notes = f", footnotes {fns[0]}–{fns[-1]}" if fns else ""
        return [
            (
                ("at",),
                "bad-locator",
                f"locator {at!r} points nowhere in {holder!r} "
                f"({len(text.paragraphs)} paragraphs{notes})",
            )
        ]
    if quote and not text.contains(quote, at):
        where = text.find(quote)
        hint = (
            f"; it occurs in {', '.join(where)}"
            if where
            else "; it does not occur anywhere in that text"
        )
        loc = f" at {at}" if at and text.segmented and parse_locator(at) else ""
        short = quote if len(quote) <= 70 else quote[:67] + "…"
        return [
            (("quote",), "quote-not-found", f"quote not found in {holder!r}{loc}: {short!r}{hint}")
        ]
    return []


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


def check_references(loaded: Loaded) -> tuple[dict[str, Condition], Mapping[str, tuple[str, int]]]:
    """Check the references, conditions and quotes of a package read by ``read_package``:
    the compiled conditions and where each element is, problems added to ``loaded``."""
    checker = _Checker(loaded)
    conditions = checker.run()
    return conditions, checker.origins
