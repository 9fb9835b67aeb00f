"""Fidelity you can see: which paragraphs of a source the model's elements cite.

For every source with segmented text, each paragraph (and footnote) is mapped to the
elements whose citations point at it; paragraphs that state a fact but are cited by no
element are listed, so that a model's coverage of its text can be checked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.model.walk import citations

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["Coverage", "ParagraphCoverage", "coverage", "coverages"]


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
    """Which elements cite each paragraph of one source's text.

    >>> from accord import load
    >>> c = coverage(load(), "portela-2001")
    >>> len(c.paragraphs), c.uncited
    (72, [])
    """
    return coverages(model, [source])[source]


def coverages(model: Model, sources: Iterable[str] | None = None) -> dict[str, Coverage]:
    """The coverage of several sources' texts (every segmented one by default), in one walk
    of the model's elements."""
    if sources is None:
        sources = [sid for sid, t in model.texts.items() if t.segmented]
    texts = {sid: model.texts[sid] for sid in sources}
    # source -> paragraph -> the elements citing it, in order, once each
    cited: dict[str, defaultdict[str, dict[str, None]]] = {sid: defaultdict(dict) for sid in texts}
    for eid, el in _elements(model):
        for c in citations(el):
            holder = c.via or c.source
            if holder in texts and c.at:
                pid = texts[holder].resolve(c.at)
                if pid:
                    cited[holder][pid][eid] = None
    out: dict[str, Coverage] = {}
    for sid, text in texts.items():
        nf = {text.resolve(k) or k: v for k, v in model.sources[sid].non_factual.items()}
        out[sid] = Coverage(
            sid,
            tuple(
                ParagraphCoverage(f"p{i}", p, tuple(cited[sid].get(f"p{i}", ())), nf.get(f"p{i}"))
                for i, p in enumerate(text.paragraphs, 1)
            ),
        )
    return out
