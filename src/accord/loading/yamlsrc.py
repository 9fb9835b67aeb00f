"""YAML with positions: duplicate keys caught, scalars kept as text, every node locatable.

PyYAML's composer (the C one when libyaml is present) gives us nodes with marks. We turn
them into plain Python values ourselves: mappings become dicts, sequences lists, scalars
*strings* (so that dates, ``yes``/``no`` and numbers are judged by accord's own rules, not
YAML 1.1's), except that a plain ``null``/``~``/empty scalar becomes ``None``. The node tree
is kept so that a problem found later, at any path, can be given its line and column.

>>> doc = parse_yaml_text("- id: a\\n  date: 2001-05-17\\n", "x.yaml")
>>> doc.value
[{'id': 'a', 'date': '2001-05-17'}]
>>> doc.locate((0, "date"))
(2, 9)
>>> bad = parse_yaml_text("- id: a\\n  id: b\\n", "x.yaml")
>>> [str(p) for p in bad.problems]
["x.yaml:2:3: duplicate key 'id' (first at line 1) [duplicate-key]"]
"""

from __future__ import annotations

import marshal
import re
import sys
from collections.abc import Iterator, Sequence, Set
from typing import Any

import yaml

from accord.errors import Problem
from accord.loading.parallel import Worker

__all__ = ["YamlDoc", "parse_files", "parse_one", "parse_yaml_text", "share"]

try:  # the C composer is an order of magnitude faster on large models
    _Base: Any = yaml.CSafeLoader
    _C = True
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader
    _C = False

_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_Base):
    """The safe loader without implicit tag resolution: scalars become text by accord's own
    rules (in :func:`_plain`), so the resolver's per-scalar regular expressions are wasted."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_NULLS = {"", "~", "null", "Null", "NULL"}
Path = Sequence[object]


class YamlDoc:
    """One parsed file: its plain value, its node tree and the problems met while reading.

    The node tree (with every line and column) is only needed to place a problem; for a
    file read by the fast path it is composed from the text the first time it is asked for.
    The place of each element of a top-level list is known without it.
    """

    __slots__ = ("_items", "_root", "_text", "file", "problems", "value")

    def __init__(
        self,
        file: str,
        value: Any,
        root: yaml.Node | None,
        problems: list[Problem] | None = None,
        *,
        text: str | None = None,
        items: _Items | None = None,
    ) -> None:
        self.file = file
        self.value = value
        self._root = root
        self._text = text
        self._items = items
        self.problems: list[Problem] = [] if problems is None else problems

    @property
    def root(self) -> yaml.Node | None:
        if self._root is None and self._text is not None:
            try:
                self._root = yaml.compose(self._text, Loader=_Loader)
            except yaml.YAMLError:  # pragma: no cover - the text was read once already
                self._root = None
            self._items = None
        return self._root

    def __repr__(self) -> str:
        return f"YamlDoc({self.file!r}, problems={self.problems!r})"

    def node_at(self, path: Path, *, key: bool = False) -> yaml.Node | None:
        """The node at ``path`` (or the deepest node reached); with ``key`` the key node."""
        node = self.root
        for i, step in enumerate(path):
            if node is None:
                return None
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode) and step == 0:
                continue  # one item written where a list may stand: it is item 0
            if isinstance(node, yaml.MappingNode):
                found = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == step:
                        found = k if (key and last) else v
                        break
                if found is None:
                    return node
                node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    node = node.value[step]
                else:
                    return node
            else:
                return node
        return node

    def locate_in(self, path: Path, offset: int) -> tuple[int, int]:
        """1-based (line, column) of character ``offset`` of the text scalar at ``path``,
        following the scalar across lines (quoted, plain or block) as YAML folds it."""
        node = self.node_at(path)
        text = self._text if self._text is not None else ""
        if node is None or not text:
            return self.locate(path)
        lines = text.splitlines()
        line, col = node.start_mark.line, node.start_mark.column
        style = getattr(node, "style", None)
        if style in ("|", ">"):
            line += 1
            while line < len(lines) and not lines[line].strip():
                line += 1
            indent = len(lines[line]) - len(lines[line].lstrip()) if line < len(lines) else 0
            col, wrap_col = indent, indent
        else:
            if style in ("'", '"'):
                col += 1
            wrap_col = None
        k = 0
        while line < len(lines):
            row = lines[line]
            start = col if wrap_col is None or k == 0 else wrap_col
            if wrap_col is None and line != node.start_mark.line:
                start = len(row) - len(row.lstrip())
            span = len(row) - start
            if offset <= span or line + 1 >= len(lines):
                return (line + 1, start + offset + 1)
            offset -= span + 1  # the line break folds to one character
            line, k = line + 1, k + 1
        return self.locate(path)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``path``."""
        if self._items is not None and len(path) == 1 and not key:
            at = self._items.at(path[0], self._text or "")
            if at is not None:
                return at
        node = self.node_at(path, key=key)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(self, path: Path, code: str, message: str, *, key: bool = False) -> Problem:
        line, col = self.locate(path, key=key)
        return Problem(self.file, line, col, code, message)


