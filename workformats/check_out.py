"""Check-out: at the end everyone places the bijeenkomst on a scale of 1 to 5 and says in one sentence what they
take with them; the verslag shows how many chose each point, with the sentences."""

from facilitator.core.domain import N_
from facilitator.core.domain.composition import composed_workformat

WORKFORMAT = composed_workformat("check_out", {
    "name": N_("Check-out"),
    "description": N_(
        "Een korte evaluatie aan het eind: iedereen geeft met een cijfer van 1 tot 5 aan hoe waardevol de bijeenkomst "
        "was en schrijft er één zin bij."
    ),
    "reader_description": N_(
        "Aan het eind van de bijeenkomst gaf iedereen met een cijfer van 1 tot 5 aan hoe waardevol de bijeenkomst was, "
        "met één zin over wat hij of zij meeneemt."
    ),
    "scale": [N_("1 – niet waardevol"), "2", "3", "4", N_("5 – zeer waardevol")],
    "phases": [
        {
            "title": N_("Check-out"),
            "prompt": N_(
                "Hoe waardevol was deze bijeenkomst voor jou? Kies een cijfer en schrijf er één zin bij: wat neem je "
                "mee?"
            ),
            "minutes": 5,
            "answer": "scale",
            "explain": True,
            "report_title": N_("Hoe kijken we terug?"),
        },
    ],
})
