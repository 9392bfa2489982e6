"""When a break comes: the coordinator, the alarm clock (QtScheduler), the wake watch."""