PARALLEL_MIN_CHARS = 8_000_000  # below this, a second process costs more than it saves
# the part of a large model's text (by size) the second process reads: it only reads, while
# this process also validates every file and takes in the values the other one sends
WORKER_SHARE = 0.7


def share(files: list[tuple[str, str]], keep: Set[int] = frozenset()) -> list[int] | None:
    """Which of the ``(text, name)`` files a second process should read (about
    ``WORKER_SHARE`` of the text, by size, never one in ``keep``), in the order it should
    read them; ``None`` for a model small enough to read here."""
    total = sum(len(t) for t, _ in files)
    if total < PARALLEL_MIN_CHARS or len(files) < 2:
        return None
    theirs: list[int] = []
    mine = ours = 0
    for i in sorted(range(len(files)), key=lambda k: -len(files[k][0])):
        if i in keep:
            continue
        size = len(files[i][0])
        if ours * (1 - WORKER_SHARE) <= mine * WORKER_SHARE:
            theirs.append(i)
            ours += size
        else:
            mine += size
    return sorted(theirs)


def parse_one(files: list[tuple[str, str]], i: int) -> bytes:
    """The second process's job for one file: its plain value and element places
    (``marshal``), or ``None`` if it has a problem (then the first process reads it again
    and reports)."""
    doc = parse_yaml_text(*files[i])
    if doc.problems:
        return marshal.dumps(None)
    it = doc._items
    return marshal.dumps((doc.value, None if it is None else (it.indent, it.cols)))


def parse_files(
    files: list[tuple[str, str]], theirs: Sequence[int] = (), worker: Worker | None = None
) -> Iterator[tuple[int, YamlDoc]]:
    """Parse ``(text, name)`` pairs, yielding ``(index, doc)`` as each is ready.

    The files listed in ``theirs`` are being read by ``worker``, one job per file, in that
    order (see :func:`share` and :func:`parse_one`): the others are parsed here meanwhile,
    then the worker's values are taken as they come, and any file it could not read is
    parsed here again, so that the result is the same either way (the order of yielding
    may differ).
    """
    if worker is None:
        theirs = ()
    skip = set(theirs)
    for i, (text, name) in enumerate(files):
        if i not in skip:
            yield i, parse_yaml_text(text, name)
    for i in theirs:
        text, name = files[i]
        data = worker.receive() if worker is not None else None
        try:
            entry = None if data is None else marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            entry = None
        if entry is None:
            yield i, parse_yaml_text(text, name)
        else:
            value, it = entry
            items = None if it is None else _Items(it[0], it[1])
            yield i, YamlDoc(name, value, None, [], text=text, items=items)


