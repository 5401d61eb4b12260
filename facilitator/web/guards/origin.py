"""Where a browser's POST comes from: our own pages, or another site's (cross-site request forgery)."""

from __future__ import annotations

from flask import request


def same_origin() -> bool:
    """Tell whether a POST comes from our own pages (or from a script, which sends no Origin).

    A page on another site cannot leave the Origin out (browsers add it to every cross-site POST), and it cannot
    reach us under our own name either: the Host check (guards/wsgi.py, HostGuard) refuses names that are not ours.
    """
    origin = request.headers.get("Origin")
    return origin is None or origin == request.host_url.rstrip("/")
