"""Printed documents — 打印: round sheets, triage lists and overdue lists, made with reportlab.

Everything here takes plain data (built by :mod:`app.services.printing`) and writes a PDF; it never reads
the database. Chinese text is embedded (a TrueType CJK font found on the system) or, failing that,
CID-encoded with reportlab's built-in STSong-Light, so any reader and ``pdftotext`` show it. Colours print
as symbol and word (● 红 / ▲ 黄 / ○ 绿), so a black-and-white printer loses nothing.
"""
