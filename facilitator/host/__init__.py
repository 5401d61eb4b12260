"""The facilitator's side: host pages and host-only events.

Voorbereiden (prepare.py) is nested in the host blueprint (routes.py), so the host's facilitator check covers
its pages too. The nesting is done here, once per process, so that neither module imports the other.
"""

from . import prepare, routes

routes.bp.register_blueprint(prepare.bp)
