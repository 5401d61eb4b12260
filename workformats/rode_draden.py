"""Rode draden: the room sorts what came in into themes on the board; the facilitator names the rode draad."""

from facilitator.core.domain import N_, Phase, ReportSection, SettingSpec, WorkFormat

SOURCE = SettingSpec(name="source", kind="item", label=N_("Sorteert de bijdragen van"), default="")

WORKFORMAT = WorkFormat(
    id="rode_draden",
    name=N_("Rode draden"),
    description=N_(
        "Wat kwam er binnen? Deelnemers zetten hun eigen bijdrage bij een thema op het bord; "
        "de gespreksleider voegt samen, splitst en benoemt de rode draad."
    ),
    roles=("deelnemer",),
    contribution_kinds=(),
    phases=(
        Phase(
            id="meesorteren",
            title=N_("Meesorteren"),
            prompts={"deelnemer": N_("Waar hoort jouw bijdrage bij? Kies een thema of stel een nieuw thema voor.")},
            timebox_seconds=300,
            views={"deelnemer": "place"},
            display="board",
        ),
        Phase(
            id="rode_draad",
            title=N_("De rode draad"),
            prompts={"deelnemer": N_("Kijk mee op het scherm: welke rode draad zie jij?")},
            views={"deelnemer": "wait"},
            display="board",
        ),
    ),
    report_sections=(
        ReportSection(id="rode_draden", title=N_("Rode draden"), phases=("rode_draad",), shape="themes"),
    ),
    reader_description=N_(
        "De bijdragen kwamen samen op één bord en werden tot thema's gebundeld: de rode draden van de middag."
    ),
    #: source: the agenda item whose bijdragen the board sorts ("" = the previous one).
    settings={"source": ""},
    setting_specs=(SOURCE,),
    capabilities=("board",),
)
