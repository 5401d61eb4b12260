"""The Socket.IO side, split by job: the event catalogue (events.py), room names (rooms.py), who is connected
(connections.py), acknowledgements (acks.py), what each screen is sent (screens/, states.py, beamer_feed.py),
publishing domain events (publish.py) and the hub one app holds (hub.py). Import event names from events.py."""

from facilitator.web.realtime.acks import ack_error, ack_ok, handler
from facilitator.web.realtime.connections import Connection
from facilitator.web.realtime.hub import Realtime

__all__ = ["Connection", "Realtime", "ack_error", "ack_ok", "handler"]
