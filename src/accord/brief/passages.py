"""Source passages: where each citation points in its source's text, and the text itself
cut into blocks with the cited quotes highlighted.

A citation (as the dict :func:`accord.engine.deontic.cite_dict` gives) points to

- a paragraph (``p18``) when its source's text is segmented into paragraphs;
- else the quote itself, found in the text (the anchor is ``q-`` and a short hash of the
  quote), when the quote is there;
- else the source as a whole (a document with no text in the model: its record, its URL).

The web app links to ``/sources/ID#ANCHOR``; the briefing carries the passages in an
appendix and links to ``#src-ID-ANCHOR``. Both read this module.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from html import escape
from typing import Any

from pydantic import BaseModel

from accord.engine.deontic import cite_dict
from accord.engine.model import Model
from accord.loading.texts import normalise
from accord.model.elements import Citation

__all__ = [
    "Block",
    "ElementRef",
    "Passages",
    "element_citations",
    "quote_anchor",
    "quote_pattern",
]

_QUOTE_CLASSES = {
    "'": "['‘’‚]",
    "‘": "['‘’‚]",
    "’": "['‘’‚]",
    "‚": "['‘’‚]",
    '"': '["“”„]',
    "“": '["“”„]',
    "”": '["“”„]',
    "„": '["“”„]',
}


def quote_anchor(quote: str) -> str:
    """A stable anchor for a quote: ``q-`` and 10 hex digits of its normalised text.

    >>> quote_anchor("the  PSC ") == quote_anchor("the PSC")
    True
    """
    return "q-" + hashlib.sha1(normalise(quote).encode()).hexdigest()[:10]


def quote_pattern(quote: str) -> re.Pattern[str]:
    """A regex that finds ``quote`` in raw text: any run of whitespace matches any other,
    and straight and typographic quotes match each other.

    >>> bool(quote_pattern('it’s "so"').search("it's  “so”"))
    True
    """
    parts: list[str] = []
    for ch in normalise(quote):
        if ch == " ":
            parts.append(r"\s+")
        else:
            parts.append(_QUOTE_CLASSES.get(ch, re.escape(ch)))
    return re.compile("".join(parts))


@dataclass(frozen=True)
class ElementRef:
    """An element that cites a passage: its kind (the table it is in), id and label."""

    kind: str
    id: str
    label: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Block:
    """A piece of a source's text: a paragraph (``pN``) or, for unsegmented texts, a run
    of lines (``bN``). ``html`` is the escaped text with cited quotes marked."""

    id: str
    text: str
    html: str
    cited_by: tuple[ElementRef, ...] = ()
    anchors: tuple[str, ...] = ()  # the quote anchors inside it
    table: tuple[tuple[str, ...], ...] = ()  # a markdown table: rows of cells (html)
    heading: int = 0  # a markdown heading: its level

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "cited_by": [r.to_dict() for r in self.cited_by],
            "quotes": list(self.anchors),
        }


# ---- the citations of an element, with where in the element each sits -------------------

_TABLES = tuple(t for t in Model.TABLES if t != "questions")  # questions cite nothing


def _walk(value: Any, where: str) -> Iterator[tuple[str, Citation]]:
    if isinstance(value, Citation):
        yield where, value
    elif isinstance(value, BaseModel):
        label = where
        for key in ("id", "actor"):
            v = getattr(value, key, None)
            if isinstance(v, str) and where:
                label = f"{where} {v}"
                break
        for name in type(value).model_fields:
            sub = getattr(value, name)
            if name == "cite":
                yield from _walk(sub, label)
            elif isinstance(sub, BaseModel | tuple | list):
                yield from _walk(sub, name if not where else f"{label} · {name}")
    elif isinstance(value, tuple | list):
        for v in value:
            yield from _walk(v, where)


def element_citations(model: Model, element: Any) -> list[dict[str, Any]]:
    """Every citation of an element, nested ones too (a membership's, a suspension's), each
    as a cite dict with ``"context"``: where in the element it sits ('' for the element's
    own)."""
    out = []
    for where, c in _walk(element, ""):
        d = cite_dict(model, c)
        d["context"] = where.replace("members ", "member ").replace("holders ", "held by ")
        if c.note:
            d["note"] = c.note
        out.append(d)
    return out


# ---- the index of a model's passages -----------------------------------------------------


class Passages:
    """Where every citation of a model points, and each text's blocks (built lazily)."""

    def __init__(self, model: Model) -> None:
        self.model = model

    # -- targets --------------------------------------------------------------------------
    def text_of(self, c: dict[str, Any]) -> str | None:
        sid = c.get("via") or c.get("source")
        return sid if isinstance(sid, str) and sid in self.model.texts else None

    def enrich(self, c: Citation | Mapping[str, Any]) -> dict[str, Any]:
        """The cite dict with ``text`` (the source holding the passage, or None) and
        ``anchor`` (the passage in it, or None) added."""
        d = cite_dict(self.model, c) if isinstance(c, Citation) else dict(c)
        d["text"] = self.text_of(d)
        d["anchor"] = self.anchor(d)
        return d

    def anchor(self, c: dict[str, Any]) -> str | None:
        """The anchor of the passage ``c`` points to in its text, or None."""
        sid = self.text_of(c)
        if sid is None:
            return None
        if c.get("paragraph"):
            return str(c["paragraph"])
        text = self.model.texts[sid]
        quote = c.get("quote")
        if quote and text.segmented:
            found = text.find(quote)
            return found[0] if found else None
        if quote and self._find(sid, quote) is not None:
            return quote_anchor(quote)
        return None

    def _find(self, sid: str, quote: str) -> tuple[int, int] | None:
        key = (sid, quote)
        if key not in self._spans:
            m = quote_pattern(quote).search(self.model.texts[sid].text)
            self._spans[key] = (m.start(), m.end()) if m else None
        return self._spans[key]

    @cached_property
    def _spans(self) -> dict[tuple[str, str], tuple[int, int] | None]:
        return {}

    def excerpt(self, c: dict[str, Any]) -> tuple[str, str] | None:
        """The passage ``c`` points to, as (anchor, html with the quote marked): the whole
        paragraph of a segmented text, else the line(s) holding the quote."""
        sid = self.text_of(c)
        anchor = self.anchor(c)
        if sid is None or anchor is None:
            return None
        text = self.model.texts[sid]
        quote = c.get("quote")
        if anchor.startswith("p") and text.segmented:
            para = text.paragraph(anchor)
            return anchor, _mark(para, [quote] if quote else [])
        span = self._find(sid, quote) if quote else None
        if span is None:
            return None
        raw = text.text
        start = raw.rfind("\n", 0, span[0]) + 1
        end = raw.find("\n", span[1])
        end = len(raw) if end < 0 else end
        return anchor, _mark(_plain(raw[start:end]), [quote] if quote else [])

    # -- who cites what ------------------------------------------------------------------
    @cached_property
    def citing(self) -> dict[str, list[tuple[ElementRef, dict[str, Any]]]]:
        """text source id -> (element, cite dict) for every citation whose passage is in it."""
        out: dict[str, list[tuple[ElementRef, dict[str, Any]]]] = defaultdict(list)
        for kind in _TABLES:
            table = getattr(self.model, kind, {})
            for eid, el in table.items():
                ref = ElementRef(kind, eid, self.model.name(eid) if kind != "statements" else eid)
                for c in element_citations(self.model, el):
                    sid = self.text_of(c)
                    if sid is not None:
                        out[sid].append((ref, c))
        return dict(out)

    def cited_sources(self) -> dict[str, list[ElementRef]]:
        """source id (cited directly, with or without text) -> the elements citing it."""
        return self._cited_sources

    @cached_property
    def _cited_sources(self) -> dict[str, list[ElementRef]]:
        out: dict[str, list[ElementRef]] = defaultdict(list)
        for kind in _TABLES:
            for eid, el in getattr(self.model, kind, {}).items():
                ref = ElementRef(kind, eid, self.model.name(eid) if kind != "statements" else eid)
                for c in element_citations(self.model, el):
                    for sid in {c["source"], c.get("via")}:
                        if sid and ref not in out[sid]:
                            out[sid].append(ref)
        return dict(out)

    # -- a text as blocks -----------------------------------------------------------------
    def blocks(self, sid: str) -> list[Block]:
        if sid not in self._blocks:
            self._blocks[sid] = self._build_blocks(sid)
        return self._blocks[sid]

    @cached_property
    def _blocks(self) -> dict[str, list[Block]]:
        return {}

    def _build_blocks(self, sid: str) -> list[Block]:
        text = self.model.texts[sid]
        cites = self.citing.get(sid, [])
        if text.segmented:
            by_para: dict[str, list[tuple[ElementRef, dict[str, Any]]]] = defaultdict(list)
            for ref, c in cites:
                a = self.anchor(c)
                if a:
                    by_para[a].append((ref, c))
            out = []
            for i, para in enumerate(text.paragraphs, 1):
                pid = f"p{i}"
                here = by_para.get(pid, [])
                quotes = sorted({c["quote"] for _, c in here if c.get("quote")})
                out.append(
                    Block(
                        pid,
                        para,
                        _mark(para, quotes),
                        _refs(here),
                        tuple(map(quote_anchor, quotes)),
                    )
                )
            return out
        # unsegmented: runs of lines split at blank lines; a markdown table or heading apart
        raw = text.text
        chunks = _chunks(raw)
        out = []
        for n, (start, end, kind) in enumerate(chunks, 1):
            here = [
                (ref, c)
                for ref, c in cites
                if c.get("quote")
                and (sp := self._find(sid, c["quote"])) is not None
                and start <= sp[0] < end
            ]
            quotes = sorted({c["quote"] for _, c in here})
            body = raw[start:end]
            anchors = tuple(quote_anchor(q) for q in quotes)
            if kind == "table":
                rows = _table(body, quotes)
                if rows is not None:
                    out.append(Block(f"b{n}", body, "", _refs(here), anchors, table=rows))
                    continue
            if kind == "heading":
                level = len(body) - len(body.lstrip("#"))
                out.append(
                    Block(
                        f"b{n}",
                        body,
                        _mark(body.lstrip("# "), quotes),
                        _refs(here),
                        anchors,
                        heading=min(level, 4),
                    )
                )
                continue
            out.append(Block(f"b{n}", body, _mark(_plain(body), quotes), _refs(here), anchors))
        return out


