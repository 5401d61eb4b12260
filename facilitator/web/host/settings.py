"""Instellingen → E-mail: the facilitator enters the mailserver once, tests it, and mails verslagen from then on.

The settings live on this laptop (mail_config.MailSettingsStore: a file in the data folder, the password in a
file only this user can read) and are read on every use, so saving takes effect without a restart. MAIL_*
settings from the environment or config.py are the defaults until the page is saved. The password is never sent
back to the page: it shows "opgeslagen" and a field to replace or remove it. Nested in the host blueprint
(host/__init__.py), so only the facilitator reaches it and every POST passes the host's Origin check.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, TypedDict

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import escape

from facilitator.core.domain import MailFailed, MailNotConfigured
from facilitator.verslag import mail
from facilitator.verslag.mail_config import MailSettingsStore
from facilitator.web.messages import error_message

bp = Blueprint("settings", __name__, url_prefix="/instellingen")
log = logging.getLogger(__name__)

_STORE_KEY = "rode_draad_mail_settings"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST = re.compile(r"[A-Za-z0-9.:\[\]-]{1,253}")
MAX_USER_LENGTH = 254
MAX_PASSWORD_LENGTH = 1024


def mail_store() -> MailSettingsStore:
    """Return this app's saved mail settings: in the data folder, or in memory for STORAGE "memory" (tests)."""
    store = current_app.extensions.get(_STORE_KEY)
    if isinstance(store, MailSettingsStore):
        return store
    folder = None if current_app.config["STORAGE"] == "memory" else current_app.config["DATA_DIR"]
    # setdefault, not an assignment: two first requests at once both get the store the first one put there.
    made: MailSettingsStore = current_app.extensions.setdefault(_STORE_KEY, MailSettingsStore(folder))
    return made


def effective_mail_settings() -> tuple[mail.MailSettings | None, str]:
    """Return the mail settings in force (None when mailing is off) and, when one is wrong, what is wrong."""
    try:
        return mail.MailSettings.from_config(mail_store().effective(current_app.config)), ""
    except MailNotConfigured as exc:
        return None, error_message(exc)


def _back_target() -> str:
    """Return where "Terug" leads: the host page the facilitator came from (a local /host/ path only)."""
    target = str(request.values.get("terug", ""))
    if target.startswith("/host/") and not target.startswith("//") and "\\" not in target and not _CONTROL.search(
        target
    ):
        return target
    return url_for("host.dashboard")


def _form_values() -> dict[str, str]:
    """Return what the form shows: the saved or default settings, never the password."""
    store = mail_store()
    values = store.effective(current_app.config)
    shown = {key: "" if values.get(key) is None else str(values[key]) for key in values if key != "MAIL_PASSWORD"}
    if store.stored() is None and not shown["MAIL_HOST"]:
        # Nothing set up yet: an empty port means "the usual one for the security chosen", not the default 587.
        shown["MAIL_PORT"] = ""
    return shown


def _password_state() -> str:
    """Tell the page whether a password is in force: "stored", "environment" or "none"."""
    store = mail_store()
    if store.password() is not None:
        return "stored"
    if store.stored() is None and current_app.config.get("MAIL_PASSWORD"):
        return "environment"
    return "none"


def _render(status: int = 200, **extra: Any) -> tuple[str, int]:
    settings, problem = effective_mail_settings()
    extra.setdefault("values", _form_values())
    return render_template(
        "host/settings_mail.html",
        password_state=_password_state(),
        configured=settings is not None,
        problem=problem,
        security_modes=mail.SECURITY_MODES,
        back=_back_target(),
        saved_once=mail_store().stored() is not None,
        **extra,
    ), status


@bp.get("/e-mail")
def mail_page() -> ResponseReturnValue:
    """The mail settings form, the password state, and the test mail."""
    return _render(saved=bool(request.args.get("opgeslagen")))


class MailForm(TypedDict):
    """The mail settings as the page sends them, checked, under their config names (mail_config.FIELDS)."""

    MAIL_HOST: str
    #: A number from 1 to 65535, or "" for the usual port of the security chosen (or what was typed, if wrong).
    MAIL_PORT: int | str
    MAIL_SECURITY: str
    MAIL_USER: str
    MAIL_SENDER: str
    MAIL_SENDER_NAME: str