def parse_yaml_text(text: str, file: str) -> YamlDoc:
    """Parse one YAML document; syntax errors become problems, never exceptions.

    Most model files are written in a small, regular part of YAML; :func:`_fast_value`
    reads that part several times faster than composing nodes, and gives up (``_BAIL``) on
    anything else, duplicate keys included, which then takes the composer's path.
    """
    fast = _fast_value(text)
    if fast is not _BAIL:
        value, items = fast
        return YamlDoc(file, value, None, [], text=text, items=items)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = f"YAML syntax error: {err.problem or err.context}"
        return YamlDoc(file, None, None, [Problem(file, line, col, "yaml-syntax", msg)])
    except yaml.YAMLError as err:  # pragma: no cover - other reader errors
        return YamlDoc(file, None, None, [Problem(file, 1, 1, "yaml-syntax", str(err))])
    problems: list[Problem] = []
    try:
        value = None if root is None else _plain(root, file, problems)
    except RecursionError:  # an alias that contains itself, or absurdly deep nesting
        return YamlDoc(
            file,
            None,
            None,
            [
                Problem(
                    file,
                    1,
                    1,
                    "yaml-syntax",
                    "the YAML nests too deeply (or an alias refers to itself)",
                )
            ],
        )
    if problems or root is None:
        return YamlDoc(file, value, root, problems)
    return YamlDoc(file, value, None, problems, text=text)  # nodes again only if needed


# ---- the fast path --------------------------------------------------------------------------
#
# Accepted: block mappings whose keys are plain words, block sequences (also "indentless"
# under a key), plain scalars on one line, single- and double-quoted scalars on one line
# (escapes \\ \" \/ \n \t), flow mappings and sequences on one line, comments, blank lines.
# Everything else (anchors, tags, block scalars, multi-line scalars, other escapes, tabs,
# control characters, documents markers, duplicate keys, odd indentation …) gives up, so that
# the composer reads the file and reports what is wrong exactly as before. Whatever is
# accepted gives the value the composer's path gives (checked on every file of the test
# fixtures, the reference model and generated models: benchmarks/yaml_equivalence.py).


class _Bail(Exception):
    pass


class _Items:
    """Where the elements of a top-level list start, as the composer would place them.

    ``cols[i]`` is the 1-based column of element ``i`` when it starts on its dash's line
    (``- key: …``, ``- {…}``, ``- text``), else ``None``; the lines are those of the dashes
    at the list's indentation, found when first asked for.
    """

    __slots__ = ("cols", "indent", "lines")

    def __init__(self, indent: int, cols: list[int | None]) -> None:
        self.indent = indent
        self.cols = cols
        self.lines: list[int] | None = None

    def at(self, i: object, text: str) -> tuple[int, int] | None:
        if not isinstance(i, int) or not 0 <= i < len(self.cols) or self.cols[i] is None:
            return None
        if self.lines is None:
            lines, line, pos = [], 1, 0
            for m in re.finditer(f"^ {{{self.indent}}}-", text, re.M):
                line += text.count("\n", pos, m.start())
                pos = m.start()
                lines.append(line)
            if len(lines) != len(self.cols):  # pragma: no cover - cannot happen
                return None
            self.lines = lines
        return self.lines[i], self.cols[i]  # type: ignore[return-value]


