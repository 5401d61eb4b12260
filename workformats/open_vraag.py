"""Open vraag: one prompt, free text from every phone (check-in, persona question)."""

from facilitator.core.domain import N_, ContributionKind, Phase, ReportSection, WorkFormat

DEFAULT_PROMPT = "Wat houdt je bezig als je denkt aan de kinderen om wie het vandaag gaat?"

WORKFORMAT = WorkFormat(
    id="open_vraag",
    name=N_("Open vraag"),
    description=N_("Eén vraag aan de zaal; iedereen antwoordt in eigen woorden."),
    roles=("deelnemer",),
    contribution_kinds=(
        ContributionKind(id="antwoord", label=N_("Antwoord"), max_length=500, per_participant=20),
    ),
    phases=(
        Phase(
            id="antwoorden",
            title=N_("Antwoorden"),
            prompts={"deelnemer": DEFAULT_PROMPT},
            accepts=("antwoord",),
        ),
    ),
    report_sections=(
        ReportSection(id="opbrengst", title=N_("Opbrengst"), phases=("antwoorden",), shape="bullets"),
    ),
    reader_description=N_("Eén vraag aan de hele zaal; iedereen antwoordde in eigen woorden."),
    capabilities=("starter",),
)
