"""Shared fixtures: the mini model, and copies of it with files added, replaced or removed."""

from __future__ import annotations

import contextlib
import shutil
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

import accord
from accord.engine import Model

# When a hypothesis test fails, its pytest plugin imports libcst to suggest a patch; that
# import raises a DeprecationWarning (mypy_extensions.TypedDict) which filterwarnings=error
# turns into an INTERNALERROR that hides the failure. Import it once, quietly, up front.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore")
    import hypothesis.extra._patching  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BAD = FIXTURES / "bad"

# files of a bad-input fixture that are not model files
FIXTURE_META = {"expected.txt", "remove.txt"}


def copy_mini(
    dest: Path,
    *,
    overlay: Path | None = None,
    files: Mapping[str, str] | None = None,
    append: Mapping[str, str] | None = None,
    remove: Sequence[str] = (),
) -> Path:
    """Copy the mini model to ``dest/mini`` and change it.

    ``overlay``: a folder whose files replace or add to the copy (``remove.txt`` in it lists
    files to delete); ``files``: relative path -> text to write; ``append``: relative path ->
    text to add at the end of an existing file; ``remove``: relative paths to delete.
    """
    root = dest / "mini"
    shutil.copytree(MINI, root)
    gone = list(remove)
    if overlay is not None:
        for f in sorted(overlay.rglob("*")):
            if f.is_file() and f.name not in FIXTURE_META:
                target = root / f.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(f.read_bytes())
        listed = overlay / "remove.txt"
        if listed.is_file():
            names = listed.read_text(encoding="utf-8").splitlines()
            gone += [x.strip() for x in names if x.strip()]
    for rel, text in (files or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for rel, text in (append or {}).items():
        target = root / rel
        target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
    for rel in gone:
        target = root / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    return root


@pytest.fixture(scope="session")
def mini() -> Model:
    """The mini model, loaded once (models are immutable)."""
    return accord.load(MINI)


@pytest.fixture
def make_model(tmp_path: Path) -> Callable[..., Path]:
    """Build a changed copy of the mini model in ``tmp_path/mini``; return its folder."""

    def build(**changes: object) -> Path:
        return copy_mini(tmp_path, **changes)  # type: ignore[arg-type]

    return build


@pytest.fixture
def load_changed(make_model: Callable[..., Path]) -> Callable[..., Model]:
    """Build a changed copy of the mini model and load it."""

    def build(**changes: object) -> Model:
        return accord.load(make_model(**changes))

    return build
