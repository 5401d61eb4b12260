"""What a request posted: the JSON object of a JSON request, else its form; a body that is not an object names no
field (a list or a number posted as JSON is read as `{}`, not a crash on `.get`)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import request


def json_object() -> dict[str, object]:
    """Return the request's JSON body if it is an object, else an empty one (also for no or broken JSON)."""
    data: object = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def posted_fields() -> Mapping[str, object]:
    """Return the posted fields: the JSON object of a JSON request, else the form's (first) values."""
    return json_object() if request.is_json else request.form
