"""Reports — 统计报表: the center's figures for a period (``figures``), the monitoring return as Excel or PDF
and the district's merge of returns (``returns``), and every list out to Excel (``exports``).

Uses the store's ``queries/reports`` and the domain's ``reports`` rules; writes through ``app.printing``.
"""
