"""The monthly pack: papermill runner, offline HTML export, index and manifest."""
