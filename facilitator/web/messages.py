"""The words people see for each error code, in their language."""

from __future__ import annotations

import math

from flask_babel import gettext as _

from facilitator.core.domain import FacilitatorError
from facilitator.verslag.privacy import KIND_LABELS


def error_message(error: FacilitatorError) -> str:
    """Return a short, plain message for an error, translated."""
    code = error.code
    # First, and alone: a flooding phone or a guesser gets these by the thousand, and every dictionary below
    # translates all of its messages each time it is built (that tripled the cost of a refusal).
    if code == "too_fast":
        return _("Je stuurt te snel. Wacht even en probeer het opnieuw.")
    if code == "too_many_attempts":
        return _("Te veel pogingen met een code die niet klopt. Wacht een minuut en probeer het opnieuw.")
    if code == "too_many_joins":
        # The throttle gives a float; anything else (an error built by hand) falls back to a minute.
        retry_after = error.params.get("retry_after")
        seconds = math.ceil(retry_after) if isinstance(retry_after, int | float) else 60
        return _("Er zijn vanaf dit netwerkadres te veel telefoons aangemeld. Wacht %(seconds)s seconden en probeer "
                 "het dan opnieuw.", seconds=seconds)
    if code == "text_too_long":
        return _("Je tekst is te lang. Het maximum is %(max)s tekens.", max=error.params.get("max_length", "?"))
    if code == "limit_reached":
        limit = error.params.get("limit", "?")
        what = error.params.get("what")
        if what == "dots":
            return _("Je hebt al je %(limit)s stippen geplaatst. Haal er een weg om opnieuw te kiezen.", limit=limit)
        if what == "table":
            return _("Jullie tafel heeft het maximum van %(limit)s al bereikt.", limit=limit)
        if what == "themes":
            return _("Je hebt al %(limit)s thema's voorgesteld. Kies een thema dat er al is.", limit=limit)
        if what == "agenda":
            return _("De agenda is vol (%(limit)s werkvormen).", limit=limit)
        return _("Je hebt het maximum van %(limit)s bijdragen bereikt.", limit=limit)
    field = str(error.params.get("field", ""))
    if code == "invalid_input" and field == "perspective":
        return _("Deze bijeenkomst kent dat perspectief niet. Kies een van de perspectieven op de pagina, of geen.")
    if code == "invalid_input" and field == "perspectives_in_use":
        return _("Deelnemers hebben %(labels)s al gekozen. Dat perspectief kun je alleen nog een andere naam geven, "
                 "niet weghalen.", labels=error.params.get("labels", ""))
    if code == "invalid_input" and field == "composition_in_use":
        return _("Bij dit onderdeel zijn al antwoorden gegeven, of de telefoons zijn er nu mee bezig. Je kunt "
                 "namen, vragen en tijden aanpassen en nieuwe stappen of vakken achteraan toevoegen, maar geen "
                 "stap of vak weghalen of verplaatsen, en niet veranderen wat de telefoons invullen.")
    if code == "invalid_input" and field == "perspectives":
        return _("Geef elk perspectief een naam van hoogstens 60 tekens.")
    if code == "invalid_input" and field == "perspectives_count":
        return _("Een bijeenkomst heeft hoogstens %(max)s perspectieven.", max=error.params.get("max", 12))
    if code == "invalid_input" and field == "bucket":
        return _("Kies eerst in welke buffer je bijdrage hoort.")
    if code == "invalid_input" and field.startswith("tags"):
        return _("Kies bij elke keuze één antwoord.")
    board_messages = {
        "name": _("Geef het thema een naam van hoogstens 80 tekens."),
        "board": _("Er staan nog geen bijdragen op dit bord."),
        "themes": _("Maak eerst een thema, of laat thema's voorstellen."),
        "count": _("Kies 2 tot 20 thema's, of laat het vak leeg."),
        "undo": _("Er is niets om ongedaan te maken."),
        "rode_draad": _("De rode draad mag hoogstens 1000 tekens lang zijn."),
        "cards": _("Kies eerst een of meer kaarten van dit thema."),
    }
    if code == "invalid_input" and field in board_messages:
        return board_messages[field]
    if code == "invalid_input" and field == "accept":
        kinds = [_(KIND_LABELS[k]) for k in str(error.params.get("kinds", "")).split(",") if k in KIND_LABELS]
        return _("Deze naam lijkt persoonsgegevens te bevatten (%(kinds)s), dus hij gaat niet naar de terugblik van "
                 "de reeks. Geef het thema een naam zonder persoonsgegevens.", kinds=", ".join(kinds))
    verslag_messages = {
        "email": _("Dit e-mailadres klopt niet. Kijk het nog even na."),
        "consent": _("Zet eerst het vinkje als je het verslag wilt ontvangen."),
        "closing": _("De gespreksleider vraagt nog niet om e-mailadressen."),
    }
    if code == "invalid_input" and field in verslag_messages:
        return verslag_messages[field]
    if code == "text_empty" and field == "function":
        return _("Vul eerst je functie in.")
    if code == "phase_not_open" and error.params.get("reason") == "moved_on":
        return _(
            "Die vraag is inmiddels gesloten. Je tekst staat weer in het tekstvak: verstuur hem opnieuw als hij ook "
            "bij deze vraag past."
        )
    if code == "mail_failed":
        mail_messages = {
            "connect": _("De mailserver is niet bereikbaar. Controleer de server, de poort en de internetverbinding."),
            "tls": _("Een beveiligde verbinding met de mailserver lukte niet (STARTTLS/SSL)."),
            "auth": _("De mailserver weigert de gebruikersnaam of het wachtwoord."),
            "recipient": _("De mailserver weigert dit adres."),
            "sender": _("De mailserver weigert het afzenderadres."),
            "invalid_address": _("Dit e-mailadres klopt niet. Kijk het nog even na."),
            "invalid_header": _("Het onderwerp of de naam van de bijlage bevat een teken dat niet in een mail mag."),
        }
        return mail_messages.get(str(error.params.get("reason", "")), _("De mailserver gaf een fout."))
    if code == "mail_not_configured" and error.detail:
        return _("De mailinstellingen kloppen niet: %(detail)s", detail=error.detail)
    if code == "pdf_failed" and error.params.get("reason") == "no_chromium":
        return _(
            "De pdf maken lukte niet: er is geen Microsoft Edge, Google Chrome of Chromium gevonden. "
            "Installeer Edge of Chrome (op Linux: het pakket chromium), of download het Word-bestand en "
            "kies in Word ‘Opslaan als’ en dan PDF."
        )
    if code == "invalid_file":
        return _("Dit bestand kan niet worden ingelezen: %(detail)s", detail=error.detail)
    messages = {
        "text_empty": _("Je tekst is leeg. Typ eerst iets."),
        "invalid_input": _("Dit bericht klopt niet. Ververs de pagina en probeer het opnieuw."),
        "session_not_found": _("Deze bijeenkomst bestaat niet (meer). Controleer de code."),
        "not_joined": _("Je bent niet (meer) aangemeld bij deze bijeenkomst. Scan de QR-code opnieuw."),
        "not_authorised": _("Dit mag alleen de gespreksleider."),
        "contribution_not_found": _("Deze bijdrage bestaat niet (meer)."),
        "duplicate_id": _("Dit bericht is al eens gebruikt. Ververs de pagina en probeer het opnieuw."),
        "phase_not_open": _("Op dit moment kun je niets insturen. Wacht op de volgende vraag."),
        "no_table": _("Kies eerst aan welke tafel je zit."),
        "not_your_role": _("Dit doet iemand anders in deze werkvorm."),
        "role_code_invalid": _("Deze code klopt niet of is al gebruikt."),
        "draft_conflict": _("Iemand aan je tafel heeft de tekst net aangepast. Kijk of je iets wilt toevoegen."),
        "edit_conflict": _(
            "Iemand heeft deze werkvorm intussen veranderd, in een ander venster of op een ander scherm. Wat jij "
            "typte staat nog in het formulier: vergelijk het en sla opnieuw op."
        ),
        "not_found": _("Dit bestaat niet (meer)."),
        "stale_board": _("Het bord veranderde net. Probeer het opnieuw."),
        "stale": _("Iemand anders veranderde dit net tegelijk. Probeer het opnieuw."),
        "unstorable_text": _(
            "Je tekst bevat een teken dat niet bewaard kan worden (bijvoorbeeld een half emoji-teken). "
            "Haal het weg en probeer het opnieuw."
        ),
        "invalid_workformat": _("Deze werkvorm klopt niet: %(detail)s", detail=error.detail),
        "mail_not_configured": _("Mailen is niet ingesteld. Download het verslag en verstuur het zelf."),
        "pdf_failed": _("De pdf maken lukte niet."),
        "storage_failed": _(
            "Opslaan lukte niet. Je bijdrage blijft bewaard op je telefoon en wordt opnieuw verstuurd."
        ),
    }
    return messages.get(code, _("Er ging iets mis. Probeer het opnieuw."))


def internal_error_message() -> str:
    """Return the message for an unexpected failure (no details leave the server)."""
    return _("Er ging iets mis. Probeer het opnieuw.")
