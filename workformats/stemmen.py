"""Stemmen: iedereen verdeelt een aantal stippen over bijdragen of eigen opties; het scherm toont de uitslag."""

from facilitator.core.domain import N_, Phase, ReportSection, SettingSpec, WorkFormat

SETTINGS = (
    SettingSpec(
        name="dots", kind="int", label=N_("Stippen per deelnemer"), default=3, minimum=1, maximum=20,
        error=N_("Geef iedereen 1 tot 20 stippen."), use="vote_allowance",
    ),
    SettingSpec(
        name="options", kind="lines", label=N_("Opties (één per regel)"), default=[], use="vote_options",
        help=N_("Leeg laten: er wordt gestemd op de bijdragen van een ander agendapunt."),
    ),
    SettingSpec(
        name="source", kind="item", label=N_("Stemmen op de bijdragen van"), default="",
        help=N_(
            "Alleen als er hieronder geen eigen opties staan. Staan die bijdragen in thema's op het bord, "
            "dan gaan de stippen naar de thema's."
        ),
    ),
)

WORKFORMAT = WorkFormat(
    id="stemmen",
    name=N_("Stemmen met stippen"),
    description=N_("Iedereen verdeelt een aantal stippen over wat het belangrijkst is; het scherm telt mee."),
    roles=("deelnemer",),
    contribution_kinds=(),
    phases=(
        Phase(
            id="stemmen",
            title=N_("Stemmen"),
            prompts={"deelnemer": N_("Verdeel je stippen over wat jij het belangrijkst vindt.")},
            timebox_seconds=300,
            views={"deelnemer": "vote"},
            display="votes",
        ),
    ),
    report_sections=(ReportSection(id="uitslag", title=N_("Uitslag"), phases=("stemmen",), shape="bullets"),),
    reader_description=N_("Iedereen verdeelde stippen over wat hij of zij het belangrijkst vond; dit is de uitslag."),
    #: dots: stippen per deelnemer; options: the facilitator's own options (one per line);
    #: source: the agenda item whose bijdragen are voted on when there are no options ("" = the previous one).
    settings={spec.name: spec.default for spec in SETTINGS},
    setting_specs=SETTINGS,
    capabilities=("votes",),
)
