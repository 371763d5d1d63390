"""The resident's record dialog — 健康档案 — and its tabs (identity, sections, assessments, visits).

The tabs never import the dialog; uses ui.widgets, ui.shell.tasks and the records and visits services.
"""
