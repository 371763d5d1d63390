"""The homes' services — 家庭病床 and 代配药: the family beds page and the proxy refills page, their dialogs.

Uses ui.widgets, ui.residents' list models, ui.shell.tasks and the beds and refills services.
"""
