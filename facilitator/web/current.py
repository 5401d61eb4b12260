"""The app's wiring as the routes see it: what create_app put in `app.extensions["rode_draad"]`, typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import current_app

if TYPE_CHECKING:  # app.py imports the routes inside create_app; the routes need the class only to type it
    from facilitator.web.app import Deps


def deps() -> Deps:
    """Return what create_app wired for the current app: repositories, registry, publishing."""
    # Flask types its extensions as dict[str, Any]; create_app puts a Deps under this key and nothing else does.
    return cast("Deps", current_app.extensions["rode_draad"])
