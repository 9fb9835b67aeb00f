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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from accord.errors import Problem

__all__ = ["YamlDoc", "parse_yaml_text"]

try:  # the C composer is an order of magnitude faster on large models
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

_NULLS = {"", "~", "null", "Null", "NULL"}
Path = Sequence[object]


@dataclass
class YamlDoc:
    """One parsed file: its plain value, its node tree and the problems met while reading."""

    file: str
    value: Any
    root: yaml.Node | None
    problems: list[Problem] = field(default_factory=list)

    def node_at(self, path: Path, *, key: bool = False) -> yaml.Node | None:
        """The node at ``path`` (or the deepest node reached); with ``key`` the key node."""
        node = self.root
        for i, step in enumerate(path):
            if node is None:
                return None
            last = i == len(path) - 1
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

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``path``."""
        node = self.node_at(path, key=key)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(self, path: Path, code: str, message: str, *, key: bool = False) -> Problem:
        line, col = self.locate(path, key=key)
        return Problem(self.file, line, col, code, message)


def parse_yaml_text(text: str, file: str) -> YamlDoc:
    """Parse one YAML document; syntax errors become problems, never exceptions."""
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
    value = None if root is None else _plain(root, file, problems)
    return YamlDoc(file, value, root, problems)


def _plain(node: yaml.Node, file: str, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS:
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
