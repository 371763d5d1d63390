"""Sync by file: package format, hybrid logical clock, merge."""
