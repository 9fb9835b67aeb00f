"""Check that the loader's fast YAML path agrees with PyYAML's composer.

    python benchmarks/yaml_equivalence.py [--mutations 20000] [--seed 1] [FILE_OR_DIR ...]

``accord.loading.yamlsrc`` reads most files with a small line-based reader and falls back to
PyYAML's composer for anything outside the regular part of YAML it knows. The promise is:
whenever the fast reader accepts a text, the composer accepts it too, with no problem, and
gives the same value. This script checks the promise on real files (the test fixtures, the
models shipped with accord, a small generated model, and any FILE_OR_DIR given) and on many
random mutations of them (characters inserted, deleted or replaced, lines indented,
duplicated or joined). It prints what it checked and exits 1 on the first disagreement.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import yaml

from accord.loading import yamlsrc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ALPHABET = [*"abc:- \n\t[]{},'\"#|>!%@`?~0129.&*\\/", "id", "  ", "- ", ": ", "’", "\x85", "\r"]


def composer(text: str) -> tuple[object, bool]:
    """The value the composer's path gives, and whether it reported any problem."""
    try:
        root = yaml.compose(text, Loader=yamlsrc._Loader)
    except yaml.YAMLError:
        return None, True
    problems: list[object] = []
    value = None if root is None else yamlsrc._plain(root, "x", problems)  # type: ignore[arg-type]
    return value, bool(problems)


def agree(text: str) -> bool:
    fast = yamlsrc._fast_value(text)
    if fast is yamlsrc._BAIL:
        return True
    value, problems = composer(text)
    if problems or value != fast[0]:
        return False
    # the places of a top-level list's elements, as the composer gives them
    items = fast[1]
    if items is not None:
        root = yaml.compose(text, Loader=yamlsrc._Loader)
        for i, node in enumerate(root.value):
            at = items.at(i, text)
            if at is not None and at != (node.start_mark.line + 1, node.start_mark.column + 1):
                return False
    return True


WORDS = [
    "a",
    "id",
    "x-1",
    "2001-05-17",
    "null",
    "~",
    "",
    "true",
    "p18",
    "EU’s",
    "a b",
    "a:b",
    "a #b",
]


def scalar(rng: random.Random, flow: bool) -> str:
    w = rng.choice(WORDS) + rng.choice(["", " c", ":", "#", "'", '"', ",", "]", "}", " "])
    r = rng.random()
    if r < 0.3:
        return '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if r < 0.45:
        return "'" + w.replace("'", "''") + "'"
    return w


def flow(rng: random.Random, depth: int) -> str:
    if depth > 2 or rng.random() < 0.5:
        return scalar(rng, True)
    if rng.random() < 0.5:
        items = [flow(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        return "[" + ", ".join(items) + rng.choice(["", ",", " "]) + "]"
    keys = [rng.choice(["a", "b", "id", "at", "x.y"]) for _ in range(rng.randint(0, 3))]
    return "{" + ", ".join(f"{k}: {flow(rng, depth + 1)}" for k in keys) + "}"


def block(rng: random.Random, indent: int, depth: int) -> list[str]:
    """Random YAML in (and sometimes just outside) the part the fast path reads."""
    pad = " " * indent
    out: list[str] = []
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if depth < 3 and r < 0.4:
                inner = block(rng, indent + 2, depth + 1)
                first = inner[0].lstrip(" ")
                out.append(pad + "- " + first)
                out.extend(inner[1:])
            elif depth < 3 and r < 0.5:
                out.append(pad + "-")
                out.extend(block(rng, indent + rng.randint(1, 3), depth + 1))
            else:
                out.append(
                    pad + "- " + (flow(rng, 0) if rng.random() < 0.5 else scalar(rng, False))
                )
    else:
        for _ in range(rng.randint(1, 4)):
            k = rng.choice(["a", "b", "id", "cite", "x.y", "2001"])
            r = rng.random()
            if depth < 3 and r < 0.35:
                out.append(pad + k + ":" + rng.choice(["", " # c"]))
                out.extend(block(rng, indent + rng.choice([0, 2, 4]), depth + 1))
            else:
                v = flow(rng, 0) if rng.random() < 0.4 else scalar(rng, False)
                out.append(pad + k + ": " + v + rng.choice(["", "", " # note", "  "]))
            if rng.random() < 0.1:
                out.append(rng.choice(["", "# comment", "   # c"]))
    return out


def mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if not lines:
            break
        i = rng.randrange(len(lines))
        line = lines[i]
        if r < 0.4:
            j = rng.randint(0, len(line))
            lines[i] = line[:j] + rng.choice(ALPHABET) + line[j:]
        elif r < 0.6 and line:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + line[j + 1 :]
        elif r < 0.7:
            lines[i] = " " * rng.randint(1, 3) + line
        elif r < 0.8:
            lines[i] = line.lstrip(" ")
        elif r < 0.9:
            lines.insert(i, line)
        elif i + 1 < len(lines):
            lines[i : i + 2] = [line + rng.choice(["", " ", " #"]) + lines[i + 1]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--mutations", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "m", actors=200, statements=600, events=400, seed=args.seed)
        roots = [ROOT / "tests", ROOT / "src" / "accord" / "models", Path(tmp), *args.paths]
        files = sorted(
            {f for r in roots for f in ([r] if r.is_file() else r.rglob("*.y*ml"))}, key=str
        )
        texts = [f.read_text(encoding="utf-8") for f in files]
    fast = 0
    for f, text in zip(files, texts, strict=True):
        if not agree(text):
            print(f"DISAGREE on {f}")
            return 1
        fast += yamlsrc._fast_value(text) is not yamlsrc._BAIL
    print(f"{len(files)} files: the fast path reads {fast}, the composer the rest; all agree")
    rng = random.Random(args.seed)
    # snippets of a few dozen lines keep each mutation's text small
    pieces = []
    for text in texts:
        lines = text.split("\n")
        for start in range(0, len(lines), 40):
            pieces.append("\n".join(lines[start : start + rng.randint(3, 40)]))
    accepted = 0
    for n in range(args.mutations):
        text = mutate(rng, rng.choice(pieces))
        if not agree(text):
            print(f"DISAGREE on mutation {n}:\n{text!r}")
            return 1
        accepted += yamlsrc._fast_value(text) is not yamlsrc._BAIL
    print(f"{args.mutations} mutations: the fast path read {accepted}; all agree")
    accepted = 0
    for n in range(args.mutations):
        text = "\n".join(block(rng, rng.choice([0, 0, 2]), 0))
        if rng.random() < 0.3:
            text = mutate(rng, text)
        if not agree(text):
            print(f"DISAGREE on generated text {n}:\n{text!r}")
            return 1
        accepted += yamlsrc._fast_value(text) is not yamlsrc._BAIL
    print(f"{args.mutations} generated texts: the fast path read {accepted}; all agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
