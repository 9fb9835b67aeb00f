"""Fidelity you can see: which paragraphs of a source the model's elements cite.

For every source with segmented text, each paragraph (and footnote) is mapped to the
elements whose citations point at it; paragraphs that state a fact but are cited by no
element are listed, so that a model's coverage of its text can be checked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from accord.model.elements import Citation

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["Coverage", "ParagraphCoverage", "coverage", "iter_citations"]


def iter_citations(value: Any) -> Iterator[Citation]:
    if isinstance(value, Citation):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_citations(getattr(value, name))
    elif isinstance(value, tuple | list):
        for v in value:
            yield from iter_citations(v)


@dataclass(frozen=True)
class ParagraphCoverage:
    paragraph: str
    text: str
    cited_by: tuple[str, ...]
    non_factual: str | None

    @property
    def uncited(self) -> bool:
        return not self.cited_by and self.non_factual is None


@dataclass(frozen=True)
class Coverage:
    source: str
    paragraphs: tuple[ParagraphCoverage, ...]

    @property
    def uncited(self) -> list[ParagraphCoverage]:
        return [p for p in self.paragraphs if p.uncited]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "paragraphs": [
                {
                    "paragraph": p.paragraph,
                    "cited_by": list(p.cited_by),
                    "non_factual": p.non_factual,
                    "start": p.text[:80],
                }
                for p in self.paragraphs
            ],
            "uncited": [p.paragraph for p in self.uncited],
        }


def _elements(model: Model) -> Iterator[tuple[str, Any]]:
    for table in (
        model.actors,
        model.instruments,
        model.statements,
        model.events,
        model.strands,
        model.programmes,
        model.assessments,
        model.disagreements,
        model.sources,
    ):
        yield from table.items()


def coverage(model: Model, source: str) -> Coverage:
    text = model.texts[source]
    cited: dict[str, list[str]] = defaultdict(list)
    for eid, el in _elements(model):
        for c in iter_citations(el):
            if (c.via or c.source) == source and c.at:
                pid = text.resolve(c.at)
                if pid and eid not in cited[pid]:
                    cited[pid].append(eid)
    nf = {text.resolve(k) or k: v for k, v in model.sources[source].non_factual.items()}
    paras = tuple(
        ParagraphCoverage(f"p{i}", p, tuple(cited.get(f"p{i}", ())), nf.get(f"p{i}"))
        for i, p in enumerate(text.paragraphs, 1)
    )
    return Coverage(source, paras)
