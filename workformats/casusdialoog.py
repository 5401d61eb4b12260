"""Casusdialoog: vier dialoogvragen bij een casus, met vijf hypotheses per tafel en een persoonlijke vraag."""

from facilitator.core.domain import N_, ContributionKind, Phase, ReportSection, WorkFormat

TABLE_ROLES = ("deelnemer", "tafelvoorzitter")

WORKFORMAT = WorkFormat(
    id="casusdialoog",
    name=N_("Casusdialoog (vier vragen)"),
    description=N_(
        "Vier dialoogvragen bij een casus: wat valt op, vijf hypotheses per tafel, mogelijkheden vanuit je "
        "functie, en wat het gesprek jou oplevert."
    ),
    roles=("deelnemer", "tafelvoorzitter"),
    contribution_kinds=(
        ContributionKind(id="opvalt", label=N_("Wat valt op"), max_length=500, per_participant=10, roles=TABLE_ROLES),
        ContributionKind(id="hypothese", label=N_("Hypothese of oplossingsrichting"), max_length=400,
                         scope="table", per_table=5, roles=TABLE_ROLES),
        ContributionKind(id="mogelijkheid", label=N_("Mogelijkheid vanuit mijn functie"), max_length=600,
                         per_participant=5, roles=TABLE_ROLES, asks_function=True),
        ContributionKind(id="opbrengst", label=N_("Wat het mij oplevert"), max_length=600, per_participant=3,
                         roles=TABLE_ROLES, visibility="private"),
    ),
    phases=(
        Phase(
            id="casus",
            title=N_("De casus"),
            prompts={"deelnemer": N_("Lees de casus op het scherm.")},
            display="case",
        ),
        Phase(
            id="vraag1",
            title=N_("1. Wat valt op?"),
            prompts={"deelnemer": N_(
                "Wat valt in de casus op in het licht van het thema “Bewegen in de context van de leerling”?"
            )},
            accepts=("opvalt",),
            timebox_seconds=600,
        ),
        Phase(
            id="vraag2",
            title=N_("2. Vijf hypotheses"),
            prompts={"deelnemer": N_("Stel 5 hypotheses/oplossingsrichtingen op.")},
            accepts=("hypothese",),
            timebox_seconds=900,
            display="per_table",
        ),
        Phase(
            id="vraag3",
            title=N_("3. Mogelijkheden"),
            prompts={"deelnemer": N_(
                "Welke mogelijkheden zie jij (vanuit jouw functie)? Wat zou dat opleveren voor de leerling/gezin?"
            )},
            accepts=("mogelijkheid",),
            timebox_seconds=600,
        ),
        Phase(
            id="vraag4",
            title=N_("4. Wat levert het jou op?"),
            prompts={"deelnemer": N_("Wat levert deze manier van kijken of dit gesprek voor jou op?")},
            accepts=("opbrengst",),
            timebox_seconds=300,
        ),
    ),
    report_sections=(
        ReportSection(id="opvalt", title=N_("Wat viel op"), phases=("vraag1",), shape="bullets"),
        ReportSection(id="hypotheses", title=N_("Hypotheses en oplossingsrichtingen"), phases=("vraag2",),
                      shape="per_table"),
        ReportSection(id="mogelijkheden", title=N_("Mogelijkheden"), phases=("vraag3",), shape="bullets"),
    ),
    reader_description=N_(
        "Aan de tafels ging het gesprek over een casus, aan de hand van vier vragen: wat valt op, welke "
        "hypotheses en oplossingsrichtingen zie je, welke mogelijkheden heb je vanuit je eigen functie, en wat "
        "levert het gesprek je op."
    ),
)
