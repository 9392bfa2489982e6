"""A break session on the event loop: the runner and the flow that opens and logs it."""
