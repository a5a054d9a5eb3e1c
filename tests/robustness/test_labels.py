"""Hostile but legal names reach charts and tables literally: no math text, no giant charts."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd

from salesnb import fmt, viz

LONG = "L" * 10_000


def test_dollar_names_and_long_names_draw_literally_and_bounded():
    viz.set_theme()
    d = pd.DataFrame({"name": ["$5 Store $x$", LONG, "$\\frac{1}{0}$"], "amount": [1.0, 2.0, 3.0]})
    ax = viz.bar(d, x="name", y="amount", title="t", xlabel="customer", ylabel="revenue")
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", bbox_inches="tight")  # mathtext would raise here
    from PIL import Image

    w, h = Image.open(io.BytesIO(buf.getvalue())).size
    assert w < 2000 and h < 2000, (w, h)
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert "$5 Store $x$" in labels  # drawn as written
    assert max(map(len, labels)) == viz.MAX_LABEL and any(lab.endswith("…") for lab in labels)
    plt.close("all")


def test_table_cells_are_cut_for_display_only():
    d = pd.DataFrame({"name": [LONG, "<b>x</b>", None], "n": [1, 2, 3]})
    html = fmt.table(d).to_html()
    assert ">" + "L" * (fmt.MAX_CELL - 1) + "…<" in html  # shown cut
    # the tooltip holds the rest, bounded: a 10,000-character name does not weigh on the page
    assert 'title="' + "L" * (fmt.MAX_TOOLTIP - 1) + '…"' in html and "L" * fmt.MAX_TOOLTIP not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert d.loc[0, "name"] == LONG  # the frame (and so every export) keeps the full text


def test_clip_label_keeps_short_text_and_non_text():
    assert viz.clip_label("West") == "West" and viz.clip_label(3) == 3
    assert viz.clip_label("a" * 150 + "\nb") == "a" * (viz.MAX_LABEL - 1) + "…\nb"
