"""Room names: which Socket.IO room each kind of screen of a bijeenkomst is in."""

from __future__ import annotations


def host_room(session_id: str) -> str:
    """Return the room every host screen of a bijeenkomst is in."""
    return f"host:{session_id}"


def participants_room(session_id: str) -> str:
    """Return the room every phone of a bijeenkomst is in."""
    return f"phones:{session_id}"


def participant_room(participant_id: str) -> str:
    """Return the room of one participant's tabs."""
    return f"participant:{participant_id}"


def table_room(session_id: str, table: int) -> str:
    """Return the room of the phones at one table."""
    return f"table:{session_id}:{table}"


def beamer_room(session_id: str) -> str:
    """Return the room of a bijeenkomst's beamer windows: they hear only what the room may see."""
    return f"beamer:{session_id}"


def remote_room(session_id: str) -> str:
    """Return the room of a bijeenkomst's phone remotes: they hear only their own compact state."""
    return f"remote:{session_id}"

