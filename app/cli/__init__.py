"""Command-line interface (DESIGN §7): the same services as the GUI, for scripts and tests."""
