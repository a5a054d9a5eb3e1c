"""Message catalogues, one module per language (see salesnb.i18n and docs/i18n.md)."""
