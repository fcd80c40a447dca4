"""Shared Reflex states."""
