"""What the tests and the benchmarks share: the live server, recording Socket.IO clients, rooms and texts.

Framework-light (no pytest: tests/conftest.py and tests/*/conftest.py wrap these in fixtures), and never imported
by the product's own code (tests/unit/test_import_rules.py). Its modules:

- live_server: the real `facilitator serve` in a subprocess on a free port (LiveServer).
- clients: python-socketio clients that record what the server sends (Recorder), a phone's HTTP join, run().
- interleavings: every pair of state-changing use cases raced on the live server.
- composed_live: random composed werkvormen played on the live server (Hypothesis strategies and the run).
- verslag, verdichten: a realistic afternoon and a 300-phone room of cards, stored through the services.
- answers: check-in answers as a room writes them.
"""
