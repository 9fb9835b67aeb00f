"""Regenerate docs/schema/*.schema.json from the records (tests fail when they drift).

Run: python docs/gen_schema.py
"""

from __future__ import annotations

import json
from pathlib import Path

from accord.loading.schema import schemas

HERE = Path(__file__).resolve().parent / "schema"

if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for kind, schema in schemas().items():
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        (HERE / f"{kind}.schema.json").write_text(text, encoding="utf-8")
