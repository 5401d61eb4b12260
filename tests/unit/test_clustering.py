"""The clusterer: exact themes on small Dutch fixtures, the three modes, labels, near-duplicates, edge cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.core.clustering import clusters as clustering
from facilitator.core.clustering.clusters import Clustering, ThemeSuggestion
from facilitator.core.text import nl as text_nl

ROOT = Path(__file__).resolve().parents[2]

#: Three obvious themes (waiting lists, trust, money) with a typo, capitals and one-word cards.
NINE = [
    "Lange wachttijden voor jeugdhulp",  # 0 wachten
    "Vertrouwen opbouwen met ouders",  # 1 vertrouwen
    "Geld en armoede in het gezin",  # 2 geld
    "WACHTLIJST",  # 3 wachten: one word, capitals
    "wantrouwen",  # 4 vertrouwen: one word, the opposite word form
    "Te weinig financiën, armoede",  # 5 geld
    "De wachtijden zijn te lang",  # 6 wachten: typo
    "ouders vertrouwn de school",  # 7 vertrouwen: typo
    "Schulden en toeslagen",  # 8 geld: no word in common with 2 or 5, only the lexicon links them
]
WAITING, TRUST, MONEY = (0, 3, 6), (1, 4, 7), (2, 5, 8)


def partition(result: Clustering) -> list[tuple[int, ...]]:
    return [theme.items for theme in result.themes]


def assert_every_index_once(result: Clustering, n: int) -> None:
    indices = [index for theme in result.themes for index in theme.items]
    assert sorted(indices) == list(range(n))


def test_suggest_finds_the_three_obvious_themes() -> None:
    result = clustering.suggest(NINE)
    assert sorted(partition(result)) == [WAITING, TRUST, MONEY]
    assert result.warning is None


def test_suggest_orders_themes_by_size_then_first_index() -> None:
    texts = NINE + ["Wachttijden in de jeugdzorg"]
    assert partition(clustering.suggest(texts, 3)) == [(0, 3, 6, 9), TRUST, MONEY]


def test_suggest_with_a_count_returns_that_many_themes() -> None:
    result = clustering.suggest(NINE, 3)
    assert partition(result) == [WAITING, TRUST, MONEY]


def test_suggest_labels_each_theme_with_readable_terms_and_a_representative() -> None:
    result = clustering.suggest(NINE, 3)
    assert result.themes[0] == ThemeSuggestion(
        label="wachttijden · lang",
        terms=("wachttijden", "lang", "jeugdhulp", "wachtlijst"),
        representative=6,
        items=WAITING,
    )
    assert [theme.label for theme in result.themes] == [
        "wachttijden · lang",
        "vertrouwen · ouders",
        "armoede · toeslagen",
    ]


def test_suggest_clamps_a_count_larger_than_the_texts() -> None:
    result = clustering.suggest(NINE, 50)
    assert partition(result) == [(index,) for index in range(9)]


def test_suggest_one_theme_when_asked() -> None:
    assert partition(clustering.suggest(NINE, 1)) == [tuple(range(9))]


def test_suggest_is_deterministic() -> None:
    assert clustering.suggest(NINE) == clustering.suggest(NINE)
    assert clustering.suggest(NINE, 4) == clustering.suggest(NINE, 4)


def test_suggest_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import json; from facilitator.core.clustering import clusters as clustering\n"
        f"texts = {NINE!r} + ['Tijdsdruk', 'Te weinig tijd voor gesprekken', 'Regie bij ouders']\n"
        "r = clustering.suggest(texts)\n"
        "print(json.dumps([[t.label, list(t.terms), t.representative, list(t.items)] for t in r.themes]))\n"
    )
    outputs = set()
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_suggest_of_nothing_is_no_themes() -> None:
    assert clustering.suggest([]) == Clustering(themes=(), warning=None)


def test_suggest_of_one_text_is_one_theme() -> None:
    assert clustering.suggest(["Eén bijdrage over tijdsdruk"]) == Clustering(
        themes=(ThemeSuggestion("tijdsdruk · bijdrage", ("tijdsdruk", "bijdrage"), 0, (0,)),), warning=None
    )


def test_suggest_keeps_identical_texts_together_without_a_warning() -> None:
    result = clustering.suggest(["Tijdsdruk", "tijdsdruk", "TIJDSDRUK.", "Tijdsdruk!"])
    assert partition(result) == [(0, 1, 2, 3)]
    assert result.warning is None


def test_suggest_puts_empty_and_blank_texts_in_exactly_one_theme() -> None:
    texts = ["", *NINE[:3], "   ", *NINE[3:], "\n"]
    result = clustering.suggest(texts)
    assert_every_index_once(result, len(texts))
    # They say nothing, so they join the largest theme and do not change the others.
    shifted = {tuple(i + 1 if i < 3 else i + 2 for i in group) for group in (WAITING, TRUST, MONEY)}
    assert {theme.items for theme in result.themes[1:]} < shifted
    assert {0, 4, 11} <= set(result.themes[0].items)


def test_suggest_of_only_blank_texts_is_one_unlabelled_theme() -> None:
    assert clustering.suggest(["", "  ", "\t"]) == Clustering(
        themes=(ThemeSuggestion("", (), 0, (0, 1, 2)),), warning=None
    )


def test_seeded_sorts_under_the_typed_names_in_their_order() -> None:
    result = clustering.seeded(NINE, ["Geld", "Wachttijden", "Vertrouwen"])
    assert [(theme.label, theme.items) for theme in result.themes] == [
        ("Geld", MONEY),
        ("Wachttijden", WAITING),
        ("Vertrouwen", TRUST),
    ]
    assert result.warning is None


def test_seeded_keeps_a_name_nobody_matches_as_an_empty_theme() -> None:
    result = clustering.seeded(NINE, ["Wachttijden", "Vertrouwen", "Geld", "Sport"])
    assert [(theme.label, theme.items, theme.representative) for theme in result.themes] == [
        ("Wachttijden", WAITING, 6),
        ("Vertrouwen", TRUST, 1),
        ("Geld", MONEY, 5),
        ("Sport", (), None),
    ]


def test_seeded_warns_about_too_few_names() -> None:
    result = clustering.seeded(NINE, ["Wachttijden", "Vertrouwen"])
    assert result.warning == "few"
    assert_every_index_once(result, 9)


def test_seeded_needs_a_name() -> None:
    with pytest.raises(ValueError):
        clustering.seeded(NINE, [])


def test_assist_sorts_the_rest_from_placed_cards_alone() -> None:
    result = clustering.assist(NINE, [[0], [1], [2]])
    assert partition(result) == [WAITING, TRUST, MONEY]
    assert [theme.label for theme in result.themes] == [
        "wachttijden · lang",
        "vertrouwen · ouders",
        "armoede · toeslagen",
    ]


def test_assist_keeps_placed_cards_where_the_facilitator_put_them() -> None:
    # Card 4 ("wantrouwen") placed under money on purpose: it stays there, the rest is suggested.
    result = clustering.assist(NINE, [[0], [1], [2, 4]], ["Wachttijden", "Vertrouwen", "Geld"])
    assert partition(result) == [WAITING, (1, 7), (2, 4, 5, 8)]


def test_assist_uses_a_name_for_a_column_without_cards() -> None:
    result = clustering.assist(NINE, [[0, 3], [], [8]], ["Wachttijden", "Vertrouwen", ""])
    assert [(theme.label, theme.items) for theme in result.themes] == [
        ("Wachttijden", WAITING),
        ("Vertrouwen", TRUST),
        ("armoede · toeslagen", MONEY),
    ]


def test_assist_rejects_a_card_placed_twice_or_out_of_range() -> None:
    with pytest.raises(ValueError):
        clustering.assist(NINE, [[0], [0]])
    with pytest.raises(ValueError):
        clustering.assist(NINE, [[0], [9]])
    with pytest.raises(ValueError):
        clustering.assist(NINE, [[0], [1]], ["één naam"])


def test_label_theme_gives_distinctive_terms_and_the_most_central_member() -> None:
    theme = clustering.label_theme(NINE, [6, 3, 0], others=[1, 2, 4, 5, 7, 8])
    assert theme == ThemeSuggestion(
        label="wachttijden · lang",
        terms=("wachttijden", "lang", "jeugdhulp", "wachtlijst"),
        representative=6,
        items=(0, 3, 6),
    )


def test_label_theme_prefers_words_several_members_share() -> None:
    texts = [
        "Ouders betrekken bij de intake",
        "Ouders als partner zien",
        "Ouders uitnodigen voor een gesprek",
        "Wachttijden in de zorg",
    ]
    theme = clustering.label_theme(texts, [0, 1, 2], others=[3])
    assert theme.terms[0] == "ouders"
    assert theme.label == "ouders · intake"
    assert theme.representative == 0


def test_label_theme_of_no_members_is_empty() -> None:
    assert clustering.label_theme(NINE, []) == ThemeSuggestion("", (), None, ())


def test_near_duplicates_groups_exact_and_near_copies() -> None:
    texts = [
        "Tijdsdruk",  # 0
        "tijdsdruk.",  # 1 case, punctuation
        "Armoede/ financiën (o.a. toeslagen)",  # 2
        "Armoede/financiën",  # 3 a word less
        "Opvoeding en ontwikkeling",  # 4
        "Opvoeding",  # 5 not the same: half of a two-word card is missing
        "Ga naast de ouder staan",  # 6
        "Ga niet naast de ouder staan",  # 7 "niet" turns it around
        "Contact is de basis. Investeren in relaties is cruciaal.",  # 8
        "Contact is de basis! Investeren in relaties is echt cruciaal",  # 9 a word more
        "Opvoeding en ontwikkeling",  # 10 exact copy of 4
        "",  # 11
        "  ",  # 12 empty texts say nothing, so they are not duplicates
        "Tijdsdrukk",  # 13 typo of 0
    ]
    assert clustering.near_duplicates(texts) == [(0, 1, 13), (2, 3), (4, 10), (8, 9)]


def test_near_duplicates_of_nothing() -> None:
    assert clustering.near_duplicates([]) == []
    assert clustering.near_duplicates(["Eén"]) == []


def test_count_warning_wants_a_handful() -> None:
    assert [clustering.count_warning(n) for n in (0, 2, 3, 10, 11)] == ["few", "few", None, None, "many"]


def test_text_nl_splits_glued_compounds() -> None:
    assert text_nl.split_compound("schoolaanwezigheid") == ("school", "aanwezigheid")
    assert text_nl.split_compound("jeugdhulpverlener") == ("jeugd", "hulpverlener")
    assert text_nl.split_compound("vertrouwen") == ("vertrouwen",)
    assert text_nl.split_compound("wisselende") == ("wisselende",)


def test_text_nl_joins_inflections_and_concepts() -> None:
    assert text_nl.stem("financieel") == text_nl.stem("financiële".replace("ë", "e"))
    assert text_nl.concepts("wantrouwen") == text_nl.concepts("vertrouwen") == frozenset({"vertrouwen"})
    assert "tijd" in text_nl.concepts("tijdsdruk")
    assert "gehoord" in text_nl.concepts("geluisterd")


def test_clusterer_runs_on_a_shared_set_with_every_index_once() -> None:
    # A copy of bench/data/clustering/T05.json (tests do not read the bench's data).
    path = ROOT / "tests" / "fixtures" / "clustering_T05.json"
    texts = [item["text"] for item in json.loads(path.read_text(encoding="utf-8"))["items"]]
    for result in (clustering.suggest(texts), clustering.seeded(texts, ["Tijd", "Vertrouwen"])):
        assert_every_index_once(result, len(texts))


# --- sentence embeddings (optional) -------------------------------------------------------------------------

#: Six cards whose words pair them one way (0-1, 2-3, 4-5) and whose meaning, as given by fake embeddings, pairs
#: them another (0-2-4 against 1-3-5): what the clusterer follows shows which representation it used.
SIX = ["wachttijd lang", "wachttijd kort", "geld armoede", "geld toeslag", "vertrouwen ouders", "vertrouwen school"]
MEANING = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.05], [0.05, 1.0], [1.0, 0.1], [0.1, 1.0]]


def test_suggest_without_embeddings_or_with_share_zero_is_the_lexical_clusterer() -> None:
    lexical = clustering.suggest(SIX, 3)
    assert partition(lexical) == [(0, 1), (2, 3), (4, 5)]
    assert clustering.suggest(SIX, 3, embeddings=MEANING, settings=clustering.Settings(embedding_share=0.0)) == lexical


def test_suggest_follows_the_embeddings_by_their_share() -> None:
    result = clustering.suggest(SIX, 2, embeddings=MEANING, settings=clustering.Settings(embedding_share=1.0))
    assert sorted(partition(result)) == [(0, 2, 4), (1, 3, 5)]
    assert_every_index_once(result, 6)


def test_seeded_and_assist_mix_the_embeddings_of_texts_and_names() -> None:
    names = ["Eerste", "Tweede"]  # no word in common with any card: only the embeddings can place them
    settings = clustering.Settings(sort_embedding_share=1.0)
    result = clustering.seeded(SIX, names, embeddings=MEANING, name_embeddings=[[1.0, 0.0], [0.0, 1.0]],
                               settings=settings)
    assert partition(result) == [(0, 2, 4), (1, 3, 5)]
    result = clustering.assist(SIX, [[0], [1]], names, embeddings=MEANING, settings=settings)
    assert partition(result) == [(0, 2, 4), (1, 3, 5)]


def test_embeddings_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError):
        clustering.suggest(SIX, embeddings=MEANING[:5])
    with pytest.raises(ValueError):
        clustering.seeded(SIX, ["a"], embeddings=MEANING, name_embeddings=[[1.0, 0.0, 0.0]])


def test_seeded_with_embeddings_follows_their_meaning_by_default() -> None:
    # The names share no word with any card; by default seeded joins the embeddings to the words (SEEDED_WITH_
    # EMBEDDINGS, the bench's leave-one-set-out winner), so the meaning places every card.
    names = ["Eerste", "Tweede"]
    meaning = {"embeddings": MEANING, "name_embeddings": [[1.0, 0.0], [0.0, 1.0]]}
    result = clustering.seeded(SIX, names, **meaning)
    assert partition(result) == [(0, 2, 4), (1, 3, 5)]
    assert [theme.label for theme in result.themes] == names
    assert result == clustering.seeded(SIX, names, **meaning, settings=clustering.SEEDED_WITH_EMBEDDINGS)
    # The lexical settings ignore the embeddings: only words, and these names have none in common with the cards.
    assert partition(clustering.seeded(SIX, names, **meaning, settings=clustering.SETTINGS)) != partition(result)


def test_seeded_without_embeddings_is_the_lexical_rule() -> None:
    names = ["Wachten", "Vertrouwen", "Geld"]
    assert clustering.seeded(NINE, names) == clustering.seeded(NINE, names, settings=clustering.SETTINGS)
    assert clustering.SETTINGS.sort_mix is None and clustering.SETTINGS.refine_quantile is None


def test_joined_blocks_keep_a_blank_column_empty_and_every_index_once() -> None:
    names = ["Eerste", "  "]
    result = clustering.seeded(SIX, names, embeddings=MEANING, name_embeddings=[[1.0, 0.0], [0.0, 1.0]])
    assert_every_index_once(result, 6)
    assert result.themes[1].items == ()
    placed = clustering.assist(SIX, [[0], [1]], ["", ""], embeddings=MEANING,
                               settings=clustering.SEEDED_WITH_EMBEDDINGS)
    assert partition(placed) == [(0, 2, 4), (1, 3, 5)]


def test_refinement_rebuilds_columns_from_their_clearest_texts() -> None:
    # "vertrouwen in gesprek" shares no word with either name; with two borrowed cards per column it lands under
    # Geld, but once each column is rebuilt from the texts it holds (refinement), the Ouders column holds
    # "ouders vertrouwen" and "ouders in gesprek", and it follows them.
    texts = [
        "ouders in gesprek",
        "school en ouders",
        "ouders vertrouwen",
        "gesprek over schulden",
        "armoede op school",
        "vertrouwen in gesprek",
        "toeslagen aanvragen op school",
        "geld armoede",
    ]
    names = ["Geld", "Ouders"]
    plain = clustering.seeded(texts, names, settings=clustering.Settings(cards_per_column=2))
    refined = clustering.seeded(texts, names, settings=clustering.Settings(cards_per_column=2, refine_quantile=0.0))
    assert partition(plain) == [(3, 4, 5, 6, 7), (0, 1, 2)]
    assert partition(refined) == [(3, 4, 6, 7), (0, 1, 2, 5)]
