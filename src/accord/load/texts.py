"""Source texts: paragraphs, footnotes, locators and whitespace-normalised quote search.

>>> text = "Title\\n\\nThe PSC will  hold\\nmeetings.\\n\\n1 A footnote."
>>> t = SourceText.build("note", text, "paragraphs", "p3")
>>> t.resolve("p2")
'p2'
>>> t.resolve("fn1")
'p3'
>>> t.contains("will hold meetings", "p2"), t.contains("will hold meetings", "p1")
(True, False)
>>> normalise("‘It’s’  “so”")
'\\'It\\'s\\' "so"'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["SourceText", "normalise", "parse_locator"]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})
_LOC = re.compile(r"^\s*(p|para|paragraph|¶|fn|footnote|note)\.?\s*(\d+)\s*$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Collapse whitespace and fold typographic quotes into straight ones."""
    return " ".join(text.translate(_QUOTES).split())


def parse_locator(loc: str) -> tuple[str, int] | None:
    """``'p18'`` → ``('p', 18)``, ``'fn 6'`` → ``('fn', 6)``; free text → ``None``.

    >>> parse_locator("p18"), parse_locator("Footnote 6"), parse_locator("Art. 90")
    (('p', 18), ('fn', 6), None)
    """
    m = _LOC.match(loc)
    if not m:
        return None
    kind = m.group(1).lower()
    return ("fn" if kind in ("fn", "footnote", "note") else "p", int(m.group(2)))


@dataclass(frozen=True)
class SourceText:
    source: str
    text: str
    paragraphs: tuple[str, ...] = ()
    footnotes: Mapping[int, int] = field(default_factory=dict)  # footnote number -> paragraph
    aliases: Mapping[str, str] = field(default_factory=dict)
    normalised: str = ""
    normalised_paragraphs: tuple[str, ...] = ()

    @staticmethod
    def build(
        source: str,
        text: str,
        segments: str | None = None,
        footnotes_from: str | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> SourceText:
        paras: tuple[str, ...] = ()
        notes: dict[int, int] = {}
        if segments == "paragraphs":
            paras = tuple(b.strip() for b in re.split(r"\n\s*\n", text) if b.strip())
            start = parse_locator(footnotes_from) if footnotes_from else None
            if start is not None:
                for i in range(start[1], len(paras) + 1):
                    m = re.match(r"^(\d+)\s", paras[i - 1])
                    if m and int(m.group(1)) not in notes:
                        notes[int(m.group(1))] = i
        return SourceText(
            source,
            text,
            paras,
            notes,
            {k.replace(" ", "").lower(): v for k, v in (aliases or {}).items()},
            normalise(text),
            tuple(normalise(p) for p in paras),
        )

    @property
    def segmented(self) -> bool:
        return bool(self.paragraphs)

    def resolve(self, loc: str) -> str | None:
        """The paragraph id (``pN``) a locator points to, or ``None`` if it points nowhere."""
        key = loc.replace(" ", "").lower()
        seen = {key}
        while key in self.aliases:  # follow aliases, never round a cycle
            loc = self.aliases[key]
            key = loc.replace(" ", "").lower()
            if key in seen:
                return None
            seen.add(key)
        parsed = parse_locator(loc)
        if parsed is None:
            return None
        kind, n = parsed
        if kind == "p":
            return f"p{n}" if 1 <= n <= len(self.paragraphs) else None
        if n in self.footnotes:
            return f"p{self.footnotes[n]}"
        # an alias may name a footnote by the number the text prints ("fn71")
        return None

    def paragraph(self, pid: str) -> str:
        return self.paragraphs[int(pid[1:]) - 1]

    def contains(self, quote: str, loc: str | None = None) -> bool:
        q = normalise(quote)
        if loc is not None and self.segmented:
            pid = self.resolve(loc)
            if pid is not None:
                return q in self.normalised_paragraphs[int(pid[1:]) - 1]
        return q in self.normalised

    def find(self, quote: str) -> list[str]:
        """Paragraph ids whose text holds the quote."""
        q = normalise(quote)
        return [f"p{i}" for i, p in enumerate(self.normalised_paragraphs, 1) if q in p]
