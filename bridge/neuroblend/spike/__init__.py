"""spike."""
