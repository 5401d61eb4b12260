"""The host screens hear when storing fails (at most once per STORAGE_WARNING_EVERY s) and when it works again.

The storage side is in tests/unit/test_tinydb_store.py (the repository tells its listener) and the whole
path, with writes refused by the kernel under the real server, in tests/e2e/test_storage_faults.py.
"""

from __future__ import annotations

from typing import Any

from facilitator.web.realtime.storage_warnings import storage_warning_message
from tests.support.rooms import events

WARNING = (
    "Opslaan lukt niet: de schijf is vol of de map is niet schrijfbaar. "
    "Bijdragen blijven op de telefoons staan en worden opnieuw verstuurd."
)


def test_storage_warning_reaches_the_host_once_per_interval_and_storage_ok_once(
    deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any
) -> None:
    phone = phones.join()
    for client in (phone, host_socket):
        client.get_received()
    session_id = bijeenkomst["id"]
    rt = deps.realtime

    rt.storage_health(session_id, False)  # what the repository says when a write of this bijeenkomst fails
    rt.storage_health(session_id, False)  # a second failure at once: the host was just warned
    assert events(host_socket) == [("storage_warning", {"message": WARNING})]
    assert events(phone) == []  # phones keep their items and say so themselves
    assert rt.host_state(session_id)["storage_failing"] is True

    rt.storage_health(session_id, True)
    rt.storage_health(session_id, True)
    assert events(host_socket) == [("storage_ok", {})]
    assert rt.host_state(session_id)["storage_failing"] is False

    rt.storage_health(session_id, False)  # failing again after it worked: warned again at once
    assert events(host_socket) == [("storage_warning", {"message": WARNING})]
    rt.storage_health("ffffffffffff", False)  # another bijeenkomst's host screens, not these
    assert events(host_socket) == []


def test_storage_warning_message_is_translated_for_the_request(app: Any) -> None:
    with app.test_request_context("/?lang=nl"):
        assert storage_warning_message() == WARNING
    assert storage_warning_message() == WARNING  # outside a request (a background write): Dutch
