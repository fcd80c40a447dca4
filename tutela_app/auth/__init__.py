"""Identity, sessions and the one permission policy."""
