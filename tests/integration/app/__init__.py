"""The whole app composed as it runs (App), with fake clocks, timers and alarms."""
