"""The Residents page — 居民: the list (a table model fetched on scroll), its filters, and the roster wizard.

Uses ui.widgets, ui.shell.tasks and the records services.
"""
