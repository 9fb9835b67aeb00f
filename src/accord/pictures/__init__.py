"""Pictures drawn as SVG by our own code (no JavaScript, no network): the network of
actors and bodies, and the timeline of instruments and events. The briefing and the web
app both use them."""

from accord.pictures.network import network, network_svg
from accord.pictures.timeline import timeline_svg

__all__ = ["network", "network_svg", "timeline_svg"]
