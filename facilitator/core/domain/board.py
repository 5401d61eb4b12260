"""The rode-draden board: themes (columns) of cards (contribution ids), and the moves that change it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from facilitator.core.domain.errors import InvalidInput, NotFound
from facilitator.core.domain.text import showable
from facilitator.core.domain.workformat import N_

#: How many earlier layouts "ongedaan maken" can go back to.
UNDO_DEPTH = 20
THEME_NAME_MAX = 80
RODE_DRAAD_MAX = 1000
#: Where a theme came from; shown on the board so the facilitator knows what to check.
ORIGINS = ("host", "suggestion", "participant")
#: "Een handvol": fewer themes than this is probably too coarse, more than MANY_THEMES too many to remember.
FEW_THEMES, MANY_THEMES = 3, 10


def theme_count_warning(themes: int) -> str | None:
    """Return "few", "many" or None for a number of themes."""
    if themes < FEW_THEMES:
        return "few"
    if themes > MANY_THEMES:
        return "many"
    return None


@dataclass(frozen=True)
class Theme:
    """A rode draad in the making: a name and the cards sorted under it."""

    id: str
    name: str
    #: Contribution ids, in board order.
    cards: tuple[str, ...] = ()
    #: "host" (made on the board), "suggestion" (the clusterer) or "participant" (proposed from a phone).
    origin: str = "host"
    #: Distinctive terms the clusterer found; empty for a theme a person made.
    terms: tuple[str, ...] = ()
    #: The participant who proposed it from a phone, only to cap proposals per phone; never shown or exported.
    proposed_by: str = ""
    #: The facilitator typed or confirmed this name: only such names may go into the series' terugblik, never a
    #: name the clusterer made of participants' words nor one a phone proposed.
    accepted: bool = False


#: What participants, the beamer, the vote and the verslag call a suggested theme until the facilitator accepted or
#: edited its name: a plain number keeps the vote and the cards' places usable without the clusterer's words.
THEME_PLACEHOLDER = N_("Thema %(number)s")


def name_is_proposal(theme: Theme) -> bool:
    """Return whether a theme's name is still the clusterer's proposal (only the facilitator sees it then)."""
    return theme.origin == "suggestion" and not theme.accepted


def public_name(theme: Theme, number: int, translate: Callable[[str], str] = lambda text: text) -> str:
    """Return the name the room may see of the `number`-th theme (1-based): its name, or "Thema 3" for a proposal."""
    if name_is_proposal(theme):
        return translate(THEME_PLACEHOLDER) % {"number": number}
    return theme.name


@dataclass(frozen=True)
class Board:
    """How one agenda item's contributions are sorted into themes, plus the rode-draad sentence."""

    agenda_item_id: str
    themes: tuple[Theme, ...] = ()
    rode_draad: str = ""
    #: Earlier theme layouts, oldest first, for undo.
    history: tuple[tuple[Theme, ...], ...] = ()
    #: Groups of card ids that say the same thing, found with the last suggestion or sort.
    duplicates: tuple[tuple[str, ...], ...] = ()
    #: Grows with every change; a save based on an older version is refused (see StaleBoard).
    version: int = 0
    updated_at: float = 0.0

    def theme(self, theme_id: str) -> Theme:
        """Return a theme by id; raise NotFound."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise NotFound(f"theme {theme_id}")

    def placed(self) -> dict[str, str]:
        """Return the theme id of every card on a theme."""
        return {card: theme.id for theme in self.themes for card in theme.cards}

    def theme_of(self, card: str) -> str | None:
        """Return the id of the theme a card is on, or None when it is unsorted."""
        return self.placed().get(card)

    def with_themes(self, themes: Iterable[Theme], now: float = 0.0) -> Board:
        """Return the board with a new layout; the old one goes on the undo history."""
        history = (*self.history, self.themes)[-UNDO_DEPTH:]
        return replace(self, themes=tuple(themes), history=history, version=self.version + 1, updated_at=now)

    def undone(self, now: float = 0.0) -> Board:
        """Return the board as it was before the last layout change; raise InvalidInput when there is none."""
        if not self.history:
            raise InvalidInput("nothing to undo", field="undo")
        return replace(
            self, themes=self.history[-1], history=self.history[:-1], version=self.version + 1, updated_at=now
        )


def clean_theme_name(value: object, *, default: str = "") -> str:
    """Return a theme name with its spaces tidied; refuse one that is not a text or too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("name: must be a text", field="name")
    name = " ".join(showable(value, "name").split())
    if not name:
        if default:
            return default
        raise InvalidInput("name: required", field="name")
    if len(name) > THEME_NAME_MAX:
        raise InvalidInput(f"name: at most {THEME_NAME_MAX} characters", field="name")
    return name


