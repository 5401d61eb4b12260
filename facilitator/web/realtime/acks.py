"""Acknowledgements: the success and error answers to a page's event, and the wrapper that makes every failure one."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from facilitator.core.domain import DraftConflict, FacilitatorError, InvalidInput, NotAuthorised
from facilitator.core.domain.text import check_storable
from facilitator.web import wire
from facilitator.web.messages import error_message, internal_error_message

log = logging.getLogger(__name__)


Params = ParamSpec("Params")
Ack = TypeVar("Ack")


def ack_error(error: FacilitatorError) -> wire.AckError:
    """Return an error acknowledgement in the client's language; a draft conflict carries the current draft."""
    body: wire.ErrorBody = {"code": error.code, "message": error_message(error)}
    if isinstance(error, DraftConflict):
        text, version = error.params.get("text", ""), error.params.get("version", 0)
        body["current"] = {
            "text": text if isinstance(text, str) else "", "version": version if isinstance(version, int) else 0,
        }
    if "field" in error.params:
        body["field"] = str(error.params["field"])
    return {"ok": False, "error": body}


def handler(event: str) -> Callable[[Callable[Params, Ack]], Callable[Params, Ack | wire.AckError]]:
    """Wrap a socket handler so that any failure becomes an error acknowledgement, never a crash."""

    def decorate(function: Callable[Params, Ack]) -> Callable[Params, Ack | wire.AckError]:
        @functools.wraps(function)
        def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> Ack | wire.AckError:
            try:
                if len(args) > 1:  # our pages send one payload; more arguments would not fit the handler
                    raise InvalidInput("payload: one object and no more arguments", field="payload")
                if args:  # half an emoji or a structure too deep is refused here, before any use case reads it
                    check_storable(args[0])
                return function(*args, **kwargs)
            except NotAuthorised as exc:
                # The event name and nothing else: no token, address or user agent reaches the log.
                log.warning("%s refused: not the facilitator", event)
                return ack_error(exc)
            except FacilitatorError as exc:
                return ack_error(exc)
            except Exception:  # noqa: BLE001 - the room must keep running; details go to the log only
                log.exception("unexpected error in %s", event)
                return {"ok": False, "error": {"code": "internal", "message": internal_error_message()}}

        return wrapper

    return decorate

