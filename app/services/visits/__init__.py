"""Visits — 巡诊记录: checking, saving and correcting a visit, its referral and status change, drafts, history.

Uses the store's units of work and query modules and the domain's visit rules; nothing above services.
"""
