"""Delivery: what leaves the report folder for people and tools.

- :mod:`salesnb.deliver.sheets`: the one writer of every CSV/XLSX the pack writes (formula-safe,
  formatted for people, with a Notes sheet);
- :mod:`salesnb.deliver.bi`: tidy extracts for Tableau and other BI tools (``.hyper``, Parquet, CSV)
  and ``reports/latest``;
- :mod:`salesnb.deliver.mail`: e-mail to leaders and reps (``salesnb send``);
- :mod:`salesnb.deliver.mom`: month over month (deltas, alerts, coaching moves, forecast accuracy).
"""
