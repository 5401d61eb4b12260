"""Tafeladvies: elke tafel schrijft samen één advies; de woordvoerder dient het in; daarna de rode draad."""

from facilitator.core.domain import N_, ContributionKind, Phase, ReportSection, WorkFormat

WORKFORMAT = WorkFormat(
    id="tafeladvies",
    name=N_("Tafeladvies"),
    description=N_(
        "Elke tafel schrijft samen één advies op een gedeeld concept; de woordvoerder dient het in en "
        "het scherm zet alle adviezen naast elkaar."
    ),
    roles=("deelnemer", "tafelvoorzitter"),
    contribution_kinds=(
        ContributionKind(id="advies", label=N_("Advies van de tafel"), max_length=1500, scope="table",
                         per_table=1, roles=("deelnemer", "tafelvoorzitter")),
        ContributionKind(id="rode_draad", label=N_("Rode draad"), max_length=300, per_participant=3,
                         roles=("deelnemer", "tafelvoorzitter")),
    ),
    phases=(
        Phase(
            id="advies",
            title=N_("Advies per tafel"),
            prompts={
                "deelnemer": N_(
                    "Schrijf met je tafel één advies. Iedereen aan tafel kan meeschrijven; de woordvoerder dient "
                    "het in."
                ),
            },
            accepts=("advies",),
            timebox_seconds=900,
            display="per_table",
        ),
        Phase(
            id="rode_draad",
            title=N_("Rode draad"),
            prompts={"deelnemer": N_("Lees de adviezen op het scherm. Wat is voor jou de rode draad?")},
            accepts=("rode_draad",),
            timebox_seconds=600,
            display="rode_draad",
            shows_phases=("advies",),
        ),
    ),
    report_sections=(
        ReportSection(id="adviezen", title=N_("Advies per tafel"), phases=("advies",), shape="per_table"),
        ReportSection(id="rode_draad", title=N_("Rode draad volgens de deelnemers"), phases=("rode_draad",),
                      shape="paragraph"),
    ),
    reader_description=N_(
        "Elke tafel schreef samen één advies; daarna lagen de adviezen van alle tafels naast elkaar."
    ),
)
