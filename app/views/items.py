"""Screens for this aggregate (being written)."""


def register(appbuilder) -> None:
    """Menu entries of this module."""
