"""The elements of a model package, one record type per kind of YAML file.

These pydantic models are both the file format (they reject unknown keys, and the JSON
Schema is generated from them) and the immutable records the engine reads.

>>> s = Statement.model_validate({
...     "id": "x", "instrument": "nice", "text": "t", "attribute": "psc-troika",
...     "deontic": "must", "aim": "meet", "recurrence": "every six months",
...     "cite": {"source": "note", "at": "p18", "quote": "every six months",
...              "confidence": "quoted"}})
>>> s.recurrence.per_year, s.cite[0].at
(2.0, 'p18')
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from accord.model.types import OPEN, BoundField, DateField, Facts, Id, ListOf, RecurrenceField
from accord.time import Interval

__all__ = [
    "KINDS",
    "Actor",
    "Assessment",
    "Citation",
    "Disagreement",
    "Event",
    "Instrument",
    "IntervalSpec",
    "Manifest",
    "ObservedAs",
    "Programme",
    "Question",
    "Source",
    "Statement",
    "Strand",
    "Suspension",
    "Tenure",
]

Confidence = Literal["quoted", "paraphrased", "inferred"]
Deontic = Literal["must", "may", "must-not"]
PLOVER = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(Record):
    """Source + locator + short verbatim quote + confidence."""

    source: Id
    at: str | None = Field(None, description="locator: pN, fnN, or free text (Art. 90)")
    quote: str | None = Field(None, description="short verbatim quote, checked against text")
    confidence: Confidence
    via: Id | None = Field(None, description="source whose text holds the quote")
    url: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _quote_needed(self) -> Citation:
        if self.quote is None and self.confidence != "inferred":
            raise ValueError(f"a {self.confidence} citation needs a 'quote'")
        return self


Cites = Annotated[tuple[Citation, ...], ListOf]
Ids = Annotated[tuple[Id, ...], ListOf]


class IntervalSpec(Record):
    """``{from: …, to: …}``; each end a date, ``open``, ``unknown`` or ``{event: ID}``."""

    start: BoundField = Field(OPEN, alias="from", json_schema_extra={"default": "open"})
    end: BoundField = Field(OPEN, alias="to", json_schema_extra={"default": "open"})

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


class Manifest(Record):
    id: Id
    title: str
    description: str | None = None
    default_date: DateField | None = None
    version: str | None = None


class Source(Record):
    id: Id
    title: str
    kind: str
    issuer: str | None = None
    author: str | None = None
    date: DateField | None = None
    text: str | None = Field(None, description="path of the text inside the package")
    segments: Literal["paragraphs"] | None = None
    footnotes_from: str | None = None
    locator_aliases: dict[str, str] = Field(default_factory=dict)
    non_factual: dict[str, str] = Field(default_factory=dict)
    url: str | None = None
    cite: Cites = ()


class Tenure(Record):
    """A dated membership or office-holding."""

    actor: Id
    start: BoundField = Field(OPEN, alias="from", json_schema_extra={"default": "open"})
    end: BoundField = Field(OPEN, alias="to", json_schema_extra={"default": "open"})
    role: str | None = None
    cite: Cites = ()

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


ActorKind = Literal[
    "state",
    "organisation",
    "institution",
    "body",
    "office",
    "format",
    "group",
    "meeting",
    "person",
    "region",
]


class Actor(Record):
    id: Id
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    part_of: Id | None = None
    exists: IntervalSpec | None = None
    replaced_by: Id | None = None
    holders: tuple[Tenure, ...] = ()
    members: tuple[Tenure, ...] = ()
    situation_members: str | None = Field(
        None, description="a situation fact listing further members (e.g. contributors)"
    )
    cite: Cites


class Suspension(Record):
    id: Id
    scope: Literal["partial", "whole"]
    provisions: Ids = ()
    during: IntervalSpec
    by: Id | None = None
    reading: str | None = Field(None, description="applies only under DISAGREEMENT/READING")
    description: str | None = None
    cite: Cites


class Replacement(Record):
    instrument: Id
    date: BoundField = Field(description="from this date (or event) the replacement applies")


InstrumentKind = Literal[
    "agreement",
    "treaty",
    "strategy",
    "joint-action",
    "declaration",
    "decision",
    "conclusions",
    "communication",
    "arrangement",
    "regulation",
    "programme",
    "work-plan",
    "report",
    "concept",
    "act",
    "initiative",
    "statement",
    "speech",
]


class Instrument(Record):
    id: Id
    title: str
    kind: InstrumentKind
    parties: Ids = ()
    issuer: Id | None = None
    signed: DateField | None = None
    adopted: DateField | None = None
    in_force: IntervalSpec | None = None
    in_effect: IntervalSpec | None = None
    legally_binding: bool | None = None
    replaced_by: Replacement | None = None
    suspensions: tuple[Suspension, ...] = ()
    description: str | None = None
    cite: Cites


class ObservedAs(Record):
    """Monitoring: which recorded events count as an occurrence of a recurring statement.

    By default an event counts when its body (or one of its actors) is the statement's
    attribute, its category is CONSULT and, if the object is an actor, that actor took part.
    """

    body: Id | None = Field(None, description="the body or format that meets (default: A)")
    category: Annotated[tuple[PLOVER, ...], ListOf] = Field(
        ("CONSULT",), description="PLOVER categories that count"
    )
    participants: Ids = Field((), description="actors who must all take part")
    kind: str | None = Field(None, description="the event's kind, e.g. summit")


class Statement(Record):
    """An Institutional Grammar 2.0 statement, regulative or constitutive."""

    id: Id
    instrument: Id
    type: Literal["regulative", "constitutive"] = "regulative"
    text: str
    # regulative
    attribute: Id | None = None
    applies_to: Literal["self", "members"] = "self"
    deontic: Deontic | None = None
    aim: str | None = None
    object: str | None = None
    indirect_object: str | None = None
    constraint: str | None = None
    or_else: str | None = None
    # constitutive
    entity: str | None = Field(None, description="E: what is constituted (an actor id or text)")
    modal: Deontic | None = None
    function: str | None = None
    properties: str | None = None
    # both
    condition: str | None = None
    recurrence: RecurrenceField | None = None
    exclusive: bool = False
    overrides: Ids = ()
    reading: str | None = Field(None, description="DISAGREEMENT/READING")
    valid: IntervalSpec | None = None
    provision: str | None = None
    observed_as: ObservedAs | None = Field(
        None, description="monitoring: which recorded events count as an occurrence"
    )
    cite: Cites

    @model_validator(mode="after")
    def _components(self) -> Statement:
        if self.type == "regulative":
            missing = [k for k in ("attribute", "deontic", "aim") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a regulative statement needs {', '.join(missing)}")
        else:
            missing = [k for k in ("entity", "function") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a constitutive statement needs {', '.join(missing)}")
        if self.reading is not None and self.reading.count("/") != 1:
            raise ValueError("'reading' must be DISAGREEMENT/READING, e.g. launch-decision/note")
        return self


class ReadingOption(Record):
    id: Id
    label: str
    cite: Cites


class Disagreement(Record):
    id: Id
    question: str
    readings: tuple[ReadingOption, ...]
    note: str | None = None


class Event(Record):
    id: Id
    date: DateField
    title: str
    kind: str | None = None
    category: PLOVER
    mode: str | None = None
    context: Annotated[tuple[str, ...], ListOf] = ()
    participants: Ids = ()
    body: Id | None = None
    instrument: Id | None = None
    confidence: Confidence
    cite: Cites


class IssueArea(Record):
    id: Id
    name: str
    cite: Cites = ()


class Strand(Record):
    id: Id
    name: str
    stage: str | None = None
    instruments: Ids = ()
    issue_areas: tuple[IssueArea, ...] = ()
    cite: Cites


class Project(Record):
    id: Id
    name: str
    instrument: Id | None = None
    issue_areas: Ids = ()
    description: str | None = None
    cite: Cites


class Programme(Record):
    id: Id
    name: str
    instrument: Id | None = None
    strand: Id | None = None
    issue_areas: Ids = ()
    projects: tuple[Project, ...] = ()
    description: str | None = None
    cite: Cites


class Assessment(Record):
    id: Id
    kind: Literal[
        "opportunity",
        "difficulty",
        "attitude",
        "comparison",
        "proposal",
        "conclusion",
        "discrepancy",
    ]
    text: str
    about: Ids = ()
    cite: Cites


class AskSpec(Record):
    actor: Id
    action: str
    object: str | None = None


class WhoSpec(Record):
    action: str
    object: str | None = None
    deontic: Deontic | None = None


Verdict = Literal["obliged", "permitted", "forbidden", "not-regulated", "contested"]
Tri = bool | Literal["uncertain"]


class Expect(Record):
    verdict: Verdict | None = None
    statements: Ids = ()
    readings: dict[str, Verdict] = Field(default_factory=dict)
    actors: Ids | None = None
    includes: Ids = ()
    excludes: Ids = ()
    in_force: Tri | None = None
    in_effect: Tri | None = None
    suspended: Tri | None = None
    status: str | None = None
    times: int | None = None
    per: Literal["day", "week", "month", "year"] | None = None
    strand: Id | None = None


QUERY_KEYS = ("ask", "who", "status", "members", "holder", "recurrence", "strand_of")


class Question(Record):
    """A test written as data: date, situation, one query, the expected answer."""

    id: Id
    date: DateField | None = None
    situation: Facts = Field(default_factory=dict)
    reading: dict[str, str] = Field(default_factory=dict)
    ask: AskSpec | None = None
    who: WhoSpec | None = None
    status: Id | None = None
    members: Id | None = None
    holder: Id | None = None
    recurrence: Id | None = None
    strand_of: Id | None = None
    expect: Expect

    @model_validator(mode="after")
    def _one_query(self) -> Question:
        given = [k for k in QUERY_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a question needs exactly one of {', '.join(QUERY_KEYS)}; got "
                + (", ".join(given) or "none")
            )
        if given[0] in ("ask", "who", "status", "members", "holder") and self.date is None:
            raise ValueError(f"a '{given[0]}' question needs a 'date'")
        return self

    @property
    def query(self) -> str:
        return next(k for k in QUERY_KEYS if getattr(self, k) is not None)


# file kind -> record type, in loading order
KINDS: dict[str, type[Record]] = {
    "sources": Source,
    "actors": Actor,
    "instruments": Instrument,
    "readings": Disagreement,
    "statements": Statement,
    "events": Event,
    "strands": Strand,
    "programmes": Programme,
    "assessments": Assessment,
    "questions": Question,
}


def _register_procedures() -> None:
    # procedures.yaml is a kind of model file; its records live in model/procedures.py
    from accord.model.procedures import Procedure

    KINDS["procedures"] = Procedure
    KINDS["questions"] = KINDS.pop("questions")  # questions are read last


_register_procedures()
