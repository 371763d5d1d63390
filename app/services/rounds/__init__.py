"""Rounds — 巡诊安排: the week's rounds from the agreements, who is due at each, the overdue list.

Uses the store's query modules (rounds facts) and the domain's scheduling rules; nothing above services.
"""
