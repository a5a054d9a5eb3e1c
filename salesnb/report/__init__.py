"""The monthly pack: papermill runner, offline HTML export, index and manifest."""

import sys as _sys

# jsonschema (which nbformat imports) loads the optional IRI format checker ``rfc3987_syntax`` when it
# is installed (jupyter-events pulls it in), and that module compiles a Lark grammar as it is
# imported: about 1.5 s of CPU in every process that reads a notebook, half of the runner's start
# (``python -X importtime -c "import salesnb.report.runner"``). nbformat's schemas check no IRI
# format, so the pack's processes go without it; a process that imported jsonschema already keeps
# what it has. (``import rfc3987_syntax`` then raises ImportError, which jsonschema expects.)
if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)
