"""Process watchdog for long-running workers."""
