"""Charts drawn with matplotlib (Agg, offline): SVG or PNG by the file's extension."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["sweep_chart"]


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def sweep_chart(results: Sequence[Any], labels: Sequence[str], path: str | Path) -> Path:
    """Outcome shares with 95 % intervals, one bar group per outcome, one bar per run."""
    plt = _plt()
    path = Path(path)
    names = list(results[0].shares())
    fig, ax = plt.subplots(figsize=(max(6, 1.8 * len(names) + 2), 4.2))
    width = 0.8 / len(results)
    for k, (res, label) in enumerate(zip(results, labels, strict=True)):
        sh = res.shares()
        xs = [i + (k - (len(results) - 1) / 2) * width for i in range(len(names))]
        ys = [sh[n]["share"] for n in names]
        lo = [sh[n]["share"] - sh[n]["ci_low"] for n in names]
        hi = [sh[n]["ci_high"] - sh[n]["share"] for n in names]
        ax.bar(xs, ys, width, label=label, yerr=[lo, hi], capsize=3)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([n.replace("_", " ") for n in names], rotation=15, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of variants (95% CI)")
    ax.set_title(f"{results[0].scenario}: {results[0].n:,} variants")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format=path.suffix.lstrip(".") or "svg")
    plt.close(fig)
    return path
