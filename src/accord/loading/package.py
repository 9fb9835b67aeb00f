"""Load a model package: find its files, parse, validate, cross-check, compile.

All problems from every file are collected and raised together as one
:class:`~accord.errors.ModelError`; a model with any problem never half-loads.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from accord.errors import ModelError, Problem
from accord.loading.checks import Cited, check_references
from accord.loading.parallel import Worker
from accord.loading.texts import SourceText
from accord.loading.validate import validate_elements
from accord.loading.yamlsrc import YamlDoc, parse_files, parse_one, parse_yaml_text, share
from accord.model.elements import KINDS, Manifest

__all__ = ["BUILTIN", "Loaded", "builtin_path", "load_model", "read_package"]

BUILTIN = "eu-russia-2001"


F = TypeVar("F", bound=Callable[..., Any])


def _gc_paused(fn: F) -> F:
    """Run ``fn`` with the cyclic garbage collector paused.

    Loading creates millions of small objects (plain values, records, tuples) that nearly
    all stay alive; without the pause the collector scans them again and again, which is
    most of the time of loading a large model. The collector runs again (and finds any
    cycle made meanwhile) as soon as ``fn`` ends, however it ends.
    """

    @functools.wraps(fn)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return paused  # type: ignore[return-value]


def builtin_path(name: str = BUILTIN) -> Path:
    return Path(str(files("accord").joinpath("models", name)))


class Loaded:
    """Everything read from a package before compiling: records with their origins."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs: dict[str, YamlDoc] = {}
        self.records: dict[str, list[tuple[Any, YamlDoc, tuple[Any, ...]]]] = {k: [] for k in KINDS}
        self.manifest: Manifest | None = None
        self.manifest_doc: YamlDoc | None = None
        self.problems: list[Problem] = []
        # the second process that read part of a large model, kept for the later checks
        self.worker: Worker | None = None
        self.texts: dict[str, SourceText] | None = None  # read with the sources
        self.cited: Cited | None = None  # what the records cite, gathered as they are read

    def rel(self, p: Path) -> str:
        try:
            return str(p.relative_to(self.root.parent))
        except ValueError:  # pragma: no cover
            return str(p)


def _read(path: Path, loaded: Loaded) -> YamlDoc:
    name = loaded.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        doc = YamlDoc(
            name, None, None, [Problem(name, 1, 1, "encoding", f"not UTF-8 text ({err.reason})")]
        )
    except OSError as err:
        doc = YamlDoc(name, None, None, [Problem(name, 1, 1, "unreadable", str(err))])
    else:
        doc = parse_yaml_text(text, name)
    loaded.docs[name] = doc
    loaded.problems.extend(doc.problems)
    return doc


