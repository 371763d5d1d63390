"""Qt widgets, item models and dialogs; no SQL and no business rules (see DESIGN.md §2)."""
