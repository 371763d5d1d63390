"""The resident's record — 健康档案: residents, identity, residence, sections, assessments, search, roster import.

Uses the store's units of work and query modules and the domain's record rules; nothing above services.
"""
