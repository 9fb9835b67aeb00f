"""Regenerate docs/cli.md from the commands' own --help (tests fail when it drifts).

Run: python docs/gen_cli.py > docs/cli.md
"""

from __future__ import annotations

import click
from click.testing import CliRunner

from accord.cli import main


def render() -> str:
    runner = CliRunner()
    parts = [
        "# Command-line reference\n",
        "Generated from `accord --help` by `python docs/gen_cli.py > docs/cli.md`;",
        "a test fails when this page and the commands drift apart.\n",
    ]
    top = runner.invoke(main, ["--help"], prog_name="accord", terminal_width=100)
    parts.append("## accord\n\n```\n" + top.output.rstrip() + "\n```\n")
    assert isinstance(main, click.Group)
    for name in sorted(main.commands):
        res = runner.invoke(main, [name, "--help"], prog_name="accord", terminal_width=100)
        parts.append(f"## accord {name}\n\n```\n" + res.output.rstrip() + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
