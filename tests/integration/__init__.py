"""Integration tests, one folder per thing they integrate (listed in docs/development.md)."""
