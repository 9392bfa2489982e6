"""Plain logic without an event loop: the core, a few pure infra pieces, the source rules."""
