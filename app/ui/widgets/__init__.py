"""Widgets shared by the pages: tables, badges, charts, filters, the PDF preview, the resident finder, icons.

Use Qt and the services' plain results; they import no page.
"""
