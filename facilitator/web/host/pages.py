"""What the host's pages share: the dashboard, the phones' address, the join QR code, finding a bijeenkomst.

routes.py (sign-in, dashboard, regie) and prepare.py (Voorbereiden) both use these; keeping them here lets
neither import the other.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import qrcode
import qrcode.image.svg
from flask import abort, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from facilitator.core import services
from facilitator.core.domain import SessionNotFound, WorkshopSession
from facilitator.web.current import deps as _deps
from facilitator.web.network import base_url


def render_dashboard(**extra: Any) -> str:
    """Render the dashboard; `extra` carries a form's errors and what was typed.

    It shows per bijeenkomst when it will be deleted; showing an announced deletion here is what lets the next
    start of the server carry it out.
    """
    deps = _deps()
    default_prompt = deps.registry.starter().phases[0].prompt_for("deelnemer")
    sessions = deps.repo.list_sessions()
    retention = services.retention_of(deps.repo, deps.notices, sessions)
    return render_template(
        "host/dashboard.html",
        sessions=sessions,
        retention=retention,
        announced=[s for s in sessions if retention[s.id].announced],
        extension_days=services.EXTENSION_DAYS,
        default_prompt=default_prompt,
        library_size=len(deps.library.list_entries()),
        **extra,
    )


def past_date_notice(session: WorkshopSession) -> str:
    """Return what a date in the past means for the facilitator: allowed, and not deleted any earlier."""
    return _(
        "De datum %(date)s ligt in het verleden. Dat mag, bijvoorbeeld om een middag achteraf in te voeren. De "
        "bewaartermijn telt vanaf het laatste gebruik, dus de bijeenkomst wordt daardoor niet eerder verwijderd: "
        "hij blijft bewaard tot en met %(until)s.",
        date=format_date(dt.date.fromisoformat(session.date), format="long"),
        until=format_date(services.kept_until(_deps().repo, session), format="long"),
    )


def participant_base(via: str | None = None, addresses: list[str] | None = None) -> tuple[str, list[str]]:
    """Return the base URL phones should use, and the LAN addresses to offer instead."""
    configured = current_app.config["PUBLIC_URL"]
    addresses = addresses if addresses is not None else (_deps().addresses() or ["127.0.0.1"])
    if configured:
        return str(configured).rstrip("/"), addresses
    host = via if via in addresses else addresses[0]
    return base_url(host, port_in_use(), request.scheme), addresses


def port_in_use() -> int | None:
    """Return the port this request came in on (the one phones must use too), None for the scheme's default."""
    head, _colon, tail = request.host.rpartition(":")
    return int(tail) if head and tail.isdigit() else None


def join_url(join_code: str, via: str | None = None) -> str:
    """Return the short URL a phone opens to join."""
    return f"{participant_base(via)[0]}/j/{join_code}"


def qr_code_svg(url: str) -> str:
    """Return the QR code of a URL as an SVG document (no Pillow needed)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    # qrcode ships no types; its SVG image is an ElementTree element, which tostring(encoding="unicode") makes a str.
    svg: str = image.to_string(encoding="unicode")
    return svg


_SVG_SIZE = re.compile(r'^<svg width="[^"]*" height="[^"]*"')


def qr_svg_markup(url: str, label: str) -> Markup:
    """Return a QR code as inline SVG, sized by CSS (class "qr-code"), for pages that print several."""
    svg = qr_code_svg(url)
    svg = svg[svg.index("<svg") :]  # no XML declaration inside HTML
    opening = str(Markup('<svg class="qr-code" role="img" aria-label="{}"').format(label))
    return Markup(_SVG_SIZE.sub(lambda _match: opening, svg, count=1))


def session_or_404(session_id: str) -> WorkshopSession:
    """Return a bijeenkomst, or end the request with 404."""
    try:
        return _deps().repo.get_session(session_id)
    except SessionNotFound:
        abort(404)
