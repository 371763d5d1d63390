"""The Visits page — 巡诊录入: the keyboard-first form, the editor of one visit, the visit history.

Uses ui.widgets, ui.shell.tasks and the visits and rounds services.
"""
