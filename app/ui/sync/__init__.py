"""The Sync page — 同步 — and the conflicts page.

Uses ui.widgets, ui.shell.tasks and the sync services.
"""
