"""One app per data folder: the lock, the command socket and its protocol."""
