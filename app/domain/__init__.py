"""Pure domain rules: validation, scores, triage, scheduling. No Qt, no database, no I/O."""
