"""Reports — 统计报表: the figures page (``page``) and its charts (``charts``).

Calls ``app.services.reports`` through ``Op``; never the store.
"""
