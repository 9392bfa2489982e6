"""Adapters to the outside world: folders, packaged resources, files, the database."""
