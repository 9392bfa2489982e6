"""A real desktop started by the test: Xvfb + openbox, tray host, dunst, at-spi2, PulseAudio."""
