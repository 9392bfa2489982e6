"""Each window offscreen with pytest-qt, driven by keyboard and mouse, time on a FakeClock."""
