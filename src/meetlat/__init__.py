"""meetlat: measure and improve the customer contact of Dutch municipalities."""

__version__ = "0.1.0"
