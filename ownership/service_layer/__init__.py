"""Handlers, message bus and the unit-of-work port."""
