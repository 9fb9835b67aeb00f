"""The briefing's content, gathered from the library as plain data (JSON-able dicts).

Every fact carries its citations as dicts (see :func:`accord.engine.deontic.cite_dict`)
with two more keys: ``text``, the source whose text holds the passage (or None), and
``anchor``, the passage inside it (``p18``, ``q-…``; or None). The renderer turns those
into links; :attr:`BriefBuilder.passages` lists every passage used, for the appendix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from accord.brief.passages import Passages, element_citations
from accord.engine.answers import BodyState, InstrumentStatus, truth_word
from accord.engine.outline import strands_outline
from accord.engine.state import as_day
from accord.model.elements import Citation

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = [
    "ROLE_ORDER",
    "BriefBuilder",
    "build_brief",
    "conditionality_events",
    "dedupe_changes",
    "instrument_group",
    "status_groups",
]

ROLE_ORDER = ("decides", "consults", "takes part", "acts")
GROUP_ORDER = (
    "in force and in effect",
    "in force, suspended in part or whole",
    "in force (uncertain)",
    "not yet in force",
    "not in force",
    "expired",
    "replaced",
)
ASSESSMENT_ORDER = (
    "opportunity",
    "difficulty",
    "attitude",
    "comparison",
    "discrepancy",
    "conclusion",
    "proposal",
)
CONDITIONALITY_KINDS = ("conditionality", "conditionality-lifted", "suspension")


def instrument_group(i: InstrumentStatus) -> str:
    """The heading an instrument's status falls under on a day."""
    if i.replaced_by:
        return "replaced"
    if i.label == "expired":
        return "expired"
    if i.in_force is None:
        return "in force (uncertain)"
    if i.in_force is False:
        return "not yet in force" if "not yet" in i.label else "not in force"
    if i.suspensions or i.suspended:
        return "in force, suspended in part or whole"
    if i.in_effect is True:
        return "in force and in effect"
    return "in force (uncertain)"


