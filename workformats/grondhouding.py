"""De grondhouding als reflectieraster: vier uitgangspunten (rijen) door drie lenzen (kolommen), dan de twee vragen
die een team zich regelmatig stelt. Written as a composition, so Voorbereiden can offer it as a copy to adapt."""

from facilitator.core.domain import N_
from facilitator.core.domain.composition import composed_workformat

WORKFORMAT = composed_workformat("grondhouding", {
    "name": N_("Grondhouding: reflectieraster"),
    "description": N_(
        "Vier uitgangspunten van de gezamenlijke grondhouding, bekeken door drie lenzen: wat betekent dit voor ons "
        "handelen, onze hulpinzet en onze samenwerking? Daarna: doen we nog het goede, en hoe doen we het met elkaar?"
    ),
    "reader_description": N_(
        "We legden de vier uitgangspunten van onze gezamenlijke grondhouding naast drie lenzen: wat betekent dit voor "
        "ons handelen, voor onze hulpinzet en in onze samenwerking? Iedereen schreef voorbeelden uit de eigen praktijk "
        "in het raster. Tot slot stonden we stil bij twee vragen die we onszelf regelmatig stellen: doen we nog het "
        "goede, en hoe doen we het met elkaar?"
    ),
    "rows": [
        {"label": N_("Werken vanuit oprechte interesse"), "description": N_(
            "We werken vanuit oprechte interesse in de jeugdigen, ouders/opvoeders en we gaan de verbinding aan.")},
        {"label": N_("Regie geven aan cliënt en diens systeem"), "description": N_(
            "We laten het gezin sturing geven aan het eigen leven: de regie ligt bij de jeugdigen en ouders/opvoeders, "
            "ook als het daardoor langzamer, anders of sneller gaat.")},
        {"label": N_("Aansluiten bij de leefwereld"), "description": N_(
            "We zetten alleen ondersteuning in als die aansluit bij de leefwereld van de jeugdigen en "
            "ouders/opvoeders, vanuit de gedachte dat jeugdigen thuis opgroeien.")},
        {"label": N_("Elkaars expertise benutten (gelijkwaardigheid)"), "description": N_(
            "We werken gelijkwaardig samen met het gezin en de betrokkenen en benutten elkaars expertise.")},
    ],
    "columns": [
        {"label": N_("Ons handelen"), "description": N_("Wat betekent dit voor ons handelen?")},
        {"label": N_("Onze hulpinzet"), "description": N_("Wat betekent dit voor onze hulpinzet?")},
        {"label": N_("Onze samenwerking"), "description": N_("Wat betekent dit in onze samenwerking?")},
    ],
    "phases": [
        {
            "title": N_("Het raster"),
            "prompt": N_(
                "Kies een uitgangspunt en een lens. Wat betekent dit uitgangspunt voor ons handelen, voor onze "
                "hulpinzet of in onze samenwerking? Schrijf een voorbeeld uit je eigen praktijk, één per kaartje."
            ),
            "minutes": 20,
            "answer": "grid",
            "report_title": N_("Wat betekent de grondhouding voor ons?"),
        },
        {
            "title": N_("Doen we nog het goede?"),
            "prompt": N_(
                "Doen we nog het goede? Hoe doen we het met elkaar? Schrijf op wat je opvalt, één gedachte per kaartje."
            ),
            "minutes": 10,
            "answer": "text",
            "report_title": N_("Doen we nog het goede? Hoe doen we het met elkaar?"),
        },
    ],
})
