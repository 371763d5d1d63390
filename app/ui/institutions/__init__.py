"""Signed institutions and their agreements — 签约机构: the page (list and institution editor) and the
agreements panel beside the editor. UI only: they call app.services.institutions and app.ui.widgets.
"""
