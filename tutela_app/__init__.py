"""Tutela: case management for Tutela Minori and the Segretariato Sociale."""
