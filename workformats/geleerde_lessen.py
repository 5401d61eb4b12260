"""Geleerde lessen per pilot: each table is a pilot team and writes, together, the headings of a pilot page (gewenste
beweging, positieve lessen, lessen ter verbetering, wat er nodig is), then who takes which lesson up and where."""

from facilitator.core.domain import N_
from facilitator.core.domain.composition import composed_workformat

WORKFORMAT = composed_workformat("geleerde_lessen", {
    "name": N_("Geleerde lessen per pilot"),
    "description": N_(
        "Elke tafel is een pilotteam en schrijft samen de geleerde lessen op: de gewenste beweging, wat goed werkt, "
        "wat beter kan en wat er nodig is. Tot slot legt de woordvoerder vast wie welke les oppakt."
    ),
    "reader_description": N_(
        "Per pilot keken de deelnemers terug: welke beweging wilden we in gang zetten, wat hebben we geleerd over het "
        "werken met de grondhouding, wat kan beter en wat is er nodig aan randvoorwaarden? Elke tafel schreef de "
        "lessen van de eigen pilot op en sprak af wie ze oppakt, en op welk niveau."
    ),
    "per_table": True,
    "phases": [
        {
            "title": N_("Gewenste beweging"),
            "prompt": N_("Welke beweging wilden jullie met deze pilot in gang zetten? Beschrijf die met je tafel."),
            "minutes": 10,
            "answer": "text",
            "report_title": N_("Gewenste beweging in deze pilot"),
        },
        {
            "title": N_("Positieve lessen"),
            "prompt": N_(
                "Wat hebben jullie geleerd dat goed werkt in het werken met de grondhouding? Schrijf per les een korte "
                "zin, met een voorbeeld als dat helpt."
            ),
            "minutes": 15,
            "answer": "text",
            "report_title": N_("Positieve lessen in het werken met de grondhouding"),
        },
        {
            "title": N_("Lessen ter verbetering"),
            "prompt": N_(
                "Wat werkt minder goed of is nog een uitdaging in het werken met de grondhouding? Wat kan beter?"
            ),
            "minutes": 15,
            "answer": "text",
            "report_title": N_("Lessen ter verbetering in het werken met de grondhouding"),
        },
        {
            "title": N_("Wat is er nodig?"),
            "prompt": N_(
                "Wat is er nodig aan organisatorische randvoorwaarden om de gewenste beweging te realiseren en samen "
                "te kunnen werken vanuit de grondhouding?"
            ),
            "minutes": 10,
            "answer": "text",
            "report_title": N_("Wat er nodig is om samen te werken vanuit de grondhouding"),
        },
        {
            "title": N_("Wie pakt het op?"),
            "prompt": N_(
                "Wie neemt het eigenaarschap voor deze lessen? Leg per afspraak vast wat er gebeurt, wie het oppakt, "
                "op welk niveau (bestuur, beleid of uitvoering) en wanneer."
            ),
            "minutes": 10,
            "answer": "action",
            "report_title": N_("Afspraken: wie pakt de lessen op?"),
        },
    ],
})
