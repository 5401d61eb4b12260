"""Werkvormen: one module per werkvorm, each exposing WORKFORMAT; the registry finds them."""
