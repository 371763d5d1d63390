"""Use cases: one keyword-only function per job, taking a unit of work and plain values."""