_BAIL: Any = object()
# keys repeat thousands of times: one string each (values built faster, sent smaller)
_intern = sys.intern
# one line: indentation, "- " (a sequence entry), "key:" (a mapping entry), the rest
_LINE = re.compile(
    r"^( *+)(?=[^#\n])(-(?: ++|$))?(?:([A-Za-z0-9_][A-Za-z0-9_.\-]*+):(?: ++|$))?([^\n]*)",
    re.M,
)
_BAD_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_FKEY = re.compile(r" *([A-Za-z0-9_][A-Za-z0-9_.\-]*): +")
_DQ = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SQ = re.compile(r"'([^']*(?:''[^']*)*)'")
_FPLAIN = re.compile(r"[^,\[\]{}:#'\"\s&*!|>%@`?\-][^,\[\]{}:#\n]*")
_TAIL = re.compile(r"(?: +(?:#.*)?)?")
_ESC = re.compile(r"\\(.)")
_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t"}
_START_BAD = frozenset("-?:,[]{}#&*!|>%@`")
_SPECIAL = frozenset("-?:,[]{}#&*!|>%@`\"'")
# a plain (unquoted) null, ~ or empty value is None on both paths; quoted, it is text
_PNULLS: frozenset[str] = frozenset(_NULLS)
_EMPTY: Any = None
# flat flow collections: values double-quoted without escapes, or plain
_FV = r'(?:"([^"\\]*)"|([^,\[\]{}:#\'"\s&*!|>%@`?\-](?:[^,\[\]{}:#\n"]*[^,\[\]{}:#\s"])?))'
_FK = r"([A-Za-z0-9_][A-Za-z0-9_.\-]*): +"
_FLATMAP = re.compile(r"\{ *" + _FK + _FV + r"(?: *, *" + _FK + _FV + r")* *\}")
_PAIR = re.compile(_FK + _FV)
_FLATSEQ = re.compile(r"\[ *" + _FV + r"(?: *, *" + _FV + r")* *\]")
_ITEM = re.compile(_FV)


def _unescape_one(m: re.Match[str]) -> str:
    c = m.group(1)
    if c not in _ESCAPES:
        raise _Bail
    return _ESCAPES[c]


def _quoted(s: str, i: int) -> tuple[str, int]:
    if s[i] == '"':
        m = _DQ.match(s, i)
        if m is None:
            raise _Bail
        body = m.group(1)
        return (_ESC.sub(_unescape_one, body) if "\\" in body else body), m.end()
    m = _SQ.match(s, i)
    if m is None:
        raise _Bail
    return m.group(1).replace("''", "'"), m.end()


def _flow(s: str, i: int) -> tuple[Any, int]:
    """A flow collection or scalar starting at ``s[i]``; ``s`` ends with a newline."""
    c = s[i]
    if c == "{":
        out: dict[str, Any] = {}
        i += 1
        while True:
            while s[i] == " ":
                i += 1
            if s[i] == "}":
                return out, i + 1
            m = _FKEY.match(s, i)
            if m is None:
                raise _Bail
            key = _intern(m.group(1))
            if key in out:
                raise _Bail
            out[key], i = _flow(s, m.end())
            while s[i] == " ":
                i += 1
            c = s[i]
            if c == ",":
                i += 1
            elif c == "}":
                return out, i + 1
            else:
                raise _Bail
    if c == "[":
        items: list[Any] = []
        i += 1
        while True:
            while s[i] == " ":
                i += 1
            if s[i] == "]":
                return items, i + 1
            v, i = _flow(s, i)
            items.append(v)
            while s[i] == " ":
                i += 1
            c = s[i]
            if c == ",":
                i += 1
            elif c == "]":
                return items, i + 1
            else:
                raise _Bail
    if c == '"' or c == "'":
        return _quoted(s, i)
    m = _FPLAIN.match(s, i)
    if m is None:
        raise _Bail
    end = m.end()
    if s[end] not in ",]}":
        raise _Bail
    v = m.group().rstrip(" ")
    return (None if v in _PNULLS else v), end


def _inline(rest: str) -> Any:
    """The value written on the line after ``key: `` or ``- `` (not empty, no newline)."""
    c = rest[0]
    if c == '"':
        if rest[-1] == '"' and rest.count('"') == 2 and "\\" not in rest:
            return rest[1:-1]
        v, end = _quoted(rest, 0)
    elif c == "'":
        v, end = _quoted(rest, 0)
    elif c == "{":
        if '""' not in rest and _FLATMAP.fullmatch(rest):  # ("" and absent look alike here)
            pairs = _PAIR.findall(rest)
            out = {_intern(k): q or (None if p in _PNULLS else p) for k, q, p in pairs}
            if len(out) != len(pairs):
                raise _Bail
            return out
        v, end = _flow(rest + "\n", 0)
    elif c == "[":
        if '""' not in rest and _FLATSEQ.fullmatch(rest):
            return [q or (None if p in _PNULLS else p) for q, p in _ITEM.findall(rest)]
        v, end = _flow(rest + "\n", 0)
    elif c in _START_BAD:
        raise _Bail
    else:
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]
        rest = rest.rstrip(" ")
        if ": " in rest or rest[-1] == ":":
            raise _Bail
        return None if rest in _PNULLS else rest
    if end != len(rest) and not _TAIL.fullmatch(rest, end):
        raise _Bail
    return v


