"""The Socket.IO side, split by job: the event catalogue (events.py), room names (rooms.py), who is connected
(connections.py), acknowledgements (acks.py), registering handlers (listen.py), what each screen is sent (screens/,
states.py, beamer_feed.py), publishing domain events (publish.py) and the hub one app holds (hub.py). Import event
names from events.py; the payloads' types are in facilitator/web/wire.py."""

from facilitator.web.realtime.acks import ack_error, handler
from facilitator.web.realtime.connections import Connection
from facilitator.web.realtime.hub import Realtime
from facilitator.web.realtime.listen import connection_sid, listen

__all__ = ["Connection", "Realtime", "ack_error", "connection_sid", "handler", "listen"]
