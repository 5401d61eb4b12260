"""Stemmen: iedereen verdeelt een aantal stippen over bijdragen of eigen opties; het scherm toont de uitslag."""

from facilitator.domain import N_, Phase, ReportSection, WorkFormat

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
    settings={"dots": 3, "options": [], "source": ""},
)
