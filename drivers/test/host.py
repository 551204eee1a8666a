"""Test driver: host APIs of the connection (mixed into TestConnection)."""


class HostMixin:
    """The host part of TestConnection."""
