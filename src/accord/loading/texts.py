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
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["SourceText", "normalise", "parse_locator"]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})
_LOC = re.compile(r"^\s*(p|para|paragraph|¶|fn|footnote|note)\.?\s*(\d+)\s*$", re.IGNORECASE)


_FOLD = tuple((chr(a), b) for a, b in _QUOTES.items())


def normalise(text: str) -> str:
    """Collapse whitespace and fold typographic quotes into straight ones."""
    if not text.isascii():  # str.translate is slow; the few replacements are not
        for a, b in _FOLD:
            if a in text:
                text = text.replace(a, b)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
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
    # locator -> paragraph id, as resolve() found it (citations repeat locators)
    _resolved: dict[str, str | None] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )
    # an index of the places of the words of the normalised text (see _index_words), built
    # once the whole text has been searched a few times
    _words: list[Any] = field(default_factory=list, compare=False, repr=False, hash=False)
    _searched: list[int] = field(default_factory=lambda: [0], compare=False, repr=False, hash=False)
    # the arguments of build(): a text is pickled as these, and built again where it arrives
    _recipe: tuple[Any, ...] = field(default=(), compare=False, repr=False, hash=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the raw text and how to segment it, not all that is derived from it.

        >>> import pickle
        >>> t = SourceText.build("x", "One.\\n\\nTwo.", "paragraphs")
        >>> pickle.loads(pickle.dumps(t)) == t
        True
        """
        if not self._recipe:  # pragma: no cover - texts are made by build()
            return tuple(super().__reduce__())
        return (SourceText.build, self._recipe)

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
            _recipe=(source, text, segments, footnotes_from, dict(aliases or {})),
        )

    @property
    def segmented(self) -> bool:
        return bool(self.paragraphs)

    def resolve(self, loc: str) -> str | None:
        """The paragraph id (``pN``) a locator points to, or ``None`` if it points nowhere."""
        try:
            return self._resolved[loc]
        except KeyError:
            pid = self._resolved[loc] = self._resolve(loc)
            return pid

    def _resolve(self, loc: str) -> str | None:
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

    def paragraph_at(self, loc: str) -> str | None:
        """The normalised text of the paragraph a locator points to; ``None`` if the text is
        not segmented or the locator points nowhere.

        >>> SourceText.build("x", "One.\\n\\nTwo  words.", "paragraphs").paragraph_at("p2")
        'Two words.'
        """
        if not self.paragraphs:
            return None
        pid = self.resolve(loc)
        return None if pid is None else self.normalised_paragraphs[int(pid[1:]) - 1]

    def paragraph(self, pid: str) -> str:
        return self.paragraphs[int(pid[1:]) - 1]

    def contains(self, quote: str, loc: str | None = None) -> bool:
        q = normalise(quote)
        if loc is not None and self.segmented:
            pid = self.resolve(loc)
            if pid is not None:
                return q in self.normalised_paragraphs[int(pid[1:]) - 1]
        return self._in_whole(q)

    def _in_whole(self, q: str) -> bool:
        """``q in self.normalised`` (``q`` normalised), through an index of the words once
        the whole text has been searched a few times.

        Any word of ``q`` but the first and the last is a whole word of the text wherever
        ``q`` occurs, so the places of its rarest such word are the only places to try.
        """
        words = q.split(" ")
        if len(words) < 3:
            return q in self.normalised
        searched = self._searched
        if searched[0] < 8:
            searched[0] += 1
            if searched[0] < 8:
                return q in self.normalised
            self._index_words()
        code_of, counts, ends, places = self._words
        best = -1
        at = offset = best_at = 0
        for j in range(1, len(words) - 1):
            offset += len(words[j - 1]) + 1
            code = code_of.get(words[j])
            if code is None:
                return False
            if best < 0 or counts[code] < counts[best]:
                best, best_at = code, offset
        at = best_at
        text = self.normalised
        tries = places[ends[best] - counts[best] : ends[best]].tolist()
        return any(text.startswith(q, p - at) for p in tries if p >= at)

    def _index_words(self) -> None:
        """Word -> the places it starts at, as one sorted array: (code of each word, count
        of each code, end of each code's run, places sorted by code)."""
        words = self.normalised.split(" ")
        code_of = dict.fromkeys(words, 0)  # the distinct words, in order (no Python loop)
        for code, w in enumerate(code_of):
            code_of[w] = code
        codes = np.array(list(map(code_of.__getitem__, words)), np.int64)
        starts = np.zeros(len(words), np.int64)
        np.cumsum(np.array(list(map(len, words)), np.int64)[:-1] + 1, out=starts[1:])
        counts = np.bincount(codes, minlength=len(code_of))
        self._words.extend(
            (
                code_of,
                counts.tolist(),
                np.cumsum(counts).tolist(),
                starts[np.argsort(codes, kind="stable")],
            )
        )

    def find(self, quote: str) -> list[str]:
        """Paragraph ids whose text holds the quote."""
        q = normalise(quote)
        return [f"p{i}" for i, p in enumerate(self.normalised_paragraphs, 1) if q in p]
