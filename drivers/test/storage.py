"""Test driver: storage APIs of the connection (mixed into TestConnection)."""


class StorageMixin:
    """The storage part of TestConnection."""
