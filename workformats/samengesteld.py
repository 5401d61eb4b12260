"""Zelf samengesteld: a werkvorm the facilitator builds from parts in Voorbereiden (see domain/composition.py)."""

from facilitator.core.domain import N_, ContributionKind, Phase, ReportSection, WorkFormat

WORKFORMAT = WorkFormat(
    id="samengesteld",
    name=N_("Zelf samenstellen"),
    description=N_(
        "Stel een eigen werkvorm samen uit stappen: per stap een vraag, een tijd en wat de telefoons invullen "
        "(vrije tekst, vakken, een raster, een schaal, een rangorde of afspraken)."
    ),
    roles=("deelnemer",),
    # Until the facilitator composes it, it is one open question, so an item added in haste still works.
    contribution_kinds=(
        ContributionKind(id="a1", label=N_("Antwoord"), max_length=500, per_participant=20),
    ),
    phases=(
        Phase(id="f1", title=N_("Vraag"), prompts={"deelnemer": N_("Wat wil je hierover kwijt?")}, accepts=("a1",)),
    ),
    report_sections=(
        ReportSection(id="r1", title=N_("Opbrengst"), phases=("f1",), shape="bullets"),
    ),
    reader_description=N_("Een werkvorm die de gespreksleider zelf samenstelde, stap voor stap."),
    capabilities=("composed",),
)
