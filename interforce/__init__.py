"""Composition root: settings, CLI, local services, demo."""