def status_groups(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        groups.setdefault(it["group"], []).append(it)
    keys = sorted(groups, key=lambda k: GROUP_ORDER.index(k) if k in GROUP_ORDER else 99)
    return [{"key": k, "items": groups[k]} for k in keys]


class BriefBuilder:
    """Gathers the briefing's data; remembers every passage it cites."""

    def __init__(self, model: Model, passages: Passages | None = None) -> None:
        self.model = model
        self.px = passages or Passages(model)
        self.passages: dict[tuple[str, str], dict[str, Any]] = {}  # (source, anchor) -> info
        self.documents: dict[str, dict[str, Any]] = {}  # sources cited without a passage

    # ---- citations ------------------------------------------------------------------------
    def cite(self, c: Citation | Mapping[str, Any], context: str = "") -> dict[str, Any]:
        d = self.px.enrich(c)
        if context and "context" not in d:
            d["context"] = context
        text, anchor = d["text"], d["anchor"]
        if text is not None and anchor is not None:
            key = (text, anchor)
            if key not in self.passages:
                ex = self.px.excerpt(d)
                self.passages[key] = {
                    "source": text,
                    "anchor": anchor,
                    "html": ex[1] if ex else "",
                    "order": _order(anchor, self.px, text, d),
                }
        src = d["source"]
        if src not in self.documents and src in self.model.sources and src != text:
            s = self.model.sources[src]
            self.documents[src] = {
                "id": src,
                "title": s.title,
                "kind": s.kind,
                "issuer": s.issuer,
                "date": str(s.date) if s.date else None,
                "url": s.url,
            }
        return d

    def cites(self, items: Iterable[Citation | Mapping[str, Any]]) -> list[dict[str, Any]]:
        return [self.cite(c) for c in items]

    def element_cites(self, element: Any) -> list[dict[str, Any]]:
        return [self.cite(c) for c in element_citations(self.model, element)]

    # ---- sections -------------------------------------------------------------------------
    def instruments(self, d: date) -> list[dict[str, Any]]:
        state = self.model.at(d)
        out = []
        for st in state.instruments:
            ins = self.model.instruments[st.instrument]
            cites = self.cites(ins.cite)
            for sus in ins.suspensions:
                if sus.id in st.suspensions or f"{sus.id} (uncertain)" in st.suspensions:
                    cites += [self.cite(c, f"suspension {sus.id}") for c in sus.cite]
            out.append(
                {
                    "id": st.instrument,
                    "title": st.title,
                    "kind": ins.kind,
                    "label": st.label,
                    "group": instrument_group(st),
                    "in_force": truth_word(st.in_force),
                    "in_effect": truth_word(st.in_effect),
                    "suspended": truth_word(st.suspended),
                    "suspended_provisions": list(st.suspended_provisions),
                    "uncertain_provisions": list(st.uncertain_provisions),
                    "suspensions": list(st.suspensions),
                    "replaced_by": st.replaced_by,
                    "reasons": list(st.reasons),
                    "cites": cites,
                }
            )
        return out

    def _tie_cites(self, body: str, member: str, d: date) -> tuple[list[dict[str, Any]], str]:
        m = self.model
        for t in m.members_of.get(body, ()):
            if t.actor == member and t.interval.contains(d) is not False:
                return [self.cite(c) for c in t.cites], ""
        for t in m.members_of.get(body, ()):
            for h in m.holders_of.get(t.actor, ()):
                if h.actor == member and h.interval.contains(d) is not False:
                    cites = [self.cite(c) for c in t.cites] + [self.cite(c) for c in h.cites]
                    return cites, t.actor
        return [], ""

    def bodies(self, d: date, bodies: Iterable[BodyState]) -> list[dict[str, Any]]:
        out = []
        m = self.model
        for b in bodies:
            if not b.direct:
                continue
            members = []
            for actor, role, certain, size in b.direct:
                cites, office = self._tie_cites(b.actor, actor, d)
                members.append(
                    {
                        "actor": actor,
                        "name": m.name(actor),
                        "role": role,
                        "office": office or None,
                        "certain": certain is True,
                        "members": size,
                        "cites": cites,
                    }
                )
            out.append(
                {
                    "id": b.actor,
                    "name": b.name,
                    "kind": b.kind,
                    "members": members,
                    "replaced_by": b.replaced_by,
                    "cites": self.cites(m.actors[b.actor].cite),
                }
            )
        return out

    def offices(self, d: date, bodies: Iterable[BodyState]) -> list[dict[str, Any]]:
        out = []
        m = self.model
        for b in bodies:
            if not b.holders:
                continue
            holders = []
            for actor, certain in b.holders:
                cites = [
                    self.cite(c)
                    for t in m.holders_of.get(b.actor, ())
                    if t.actor == actor and t.interval.contains(d) is not False
                    for c in t.cites
                ]
                holders.append(
                    {
                        "actor": actor,
                        "name": m.name(actor),
                        "certain": certain is True,
                        "cites": cites,
                    }
                )
            out.append({"id": b.actor, "name": b.name, "holders": holders})
        return out

    def strands(self, d: date, labels: Mapping[str, str]) -> list[dict[str, Any]]:
        m = self.model
        return strands_outline(
            m,
            self.cites,
            lambda i: {"id": i, "title": m.name(i), "label": labels.get(i, "")},
        )

    def procedures(self, d: date) -> list[dict[str, Any]]:
        from accord.procedures.diagram import diagram_svg
        from accord.procedures.table import phase_table, transition_deciders

        m = self.model
        out = []
        for proc in m.procedures.values():
            rows = phase_table(m, proc, d)
            phases = []
            for ph in proc.phases:
                here = sorted(
                    (r for r in rows if r.phase == ph.id),
                    key=lambda r: (ROLE_ORDER.index(r.role) if r.role in ROLE_ORDER else 9, r.who),
                )
                phases.append(
                    {
                        "id": ph.id,
                        "name": ph.name,
                        "description": ph.description,
                        "cites": self.cites(ph.cite),
                        "rows": [
                            {
                                "role": r.role,
                                "who": r.who,
                                "who_name": m.name(r.who),
                                "deontic": r.deontic,
                                "aim": r.aim,
                                "object": r.object,
                                "conditional": r.conditional,
                                "reading": r.reading,
                                "statement": r.statement,
                                "text": r.text,
                                "cites": self.cites(r.cites),
                            }
                            for r in here
                        ],
                    }
                )
            out.append(
                {
                    "id": proc.id,
                    "name": proc.name,
                    "description": proc.description,
                    "instrument": proc.instrument,
                    "svg": diagram_svg(m, proc, d),
                    "phases": phases,
                    "transitions": [
                        {
                            "from": t.from_,
                            "to": t.to,
                            "action": t.action,
                            "label": t.label,
                            "deciders": transition_deciders(rows, t.from_, t.action),
                        }
                        for t in proc.transitions
                    ],
                    "cites": self.cites(proc.cite),
                }
            )
        return out

    def events(self) -> list[dict[str, Any]]:
        m = self.model
        marked = conditionality_events(m)
        return [
            {
                "id": e.id,
                "date": str(e.date),
                "day": e.date.earliest.isoformat(),
                "title": e.title,
                "kind": e.kind,
                "category": e.category,
                "participants": list(e.participants),
                "body": e.body,
                "instrument": e.instrument,
                "confidence": e.confidence,
                "conditionality": e.id in marked,
                "cites": self.cites(e.cite),
            }
            for e in sorted(m.events.values(), key=lambda e: (e.date.earliest, e.id))
        ]

    def suspensions(self, d: date) -> list[dict[str, Any]]:
        m = self.model
        out = []
        for ins in m.instruments.values():
            for sus in ins.suspensions:
                iv = m.interval(sus.during)
                out.append(
                    {
                        "instrument": ins.id,
                        "instrument_title": ins.title,
                        "id": sus.id,
                        "scope": sus.scope,
                        "provisions": list(sus.provisions),
                        "from": str(iv.start),
                        "to": str(iv.end),
                        "by": sus.by,
                        "description": sus.description,
                        "on_date": truth_word(iv.contains(d)),
                        "cites": self.cites(sus.cite),
                    }
                )
        return out

    def readings(self) -> list[dict[str, Any]]:
        return [
            {
                "id": dis.id,
                "question": dis.question,
                "note": dis.note,
                "readings": [
                    {"id": r.id, "label": r.label, "cites": self.cites(r.cite)}
                    for r in dis.readings
                ],
            }
            for dis in self.model.disagreements.values()
        ]

    def assessments(self) -> list[dict[str, Any]]:
        m = self.model
        groups: dict[str, list[dict[str, Any]]] = {}
        for a in m.assessments.values():
            groups.setdefault(a.kind, []).append(
                {
                    "id": a.id,
                    "kind": a.kind,
                    "text": a.text,
                    "about": [
                        {"id": x, "name": m.name(x), "table": m.table_of(x) or ""} for x in a.about
                    ],
                    "cites": self.cites(a.cite),
                }
            )
        keys = sorted(groups, key=lambda k: ASSESSMENT_ORDER.index(k))
        return [{"kind": k, "items": groups[k]} for k in keys]

    def reforms(self, *, diff: bool = True) -> list[dict[str, Any]]:
        from accord.engine.diff import diff_models
        from accord.loading.overlays import load_reform, reforms_in, with_reforms

        m = self.model
        out = []
        for rid in reforms_in(m):
            r = load_reform(m, rid)
            item: dict[str, Any] = {
                "id": r.id,
                "title": r.title,
                "kind": r.kind,
                "effective": str(r.effective),
                "description": r.description,
                "base": list(r.base),
                "cites": self.cites(r.cite),
                "adds": [s.id for s in r.add],
                "replaces": [s.id for s in r.replace],
                "removes": list(r.remove),
                "changes_parameters": [c.statement for c in r.change],
            }
            paras = {(c["text"], c["anchor"]) for c in item["cites"] if c["anchor"]}
            item["proposals"] = [
                a.id
                for a in m.assessments.values()
                if a.kind == "proposal"
                and any(
                    (self.px.text_of(c), self.px.anchor(c)) in paras
                    for c in element_citations(m, a)
                )
            ]
            if diff:
                changes, asked = diff_models(m, with_reforms(m, [rid]), r.effective.earliest)
                item["asked"] = asked
                # a change with no new citation (a rule removed) rests on the reform's own
                item["changes"] = dedupe_changes(
                    {**c.to_dict(), "citations": self.cites(c.citations) or item["cites"]}
                    for c in changes
                )
            out.append(item)
        return out


def dedupe_changes(changes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per question as a reader sees it (actor, action, object, phase, verdicts):
    the battery may ask it in situations that differ only in facts no rule reads."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for c in changes:
        key = (
            c["actor"],
            c["action"],
            c["object"],
            c["situation"].get("phase"),
            c["baseline"],
            c["reform"],
            tuple(c["statements_gained"]),
            tuple(c["statements_lost"]),
        )
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def conditionality_events(model: Model) -> set[str]:
    """Events of the conditionality record: suspensions and their lifting, the measures
    that imposed them (by kind, by the instrument that suspended, or as a suspension's
    end)."""
    by = {s.by for i in model.instruments.values() for s in i.suspensions if s.by}
    ends = {
        b.event
        for i in model.instruments.values()
        for s in i.suspensions
        for b in (s.during.start, s.during.end)
        if b.event
    }
    return {
        e.id
        for e in model.events.values()
        if (e.kind in CONDITIONALITY_KINDS) or e.instrument in by or e.id in ends
    }


def _order(anchor: str, px: Passages, text: str, c: Mapping[str, Any]) -> int:
    if anchor.startswith("p") and anchor[1:].isdigit():
        return int(anchor[1:])
    span = px._find(text, c["quote"]) if c.get("quote") else None
    return span[0] if span else 10**9


def build_brief(
    model: Model,
    day: date | str | None = None,
    *,
    reforms: bool = True,
    monitoring: bool = True,
) -> dict[str, Any]:
    """Everything the briefing shows on ``day`` (default: the model's date), as data."""
    from accord.brief.monitoring import monitoring_summary
    from accord.pictures import network_svg, timeline_svg

    d = as_day(model, day)
    b = BriefBuilder(model)
    state = model.at(d)
    instruments = b.instruments(d)
    labels = {i["id"]: i["label"] for i in instruments}
    anchored = {b.actor for b in state.bodies}  # the glance has a row for each
    data: dict[str, Any] = {
        "model": {
            "id": model.manifest.id,
            "title": model.manifest.title,
            "description": model.manifest.description,
            "version": model.manifest.version,
            "reforms": list(model.reforms),
        },
        "date": d.isoformat(),
        "instruments": status_groups(instruments),
        "offices": b.offices(d, state.bodies),
        "bodies": b.bodies(d, state.bodies),
        "strands": b.strands(d, labels),
        "statements_in_effect": len(state.statements),
        "events_that_day": list(state.events),
        "procedures": b.procedures(d),
        "network_svg": network_svg(
            model, d, href=lambda a: f"#actor-{a}" if a in anchored else None
        ),
        "timeline_svg": timeline_svg(
            model, d, href=lambda k, i: f"#{'ins' if k == 'instruments' else 'ev'}-{i}"
        ),
        "events": b.events(),
        "suspensions": b.suspensions(d),
        "readings": b.readings(),
        "assessments": b.assessments(),
        "reforms": b.reforms(diff=reforms),
        "monitoring": monitoring_summary(model, d, b.cite) if monitoring else None,
    }
    by_source: dict[str, list[dict[str, Any]]] = {}
    for p in sorted(b.passages.values(), key=lambda p: (p["source"], p["order"])):
        by_source.setdefault(p["source"], []).append(p)
    data["passages"] = [
        {"source": s, "title": model.sources[s].title, "items": items}
        for s, items in by_source.items()
    ]
    data["documents"] = sorted(b.documents.values(), key=lambda x: x["id"])
    data["sources"] = {
        s.id: {"title": s.title, "author": s.author, "date": str(s.date) if s.date else None}
        for s in model.sources.values()
    }
    return data
