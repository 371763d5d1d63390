"""The Rounds and Overdue pages — 巡诊安排 / 逾期: the week plan, round sheets and the overdue list.

Uses ui.widgets, ui.shell.tasks and the rounds and printing services.
"""
