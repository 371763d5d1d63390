"""Administration screens: staff accounts, passwords, the audit trail, backup and restore.

Uses ui.widgets, ui.shell.tasks and the accounts and admin services.
"""
