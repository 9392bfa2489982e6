"""Fault injection: every case checks that nothing already saved is lost."""
