"""salesnb."""
