"""Pure domain logic: exercise content, the break session, progression. Stdlib only."""
