"""Test driver: domains APIs of the connection (mixed into TestConnection)."""


class DomainsMixin:
    """The domains part of TestConnection."""
