"""Triage — 分类管理: the review page and the rules editor.

Uses ui.widgets, ui.shell.tasks and the triage service.
"""