def without_cards(themes: Iterable[Theme], cards: Iterable[str]) -> list[Theme]:
    """Return the themes with these cards taken off."""
    gone = set(cards)
    return [replace(t, cards=tuple(c for c in t.cards if c not in gone)) for t in themes]


def insert_card(cards: Sequence[str], card: str, before: str | None) -> tuple[str, ...]:
    """Return the cards with one card put before another (at the end when `before` is absent)."""
    rest = [c for c in cards if c != card]
    index = rest.index(before) if before in rest else len(rest)
    return (*rest[:index], card, *rest[index:])


def move_card(board: Board, card: str, theme_id: str | None, before: str | None, now: float = 0.0) -> Board:
    """Return the board with one card moved to a theme (None: back to unsorted), before another card."""
    if theme_id is not None:
        board.theme(theme_id)
    themes = without_cards(board.themes, [card])
    if theme_id is not None:
        themes = [replace(t, cards=insert_card(t.cards, card, before)) if t.id == theme_id else t for t in themes]
    return board.with_themes(themes, now)


def add_theme(board: Board, theme: Theme, now: float = 0.0) -> Board:
    """Return the board with a theme added at the end; its cards leave the themes they were on."""
    return board.with_themes([*without_cards(board.themes, theme.cards), theme], now)


def rename_theme(board: Board, theme_id: str, name: str, now: float = 0.0) -> Board:
    """Return the board with one theme renamed by the facilitator, which accepts the name."""
    board.theme(theme_id)
    return board.with_themes(
        (replace(t, name=name, accepted=True) if t.id == theme_id else t for t in board.themes), now
    )


def accept_theme(board: Board, theme_id: str, now: float = 0.0) -> Board:
    """Return the board with one theme's name accepted by the facilitator as it is."""
    board.theme(theme_id)
    return board.with_themes((replace(t, accepted=True) if t.id == theme_id else t for t in board.themes), now)


def remove_theme(board: Board, theme_id: str, now: float = 0.0) -> Board:
    """Return the board without a theme; its cards go back to unsorted."""
    board.theme(theme_id)
    return board.with_themes((t for t in board.themes if t.id != theme_id), now)


def merge_themes(board: Board, theme_id: str, into_id: str, now: float = 0.0) -> Board:
    """Return the board with one theme's cards appended to another, and the first theme gone."""
    if theme_id == into_id:
        raise InvalidInput("into: a theme cannot be merged with itself", field="into")
    source, _target = board.theme(theme_id), board.theme(into_id)
    themes = [
        replace(t, cards=(*t.cards, *(c for c in source.cards if c not in t.cards))) if t.id == into_id else t
        for t in board.themes
        if t.id != theme_id
    ]
    return board.with_themes(themes, now)


def split_theme(board: Board, theme_id: str, cards: Sequence[str], new: Theme, now: float = 0.0) -> Board:
    """Return the board with some cards of a theme made into a new theme right after it."""
    source = board.theme(theme_id)
    chosen = [c for c in source.cards if c in set(cards)]
    if not chosen or len(chosen) != len(set(cards)):
        raise InvalidInput("cards: choose one or more cards of this theme", field="cards")
    themes: list[Theme] = []
    for theme in board.themes:
        if theme.id == theme_id:
            themes.append(replace(theme, cards=tuple(c for c in theme.cards if c not in set(chosen))))
            themes.append(replace(new, cards=tuple(chosen)))
        else:
            themes.append(theme)
    return board.with_themes(themes, now)


def reorder_themes(board: Board, order: Sequence[str], now: float = 0.0) -> Board:
    """Return the board with its themes in the given order (every theme id exactly once)."""
    if sorted(order) != sorted(t.id for t in board.themes) or len(set(order)) != len(order):
        raise InvalidInput("order: every theme exactly once", field="order")
    by_id = {t.id: t for t in board.themes}
    return board.with_themes((by_id[i] for i in order), now)
