"""The phones' side: join pages and participant events."""
