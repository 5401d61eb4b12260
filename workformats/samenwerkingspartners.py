"""Wat gaat goed, knelpunten en oplossingen per samenwerkingspartner: a raster of the four partners (rows) by what
goes well, what sticks and what would help (columns), so the verslag keeps every answer under its partner."""

from facilitator.core.domain import N_
from facilitator.core.domain.composition import composed_workformat

WORKFORMAT = composed_workformat("samenwerkingspartners", {
    "name": N_("Goed, knelpunten en oplossingen per partner"),
    "description": N_(
        "Per samenwerkingspartner (ouders, leerlingen, partners binnen en buiten de school): wat gaat er goed in het "
        "werken met de grondhouding, welke knelpunten ervaar je en wat kan daarin verbeteren?"
    ),
    "reader_description": N_(
        "De deelnemers keken naar het werken met de grondhouding samen met ouders, met leerlingen, met partners binnen "
        "de school en met partners buiten de school. Per samenwerkingspartner schreven ze op wat goed gaat en waarom, "
        "welke knelpunten ze ervaren en welke oplossingen ze zien."
    ),
    "rows": [
        {"label": N_("Ouders"), "description": N_("Samenwerken met ouders")},
        {"label": N_("Leerlingen"), "description": N_("Samenwerken met leerlingen")},
        {"label": N_("Partners binnen de school"), "description": N_("Samenwerken met partners binnen de school")},
        {"label": N_("Partners buiten de school"), "description": N_("Samenwerken met partners buiten de school")},
    ],
    "columns": [
        {"label": N_("Dit gaat goed"), "description": N_(
            "Wat gaat er goed in het werken met de grondhouding samen met deze partner, en waarom?")},
        {"label": N_("Knelpunten"), "description": N_(
            "Welke knelpunten ervaar je in het werken met de grondhouding samen met deze partner?")},
        {"label": N_("Oplossingen"), "description": N_("Wat kan daarin verbeteren?")},
    ],
    "phases": [
        {
            "title": N_("Per samenwerkingspartner"),
            "prompt": N_(
                "Kies een samenwerkingspartner en wat je opschrijft. Wat gaat er goed in het werken met de "
                "grondhouding samen met die partner, en waarom? Welke knelpunten ervaar je? En wat kan daarin "
                "verbeteren? Eén punt per kaartje, in een paar woorden."
            ),
            "minutes": 20,
            "answer": "grid",
            "report_title": N_("Samenwerken per partner: wat gaat goed, knelpunten en oplossingen"),
        },
    ],
})
