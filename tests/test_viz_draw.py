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


def test_a_horizontal_bar_charts_text_alternative_names_the_value_by_the_categories():
    """05's "Share of active customers overdue, by segment (Segment by Overdue customers (%))": a
    horizontal bar chart draws its values along x and its categories along y; its text alternative
    reads value by category, as a vertical one's does."""
    d = pd.DataFrame({"segment": ["A", "B"], "overdue": [0.1, 0.2]})
    kw = dict(x="segment", y="overdue", title="Overdue by segment", xlabel="Segment",
              ylabel="Overdue customers (%)", percent=True)
    for horizontal in (False, True):
        ax = viz.bar(d, horizontal=horizontal, **kw)
        assert viz.alt_text(ax.figure) == "Overdue by segment (Overdue customers (%) by Segment)", horizontal
    plt.close("all")


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


def _scorecard_trend(rng, rep: str = "R001") -> object:
    """The rep scorecard's trend chart as the notebook draws it."""
    ax = viz.line(_trend(rng).replace({"who": {"R001": rep}}), x="period", y="revenue", hue="who",
                  money=True, title=f"Net revenue by month, {rep} against the team", xlabel="Month",
                  ylabel="Net revenue")
    ax.tick_params(axis="x", labelrotation=45)
    return ax


def _draws(monkeypatch) -> list:
    from matplotlib.figure import Figure

    calls = []
    draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: calls.append(self) or draw(self, renderer))
    return calls


def test_a_one_chart_figure_is_printed_after_one_draw_as_the_tight_bounding_box_shows_it(rng, monkeypatch):
    """The inline backend's tight bounding box drew every chart twice (once without rendering, to
    measure it); a figure without a layout engine is drawn once, on a larger canvas, and the tight
    bounding box is cut out of it: the same picture size, shading within a fraction of a pixel."""
    viz.set_theme()
    for make in (_scorecard_trend, CHARTS["bar_percent"]):
        ax = make(np.random.default_rng(3))
        assert ax.figure.get_layout_engine() is None
        draws = _draws(monkeypatch)
        one = np.asarray(Image.open(io.BytesIO(viz.png(ax.figure))))
        assert len(draws) == 1
        monkeypatch.undo()
        usual = _pixels(make(np.random.default_rng(3)))
        assert one.shape == usual.shape
        assert np.abs(one.astype(int) - usual.astype(int)).mean() < 3  # antialiasing, not content
        plt.close("all")
    grid = viz.chart_grid({"a": pd.DataFrame()}, draw=lambda f, ax, **_: ax.plot([1, 2]))
    assert grid.get_layout_engine() is not None  # a layout to run first: printed the usual way
    assert viz.png(grid)[:8] == b"\x89PNG\r\n\x1a\n"
    assert viz.png(plt.figure()) is None  # nothing on it, as IPython's print_figure
    plt.close("all")


def _inside_the_picture(fig, png: bytes) -> None:
    """Every visible text of ``fig`` (ticks, title, axis names, legend) lies inside the PNG, which is
    the tight bounding box padded, and nothing is drawn on the picture's edge."""
    import matplotlib as mpl

    picture = np.asarray(Image.open(io.BytesIO(png)))
    pad = mpl.rcParams["savefig.pad_inches"] * fig.dpi
    assert fig.get_layout_engine() is None  # printing left the layout as it was
    fig.canvas.draw()  # the texts where the figure has them (the last print may have moved them)
    renderer = fig.canvas.get_renderer()
    tight = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)
    height, width = picture.shape[:2]
    assert width == int(tight.width + 2 * pad) and height == int(tight.height + 2 * pad)
    texts = []
    for ax in fig.axes:
        legend = ax.get_legend()
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label,
                  *([legend.get_title(), *legend.get_texts()] if legend else [])]
        for locs, labels, (lo, hi) in ((ax.get_xticks(), ax.get_xticklabels(), sorted(ax.get_xlim())),
                                       (ax.get_yticks(), ax.get_yticklabels(), sorted(ax.get_ylim()))):
            texts += [t for loc, t in zip(locs, labels, strict=True) if lo <= loc <= hi]  # drawn ones
    texts = [t for t in texts if t.get_visible() and t.get_text()]
    assert len(texts) > 10
    for t in texts:
        box = t.get_window_extent(renderer)
        x0, x1 = box.x0 - tight.x0 + pad, box.x1 - tight.x0 + pad
        y0, y1 = box.y0 - tight.y0 + pad, box.y1 - tight.y0 + pad
        assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height, t.get_text()
    edge = np.concatenate([picture[:3].reshape(-1, 4), picture[-3:].reshape(-1, 4),
                           picture[:, :3].reshape(-1, 4), picture[:, -3:].reshape(-1, 4)])
    assert (edge[:, :3] == 255).all()  # white: nothing runs off the picture


