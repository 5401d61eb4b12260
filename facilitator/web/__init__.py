"""The web edge: the Flask app, its pages and Socket.IO handlers, the realtime fan-out and the request guards."""
