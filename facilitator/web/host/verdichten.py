"""The Verdichten screen: per agenda item and group (a buffer, a list) the condensed statements, each with the
source cards beside it, and the facilitator's five actions (accept, edit, merge, split, drop) as plain forms, so
the page works with the keyboard alone and without script. Every action is one POST, then back to the statement.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator.core import services
from facilitator.core.clustering.condense import Statement
from facilitator.core.domain import Contribution, FacilitatorError, InvalidInput, WorkFormat, WorkshopSession
from facilitator.verslag.build import perspective_label, statement_line
from facilitator.web.current import deps as _deps
from facilitator.web.guards.origin import same_origin
from facilitator.web.host.auth import is_facilitator
from facilitator.web.host.pages import session_or_404
from facilitator.web.host.verslag import BabelTranslator
from facilitator.web.languages import speak_as_the_bijeenkomst_in_the_url

bp = Blueprint("verdichten", __name__, url_prefix="/host")


@bp.before_request
def _only_the_facilitator() -> ResponseReturnValue | None:
    if not is_facilitator():
        return render_template("host/forbidden.html"), 403
    if request.method == "POST" and not same_origin():
        abort(403)
    speak_as_the_bijeenkomst_in_the_url()
    return None


def _status_label(status: str) -> str:
    labels = {"proposed": _("voorstel"), "accepted": _("goedgekeurd"), "edited": _("aangepast"),
              "dropped": _("weggelaten")}
    return labels.get(status, status)


def _group_title(key: str, workformat: WorkFormat, t: BabelTranslator) -> str:
    parts = key.split(".")
    section = next((s for s in workformat.report_sections if s.id == parts[0]), None)
    title = t.gettext(section.title) if section else parts[0]
    for part in parts[1:]:
        bucket = next((b for b in workformat.buckets if b.id == part), None)
        option = next((o for g in workformat.tag_groups for o in g.options if o.id == part), None)
        if bucket is not None:
            title += " · " + t.gettext(bucket.label)
        elif option is not None:
            title += " · " + t.gettext(option.label)
        elif part == "overig":
            title += " · " + _("Overig")
    return title


def _card_view(contribution: Contribution, session: WorkshopSession, t: BabelTranslator) -> dict[str, str]:
    context = []
    if contribution.table is not None:
        table = session.table(contribution.table)
        context.append(table.name if table and table.name else _("tafel %(n)s", n=contribution.table))
    if contribution.perspective is not None:
        context.append(perspective_label(contribution.perspective, 1, t, session.perspectives))
    return {"id": contribution.id, "text": contribution.text, "context": " · ".join(context)}


def page_view(session: WorkshopSession) -> list[dict[str, Any]]:
    """Return what the screen shows: per item its groups, per group its statements with their cards."""
    deps = _deps()
    t = BabelTranslator()
    contributions = services.publishable(session, deps.registry, deps.repo.list_contributions(session.id))
    items = []
    for item in session.agenda:
        workformat = services.configured_workformat(deps.registry, item)
        if not services.condensable(workformat):
            continue
        found = services.item_statements(deps.repo, deps.registry, session, item, contributions)
        groups = []
        for key, statements in found.groups.items():
            if not statements:
                continue
            groups.append({
                "key": key,
                "anchor": f"{item.id}-{key}".replace(".", "-"),
                "title": _group_title(key, found.workformat, t),
                "cards": sum(s.support for s in statements),
                "statements": [_statement_view(s, found, session, t) for s in statements],
            })
        if groups:
            items.append({"id": item.id, "name": t.gettext(found.workformat.name), "groups": groups})
    return items


def _statement_view(statement: Statement, found: services.ItemStatements, session: WorkshopSession, t: BabelTranslator
                    ) -> dict[str, Any]:
    return {
        "id": statement.id,
        "text": statement.text,
        "line": statement_line(statement, t, "", session.perspectives),
        "support": statement.support,
        "status": statement.status,
        "status_label": _status_label(statement.status),
        "cards": [_card_view(found.cards[c], session, t) for c in statement.cards if c in found.cards],
    }


@bp.get("/s/<session_id>/verdichten")
def page(session_id: str) -> str:
    """The Verdichten screen."""
    session = session_or_404(session_id)
    return render_template("host/verdichten.html", session=session, items=page_view(session),
                           problem=request.args.get("probleem", ""))


def _problem(exc: FacilitatorError) -> str:
    detail = exc.detail
    if detail.startswith("split"):
        return _("Kies bij splitsen een deel van de kaarten; een uitspraak van één kaart kun je niet splitsen.")
    if detail.startswith("merge"):
        return _("Vink bij samenvoegen minstens twee uitspraken van dezelfde groep aan.")
    if detail.startswith("edit"):
        return _("Schrijf een formulering van 1 tot 500 tekens.")
    return _("Dit lukte niet. Ververs de pagina en probeer het opnieuw.")


@bp.post("/s/<session_id>/verdichten/<item_id>")
def act(session_id: str, item_id: str) -> Response:
    """One action on one statement (or on the ticked statements, for merge); back to the statement."""
    session_or_404(session_id)
    form = request.form
    action = form.get("action", "")
    ids = form.getlist("statements")
    anchor = f"st-{ids[0]}" if ids else ""
    try:
        services.review_statement(_deps().repo, _deps().registry, session_id, item_id, action, ids,
                                  text=form.get("text", ""), cards=form.getlist("cards"))
    except InvalidInput as exc:
        return redirect(url_for("verdichten.page", session_id=session_id, probleem=_problem(exc)) + "#probleem")
    except FacilitatorError:
        abort(404)
    if action == "split" and ids:
        anchor = f"st-{ids[0]}"
    return redirect(url_for("verdichten.page", session_id=session_id) + (f"#{anchor}" if anchor else ""))
