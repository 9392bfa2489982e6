"""The real program as a subprocess on a temporary data folder: start, break, history, CLI."""
