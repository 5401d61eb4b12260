"""The verslag: a bijeenkomst in, a Report out (build.py), and a renderer per format."""
