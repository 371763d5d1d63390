"""Accounts — 账号: signing in, passwords, lockout, and the administrator's staff accounts.

Uses the store (units of work, models) and the domain (roles, permissions); nothing above services.
"""