def _refs(items: list[tuple[ElementRef, dict[str, Any]]]) -> tuple[ElementRef, ...]:
    seen: dict[tuple[str, str], ElementRef] = {}
    for ref, _ in items:
        seen.setdefault((ref.kind, ref.id), ref)
    return tuple(seen.values())


def _plain(text: str) -> str:
    """Light markdown to plain text: bold markers and backticks dropped."""
    return text.replace("**", "").replace("`", "")


def _mark(text: str, quotes: list[str]) -> str:
    """Escape ``text`` and wrap each quote found in it in ``<mark id=q-…>``."""
    spans: list[tuple[int, int, str]] = []
    for q in quotes:
        m = quote_pattern(_plain(q)).search(text) or quote_pattern(q).search(text)
        if m:
            spans.append((m.start(), m.end(), quote_anchor(q)))
    spans.sort(key=lambda x: (x[0], -x[1]))
    # overlapping quotes are merged into one mark; each keeps an anchor at the mark
    merged: list[tuple[int, int, list[str]]] = []
    for s, e, anchor in spans:
        if merged and s < merged[-1][1]:
            ps, pe, anchors = merged[-1]
            merged[-1] = (ps, max(pe, e), [*anchors, anchor])
        else:
            merged.append((s, e, [anchor]))
    out, pos, used = [], 0, set()
    for s, e, anchors in merged:
        out.append(escape(text[pos:s]))
        fresh = [a for a in dict.fromkeys(anchors) if a not in used]
        used.update(fresh)
        ident = f' id="{fresh[0]}"' if fresh else ""
        extra = "".join(f'<span id="{a}"></span>' for a in fresh[1:])
        out.append(f"<mark{ident}>{extra}{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


_FENCE = re.compile(r"^```")


def _chunks(raw: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each block: kind is table, heading, code or text."""
    out: list[tuple[int, int, str]] = []
    lines = raw.splitlines(keepends=True)
    pos = 0
    cur_start: int | None = None
    cur_kind = "text"
    in_fence = False

    def close(end: int) -> None:
        nonlocal cur_start
        if cur_start is not None and raw[cur_start:end].strip():
            out.append((cur_start, end, cur_kind))
        cur_start = None

    for line in lines:
        stripped = line.strip()
        end = pos + len(line)
        if in_fence:
            if _FENCE.match(stripped):
                in_fence = False
                close(pos)
            elif cur_start is None:
                cur_start, cur_kind = pos, "code"
            pos = end
            continue
        if _FENCE.match(stripped):
            close(pos)
            in_fence = True
            pos = end
            continue
        kind = (
            "table"
            if stripped.startswith("|")
            else "heading"
            if stripped.startswith("#")
            else "text"
        )
        if not stripped:
            close(pos)
        elif kind == "heading":
            close(pos)
            out.append((pos, pos + len(line.rstrip("\n")), "heading"))
        elif cur_start is None:
            cur_start, cur_kind = pos, kind
        elif kind != cur_kind:
            close(pos)
            cur_start, cur_kind = pos, kind
        pos = end
    close(pos)
    return out


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _table(body: str, quotes: list[str]) -> tuple[tuple[str, ...], ...] | None:
    """A markdown table as rows of marked-up cells; None when a quote spans cells (the
    caller then shows the block as plain text, so that the quote is still marked)."""
    rows: list[tuple[str, ...]] = []
    found: set[str] = set()
    for line in body.splitlines():
        cells = _cells(line)
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        row = []
        for cell in cells:
            plain = _plain(cell)
            here = [q for q in quotes if quote_pattern(_plain(q)).search(plain)]
            found.update(here)
            row.append(_mark(plain, here))
        rows.append(tuple(row))
    if set(quotes) - found:
        return None
    return tuple(rows)