def _fast_value(text: str) -> Any:
    """(plain value, element places) of ``text`` if it is written in the regular part of
    YAML, else ``_BAIL``."""
    if _BAD_CHARS.search(text):
        return _BAIL
    try:
        return _fast_parse(text)
    except (_Bail, IndexError, RecursionError):
        return _BAIL


def _fast_parse(text: str) -> Any:
    toks = _LINE.findall(text)
    n = len(toks)
    if n == 0:
        return None, None
    ind = [len(t[0]) for t in toks]
    ind.append(-1)  # a sentinel line that ends every block
    toks.append(("", "", "", ""))

    def node(i: int) -> tuple[Any, int]:
        _, d, k, _r = toks[i]
        if d:
            return seq(i, ind[i])
        if k:
            return mapping(i, ind[i])
        raise _Bail

    def seq(i: int, col: int, cols: list[int | None] | None = None) -> tuple[list[Any], int]:
        out: list[Any] = []
        append = out.append
        while ind[i] == col:
            _, d, k, r = toks[i]
            if not d:
                break
            if cols is not None:
                cols.append(col + len(d) + 1 if (k or r) else None)
            if k:  # "- key: …": a mapping whose keys are at the column after the dash
                v, i = mapping(i, col + len(d))
            elif r:
                v = _inline(r)
                i += 1
                if ind[i] > col:
                    raise _Bail
            elif ind[i + 1] > col:
                v, i = node(i + 1)
            else:
                v, i = _EMPTY, i + 1
            append(v)
        if ind[i] > col:
            raise _Bail
        return out, i

    def mapping(i: int, col: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        _, d, k, r = toks[i]
        while True:
            if not k or k in out:
                raise _Bail
            if not r or r[0] == "#":
                j = i + 1
                kk = ind[j]
                if kk > col:
                    v, i = node(j)
                elif kk == col and toks[j][1]:
                    v, i = seq(j, col)
                else:
                    v, i = _EMPTY, j
            elif (
                r[0] not in _SPECIAL
                and r[-1] != ":"
                and r[-1] != " "
                and " #" not in r
                and ": " not in r
            ):
                v = None if r in _PNULLS else r
                i += 1
            else:
                v = _inline(r)
                i += 1
            out[_intern(k)] = v
            if ind[i] != col:
                if ind[i] > col:
                    raise _Bail
                return out, i
            _, d, k, r = toks[i]
            if d:
                raise _Bail

    items = None
    try:
        if toks[0][1]:
            items = _Items(ind[0], [])
            value, i = seq(0, ind[0], items.cols)
        else:
            value, i = node(0)
    finally:
        # the three functions refer to each other: a cycle that would keep every line of
        # the file alive until the garbage collector runs (it is paused while loading)
        node = seq = mapping = None  # type: ignore[assignment]
    if i != n:
        raise _Bail
    return value, items


def _plain(node: yaml.Node, file: str, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:  # plain style: None (C) or '' (Python)
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(n, file, problems) for n in node.value]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                m = k.start_mark
                problems.append(
                    Problem(file, m.line + 1, m.column + 1, "bad-key", "a key must be a plain word")
                )
                continue
            name = k.value
            if name in out or name in first_line:
                m = k.start_mark
                problems.append(
                    Problem(
                        file,
                        m.line + 1,
                        m.column + 1,
                        "duplicate-key",
                        f"duplicate key {name!r} (first at line {first_line[name]})",
                    )
                )
                continue
            first_line[name] = k.start_mark.line + 1
            out[name] = _plain(v, file, problems)
        return out
    return None  # pragma: no cover - aliases are resolved by the composer
