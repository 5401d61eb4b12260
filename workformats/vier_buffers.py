"""Vier buffers: een vangnet voor ouders; wat je nodig hebt of kunt geven, als organisatie en als mens."""

from facilitator.core.domain import N_, Bucket, ContributionKind, Phase, ReportSection, TagGroup, TagOption, WorkFormat

PROMPT = N_(
    "Wat heb je nodig of wat kun je geven binnen deze buffer, als organisatie maar ook als mens, "
    "om een vangnet voor ouders te maken?"
)

WORKFORMAT = WorkFormat(
    id="vier_buffers",
    name=N_("Vier buffers: een vangnet voor ouders"),
    description=N_(
        "Samen een vangnet voor ouders maken: wat je nodig hebt of kunt geven binnen de vier buffers die "
        "bijdragen aan ouderlijke veerkracht, als organisatie maar ook als mens."
    ),
    roles=("deelnemer",),
    buckets=(
        Bucket(id="solidariteit", label=N_("Solidariteit in de gemeenschap"),
               description=N_("Het ervaren van steun en erkenning.")),
        Bucket(id="taakverdeling", label=N_("Goede taakverdeling"),
               description=N_("Inzicht in de balans tussen verantwoordelijkheid en draagkracht.")),
        Bucket(id="meta_positie", label=N_("Meta-positie"),
               description=N_("Het vermogen om vanuit een afstand naar jezelf en de ander te kijken.")),
        Bucket(id="positieve_ervaringen", label=N_("Positieve ouderervaringen"),
               description=N_("Het ervaren van betekenisvolle momenten en trots op je kind.")),
    ),
    tag_groups=(
        TagGroup(
            id="als",
            label=N_("Vanuit"),
            options=(TagOption(id="organisatie", label=N_("Als organisatie")),
                     TagOption(id="mens", label=N_("Als mens"))),
        ),
        TagGroup(
            id="richting",
            label=N_("Nodig of geven"),
            options=(TagOption(id="nodig", label=N_("Nodig hebben")),
                     TagOption(id="geven", label=N_("Kunnen geven"))),
        ),
    ),
    contribution_kinds=(
        ContributionKind(id="vangnet", label=N_("Bijdrage aan het vangnet"), max_length=400, per_participant=20,
                         needs_bucket=True, tag_groups=("als", "richting")),
    ),
    phases=(
        Phase(
            id="uitleg",
            title=N_("De vier buffers"),
            prompts={"deelnemer": N_("Luister naar de uitleg over de vier buffers op het scherm.")},
            display="quadrants",
        ),
        Phase(
            id="vangnet",
            title=N_("Vangnet maken"),
            prompts={"deelnemer": PROMPT},
            accepts=("vangnet",),
            timebox_seconds=1200,
            display="quadrants",
        ),
    ),
    report_sections=(
        ReportSection(id="vangnet", title=N_("Het vangnet"), phases=("vangnet",), shape="bullets_per_bucket",
                      keeps_tag="richting"),
    ),
    reader_description=N_(
        "Ouders zijn veerkrachtiger met vier ‘buffers’: solidariteit in de gemeenschap, een goede taakverdeling, "
        "een meta-positie en positieve ouderervaringen. Samen maakten we een vangnet voor ouders door per buffer "
        "te benoemen wat je nodig hebt of kunt geven, als organisatie maar ook als mens."
    ),
)
