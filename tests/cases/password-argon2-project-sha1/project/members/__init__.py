"""Club membership: sign-up and sign-in backed by SQLite."""
