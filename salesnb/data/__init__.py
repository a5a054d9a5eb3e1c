"""The data layer: contract, validation, sources, engine-side extracts, the demo company."""

from salesnb.data.errors import DataError, Problem
from salesnb.data.sources import Dataset, open_source

__all__ = ["DataError", "Dataset", "Problem", "open_source"]
