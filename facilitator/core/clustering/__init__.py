"""Rode draden: clustering contributions, naming themes and condensing what they say."""
