"""The docs cannot drift: CLI reference, JSON Schemas and README commands match the code."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from accord.loading.schema import schemas

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_matches_help() -> None:
    spec = importlib.util.spec_from_file_location("gen_cli", ROOT / "docs" / "gen_cli.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == mod.render(), "docs/cli.md is stale: python docs/gen_cli.py > docs/cli.md"


def test_json_schemas_in_docs_are_current() -> None:
    for kind, schema in schemas().items():
        path = ROOT / "docs" / "schema" / f"{kind}.schema.json"
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        assert on_disk == schema, f"{path} is stale: python docs/gen_schema.py"


def test_readme_first_screen_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "pip install" in first_screen
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = re.search(r"^pip install .*pytest.*$", ci, re.M)
    assert test_cmd, ".ci/run must run the README's test command"
    assert test_cmd.group(0) in first_screen, "README's test command differs from .ci/run's"
