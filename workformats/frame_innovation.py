"""Frame Innovation (betekenisgericht werken): first the team's spelregels voor spelregels, then the four steps that
begin and end in the leefwereld: portret, thema's, frames, interventies."""

from facilitator.core.domain import N_
from facilitator.core.domain.composition import composed_workformat

WORKFORMAT = composed_workformat("frame_innovation", {
    "name": N_("Frame Innovation"),
    "description": N_(
        "Betekenisgericht werken in vijf stappen: eerst spelregels voor spelregels, dan het leefwereldportret (wat is "
        "er aan de hand?), thema's (waar gaat dat over?), frames (hoe gaan we daarmee om?) en interventies (hoe "
        "organiseren we dat?)."
    ),
    "reader_description": N_(
        "Met Frame Innovation werkten we betekenisgericht: we begonnen en eindigden in de leefwereld. Eerst maakten we "
        "samen spelregels voor het gesprek. Daarna brachten we een leefwereld in beeld, benoemden we de thema's en "
        "waarden die daarin spelen, zochten we frames om daarmee om te gaan en bedachten we concrete interventies."
    ),
    "rows": [
        {"label": N_("Op school"), "description": N_("Moet er op school iets georganiseerd worden?")},
        {"label": N_("Gezin, familie en vrienden"), "description": N_(
            "Wat kan er gedaan worden in het gezin, in de familie of in de vriendenkring?")},
        {"label": N_("Professionele hulp"), "description": N_(
            "Is er professionele hulp nodig, zoals schuldhulpverlening, verslavingszorg of psychotherapie?")},
    ],
    "phases": [
        {
            "title": N_("Spelregels voor spelregels"),
            "prompt": N_(
                "Welke spelregels spreken we met elkaar af? Denk aan veiligheid en vertrouwen, openheid en schaamte, "
                "autonomie, macht en keuzes, plek en sfeer, en verwachtingen over ieders rol. Het doel is begrip, "
                "geen oordeel. Schrijf één spelregel per kaartje."
            ),
            "minutes": 15,
            "answer": "text",
            "report_title": N_("Onze spelregels voor spelregels"),
        },
        {
            "title": N_("Leefwereldportret"),
            "prompt": N_(
                "Wat is er aan de hand in de leefwereld? Schrijf op wat je hoort en ziet: een kort verhaal, een "
                "citaat, een observatie. Vragen die helpen: Waar word je blij van? Waar ben je bang voor? "
                "Wat is een gewone dag voor jou? Wie zijn belangrijk voor jou? Kijk naar het hele plaatje: wonen, "
                "school, werk, gezin, relaties en hulp."
            ),
            "minutes": 20,
            "answer": "text",
            "report_title": N_("Leefwereldportret: wat is er aan de hand?"),
        },
        {
            "title": N_("Thema's"),
            "prompt": N_(
                "Waar gaat dat over? Benoem de betekenisvolle thema's en waarden in deze leefwereld; let op emoties en "
                "op wat mensen graag zien. Kun je een thema niet voelen, dan is het waarschijnlijk te abstract. Een "
                "handvol thema's is genoeg."
            ),
            "minutes": 15,
            "answer": "text",
            "report_title": N_("Thema's: waar gaat het over?"),
        },
        {
            "title": N_("Frames"),
            "prompt": N_(
                "Hoe gaan we daarmee om? Als we de thema's serieus nemen, waar zouden we dan naartoe moeten werken? "
                "Combineer thema's tot een richting: als … en …, dan kun je denken aan …"
            ),
            "minutes": 15,
            "answer": "text",
            "report_title": N_("Frames: hoe gaan we daarmee om?"),
        },
        {
            "title": N_("Interventies"),
            "prompt": N_(
                "Hoe organiseren we dat? Schrijf een concrete interventie in de leefwereld en kies waar die gebeurt: "
                "op school, in het gezin of de vriendenkring, of met professionele hulp."
            ),
            "minutes": 15,
            "answer": "buckets",
            "report_title": N_("Interventies: hoe organiseren we dat?"),
        },
    ],
})
