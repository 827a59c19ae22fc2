#!/usr/bin/env python3
"""Write cases.json: shortening cases for `fit_text` with the cut points a Thai reader accepts.

Run by hand, not by CI, after changing a text under texts/ or the case list below:

    python3 -m venv /tmp/thai-venv
    /tmp/thai-venv/bin/pip install pythainlp==5.4.0 regex
    /tmp/thai-venv/bin/python adapters/tests/thai/golden/generate.py

For every text, the acceptable cut points are PyThaiNLP's newmm word boundaries (dictionary
maximal matching, the tokenizer Thai NLP tools default to) plus both sides of every whitespace
character, minus every point inside a link (a link is kept whole or dropped whole). Offsets are
in Unicode code points; the Rust test (tests/thai.rs) converts them to byte offsets.

Each case is a text, a unit, a limit and, for some, the link to the full text. Limits are the
platforms' own (LINE, YouTube, TikTok) where a text is longer than them, and random limits drawn
with a fixed seed, so that running this again gives the same file.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pythainlp
import regex
from pythainlp.tokenize import newmm

HERE = Path(__file__).resolve().parent

# The texts: excerpts of the station's own public document (seed_*), tags and markup removed,
# and announcements written in the station's style.
TEXTS = [
    "seed_document",
    "seed_service_point",
    "seed_no_gift",
    "seed_channels",
    "seed_ita",
    "patrol_news",
    "health_outreach",
    "road_safety",
]

# The link to the full text on the website that a channel may append.
LINK = "https://mueangranong.ranong.police.go.th/news/2568/oit"
ELLIPSIS = "…"
READ_MORE = "\n\nอ่านต่อ: "

# (what, unit, limit, with the link). The limits of the platforms prakat publishes to.
PLATFORM_LIMITS = [
    ("LINE text message", "utf16", 5000, True),
    ("LINE Flex altText", "utf16", 1500, False),
    ("LINE action label", "graphemes", 20, False),
    ("YouTube title", "chars", 100, False),
    ("YouTube description", "chars", 5000, True),
    ("TikTok caption", "chars", 2200, True),
    ("TikTok photo title", "chars", 90, False),
    ("TikTok photo description", "chars", 4000, True),
]

UNITS = ["chars", "utf16", "bytes", "graphemes"]
RANDOM_PER_UNIT = 6
SEED = 20681121

URL = re.compile(r"https?://\S+", re.IGNORECASE)


def count(unit: str, s: str) -> int:
    if unit == "chars":
        return len(s)
    if unit == "utf16":
        return len(s.encode("utf-16-le")) // 2
    if unit == "bytes":
        return len(s.encode("utf-8"))
    if unit == "graphemes":
        return len(regex.findall(r"\X", s))
    raise ValueError(unit)


def acceptable_cuts(text: str) -> list[int]:
    cuts = set()
    at = 0
    for token in newmm.segment(text):
        at += len(token)
        cuts.add(at)
    assert at == len(text), "newmm tokens cover the text"
    for i, c in enumerate(text):
        if c.isspace():
            cuts.update((i, i + 1))
    for m in URL.finditer(text):
        cuts.difference_update(range(m.start() + 1, m.end()))
    cuts.discard(0)
    return sorted(cuts)


def usable(text: str, cuts: list[int], unit: str, limit: int, link: str | None) -> bool:
    """The text is too long and some acceptable cut fits with the suffix."""
    if count(unit, text) <= limit:
        return False
    suffix = ELLIPSIS + READ_MORE + link if link else ELLIPSIS
    room = limit - count(unit, suffix)
    return room > 0 and count(unit, text[: cuts[0]]) <= room


def to_json(out: dict) -> str:
    """JSON with one line per text and per case, so that a change reads well in a diff."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{"]
    lines += [f' "about": {one(out["about"])},', f' "link": {one(out["link"])},', ' "texts": [']
    lines += [f"  {one(t)}," for t in out["texts"]]
    lines[-1] = lines[-1].rstrip(",")
    lines += [" ],", ' "cases": [']
    lines += [f"  {one(c)}," for c in out["cases"]]
    lines[-1] = lines[-1].rstrip(",")
    lines += [" ]", "}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(SEED)
    texts = []
    cases = []
    for name in TEXTS:
        text = (HERE / "texts" / f"{name}.txt").read_text(encoding="utf-8")
        cuts = acceptable_cuts(text)
        texts.append({"name": name, "cuts": cuts})

        def add(unit: str, limit: int, link: str | None, why: str) -> None:
            if not usable(text, cuts, unit, limit, link) and link:
                link = None
            if usable(text, cuts, unit, limit, link):
                cases.append(
                    {"text": name, "unit": unit, "limit": limit, "link": link, "why": why}
                )

        for why, unit, limit, with_link in PLATFORM_LIMITS:
            add(unit, limit, LINK if with_link else None, why)
        for unit in UNITS:
            total = count(unit, text)
            for i in range(RANDOM_PER_UNIT):
                # Mostly announcement-sized limits, some anywhere in the text.
                top = min(total - 1, 600) if i < RANDOM_PER_UNIT - 2 else total - 1
                limit = rng.randint(12, top)
                link = LINK if i % 3 == 2 else None
                add(unit, limit, link, "random")

    out = {
        "about": (
            "Generated by generate.py with PyThaiNLP "
            + pythainlp.__version__
            + " newmm; do not edit. cuts: acceptable ends of the kept text, in code points."
        ),
        "link": LINK,
        "texts": texts,
        "cases": cases,
    }
    path = HERE / "cases.json"
    path.write_text(to_json(out), encoding="utf-8")
    print(f"{len(cases)} cases over {len(texts)} texts -> {path}")


if __name__ == "__main__":
    main()
