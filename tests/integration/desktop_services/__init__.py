"""The desktop as the app reads it: idle time, busy signals (calls, camera), logind."""
