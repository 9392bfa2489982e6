"""Measurements of start-up, memory, paint and storage costs; run each script directly."""
