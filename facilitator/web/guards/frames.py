"""Read Socket.IO frames so that no frame a client can send makes a traceback: an unreadable one gets an error ack.

python-socketio decodes a frame before any handler of ours runs, and lets a frame it cannot read raise out of
the decoder (number literals over 100 digits, broken or too deeply nested JSON, an empty frame, an event that is
not a list with a name first, binary or server-only packet types); engine.io then logs that with a traceback at
ERROR and the sender never hears back. ReadablePacket, passed as the server's serializer, turns every such frame
into one event, UNREADABLE_FRAME, which sockets.py acknowledges with invalid_input like any other malformed
payload. FrameJSON, passed as the server's json, keeps engine.io itself from dropping a connection whose frame
nests deeper than the parser goes (it catches ValueError there, not RecursionError).
"""

from __future__ import annotations

import logging
from typing import Any

from engineio import json as engineio_json
from socketio import packet

log = logging.getLogger(__name__)

#: The event an unreadable frame becomes (with the frame's ack id, if it could be read).
UNREADABLE_FRAME = "unreadable_frame"
#: What socket.io-client never sends as an event name; a frame that does was not sent by our pages.
_RESERVED = frozenset({"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
#: What our pages send: no binary packets, no CONNECT_ERROR (a server-only type).
_FROM_PAGES = frozenset({packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK})


class FrameJSON:
    """engine.io's json module, with JSON nested past the parser's depth read as unreadable (ValueError)."""

    dumps = staticmethod(engineio_json.dumps)

    @staticmethod
    def loads(*args: Any, **kwargs: Any) -> Any:
        """Parse JSON text (whole numbers of at most 100 digits); raise ValueError for anything unreadable."""
        try:
            return engineio_json.loads(*args, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


class ReadablePacket(packet.Packet):  # type: ignore[misc]  # python-socketio has no type hints
    """A Socket.IO packet that decodes every frame: JSON from our pages as usual, anything else as UNREADABLE_FRAME."""

    json = FrameJSON
    namespace: Any
    data: Any

    def __init__(self, *args: Any, encoded_packet: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, encoded_packet=encoded_packet, **kwargs)
        # The server builds what it received from encoded_packet alone. An empty frame, or one engine.io already
        # read as JSON null, never reaches decode() and would be an event without a name.
        if not args and not kwargs and not encoded_packet:
            self.attachment_count = self._unreadable()

    def decode(self, encoded_packet: Any) -> int:
        """Decode a frame; return 0 attachments (binary frames are refused, our pages send JSON only)."""
        try:
            attachments = super().decode(encoded_packet)
        except (ValueError, TypeError, IndexError, RecursionError):
            return self._unreadable()
        # engine.io hands over what it could read as JSON itself ("4{...}", "4true"): the reader then keeps that
        # value, not a number, as the packet type.
        if attachments or type(self.packet_type) is not int or self.packet_type not in _FROM_PAGES:
            return self._unreadable()
        if self.packet_type == packet.EVENT and not _is_event(self.data):
            return self._unreadable()
        return 0

    def _unreadable(self) -> int:
        # Info, and no detail from the frame: it is a stranger's input, maybe large, maybe a flood of them.
        log.info("unreadable Socket.IO frame answered with invalid_input")
        self.packet_type, self.data = packet.EVENT, [UNREADABLE_FRAME]
        if not isinstance(self.namespace, str | None):
            self.namespace = None
        return 0


def _is_event(data: Any) -> bool:
    """Tell whether an EVENT packet's data is [name, *arguments] with a name a page may send."""
    return isinstance(data, list) and bool(data) and isinstance(data[0], str) and data[0] not in _RESERVED
