"""De roddelmethode: intervisie op een (fictieve) casus, met een inbrenger die meeluistert en een advies per tafel."""

from facilitator.core.domain import (
    N_,
    ContributionKind,
    Phase,
    ReportSection,
    SettingSpec,
    TagGroup,
    TagOption,
    WorkFormat,
)

CASE_TEXT = (
    "Danielle is GZ-psycholoog en ziet Finn, een jongen van 10 jaar die via de huisarts is verwezen voor "
    "herdiagnostiek. Finn heeft een zus van 15 jaar die op het speciaal onderwijs (SO) zit. Finn is bekend met "
    "dyslexie, gedragsproblemen en kopieergedrag op school. De vraag is of hij over kan naar het volgende "
    "schooljaar. Ouders maken zich grote zorgen over Finn's gedrag en er is sprake van moeizame communicatie "
    "tussen de ouders en de school."
)
EVERYONE_BUT_INBRENGER = ("deelnemer", "tafelvoorzitter")

WORKFORMAT = WorkFormat(
    id="roddelmethode",
    name=N_("De roddelmethode"),
    description=N_(
        "Intervisie op een casus: de inbrenger vertelt en luistert daarna mee terwijl de anderen over de casus "
        "'roddelen'; elke tafel geeft één advies."
    ),
    roles=("deelnemer", "inbrenger", "tafelvoorzitter"),
    tag_groups=(
        TagGroup(
            id="soort",
            label=N_("Soort"),
            options=(
                TagOption(id="observatie", label=N_("Observatie"), description=N_("Wat zie of hoor je?")),
                TagOption(id="hypothese", label=N_("Hypothese"), description=N_("Wat zou er aan de hand kunnen zijn?")),
            ),
        ),
    ),
    contribution_kinds=(
        ContributionKind(id="hulpvraag", label=N_("Vraag van de inbrenger"), max_length=400, per_participant=3,
                         roles=("inbrenger",)),
        ContributionKind(id="verhelderende_vraag", label=N_("Verhelderende vraag"), max_length=300,
                         per_participant=10, roles=EVERYONE_BUT_INBRENGER),
        ContributionKind(id="roddel", label=N_("Observatie of hypothese"), max_length=500, per_participant=20,
                         roles=EVERYONE_BUT_INBRENGER, tag_groups=("soort",)),
        ContributionKind(id="advies", label=N_("Advies van de tafel"), max_length=1500, scope="table",
                         per_table=1, roles=EVERYONE_BUT_INBRENGER),
        ContributionKind(id="reactie", label=N_("Reactie van de inbrenger"), max_length=1000, per_participant=3,
                         roles=("inbrenger",)),
        ContributionKind(id="rode_draad", label=N_("Rode draad"), max_length=300, per_participant=3,
                         roles=("deelnemer", "inbrenger", "tafelvoorzitter")),
    ),
    phases=(
        Phase(
            id="inbreng",
            title=N_("Inbreng"),
            prompts={
                "deelnemer": N_("Lees de casus op het scherm en luister naar de vraag van de inbrenger."),
                "inbrenger": N_("Vertel de casus en stel je vraag. Je kunt je vraag hier ook typen."),
            },
            accepts=("hulpvraag",),
            timebox_seconds=300,
            display="case",
        ),
        Phase(
            id="verhelderende_vragen",
            title=N_("Verhelderende vragen"),
            prompts={
                "deelnemer": N_(
                    "Welke vraag wil je stellen om de casus beter te begrijpen? Stel alleen vragen, nog geen adviezen."
                ),
                "inbrenger": N_("Beantwoord de vragen hardop. Je hoeft hier niets te typen."),
            },
            accepts=("verhelderende_vraag",),
            timebox_seconds=600,
            display="wall",
        ),
        Phase(
            id="roddelen",
            title=N_("Roddelen"),
            prompts={
                "deelnemer": N_(
                    "Praat over de casus alsof de inbrenger er niet is. Wat zie je? Wat zou er aan de hand "
                    "kunnen zijn? Schrijf je observaties en hypotheses op."
                ),
                "inbrenger": N_("Luister mee. Draai je om en zeg niets. Geef een ster aan wat je raakt."),
            },
            accepts=("roddel",),
            timebox_seconds=900,
            views={"inbrenger": "listen"},
            display="stream",
        ),
        Phase(
            id="advies",
            title=N_("Advies per tafel"),
            prompts={
                "deelnemer": N_(
                    "Schrijf met je tafel één advies voor de inbrenger. Iedereen aan tafel kan meeschrijven; "
                    "de woordvoerder dient het in."
                ),
                "inbrenger": N_("Luister mee terwijl de tafel het advies voor jou formuleert."),
            },
            accepts=("advies",),
            timebox_seconds=600,
            display="per_table",
        ),
        Phase(
            id="reactie",
            title=N_("Reactie inbrenger"),
            prompts={
                "deelnemer": N_("Luister naar de reactie van de inbrenger."),
                "inbrenger": N_("Wat raakte je? Wat neem je mee?"),
            },
            accepts=("reactie",),
            timebox_seconds=300,
            display="stars",
            shows_phases=("roddelen",),
        ),
        Phase(
            id="rode_draad",
            title=N_("Rode draad"),
            prompts={"deelnemer": N_("Wat is voor jou de rode draad? Schrijf het in één zin.")},
            accepts=("rode_draad",),
            timebox_seconds=600,
            display="rode_draad",
            shows_phases=("advies",),
        ),
    ),
    # In the order of the method: the case, the questions, the gossip (condensed, observation or hypothesis kept),
    # what the inbrenger starred, the advice per table, the inbrenger's reaction, the room's rode draad.
    report_sections=(
        ReportSection(id="casus", title=N_("Casus en vraag"), phases=("inbreng",), shape="paragraph"),
        ReportSection(id="vragen", title=N_("Verhelderende vragen"), phases=("verhelderende_vragen",),
                      shape="bullets"),
        ReportSection(id="roddels", title=N_("Observaties en hypotheses"), phases=("roddelen",), shape="bullets",
                      keeps_tag="soort"),
        ReportSection(id="sterren", title=N_("Wat de inbrenger raakte"), phases=("roddelen",), shape="starred"),
        ReportSection(id="adviezen", title=N_("Advies per tafel"), phases=("advies",), shape="per_table"),
        ReportSection(id="reactie", title=N_("Reactie van de inbrenger"), phases=("reactie",), shape="paragraph"),
        ReportSection(id="rode_draad", title=N_("Rode draad volgens de deelnemers"), phases=("rode_draad",),
                      shape="paragraph"),
    ),
    reader_description=N_(
        "Bij de roddelmethode brengt een inbrenger een (fictieve) casus met een vraag in. De tafels stellen eerst "
        "verhelderende vragen en ‘roddelen’ daarna over de casus alsof de inbrenger er niet bij is: wat zien we, "
        "wat zou er aan de hand kunnen zijn? De inbrenger luistert mee en geeft een ster aan wat raakt. Elke "
        "tafel formuleert een advies; tot slot vertelt de inbrenger wat hij of zij meeneemt."
    ),
    example_case_text=CASE_TEXT,
    #: inbrenger_mode: "room" (one inbrenger for the whole room) or "table" (one per table).
    settings={"inbrenger_mode": "room"},
    setting_specs=(
        SettingSpec(
            name="inbrenger_mode", kind="choice", label=N_("Inbrenger"), default="room",
            choices=(("room", N_("Eén inbrenger voor de hele zaal")), ("table", N_("Eén inbrenger per tafel"))),
            error=N_("Kies hoe de inbrenger meedoet."), use="per_table_role", role="inbrenger",
        ),
    ),
)