def _kind_files(root: Path, kind: str) -> list[Path]:
    out = []
    for ext in ("yaml", "yml"):
        f = root / f"{kind}.{ext}"
        if f.is_file():
            out.append(f)
    folder = root / kind
    if folder.is_dir():
        out.extend(sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")))
    return out


@_gc_paused
def read_package(path: str | Path, *, keep_worker: bool = False) -> Loaded:
    """Read and validate every file of a package (no cross-checks yet).

    A large model is read by two processes (see :mod:`accord.loading.parallel`); with
    ``keep_worker`` the second one is left in ``Loaded.worker`` for the checks, and the
    caller closes it.
    """
    root = Path(path)
    loaded = Loaded(root.resolve())
    if not root.is_dir():
        raise ModelError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    "not-a-model",
                    "not a folder: a model is a folder of YAML files",
                )
            ]
        )
    manifest = root / "model.yaml"
    if not manifest.is_file():
        loaded.problems.append(
            Problem(
                loaded.rel(manifest.resolve()),
                1,
                1,
                "no-manifest",
                "missing model.yaml (id, title, default_date)",
            )
        )
    else:
        doc = _read(manifest.resolve(), loaded)
        loaded.manifest_doc = doc
        if isinstance(doc.value, dict):
            from pydantic import ValidationError

            from accord.loading.validate import _problem

            try:
                loaded.manifest = Manifest.model_validate(doc.value)
            except ValidationError as exc:
                loaded.problems.extend(_problem(doc, Manifest, (), e) for e in exc.errors())
        elif not doc.problems:
            loaded.problems.append(
                doc.problem((), "wrong-type", "model.yaml must be a mapping (id: …, title: …)")
            )
    known = {
        "model.yaml",
        "texts",
        *(f"{k}.yaml" for k in KINDS),
        *KINDS,
        *(f"{k}.yml" for k in KINDS),
        "README.md",
        "reforms",
        "scenarios",
        "procedures",
    }
    for p in sorted(root.iterdir()):
        if p.name not in known and not p.name.startswith(".") and p.suffix in (".yaml", ".yml"):
            loaded.problems.append(
                Problem(
                    loaded.rel(p.resolve()),
                    1,
                    1,
                    "unknown-file",
                    f"unknown model file {p.name!r} (expected one of "
                    f"{', '.join(f'{k}.yaml' for k in KINDS)})",
                )
            )
    jobs = [
        (kind, cls, f.resolve()) for kind, cls in KINDS.items() for f in _kind_files(root, kind)
    ]
    texts: list[tuple[str, str]] = []
    readable: list[int] = []
    done: list[YamlDoc | None] = [None] * len(jobs)
    for j, (_, _, f) in enumerate(jobs):
        name = loaded.rel(f)
        try:
            texts.append((f.read_text(encoding="utf-8"), name))
            readable.append(j)
        except UnicodeDecodeError as err:
            done[j] = YamlDoc(
                name,
                None,
                None,
                [Problem(name, 1, 1, "encoding", f"not UTF-8 text ({err.reason})")],
            )
        except OSError as err:
            done[j] = YamlDoc(name, None, None, [Problem(name, 1, 1, "unreadable", str(err))])
    found: list[list[tuple[Any, YamlDoc, tuple[int]]]] = [[] for _ in jobs]

    def take(j: int, doc: YamlDoc) -> None:
        done[j] = doc
        if doc.problems:
            return
        items, problems = validate_elements(doc, jobs[j][1])
        loaded.problems.extend(problems)
        found[j] = [(rec, doc, (i,)) for i, rec in items]
        doc.value = None  # the records hold it all now; the plain values may go
        if jobs[j][0] != "sources":  # (the sources are read first, and by this process)
            (loaded.cited or start_citing()).add(found[j])

    def start_citing() -> Cited:
        """Once the sources are read: their texts, and the gathering of what is cited."""
        sources = [j for j, (kind, _, _) in enumerate(jobs) if kind == "sources"]
        records = [x for j in sources for x in found[j]]
        loaded.texts = _texts(loaded, records)
        ids = {rec.id for rec, _, _ in records}
        cited = loaded.cited = Cited(loaded.texts, ids, worker if keep_worker else None)
        for j in sources:
            cited.add(found[j])
        return cited

    # a large model is read by two processes; the sources always here, first
    theirs = share(texts, keep={k for k, j in enumerate(readable) if jobs[j][0] == "sources"})
    worker = None if theirs is None else Worker.fork([partial(parse_one, texts, i) for i in theirs])
    try:
        for k, parsed in parse_files(texts, theirs or [], worker):
            take(readable[k], parsed)
    except BaseException:
        if worker is not None:
            worker.close()
        raise
    if loaded.cited is None:
        start_citing()
    if keep_worker:
        loaded.worker = worker
    elif worker is not None:
        worker.close()
    for j, got in enumerate(done):
        if got is None:  # pragma: no cover - every job is either read or refused
            continue
        loaded.docs[got.file] = got
        loaded.problems.extend(got.problems)
        loaded.records[jobs[j][0]].extend(found[j])
    return loaded


def _texts(
    loaded: Loaded, sources: list[tuple[Any, YamlDoc, tuple[Any, ...]]]
) -> dict[str, SourceText]:
    """The texts of the sources that have one, segmented as each says."""
    out: dict[str, SourceText] = {}
    for src, doc, path in sources:
        if src.text is None:
            continue
        f = (loaded.root / src.text).resolve()
        if loaded.root not in f.parents:
            loaded.problems.append(
                doc.problem(
                    (*path, "text"), "bad-path", "a source text must be inside the model folder"
                )
            )
            continue
        try:
            raw = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            loaded.problems.append(
                doc.problem(
                    (*path, "text"),
                    "missing-text",
                    f"cannot read source text {src.text!r}: "
                    f"{getattr(err, 'strerror', None) or err}",
                )
            )
            continue
        out[src.id] = SourceText.build(
            src.id, raw, src.segments, src.footnotes_from, src.locator_aliases
        )
    return out


@_gc_paused
def load_model(path: str | Path | None = None) -> Any:
    """Load, check and compile a model package; the built-in model when ``path`` is None.

    >>> m = load_model()
    >>> m.manifest.id
    'eu-russia-2001'
    """
    from accord.engine.model import Model

    root = builtin_path() if path is None else Path(path)
    loaded = read_package(root, keep_worker=True)
    try:
        conditions, origins = check_references(loaded)
    finally:
        if loaded.worker is not None:
            loaded.worker.close()
    if loaded.problems or loaded.manifest is None:
        raise ModelError(loaded.problems, where=str(root))

    def table(kind: str) -> dict[str, Any]:
        return {rec.id: rec for rec, _, _ in loaded.records[kind]}

    return Model(
        manifest=loaded.manifest,
        path=loaded.root,
        sources=table("sources"),
        actors=table("actors"),
        instruments=table("instruments"),
        statements=table("statements"),
        events=table("events"),
        strands=table("strands"),
        programmes=table("programmes"),
        assessments=table("assessments"),
        disagreements=table("readings"),
        questions=table("questions"),
        texts=loaded.texts or {},
        conditions=conditions,
        origins=origins,
        procedures=table("procedures"),
    )
