"""Composed werkvormen the tests run: every answer kind a phone can give, individual and per table."""

from __future__ import annotations

from typing import Any

#: The grondhouding grid (4 rows x 3 columns), a scale with and without its sentence, a ranking and afspraken.
EVERY_ANSWER: dict[str, Any] = {
    "name": "Grondhouding en afspraken",
    "rows": [
        {"label": "Nieuwsgierig", "description": "Vragen stellen voor je oordeelt"},
        {"label": "Open", "description": "Ruimte voor wat anders is"},
        {"label": "Respectvol", "description": "De ander serieus nemen"},
        {"label": "Gelijkwaardig", "description": "Iedere stem telt even zwaar"},
    ],
    "columns": [{"label": "Wat zie je"}, {"label": "Wat doe je"}, {"label": "Wat heb je nodig"}],
    "scale": ["1", "2", "3", "4", "5"],
    "ranking_options": ["Tijd", "Geld", "Mensen"],
    "phases": [
        {"title": "Grondhouding", "prompt": "Vul het raster in.", "answer": "grid"},
        {"title": "Hoe ging het?", "prompt": "Hoe tevreden ben je?", "answer": "scale", "explain": True},
        {"title": "Wat eerst?", "prompt": "Zet in volgorde.", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
        {"title": "Duimpje", "prompt": "Hoe was deze middag?", "answer": "scale"},
    ],
}

#: The same answers given per table: only the table's woordvoerder sends them.
PER_TABLE: dict[str, Any] = {**EVERY_ANSWER, "name": "Per tafel", "per_table": True}
