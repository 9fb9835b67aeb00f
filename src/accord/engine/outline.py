"""The strands of co-operation as one nested outline, for the pages that show them.

Each strand with its instruments, issue areas and programmes (each programme with its
projects), every part with its citations. The brief and the web app render the same
outline; each says how to render a citation list and a reference to an instrument.

>>> from accord import load
>>> out = strands_outline(load(), cites=len, instrument=str)
>>> [(s["id"], len(s["programmes"])) for s in out][:2]
[('internal-assistance', 4), ('justice-home-affairs', 0)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from accord.model.elements import Citation

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["strands_outline"]


def strands_outline(
    model: Model,
    cites: Callable[[Iterable[Citation]], Any],
    instrument: Callable[[str], Any],
) -> list[dict[str, Any]]:
    """The outline of every strand; ``cites`` renders a citation list, ``instrument`` an
    instrument's id."""
    out = []
    for s in model.strands.values():
        programmes = [
            {
                "id": p.id,
                "name": p.name,
                "description": p.description,
                "instrument": None if p.instrument is None else instrument(p.instrument),
                "projects": [
                    {
                        "id": pr.id,
                        "name": pr.name,
                        "description": pr.description,
                        "cites": cites(pr.cite),
                    }
                    for pr in p.projects
                ],
                "cites": cites(p.cite),
            }
            for p in model.programmes.values()
            if p.strand == s.id
        ]
        out.append(
            {
                "id": s.id,
                "name": s.name,
                "stage": s.stage,
                "instruments": [instrument(i) for i in s.instruments],
                "issue_areas": [
                    {"id": a.id, "name": a.name, "cites": cites(a.cite)} for a in s.issue_areas
                ],
                "programmes": programmes,
                "cites": cites(s.cite),
            }
        )
    return out