def test_a_chart_with_long_labels_keeps_every_label_in_the_picture(monkeypatch):
    """A long rep name, eight-figure money values and long stage names stick out of the figure
    further than the one-pass canvas reaches: the chart is printed the usual way instead of cut."""
    viz.set_theme()
    rng = np.random.default_rng(3)
    rep = "Maximiliane Alexandra von Hohenzollern-Sigmaringen (Enterprise Accounts, EMEA North)"
    ax = _scorecard_trend(rng, rep)
    ax.lines[0].set_ydata(np.asarray(ax.lines[0].get_ydata()) * 4_000)  # up to $3.2B
    ax.set_ylim(0, 4e9)
    stages = pd.DataFrame({"stage": ["Qualification and discovery call with the buying committee",
                                     "Proposal"] * 2, "who": [rep] * 2 + ["company"] * 2,
                           "conversion": [0.4, 0.5, 0.6, 0.7]})
    sideways = viz.bar(stages, x="stage", y="conversion", hue="who", money=True, horizontal=True,
                       title="Stage-to-stage conversion against the company", xlabel="Stage",
                       ylabel="Advanced")
    for fig in (ax.figure, sideways.figure):
        outside = fig.get_tightbbox(fig.canvas.get_renderer())
        assert outside.x0 < -viz.PRINT_MARGIN or outside.y0 < -viz.PRINT_MARGIN \
            or outside.x1 > fig.get_figwidth() + viz.PRINT_MARGIN  # it does stick out that far
        _inside_the_picture(fig, viz.png(fig))
    fits = _scorecard_trend(rng)  # a usual chart: its labels stick out less than the margin
    draws = _draws(monkeypatch)
    picture = viz.png(fits.figure)
    assert len(draws) == 1
    _inside_the_picture(fits.figure, picture)
    plt.close("all")


def test_inline_charts_use_the_one_pass_printer_only_for_ipythons_default_png(monkeypatch):
    """``%matplotlib inline`` registers IPython's ``print_figure`` (tight bounding box) for PNGs;
    salesnb's inline setup puts :func:`viz.png` in its place, and leaves any other setting alone."""
    import base64
    from functools import partial
    from types import SimpleNamespace

    import IPython
    from IPython.core.formatters import PNGFormatter
    from IPython.core.pylabtools import print_figure as ipython_print
    from matplotlib.figure import Figure

    viz.set_theme()
    for kwargs, ours in (({"bbox_inches": "tight"}, True), ({"bbox_inches": None}, False),
                         ({"bbox_inches": "tight", "dpi": 200}, False)):
        formatter = PNGFormatter()
        default = partial(ipython_print, fmt="png", base64=True, **kwargs)
        formatter.for_type(Figure, default)
        shell = SimpleNamespace(display_formatter=SimpleNamespace(formatters={"image/png": formatter}))
        monkeypatch.setattr(IPython, "get_ipython", lambda shell=shell: shell)
        viz._one_pass_inline_charts()
        shown = formatter(_scorecard_trend(np.random.default_rng(3)).figure)
        assert (formatter.type_printers[Figure] is not default) is ours
        if ours:
            assert base64.b64decode(shown) == viz.png(plt.gcf())
        plt.close("all")


def test_a_bar_charts_legend_never_covers_a_bar():
    """The scorecard's stage conversion (rep against company, two bars per stage) put its legend at
    matplotlib's "best" place, which lies on the bars when every place holds one. The legend sits
    outside the Axes, so its box overlaps no bar after a draw, vertical or horizontal."""
    stages = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
    data = pd.DataFrame({"stage": stages * 2, "who": ["R001"] * 4 + ["company"] * 4,
                         "conversion": [0.97, 0.95, 0.99, 0.96, 0.98, 0.94, 0.97, 0.99]})
    for horizontal in (False, True):
        ax = viz.bar(data, x="stage", y="conversion", hue="who", percent=True, horizontal=horizontal,
                     title="Stage-to-stage conversion against the company", xlabel="Stage",
                     ylabel="Advanced ÷ (advanced + lost)")
        ax.figure.canvas.draw()
        renderer = ax.figure.canvas.get_renderer()
        legend = ax.get_legend().get_window_extent(renderer)
        bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_height() and p.get_width()]
        assert len(bars) == 8
        assert not any(legend.overlaps(b) for b in bars), horizontal
        assert not legend.overlaps(ax.get_window_extent(renderer))  # outside the plotting area
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["R001", "company"]
        plt.close(ax.figure)


def test_a_legend_whose_entries_name_themselves_has_no_title():
    """The scorecard's two charts titled their legends "Who" (the hue column's name) above "R001"
    and "company"; with ``legend_title=False`` the legend has entries only."""
    from salesnb import viz

    d = pd.DataFrame({"stage": ["A", "B"] * 2, "conversion": [0.5, 0.6, 0.7, 0.4],
                      "who": ["R001", "R001", "company", "company"]})
    kw = dict(x="stage", y="conversion", hue="who", title="t", xlabel="Stage", ylabel="Share")
    assert viz.bar(d, percent=True, **kw).get_legend().get_title().get_text() == "Who"
    assert viz.bar(d, percent=True, legend_title=False, **kw).get_legend().get_title().get_text() == ""
    lines = d.rename(columns={"stage": "period"}).assign(period=["2026-01", "2026-02"] * 2)
    ax = viz.line(lines, x="period", y="conversion", hue="who", title="t", xlabel="Month", ylabel="Share",
                  legend_title=False)
    assert ax.get_legend().get_title().get_text() == ""