def _check(form: Mapping[str, str]) -> tuple[MailForm, dict[str, str]]:
    """Return the typed settings and, per field, what is wrong with them in plain Dutch."""
    host = form.get("host", "").strip()
    port_text = form.get("port", "").strip()
    security = form.get("security", "starttls").strip().lower()
    user = form.get("user", "").strip()
    sender = form.get("sender", "").strip()
    sender_name = form.get("sender_name", "").strip()
    errors: dict[str, str] = {}
    if host and not _HOST.fullmatch(host):
        errors["host"] = _("Vul alleen de naam of het adres van de server in, bijvoorbeeld smtp.office365.com.")
    if security not in mail.SECURITY_MODES:
        errors["security"] = _("Kies STARTTLS, SSL/TLS of geen beveiliging.")
        security = "starttls"
    port: int | str = port_text
    if port_text:
        # ASCII digits only: "²" is a digit to str.isdigit() but int() refuses it.
        if not (port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535):
            errors["port"] = _("De poort is een getal van 1 tot 65535, meestal 587 (STARTTLS) of 465 (SSL/TLS).")
        else:
            port = int(port_text)
    if host and not mail.is_valid_address(sender):
        errors["sender"] = _("Vul het e-mailadres in waar de mail vandaan komt, bijvoorbeeld verslag@organisatie.nl.")
    if len(user) > MAX_USER_LENGTH or _CONTROL.search(user):
        errors["user"] = _("Deze gebruikersnaam klopt niet.")
    if len(sender_name) > mail.MAX_SENDER_NAME_LENGTH or _CONTROL.search(sender_name):
        errors["sender_name"] = _("Een naam van hoogstens %(n)s tekens, op één regel.", n=mail.MAX_SENDER_NAME_LENGTH)
    password = form.get("password", "")
    if len(password) > MAX_PASSWORD_LENGTH or "\n" in password or "\r" in password or "\x00" in password:
        errors["password"] = _("Dit wachtwoord kan niet worden opgeslagen.")
    values: MailForm = {"MAIL_HOST": host, "MAIL_PORT": port, "MAIL_SECURITY": security, "MAIL_USER": user,
                        "MAIL_SENDER": sender, "MAIL_SENDER_NAME": sender_name}
    return values, errors


@bp.post("/e-mail")
def save_mail() -> ResponseReturnValue:
    """Save the settings typed on the page; an empty password field keeps the saved password."""
    values, errors = _check(request.form)
    if errors:
        shown = {key: str(value) for key, value in values.items()}
        return _render(400, values=shown, errors=errors)
    password = str(request.form.get("password", ""))
    mail_store().save(values, password=password or None, forget_password=request.form.get("forget_password") == "1")
    # What was saved, never how: no host, user or password in the log.
    log.info("mail settings saved")
    return redirect(url_for("host.settings.mail_page", opgeslagen=1, terug=request.values.get("terug") or None),
                    code=303)


@bp.post("/e-mail/test")
def test_mail() -> ResponseReturnValue:
    """Send a test mail with the saved settings to the typed address; say how it went in plain Dutch."""
    address = str(request.form.get("to", "")).strip()
    settings, problem = effective_mail_settings()
    if settings is None:
        message = problem or _("Vul eerst de mailserver in en sla de instellingen op.")
        return _render(400, test={"ok": False, "message": message, "to": address})
    if not mail.is_valid_address(address):
        return _render(400, test={"ok": False, "message": _("Dit e-mailadres klopt niet."), "to": address})
    text = _("Dit is een testmail van Rode Draad. Komt hij aan, dan staan de mailinstellingen goed en kun je "
             "verslagen per e-mail versturen.")
    html = f"<!doctype html>\n<html><body><p>{escape(text)}</p></body></html>\n"
    try:
        email = mail.build_message(sender=settings.sender, sender_name=settings.sender_name, recipient=address,
                                   subject=_("Testmail van Rode Draad"), html=html, text=text)
        mail.send_message(settings, email)
    except MailFailed as exc:
        return _render(502, test={"ok": False, "message": error_message(exc), "detail": _server_reply(exc),
                                  "to": address})
    return _render(test={"ok": True, "message": _("Testmail verstuurd naar %(to)s. Kijk in de inbox (en in de map "
                                                  "met ongewenste mail).", to=address), "to": address})


def _server_reply(exc: MailFailed) -> str:
    """Return the server's own words from a failure (the password is already masked by mail._failed)."""
    detail = exc.detail
    _where, _sep, reply = detail.partition(": ")
    return reply or detail
