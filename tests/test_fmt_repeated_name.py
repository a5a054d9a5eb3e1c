"""A rep table whose name column repeats the rep id (Maven's CRM: the id is the rep's name)."""

from __future__ import annotations

import pandas as pd

from salesnb import fmt


def test_a_name_column_that_repeats_the_rep_id_is_shown_once():
    """Maven's CRM 02: "Rep id | Name | Team" read "Darcel Schlecht | Darcel Schlecht | Melvin Marxen" in
    every rep table (the export names reps by their name). A name equal to the id on every row is
    left out of the page's table (the data keeps it); a name that differs anywhere stays."""
    df = pd.DataFrame({"rep_id": ["Darcel Schlecht", "Anna Snelling"], "name": ["Darcel Schlecht", "Anna Snelling"],
                       "team": ["Melvin Marxen", "Dustin Brinkmann"], "won": [3, 4]})
    html = fmt.table(df, int_cols=["won"]).to_html()
    assert ">Rep id<" in html and ">Name<" not in html and html.count("Darcel Schlecht") == 1
    assert list(df.columns) == ["rep_id", "name", "team", "won"]  # the frame itself is untouched
    demo = df.assign(rep_id=["R001", "R002"])
    assert ">Name<" in fmt.table(demo).to_html()
    partly = df.assign(name=["Darcel Schlecht", None])
    assert ">Name<" in fmt.table(partly).to_html()
