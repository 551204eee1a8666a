"""Test driver: network APIs of the connection (mixed into TestConnection)."""


class NetworkMixin:
    """The network part of TestConnection."""
