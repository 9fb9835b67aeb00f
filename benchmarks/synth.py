"""Generate large synthetic, well-formed accord models for benchmarks.

The shapes follow the reference model: states and persons; organisations, bodies, formats
and groups with dated members (offices among them, standing for their holders); offices
with rotating holders; instruments with lifecycles, replacements and whole or partial
suspensions; Institutional Grammar statements whose aims are drawn from a pool (skewed, as
real vocabularies are), with conditions in the condition language, recurrences, readings of
disagreements, exclusive rights and overrides (always to an earlier statement of the same
aim, so never a cycle); events; strands, programmes and assessments. Every element cites a
generated source text: quotes are real substrings of the paragraph (or footnote) they
point to, written with straight quotes where the text has typographic ones and broken over
other lines, so that the loader's quote check does its real work.

    python benchmarks/synth.py OUT_DIR --actors 10000 --statements 100000 \\
        --events 100000 --seed 1

The result loads without a single problem (``accord check OUT_DIR``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, get_args

from accord.model.elements import PLOVER, InstrumentKind

__all__ = ["generate"]

SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "na",
    "tel",
    "vor",
    "sa",
    "lin",
    "dra",
    "pe",
    "qu",
    "ost",
    "ari",
    "ben",
    "col",
    "dem",
    "fal",
    "gor",
    "hin",
    "jus",
    "kel",
    "lom",
    "mor",
    "nev",
    "pal",
    "res",
    "sim",
    "tor",
    "ul",
    "ver",
    "wes",
    "zan",
    "bri",
    "cro",
    "dun",
]
COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "for",
    "on",
    "with",
    "by",
    "that",
    "the",
    "council",
    "parties",
    "shall",
    "will",
    "be",
    "as",
    "co-operation",
    "security",
    "agreement",
    "committee",
    "dialogue",
    "meeting",
    "members",
    "union",
    "consultation",
    "framework",
    "implementation",
    "representatives",
    "measures",
    "operation",
    "political",
    "strategy",
    "presidency",
    "declaration",
    "partnership",
    "assistance",
    "joint",
]
AIM_VERBS = [
    "meet",
    "consult",
    "inform",
    "notify",
    "report",
    "adopt",
    "review",
    "launch",
    "terminate",
    "fund",
    "monitor",
    "coordinate",
    "exchange",
    "ratify",
    "implement",
    "suspend",
    "participate",
    "invite",
    "chair",
    "host",
    "assess",
    "propose",
    "approve",
    "decide",
    "request",
    "assist",
    "train",
    "deploy",
    "withdraw",
    "supervise",
]
AIM_OBJECTS = [
    "information",
    "positions",
    "plans",
    "missions",
    "budget",
    "reports",
    "experts",
    "observers",
    "programmes",
    "projects",
    "forces",
    "assets",
    "statements",
    "guidelines",
    "priorities",
    "results",
    "accounts",
    "data",
    "agenda",
    "minutes",
    "mandate",
    "visits",
    "trainees",
    "staff",
    "equipment",
    "funds",
]
CATEGORIES = list(get_args(PLOVER))
INSTRUMENT_KINDS = list(get_args(InstrumentKind))
RECURRENCES = (
    "every 6 months",
    "every six months",
    "twice a year",
    "once a year",
    "annually",
    "monthly",
    "quarterly",
    "3 times a year",
    "every 2 years",
)
PHASES = ("routine", "crisis", "operational")
REGIONS = ("balkans", "caucasus", "baltic", "mediterranean", "sahel")
# share of each kind of actor (the rest are states)
ACTOR_SHARES = {
    "person": 0.22,
    "organisation": 0.04,
    "institution": 0.05,
    "body": 0.14,
    "office": 0.16,
    "format": 0.08,
    "group": 0.07,
    "meeting": 0.02,
    "region": 0.02,
}

START, END = dt.date(1990, 1, 1), dt.date(2010, 12, 31)
SPAN = (END - START).days


# ---- small helpers ------------------------------------------------------------------------


def q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def day(rng: random.Random, lo: dt.date = START, hi: dt.date = END) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def datetext(rng: random.Random, d: dt.date, partial: float = 0.08) -> str:
    r = rng.random()
    if r < partial / 2:
        return f"{d.year}"
    if r < partial:
        return f"{d.year}-{d.month:02d}"
    return d.isoformat()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


class Texts:
    """Generated source texts, kept so that citations can quote them truthfully."""

    def __init__(self, rng: random.Random, n_sources: int, paragraphs: int) -> None:
        self.rng = rng
        self.vocab = [word(rng) for _ in range(3000)] + COMMON * 20
        # segmented sources: (id, paragraphs as word lists, first footnote paragraph)
        self.segmented: list[tuple[str, list[list[str]], int]] = []
        for i in range(n_sources):
            sid = f"src-{i:03d}"
            paras = [self._paragraph() for _ in range(paragraphs)]
            fn_from = int(paragraphs * 0.8)
            for n, p in enumerate(paras[fn_from:], 1):
                p.insert(0, str(n))  # footnote n is the paragraph that starts "n "
            self.segmented.append((sid, paras, fn_from + 1))
        # the research file: one text, sections "§N.M", searched as a whole
        self.facts: list[tuple[str, list[str]]] = []
        for s in range(1, 40):
            for t in range(1, 12):
                self.facts.append((f"§{s}.{t}", self._paragraph()))
        # sources without text of their own, cited via the research file
        self.textless = [f"doc-{i:03d}" for i in range(max(5, n_sources * 2))]

    def _paragraph(self) -> list[str]:
        rng = self.rng
        words = [rng.choice(self.vocab) for _ in range(rng.randint(40, 120))]
        # typographic apostrophes and quotes, as real texts have them
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(words))
            words[i] = rng.choice(("EU’s", "“" + words[i] + "”", "Union’s", "don’t"))
        return words

    @staticmethod
    def _straighten(text: str) -> str:
        return text.replace("’", "'").replace("“", '"').replace("”", '"')

    def _quote(self, words: list[str], skip_first: bool = False) -> str:
        rng = self.rng
        lo = 1 if skip_first else 0
        n = rng.randint(4, 12)
        i = rng.randint(lo, max(lo, len(words) - n))
        text = " ".join(words[i : i + n])
        return self._straighten(text) if rng.random() < 0.5 else text

    def cite(self, rng: random.Random) -> dict[str, Any]:
        r = rng.random()
        if r < 0.62:
            sid, paras, _ = rng.choice(self.segmented)
            n = rng.randrange(len(paras))
            conf = "quoted" if rng.random() < 0.8 else "paraphrased"
            return {
                "source": sid,
                "at": f"p{n + 1}",
                "quote": self._quote(paras[n]),
                "confidence": conf,
            }
        if r < 0.72:
            sid, paras, fn_from = rng.choice(self.segmented)
            k = rng.randint(1, len(paras) - fn_from + 1)
            quote = self._quote(paras[fn_from + k - 2], skip_first=True)
            return {"source": sid, "at": f"fn{k}", "quote": quote, "confidence": "quoted"}
        if r < 0.80:
            sid, paras, _ = rng.choice(self.segmented)
            at = f"Art. {rng.randint(1, 120)}"  # free locator: the whole text is searched
            n = rng.randrange(len(paras))
            return {"source": sid, "at": at, "quote": self._quote(paras[n]), "confidence": "quoted"}
        if r < 0.90:
            sec, words = rng.choice(self.facts)
            return {
                "source": rng.choice(self.textless),
                "via": "facts",
                "at": sec,
                "quote": self._quote(words),
                "confidence": rng.choice(("quoted", "paraphrased")),
                "url": f"https://example.org/doc/{rng.randint(1, 99999)}",
            }
        return {
            "source": "background",
            "confidence": "inferred",
            "note": "recalled; to be checked",
        }

    def write(self, root: Path) -> None:
        tdir = root / "texts"
        tdir.mkdir(parents=True, exist_ok=True)
        for sid, paras, _ in self.segmented:
            with open(tdir / f"{sid}.txt", "w", encoding="utf-8") as f:
                for p in paras:
                    f.write(textwrap.fill(" ".join(p), width=88, break_on_hyphens=False) + "\n\n")
        with open(tdir / "facts.md", "w", encoding="utf-8") as f:
            f.write("# Research file\n\n")
            for sec, words in self.facts:
                f.write(
                    f"### {sec}\n"
                    + textwrap.fill(" ".join(words), width=100, break_on_hyphens=False)
                    + "\n\n"
                )


def cite_yaml(c: dict[str, Any], indent: str, rng: random.Random) -> str:
    """A citation in flow style (one line) or block style."""
    parts = []
    for k in ("source", "via", "at", "quote", "confidence", "url", "note"):
        if k in c:
            v = c[k]
            parts.append((k, q(v) if k in ("quote", "at", "note", "url") else v))
    if rng.random() < 0.5:
        return "{" + ", ".join(f"{k}: {v}" for k, v in parts) + "}"
    head, *rest = parts
    out = f"{head[0]}: {head[1]}"
    for k, v in rest:
        out += f"\n{indent}  {k}: {v}"
    return out


def cites_yaml(texts: Texts, rng: random.Random, indent: str, n: int | None = None) -> str:
    """``cite:`` with one citation (a mapping) or a list of them."""
    n = n if n is not None else (1 if rng.random() < 0.7 else 2)
    if n == 1 and rng.random() < 0.5:
        c = cite_yaml(texts.cite(rng), indent, rng)
        return f"{indent}cite: {c}\n" if c.startswith("{") else f"{indent}cite:\n{indent}  {c}\n"
    out = f"{indent}cite:\n"
    for _ in range(n):
        out += f"{indent}  - " + cite_yaml(texts.cite(rng), indent + "  ", rng) + "\n"
    return out


def bound(rng: random.Random, d: dt.date | None, events: list[str], *, end: bool = False) -> str:
    if d is None:
        return "open"
    r = rng.random()
    if end and r < 0.04:
        return "unknown"
    if r < 0.06 and events and not end:
        return "{event: " + rng.choice(events) + "}"
    return datetext(rng, d, 0.05)


def interval(rng: random.Random, lo: dt.date, hi: dt.date | None, events: list[str]) -> str:
    return "{from: " + bound(rng, lo, events) + ", to: " + bound(rng, hi, events, end=True) + "}"


# ---- the model ----------------------------------------------------------------------------


def generate(
    out: Path,
    *,
    actors: int = 10_000,
    statements: int = 100_000,
    events: int = 100_000,
    seed: int = 1,
    aims: int = 1000,
    aim_skew: float = 0.5,
    files: int | None = None,
    sources: int | None = None,
) -> dict[str, int]:
    """Write a model into ``out`` (replaced if it exists); return the element counts."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    n_sources = sources if sources is not None else max(3, min(60, statements // 2000))
    texts = Texts(rng, n_sources, paragraphs=300)
    texts.write(out)
    counts: dict[str, int] = {}

    # ids first, so that anything may refer to anything
    event_ids = [f"ev-{i:06d}" for i in range(events)]
    event_dates = sorted(day(rng) for _ in range(events))
    # interval ends written as {event: ID} use an event early enough to make sense
    early_events = event_ids[: max(1, events // 50)]

    kinds: dict[str, list[str]] = {k: [] for k in ("state", *ACTOR_SHARES)}
    n_state = max(10, actors - sum(int(actors * s) for s in ACTOR_SHARES.values()))
    plan = [("state", n_state)] + [(k, int(actors * s)) for k, s in ACTOR_SHARES.items()]
    for kind, n in plan:
        for i in range(n):
            kinds[kind].append(f"{kind}-{i:05d}")
    all_actors = [a for ids in kinds.values() for a in ids]
    counts["actors"] = len(all_actors)

    n_ins = max(10, statements // 20)
    ins_ids = [f"ins-{i:05d}" for i in range(n_ins)]

    # ---- sources --------------------------------------------------------------------------
    with open(out / "model.yaml", "w", encoding="utf-8") as f:
        f.write(
            f"id: synth-{seed}\ntitle: Synthetic model ({actors} actors, {statements} "
            f"statements, {events} events)\ndefault_date: 2001-05-17\n"
        )
    with open(out / "sources.yaml", "w", encoding="utf-8") as f:
        for sid, _, fn_from in texts.segmented:
            f.write(
                f"- id: {sid}\n  title: {q('Source ' + sid)}\n  kind: research-note\n"
                f"  author: {word(rng).title()}\n  date: {datetext(rng, day(rng), 0.5)}\n"
                f"  text: texts/{sid}.txt\n  segments: paragraphs\n  footnotes_from: p{fn_from}\n"
                f"  url: https://example.org/{sid}\n\n"
            )
        f.write(
            "- id: facts\n  title: Research file\n  kind: research-file\n  text: texts/facts.md\n\n"
            "- id: background\n  title: Background knowledge\n  kind: recall\n\n"
        )
        for sid in texts.textless:
            f.write(f"- id: {sid}\n  title: {q('Document ' + sid)}\n  kind: treaty\n\n")
    counts["sources"] = len(texts.segmented) + 2 + len(texts.textless)

    # ---- actors ---------------------------------------------------------------------------
    states, persons = kinds["state"], kinds["person"]
    orgs, offices = kinds["organisation"], kinds["office"]
    bodies, formats, groups = kinds["body"], kinds["format"], kinds["group"]
    org_members: dict[str, list[str]] = {}
    with open(out / "actors.yaml", "w", encoding="utf-8") as f:
        for kind, ids in kinds.items():
            f.write(f"# --- {kind}s ---\n\n")
            for idx, a in enumerate(ids):
                f.write(f"- id: {a}\n  name: {q(word(rng).title() + ' ' + kind)}\n  kind: {kind}\n")
                members: list[str] = []
                holders: list[str] = []
                if kind == "organisation":
                    chosen = rng.sample(states, min(len(states), rng.randint(5, 30)))
                    org_members[a] = chosen
                    for m in chosen:
                        joined = day(rng, START, dt.date(2006, 1, 1))
                        left = day(rng, joined, END) if rng.random() < 0.1 else None
                        members.append(
                            f"{{actor: {m}, from: {datetext(rng, joined, 0.1)}"
                            + (f", to: {left.isoformat()}" if left else "")
                            + "}"
                        )
                elif kind == "institution" and orgs:
                    org = rng.choice(orgs)
                    f.write(f"  part_of: {org}\n")
                    members.append(f"{{actor: {org}}}")
                    for o in rng.sample(offices, min(len(offices), rng.randint(0, 2))):
                        members.append(f"{{actor: {o}, role: chair}}")
                elif kind == "office":
                    holders = _holders(rng, a, persons, orgs, org_members, idx)
                    if orgs and rng.random() < 0.3:
                        f.write(f"  part_of: {rng.choice(orgs)}\n")
                elif kind == "body":
                    pool = states + offices[: len(offices) // 2] + orgs
                    for m in rng.sample(pool, min(len(pool), rng.randint(3, 20))):
                        joined = day(rng, START, dt.date(2004, 1, 1))
                        members.append(
                            f"{{actor: {m}, from: {datetext(rng, joined, 0.05)}"
                            + (
                                f", to: {day(rng, joined).isoformat()}"
                                if rng.random() < 0.1
                                else ""
                            )
                            + "}"
                        )
                elif kind == "format":
                    for o in rng.sample(offices, min(len(offices), rng.randint(2, 4))):
                        role = ", role: chair" if not members else ""
                        members.append(f"{{actor: {o}{role}}}")
                    if rng.random() < 0.5:
                        members.append(f"{{actor: {rng.choice(states)}, from: 1999-01-01}}")
                elif kind == "group":
                    for m in rng.sample(states, min(len(states), rng.randint(2, 12))):
                        members.append(f"{{actor: {m}}}")
                    if idx > 0 and rng.random() < 0.4:  # nest only earlier groups: no cycle
                        members.append(f"{{actor: {groups[rng.randrange(idx)]}}}")
                    if formats and rng.random() < 0.2:
                        members.append(f"{{actor: {rng.choice(formats)}}}")
                if kind in ("body", "institution", "format") and rng.random() < 0.3:
                    s = day(rng, START, dt.date(2002, 1, 1))
                    e = day(rng, s) if rng.random() < 0.3 else None
                    f.write(f"  exists: {interval(rng, s, e, early_events)}\n")
                    if e is not None and rng.random() < 0.5:
                        f.write(f"  replaced_by: {rng.choice(ids)}\n")
                for field, rows in (("members", members), ("holders", holders)):
                    if rows:
                        f.write(f"  {field}:\n")
                        for r in rows:
                            if rng.random() < 0.15:
                                c = cite_yaml(texts.cite(rng), "      ", rng)
                                if c.startswith("{"):
                                    r = r[:-1] + ", cite: " + c + "}"
                            f.write(f"    - {r}\n")
                f.write(cites_yaml(texts, rng, "  ") + "\n")

    # ---- statements, planned first (instruments suspend some of them) -------------------
    aim_names: list[str] = []
    seen_aims: set[str] = set()
    while len(aim_names) < aims:
        v, o = rng.choice(AIM_VERBS), rng.choice(AIM_OBJECTS)
        name = v if rng.random() < 0.05 else f"{v}-{o}"
        if rng.random() < 0.5:
            name += f"-{word(rng)}"
        if name not in seen_aims:
            seen_aims.add(name)
            aim_names.append(name)
    weights = [1 / (r + 1) ** aim_skew for r in range(aims)]
    per_ins = max(1, statements // n_ins)
    stm_ids = [f"s-{i:06d}" for i in range(statements)]
    stm_ins = [ins_ids[min(n_ins - 1, i // per_ins)] for i in range(statements)]
    by_ins: dict[str, list[str]] = {}
    for sid, iid in zip(stm_ids, stm_ins, strict=True):
        by_ins.setdefault(iid, []).append(sid)
    stm_aim = rng.choices(aim_names, weights=weights, k=statements)

    # disagreements and their readings
    n_dis = max(2, statements // 1000)
    dis = [(f"dis-{i:04d}", [f"r{j}" for j in range(rng.randint(2, 3))]) for i in range(n_dis)]
    with open(out / "readings.yaml", "w", encoding="utf-8") as f:
        for did, readings in dis:
            f.write(
                f"- id: {did}\n  question: {q('Who decides ' + word(rng) + '?')}\n  readings:\n"
            )
            for r in readings:
                f.write(f"    - id: {r}\n      label: {q('Reading ' + r)}\n")
                f.write(cites_yaml(texts, rng, "      ", 1))
            f.write("\n")
    counts["readings"] = n_dis

    # ---- instruments ----------------------------------------------------------------------
    ins_start: dict[str, dt.date] = {}
    with open(out / "instruments.yaml", "w", encoding="utf-8") as f:
        for i, iid in enumerate(ins_ids):
            signed = day(rng, START, dt.date(2006, 1, 1))
            ins_start[iid] = signed
            parties = rng.sample(states + orgs, rng.randint(2, 4))
            f.write(
                f"- id: {iid}\n  title: {q('Instrument ' + word(rng).title() + ' ' + str(i))}\n"
                f"  kind: {rng.choice(INSTRUMENT_KINDS)}\n  parties: [{', '.join(parties)}]\n"
            )
            if rng.random() < 0.4:
                f.write(f"  issuer: {rng.choice(kinds['institution'] or orgs)}\n")
            f.write(f"  signed: {datetext(rng, signed)}\n")
            if rng.random() < 0.93:
                force = signed + dt.timedelta(days=rng.randint(0, 900))
                until = day(rng, force) if rng.random() < 0.2 else None
                f.write(f"  in_force: {interval(rng, force, until, early_events)}\n")
                if rng.random() < 0.1:
                    eff = force + dt.timedelta(days=rng.randint(0, 200))
                    f.write(f"  in_effect: {interval(rng, eff, until, early_events)}\n")
                if until is not None and rng.random() < 0.4 and i + 1 < n_ins:
                    nxt = ins_ids[rng.randrange(i + 1, n_ins)]
                    f.write(f"  replaced_by: {{instrument: {nxt}, date: {until.isoformat()}}}\n")
            f.write(f"  legally_binding: {'true' if rng.random() < 0.6 else 'false'}\n")
            if rng.random() < 0.12:
                f.write("  suspensions:\n")
                for k in range(rng.randint(1, 2)):
                    s = day(rng, signed)
                    e = day(rng, s) if rng.random() < 0.7 else None
                    f.write(f"    - id: {iid}-sus-{k}\n")
                    if rng.random() < 0.75 and by_ins.get(iid):
                        provs = rng.sample(by_ins[iid], min(len(by_ins[iid]), rng.randint(1, 3)))
                        f.write(f"      scope: partial\n      provisions: [{', '.join(provs)}]\n")
                    else:
                        f.write("      scope: whole\n")
                    f.write(f"      during: {interval(rng, s, e, early_events)}\n")
                    if rng.random() < 0.5:
                        f.write(f"      by: {rng.choice(event_ids or ins_ids)}\n")
                    f.write(cites_yaml(texts, rng, "      ", 1))
            f.write(cites_yaml(texts, rng, "  ") + "\n")
    counts["instruments"] = n_ins

    # ---- statements -----------------------------------------------------------------------
    attr_pool = (
        bodies * 3 + offices * 3 + formats * 2 + states + orgs * 2 + groups + kinds["institution"]
    )
    member_bodies = bodies + formats + groups + orgs + kinds["institution"]
    by_aim: dict[str, list[int]] = {}
    n_files = files or max(1, math.ceil(statements / 5000))
    sdir = out / "statements"
    sdir.mkdir()
    with ExitStack() as stack:
        handles = [
            stack.enter_context(open(sdir / f"part-{k:03d}.yaml", "w", encoding="utf-8"))
            for k in range(n_files)
        ]
        per_file = math.ceil(statements / n_files)
        for i, sid in enumerate(stm_ids):
            f = handles[i // per_file]
            aim = stm_aim[i]
            peers = by_aim.setdefault(aim, [])
            lines = [f"- id: {sid}", f"  instrument: {stm_ins[i]}"]
            if rng.random() < 0.04:
                ent = rng.choice(bodies + ins_ids[:50])
                lines += [
                    "  type: constitutive",
                    f"  text: {q('The ' + ent + ' is established.')}",
                    f"  entity: {ent}",
                    "  modal: must" if rng.random() < 0.5 else "  modal: may",
                    "  function: is established",
                ]
                if rng.random() < 0.5:
                    lines.append(f"  properties: {q('to monitor ' + word(rng))}")
            else:
                attr = rng.choice(attr_pool)
                deontic = rng.choices(("must", "may", "must-not"), (0.5, 0.4, 0.1))[0]
                text = f"The {attr} {deontic} {aim.replace('-', ' ')}."
                lines += [f"  text: {q(text)}", f"  attribute: {attr}"]
                if attr in member_bodies and rng.random() < 0.35:
                    lines.append("  applies_to: members")
                lines += [f"  deontic: {deontic}", f"  aim: {aim}"]
                r = rng.random()
                if r < 0.35:
                    lines.append(f"  object: {rng.choice(states)}")
                elif r < 0.5:
                    lines.append(
                        f"  object: {q('the ' + word(rng) + ' ' + rng.choice(AIM_OBJECTS))}"
                    )
                if rng.random() < 0.4:
                    lines.append(f"  condition: {q(_condition(rng, kinds, ins_ids))}")
                if rng.random() < 0.1:
                    lines.append(
                        f"  constraint: {q('within ' + str(rng.randint(1, 30)) + ' days')}"
                    )
                if rng.random() < 0.1:
                    lines.append(f"  recurrence: {rng.choice(RECURRENCES)}")
                if deontic != "must-not" and rng.random() < 0.005:
                    lines.append("  exclusive: true")
                if rng.random() < 0.012:
                    did, readings = rng.choice(dis)
                    lines.append(f"  reading: {did}/{rng.choice(readings)}")
                if peers and rng.random() < 0.05:  # an exception to an earlier peer: no cycle
                    k = rng.randint(1, min(2, len(peers)))
                    over = sorted(
                        {stm_ids[j] for j in rng.sample(peers[-20:], min(k, len(peers[-20:])))}
                    )
                    lines.append(f"  overrides: [{', '.join(over)}]")
                peers.append(i)
            if rng.random() < 0.1:
                s = ins_start[stm_ins[i]] + dt.timedelta(days=rng.randint(0, 400))
                e = day(rng, s) if rng.random() < 0.4 else None
                lines.append(f"  valid: {interval(rng, s, e, early_events)}")
            if rng.random() < 0.3:
                lines.append(f"  provision: {q('Art. ' + str(rng.randint(1, 120)))}")
            f.write("\n".join(lines) + "\n" + cites_yaml(texts, rng, "  ") + "\n")
    counts["statements"] = statements

    # ---- events ---------------------------------------------------------------------------
    edir = out / "events"
    edir.mkdir()
    n_efiles = max(1, math.ceil(events / 25_000))
    per_efile = math.ceil(events / n_efiles) if events else 1
    with ExitStack() as stack:
        handles = [
            stack.enter_context(open(edir / f"part-{k:03d}.yaml", "w", encoding="utf-8"))
            for k in range(n_efiles)
        ]
        for i, (eid, d) in enumerate(zip(event_ids, event_dates, strict=True)):
            f = handles[i // per_efile]
            when = datetext(rng, d, 0.06)
            if rng.random() < 0.05:
                when = f"{d.isoformat()}/{(d + dt.timedelta(days=rng.randint(1, 3))).isoformat()}"
            parts = rng.sample(all_actors, rng.randint(1, 5))
            lines = [
                f"- id: {eid}",
                f"  date: {when}",
                f"  title: {q(word(rng).title() + ' meeting ' + str(i))}",
                f"  kind: {rng.choice(('summit', 'meeting', 'statement', 'visit', 'agreement'))}",
                f"  category: {rng.choice(CATEGORIES)}",
                f"  participants: [{', '.join(parts)}]",
            ]
            if rng.random() < 0.3:
                lines.append(f"  mode: {rng.choice(('bilateral', 'multilateral'))}")
            if rng.random() < 0.3:
                lines.append(f"  body: {rng.choice(bodies + formats)}")
            if rng.random() < 0.3:
                lines.append(f"  instrument: {rng.choice(ins_ids)}")
            lines.append(f"  confidence: {rng.choice(('quoted', 'paraphrased', 'inferred'))}")
            f.write("\n".join(lines) + "\n" + cites_yaml(texts, rng, "  ", 1) + "\n")
    counts["events"] = events

    # ---- strands, programmes, assessments ---------------------------------------------------
    n_strands = max(2, statements // 5000)
    areas: list[str] = []
    with open(out / "strands.yaml", "w", encoding="utf-8") as f:
        for i in range(n_strands):
            f.write(
                f"- id: strand-{i:03d}\n  name: {q('Strand ' + word(rng))}\n"
                f"  instruments: [{', '.join(rng.sample(ins_ids, min(len(ins_ids), 4)))}]\n"
                "  issue_areas:\n"
            )
            for j in range(3):
                areas.append(f"area-{i:03d}-{j}")
                f.write(f"    - {{id: area-{i:03d}-{j}, name: {q('Area ' + word(rng))}}}\n")
            f.write(cites_yaml(texts, rng, "  ", 1) + "\n")
    with open(out / "programmes.yaml", "w", encoding="utf-8") as f:
        for i in range(n_strands * 5):
            f.write(
                f"- id: prog-{i:04d}\n  name: {q('Programme ' + word(rng))}\n"
                f"  instrument: {rng.choice(ins_ids)}\n"
                f"  strand: strand-{rng.randrange(n_strands):03d}\n"
                f"  issue_areas: [{rng.choice(areas)}]\n  projects:\n"
            )
            for j in range(rng.randint(1, 4)):
                f.write(
                    f"    - id: proj-{i:04d}-{j}\n      name: {q('Project ' + word(rng))}\n"
                    f"      issue_areas: [{rng.choice(areas)}]\n"
                    + cites_yaml(texts, rng, "      ", 1)
                )
            f.write(cites_yaml(texts, rng, "  ", 1) + "\n")
    with open(out / "assessments.yaml", "w", encoding="utf-8") as f:
        for i in range(max(5, statements // 100)):
            about = rng.sample(all_actors, 1) + rng.sample(ins_ids, 1)
            f.write(
                f"- id: assess-{i:05d}\n"
                f"  kind: {rng.choice(('opportunity', 'difficulty', 'proposal'))}\n"
                f"  text: {q('An assessment of ' + word(rng))}\n  about: [{', '.join(about)}]\n"
                + cites_yaml(texts, rng, "  ", 1)
                + "\n"
            )
    counts["strands"] = n_strands
    return counts


def _holders(
    rng: random.Random,
    office: str,
    persons: list[str],
    orgs: list[str],
    org_members: dict[str, list[str]],
    idx: int,
) -> list[str]:
    """Rotating holders: a presidency among an organisation's members, or persons' terms."""
    rows = []
    if idx % 3 == 0 and orgs:
        members = org_members.get(rng.choice(orgs)) or []
        start = dt.date(rng.randint(1990, 1996), rng.choice((1, 7)), 1)
        k = 0
        while start < dt.date(2010, 1, 1) and members:
            end = dt.date(start.year, 6, 30) if start.month == 1 else dt.date(start.year, 12, 31)
            rows.append(f"{{actor: {members[k % len(members)]}, from: {start}, to: {end}}}")
            start = end + dt.timedelta(days=1)
            k += 1
        if rows:
            return rows
    if not persons:
        return rows
    start = day(rng, START, dt.date(1995, 1, 1))
    while start < dt.date(2009, 1, 1):
        end = start + dt.timedelta(days=rng.randint(700, 1800))
        who = rng.choice(persons)
        last = end >= dt.date(2009, 1, 1)
        to = rng.choice(("open", "unknown")) if last and rng.random() < 0.5 else end.isoformat()
        rows.append(f"{{actor: {who}, from: {datetext(rng, start, 0.05)}, to: {to}}}")
        start = end + dt.timedelta(days=1)
    return rows


def _condition(rng: random.Random, kinds: dict[str, list[str]], ins_ids: list[str]) -> str:
    """A condition in the language of docs/conditions.md, from templates seen in models."""
    bodies = kinds["organisation"] + kinds["body"] + kinds["group"] + kinds["format"]
    t = rng.randrange(12)
    phase = rng.choice(PHASES)
    if t == 0:
        return f"phase == '{phase}'"
    if t == 1:
        return f"phase == '{phase}' and actor in contributors"
    if t == 2:
        return "phase in ['crisis', 'operational'] and not nato_engaged"
    if t == 3:
        return f"member(actor, @{rng.choice(bodies)})"
    if t == 4:
        return f"holds(actor, @{rng.choice(kinds['office'])})"
    if t == 5:
        return f"in_effect(@{rng.choice(ins_ids)}) and date >= 2000-12-09"
    if t == 6:
        return f"in_force(@{rng.choice(ins_ids)}) or phase == '{phase}'"
    if t == 7:
        return f"given(operation.region) and operation.region == '{rng.choice(REGIONS)}'"
    if t == 8:
        return "count(contributors) >= 3 and phase != 'routine'"
    if t == 9:
        return f"member(actor, @{rng.choice(bodies)}) or actor in contributors"
    if t == 10:
        return f"date >= {day(rng).isoformat()} and phase != '{phase}'"
    return f"actor in [@{rng.choice(kinds['state'])}, @{rng.choice(kinds['state'])}]"


def iter_sizes(path: Path) -> Iterator[tuple[str, int]]:
    for p in sorted(path.rglob("*")):
        if p.is_file():
            yield str(p.relative_to(path)), p.stat().st_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write the model into (replaced)")
    ap.add_argument("--actors", type=int, default=10_000)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--aims", type=int, default=1000, help="size of the pool of aims")
    ap.add_argument(
        "--aim-skew", type=float, default=0.5, help="aim frequency ~ 1/rank**skew (0: uniform)"
    )
    ap.add_argument("--files", type=int, default=None, help="statement files (default: 5,000 each)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(
        args.out,
        actors=args.actors,
        statements=args.statements,
        events=args.events,
        seed=args.seed,
        aims=args.aims,
        aim_skew=args.aim_skew,
        files=args.files,
    )
    size = sum(s for _, s in iter_sizes(args.out))
    print(
        f"wrote {args.out}: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f"; {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
