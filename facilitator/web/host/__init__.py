"""The facilitator's side: host pages and host-only events.

Voorbereiden (prepare.py) and Instellingen (settings.py) are nested in the host blueprint (routes.py), so the
host's facilitator and Origin checks cover their pages too. The nesting is done here, once per process, so that
neither module imports the other.
"""

from facilitator.web.host import composer, prepare, routes, settings

assert composer.bp is prepare.bp  # the composer's routes are Voorbereiden's

routes.bp.register_blueprint(prepare.bp)
routes.bp.register_blueprint(settings.bp)
