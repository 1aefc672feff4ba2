"""Pages for a platform's administrators, opened from an administrator's launch."""
