"""The facilitator's side: host pages and host-only events."""
