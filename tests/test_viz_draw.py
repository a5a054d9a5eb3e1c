"""Charts drawn for less work show the same pixels (issue 18: a rep scorecard's cost is its charts)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from IPython.core.pylabtools import print_figure
from matplotlib import pyplot as plt
from PIL import Image

from salesnb import viz


def _pixels(ax) -> np.ndarray:
    """The chart as the inline backend shows it (PNG, tight bounding box), decoded."""
    return np.asarray(Image.open(io.BytesIO(print_figure(ax.figure, "png", bbox_inches="tight"))))


def _trend(rng) -> pd.DataFrame:
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    return pd.DataFrame({"period": months * 2, "who": ["R001"] * 12 + ["team median"] * 12,
                         "revenue": rng.uniform(2e5, 8e5, 24)})


def _stages(rng) -> pd.DataFrame:
    stages = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
    return pd.DataFrame({"stage": stages * 2, "who": ["R001"] * 4 + ["company"] * 4,
                         "conversion": rng.uniform(0.4, 0.9, 8)})


CHARTS = {
    "line_money": lambda rng: viz.line(_trend(rng), x="period", y="revenue", hue="who", money=True,
                                       title="Net revenue by month", xlabel="Month", ylabel="Net revenue"),
    "bar_percent": lambda rng: viz.bar(_stages(rng), x="stage", y="conversion", hue="who", percent=True,
                                       title="Stage conversion", xlabel="Stage", ylabel="Conversion"),
    "bar_horizontal_money": lambda rng: viz.bar(_stages(rng), x="stage", y="conversion", money=True,
                                                horizontal=True, title="Sideways", xlabel="Stage",
                                                ylabel="Amount"),
}


@pytest.mark.parametrize("name", CHARTS)
def test_cheaper_drawing_shows_the_same_pixels(name, monkeypatch):
    viz.set_theme()
    pinned = CHARTS[name](np.random.default_rng(3))
    if name == "line_money":
        pinned.tick_params(axis="x", labelrotation=45)
    assert pinned._autotitlepos is False  # the cheap path was taken
    assert pinned.get_xlabel() and pinned.get_ylabel()
    monkeypatch.setattr(viz, "_pin_title", lambda ax: ax)  # the chart functions as they were
    monkeypatch.setattr(viz, "_labelled_ax", lambda ax, **_: ax or viz.new_ax())
    auto = CHARTS[name](np.random.default_rng(3))
    if name == "line_money":
        auto.tick_params(axis="x", labelrotation=45)
    assert auto._autotitlepos is not False
    np.testing.assert_array_equal(_pixels(pinned), _pixels(auto))


def test_title_stays_automatic_when_something_could_push_it(rng):
    viz.set_theme()
    plain = viz.line(_trend(rng), x="period", y="revenue", hue="who", title="Plain numbers",
                     xlabel="Month", ylabel="Revenue")  # ScalarFormatter: an offset text may sit on top
    assert plain._autotitlepos is not False
    top = viz.new_ax()
    top.bar(["a", "b"], [0.2, 0.4])
    viz.pct_axis(viz.label(top, title="Ticks on top", xlabel="Stage", ylabel="Conversion"))
    top.xaxis.tick_top()
    assert viz._pin_title(top)._autotitlepos is not False
    bottom = viz.new_ax()
    bottom.bar(["a", "b"], [0.2, 0.4])
    viz.pct_axis(viz.label(bottom, title="Ticks below", xlabel="Stage", ylabel="Conversion"))
    assert viz._pin_title(bottom)._autotitlepos is False


def test_a_log_axis_shows_plain_numbers_not_mathtext():
    """The theme turns mathtext off (names from the data are text); matplotlib's own labels of a log
    axis are mathtext (``$\\mathdefault{10^{3}}$``) and showed literally on 05's HHI chart."""
    viz.set_theme()
    frame = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=4, freq="MS"),
                          "hhi": [120.0, 150.0, 900.0, 2500.0], "low": 100.0, "high": 3000.0})
    ax = viz.band_lines({"customers": frame}, x="period", y="hhi", low="low", high="high", log=True,
                        title="HHI", xlabel="Month", ylabel="HHI")
    _pixels(ax)  # draw, so the tick labels are set
    shown = [t.get_text() for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
    assert ax.get_yscale() == "log" and shown
    assert not [t for t in shown if "$" in t or "mathdefault" in t], shown
    assert "1,000" in shown


def test_bars_and_lines_draw_no_unlabelled_bootstrap_interval(rng):
    """Seaborn's default draws a 95 % bootstrap interval when a bar or a point has several rows
    (an uncertainty the chart's labels do not state, computed by resampling on every draw)."""
    twice = pd.concat([_stages(rng)] * 2, ignore_index=True)
    ax = viz.bar(twice, x="stage", y="conversion", title="Stage conversion", xlabel="Stage",
                 ylabel="Conversion")
    assert not ax.lines  # error bars are lines
    trend = pd.concat([_trend(rng)] * 2, ignore_index=True)
    ax = viz.line(trend, x="period", y="revenue", hue="who", title="Revenue", xlabel="Month",
                  ylabel="Revenue")
    assert not ax.collections  # the band is a PolyCollection
    plt.close("all")


def test_every_chart_has_a_text_alternative_on_the_page():
    """nbconvert wrote "No description has been provided for this image" for every chart: a chart
    now carries its titles and axis names as ``alt`` in its output's metadata, and the page's
    template writes it."""
    import base64

    import matplotlib.pyplot as plt
    import nbformat

    from salesnb import viz
    from salesnb.report import html

    fig, ax = plt.subplots()
    ax.set_title("Monthly net revenue")
    ax.set_xlabel("Month")
    ax.set_ylabel("Revenue ($)")
    assert viz.alt_text(fig) == "Monthly net revenue (Revenue ($) by Month)"
    from matplotlib_inline import backend_inline

    viz._describe_inline_charts()  # what an inline chart's output carries to the page
    assert backend_inline._fetch_figure_metadata(fig)["alt"] == "Monthly net revenue (Revenue ($) by Month)"
    plt.close(fig)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    out = nbformat.v4.new_output("display_data", data={"image/png": png},
                                 metadata={"alt": "Monthly net revenue <by month>"})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
    body, _ = html.exporter().from_notebook_node(nb)
    assert 'alt="Monthly net revenue &lt;by month&gt;"' in body
    assert "No description has been provided" not in body


def test_a_change_of_share_is_charted_in_points():
    """02's "Change in revenue share by category" was labelled "Share change (points)" with ticks in %."""
    d = pd.DataFrame({"category": ["A", "B", "C"], "share_change": [0.042, -0.021, 0.004]})
    ax = viz.bar(d, x="category", y="share_change", points=True, title="Change in revenue share by category",
                 xlabel="Category", ylabel="Share change (points)")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith(" pp") and "%" not in t for t in ticks), ticks
    plt.close(ax.figure)
