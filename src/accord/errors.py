"""One error hierarchy for accord; the faces render it, nothing prints a traceback.

Every problem with user input is a :class:`Problem` (file, line, column, code, message).
Loading collects all of them and raises one :class:`ModelError` holding the whole list,
so that a model with errors never half-loads.

>>> p = Problem("actors.yaml", 3, 5, "unknown-key", "unknown key 'nmae' (did you mean 'name'?)")
>>> str(p)
"actors.yaml:3:5: unknown key 'nmae' (did you mean 'name'?) [unknown-key]"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

__all__ = [
    "AccordError",
    "ConditionError",
    "ModelError",
    "Problem",
    "QueryError",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class AccordError(Exception):
    """Root of every error accord raises on purpose."""


class ModelError(AccordError):
    """A model (or a reform, scenario or question file) did not load: all its problems."""

    def __init__(self, problems: Sequence[Problem], *, where: str = "model") -> None:
        self.problems = sorted(problems)
        self.where = where
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        head = f"{where_label(self.where)} has {n} problem{'s' if n != 1 else ''}"
        return head + ("\n" + "\n".join(str(p) for p in self.problems) if n else "")


def where_label(where: str) -> str:
    return where if where else "model"


class ConditionError(AccordError):
    """A condition that does not parse or refers to something that does not exist."""

    def __init__(
        self, message: str, *, column: int = 1, text: str = "", pos: int | None = None
    ) -> None:
        self.column = column
        self.text = text
        self.pos = column - 1 if pos is None else pos  # 0-based index in the text
        super().__init__(message)


class QueryError(AccordError):
    """A question that cannot be asked: unknown actor, bad date, unknown reading …"""
