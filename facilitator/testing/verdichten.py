"""A 300-phone afternoon for verdichten: each phone sends vier-buffers cards that paraphrase real texts.

The texts are verbatim items of bench/data/clustering (T01 for the buffers, and T02, T05, T08, T20 for cards
that belong to no common point), copied into tests/fixtures so the tests stand on their own. Each card says one
of them in its own words, the way a room does: with a lead-in, a typo, a word left out or added, in lower case,
without its full stop. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from facilitator.testing.verslag import TEXTS

OTHER_TEXTS: list[str] = json.loads(
    (Path(__file__).resolve().parent / "data" / "verdichten_other_texts.json").read_text(encoding="utf-8")
)["texts"]
BUCKETS = ("solidariteit", "taakverdeling", "meta_positie", "positieve_ervaringen")
LEADS = ("Ik vind: ", "Belangrijk: ", "Als organisatie: ", "Als mens: ", "Vooral: ", "Wat ik kan geven: ",
         "Voor mij: ", "Tip: ")
TAILS = (" Dat is echt belangrijk.", " Heel belangrijk!", " Dat helpt ouders.", " Zeker doen.")
FILLERS = ("echt", "altijd", "ook", "vooral", "gewoon")


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w, k = words[i], rng.randrange(1, len(words[i]) - 2)
    words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    return " ".join(words)


def _drop_word(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) < 5:
        return text
    del words[rng.randrange(1, len(words))]
    return " ".join(words)


def _add_word(text: str, rng: random.Random) -> str:
    words = text.split()
    words.insert(min(1, len(words)), rng.choice(FILLERS))
    return " ".join(words)


def paraphrase(text: str, rng: random.Random) -> str:
    """Return the text as one more person in the room might type it."""
    steps = rng.sample(["lead", "tail", "lower", "typo", "drop", "add", "same"], k=rng.choice((1, 1, 2)))
    out = text
    for step in steps:
        if step == "lower":
            out = out[:1].lower() + out[1:].rstrip(".")
        elif step == "typo":
            out = _typo(out, rng)
        elif step == "drop":
            out = _drop_word(out, rng)
        elif step == "add":
            out = _add_word(out, rng)
        elif step == "lead":
            out = rng.choice(LEADS) + out[:1].lower() + out[1:]
        elif step == "tail":
            out = out.rstrip(".!") + "." + rng.choice(TAILS) if not out.endswith("?") else out
    return out


@dataclass(frozen=True)
class RoomCard:
    """One card of the generated room: who, where, what it paraphrases."""

    id: str
    phone: int
    bucket: str
    text: str
    source: str


def room_cards(phones: int = 300, per_phone: int = 10, *, other_share: float = 0.15, seed: int = 15
               ) -> list[RoomCard]:
    """Return the vier-buffers cards of a room: mostly paraphrases of T01's items, some cards of their own."""
    rng = random.Random(seed)
    base = TEXTS["vangnet"]
    cards = []
    for phone in range(phones):
        for k in range(per_phone):
            if rng.random() < other_share:
                source, bucket = rng.choice(OTHER_TEXTS), rng.choice(BUCKETS)
            else:
                item = rng.choice(base)
                source, bucket = item["text"], item["bucket"]
            text = paraphrase(source, rng) if rng.random() < 0.8 else source
            cards.append(RoomCard(id=f"r{phone}-{k}", phone=phone, bucket=bucket, text=text, source=source))
    return cards
