"""The demo center — 演示中心: a realistic center with residents, records and six months of visits.

Draws the rows (``vocabulary``, ``plan``, ``blocks``) and has the store write them (``center``); nothing above services.
"""
