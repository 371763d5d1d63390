"""Administration — 管理: the center's set-up, backups and restore, the audit trail.

Uses the store (backup copies, restore checks, audit queries); nothing above services.
"""
