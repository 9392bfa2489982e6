"""QObjects that drive core objects on the Qt event loop."""
