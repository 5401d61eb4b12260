"""Gespreksregels as an opening round: the rules on the screen, then everyone's expectations of the conversation,
then what the group wants to add to the rules."""

from facilitator.core.domain import N_
from facilitator.core.domain.composition import composed_workformat

WORKFORMAT = composed_workformat("gespreksregels", {
    "name": N_("Gespreksregels"),
    "description": N_(
        "Een openingsronde: de gespreksregels op het scherm, daarna schrijft iedereen op wat hij of zij van het "
        "gesprek verwacht en welke regel de groep nog nodig heeft."
    ),
    "reader_description": N_(
        "We begonnen met gespreksregels: verwachtingen expliciet maken, elkaars autonomie respecteren en spreken in "
        "ik-boodschappen. Daarna vertelde iedereen wat hij of zij van het gesprek verwachtte, en vulden we de regels "
        "samen aan."
    ),
    "phases": [
        {
            "title": N_("Onze gespreksregels"),
            "prompt": N_(
                "We maken aan het begin duidelijk wat de aanleiding is, wat het doel is en wat het gesprek moet "
                "opleveren. We respecteren elkaars autonomie en blijven op ons eigen ‘tuintje’. We houden het gesprek "
                "bij onszelf en spreken in ik-boodschappen. We gebruiken ontschuldigende taal, geven elkaar vertrouwen "
                "en hebben oog voor elkaar."
            ),
            "minutes": 3,
            "answer": "none",
        },
        {
            "title": N_("Verwachtingen"),
            "prompt": N_(
                "Wat verwacht jij van dit gesprek? Wat is voor jou de aanleiding, wat is het doel en wat moet het "
                "opleveren?"
            ),
            "minutes": 10,
            "answer": "text",
            "report_title": N_("Verwachtingen bij de start"),
        },
        {
            "title": N_("Aanvullen"),
            "prompt": N_("Welke gespreksregel hebben we nog nodig om dit gesprek goed te voeren?"),
            "minutes": 5,
            "answer": "text",
            "report_title": N_("Aanvullende gespreksregels"),
        },
    ],
})
