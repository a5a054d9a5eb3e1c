"""Import CRM and spreadsheet exports into the canonical tables (``salesnb import``)."""
