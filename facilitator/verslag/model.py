"""The verslag's structure: plain values the renderers (Word, HTML, Markdown) turn into a document."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.core.domain.model import Afspraak, Organiser

__all__ = [
    "AppendixGroup", "AppendixItem", "Block", "Group", "Organiser", "ProgrammeItem", "Report", "RodeDraad",
    "SaveTheDate", "Table", "TableRow", "Terugblik", "ThemeLine", "WorkformatSection",
]


@dataclass(frozen=True)
class Group:
    """A titled list of bullets inside a block: one buffer, one table's advice, one theme."""

    #: Stable key for edits, e.g. "solidariteit" (a bucket id), "tafel-3", "theme-ab12".
    key: str
    title: str
    #: Shown after the title, e.g. a bucket's description or a theme's provenance ("2 ouders · tafels 1, 3").
    description: str = ""
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its label (a grid's row, an afspraak's what) and, per column, the lines in that cell."""

    key: str
    label: str
    #: Shown under the label, e.g. the row's description ("Dit is belangrijk, omdat …").
    description: str = ""
    #: One tuple of lines per column; an empty tuple is an empty cell (printed as EMPTY_CELL).
    cells: tuple[tuple[str, ...], ...] = ()


#: What an empty cell shows, so a reader sees it was empty rather than lost.
EMPTY_CELL = "–"


@dataclass(frozen=True)
class Table:
    """A real table in every format: a grid of rows × columns, or the afspraken (Wat / Wie / Niveau / Wanneer)."""

    #: The heading of the label column ("" for a grid's corner, "Wat" for afspraken).
    label_heading: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...] = ()


@dataclass(frozen=True)
class Block:
    """One part of a werkvorm's opbrengst, in the shape the werkvorm declares for it."""

    #: "<agenda item id>/<report section id>", the key its edits are stored under.
    key: str
    title: str
    #: bullets | bullets_per_bucket | per_table | paragraph | themes (see domain.workformat.REPORT_SHAPES).
    shape: str
    #: One sentence before the content, e.g. "We hebben de punten onderverdeeld in de 4 ‘buffers’:".
    intro: str = ""
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    #: Numbered groups with a bold title (buckets), or titled groups (tables, themes).
    groups: tuple[Group, ...] = ()
    #: Number the groups (1. **Solidariteit …**), as the source reports do for buckets.
    numbered_groups: bool = False
    #: Counted lines printed as a list right after the intro: per scale point "5 van 12 deelnemers: eens", or the
    #: room's order of a ranking ("Optie B (17 punten)").
    counts: tuple[str, ...] = ()
    #: Number the counts (a ranking's places) instead of bulleting them.
    numbered_counts: bool = False
    #: A grid or the afspraken, printed as a real table after the paragraphs.
    table: Table | None = None
    #: A label before the bullets, e.g. "Toelichtingen:" under a scale, "Opmerkingen:" under a ranking.
    bullets_label: str = ""


@dataclass(frozen=True)
class WorkformatSection:
    """One werkvorm on the agenda: its name, the task or case, the exact prompts, and what it yielded."""

    #: The agenda item id.
    key: str
    name: str
    #: What the werkvorm is, for readers (the werkvorm's reader description).
    description: str = ""
    #: The opdracht or the case text; may be several paragraphs.
    task: tuple[str, ...] = ()
    #: The heading above the task when it is not a case ("Spelregels"); "" prints the heading "Casus".
    task_heading: str = ""
    #: The questions as the phones showed them.
    prompts: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class ProgrammeItem:
    """A programme item the facilitator adds: an opening, a pitch, a presentation."""

    title: str
    speaker: str = ""
    function: str = ""
    organisation: str = ""
    text: str = ""
    #: A visible "Meer info" link.
    link: str = ""


@dataclass(frozen=True)
class ThemeLine:
    """A rode draad theme with where it came from, counts only."""

    name: str
    provenance: str = ""
    #: Its strongest condensed statements ("Heb oog voor wat de ouder goed doet. (7×: ouders, zorgprofessionals)").
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class RodeDraad:
    """The rode draad of the afternoon: one paragraph, 1–3 open questions, the themes it rests on."""

    paragraph: str = ""
    questions: tuple[str, ...] = ()
    themes: tuple[ThemeLine, ...] = ()


@dataclass(frozen=True)
class Terugblik:
    """What the previous bijeenkomst of the series yielded, for the welcome."""

    title: str
    date: str
    rode_draden: tuple[str, ...] = ()
    rode_draad: str = ""
    #: The afspraken it made, with the status this bijeenkomst gave them.
    afspraken: tuple[Afspraak, ...] = ()
    #: The same in the verslag's language, one line each ("wat — wie (niveau), wanneer: status"); set by the build.
    afspraak_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class SaveTheDate:
    """The next bijeenkomst: "SAVE THE DATE: 7 oktober 15.00 – 17.00 uur in Alkmaar"."""

    date: str = ""
    time: str = ""
    place: str = ""
    #: e.g. "3e dialoogsessie Mentale veerkracht van kinderen".
    label: str = ""

    def is_empty(self) -> bool:
        """Tell whether nothing was filled in."""
        return not (self.date or self.time or self.place or self.label)


@dataclass(frozen=True)
class AppendixItem:
    """One raw contribution in the opt-in appendix: its text and context, never who sent it."""

    text: str
    context: str = ""


@dataclass(frozen=True)
class AppendixGroup:
    """The raw contributions of one agenda item."""

    title: str
    items: tuple[AppendixItem, ...] = ()


@dataclass(frozen=True)
class Report:
    """The verslag, section by section, in the order the source reports share."""

    title: str
    #: e.g. "Tweede dialoogsessie · Ouderperspectief".
    subtitle: str = ""
    motto: str = ""
    #: The lead paragraph: date, who was there by perspective and number, the theme.
    lead: str = ""
    #: Welkom / terugblik paragraph (the facilitator's words).
    welcome: str = ""
    terugblik: Terugblik | None = None
    programme: tuple[ProgrammeItem, ...] = ()
    sections: tuple[WorkformatSection, ...] = ()
    rode_draad: RodeDraad | None = None
    #: "Ieder vraagstuk kent verschillende gezichten." before the wrap-up lines.
    wrap_up_intro: str = ""
    #: One line per programme item: "[onderdeel] – [inzicht]".
    wrap_up: tuple[str, ...] = ()
    closing: str = ""
    #: "Wie wil meedenken, meld je bij ons aan."
    call: str = ""
    save_the_date: SaveTheDate | None = None
    #: "Organisatie dialoogsessie Mentale veerkracht van kinderen".
    organisers_title: str = ""
    organisers: tuple[Organiser, ...] = ()
    #: The afspraken of the whole bijeenkomst in short, after the sections: one sentence and a line each.
    actions_intro: str = ""
    actions: tuple[str, ...] = ()
    #: Raw contributions; only when the facilitator opts in.
    appendix: tuple[AppendixGroup, ...] = ()
    #: Text parts the tool wrote and the facilitator did not (yet) replace or confirm, e.g. ("closing", "call"):
    #: the preview marks them as suggestions to replace.
    suggested: tuple[str, ...] = ()
    #: Fixed headings in the report's language: welcome, programme, rode_draad, wrap_up, save_the_date,
    #: organisers, appendix, questions, more_info, by.
    headings: tuple[tuple[str, str], ...] = ()

    def heading(self, key: str) -> str:
        """Return a fixed heading in the report's language."""
        return dict(self.headings).get(key, key)
