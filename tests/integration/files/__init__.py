"""Files the app writes for the user: settings.toml, exports, the log file, start at login."""
