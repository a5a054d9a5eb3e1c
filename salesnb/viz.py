"""One seaborn theme for every chart, and small chart helpers returning Axes.

Charts are readable when printed: white background, large enough fonts, colour-blind friendly palette,
axes labelled with units.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns

from salesnb import fmt
from salesnb.constants import RAG_COLOURS
from salesnb.i18n import col_label, tr, verbatim

PALETTE = "colorblind"
#: one RAG palette across every page
RAG = RAG_COLOURS  # one home: salesnb.constants
FIGSIZE = (9.0, 4.2)


#: CJK fonts in order of preference (Debian's fonts-noto-cjk first; then Adobe/Google, Windows, macOS)
CJK_FONTS: tuple[str, ...] = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC",
                              "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                              "Microsoft YaHei", "PingFang SC", "SimHei")
LATIN_FONTS: tuple[str, ...] = ("DejaVu Sans",)


def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS`, or ``None``.

    Matplotlib's font cache may predate the font's installation (``apt-get install fonts-noto-cjk``
    after the first import): then the system's CJK font files are added to the font manager.
    """
    from matplotlib import font_manager as fm

    def pick() -> str | None:
        names = {f.name for f in fm.fontManager.ttflist}
        return next((n for n in CJK_FONTS if n in names), None)

    name = pick()
    if name is None:
        for path in fm.findSystemFonts():
            low = path.lower()
            if any(k in low for k in ("cjk", "sourcehan", "wqy", "msyh", "pingfang", "simhei")):
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file is skipped
                    continue
        name = pick()
    return name


def set_theme(*, font_scale: float = 1.0, lang: str = "en") -> None:
    """Apply the salesnb theme (seaborn whitegrid, colour-blind palette, print-friendly sizes).

    ``lang="zh-CN"`` puts a CJK font (:func:`cjk_font`) first so Chinese titles and labels render
    without missing-glyph boxes; in English the CJK font is still a fallback for names in the data.
    A warning says so when no CJK font is installed (Debian: ``apt-get install fonts-noto-cjk``).
    """
    import warnings

    from salesnb.i18n import is_cjk

    cjk = cjk_font()
    if cjk is None:
        fonts = list(LATIN_FONTS)
        if is_cjk(lang):
            warnings.warn("no CJK font found: Chinese text in charts will show as boxes "
                          "(install fonts-noto-cjk)", stacklevel=2)
    elif is_cjk(lang):
        fonts = [cjk, *LATIN_FONTS]
    else:
        fonts = [*LATIN_FONTS, cjk]
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        font="sans-serif",
        font_scale=font_scale,
        rc={
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 13,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.autolayout": True,
            "svg.hashsalt": "salesnb",
            "font.family": "sans-serif",
            "font.sans-serif": fonts,
            "text.parse_math": False,  # names from the data ("$5 Store") are text, not math
        },
    )
    clip_long_labels()


def money_axis(ax, *, axis: str = "y", compact: bool = True):
    """Format an axis as currency (``$1.2M``); its label gets the currency (``Revenue ($/USD)``)."""
    f = mticker.FuncFormatter(lambda v, _: fmt.money(v, compact=compact))
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(f)
    unit = fmt.currency_label()
    text = target.get_label().get_text()
    if unit and text and unit not in text and (fmt.CURRENCY_CODE or "-") not in text:
        target.set_label_text(f"{text}（{unit}）" if _cjk(text) else f"{text} ({unit})")
    return ax


def log_axis(ax, *, axis: str = "y"):
    """A log scale whose tick labels are plain numbers (``1,000``), not ``10^3`` in mathtext: the
    theme turns mathtext off (names from the data are text), so matplotlib's default labels of a
    log axis would show as ``$\\mathdefault{10^{3}}$``."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    target.set_major_formatter(mticker.FuncFormatter(
        lambda v, _: fmt.number(v) if v >= 1 else f"{v:g}"))
    target.set_minor_formatter(mticker.NullFormatter())
    return ax


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def pct_axis(ax, *, axis: str = "y", decimals: int = 0):
    """Format an axis as percent (input fractions)."""
    f = mticker.FuncFormatter(lambda v, _: fmt.pct(v, decimals=decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)
    return ax


def points_axis(ax, *, axis: str = "y", decimals: int = 1):
    """Format an axis as percentage points (input: differences of fractions, e.g. a change of share)."""
    f = mticker.FuncFormatter(lambda v, _: fmt.points(v, decimals=decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)
    return ax


#: where the Axes of a one-chart figure sits (fractions of the figure): its title, labels and
#: legend go around it, and the inline backend's tight bounding box crops the picture to them
AXES_BOX = {"left": 0.09, "right": 0.98, "bottom": 0.15, "top": 0.92}


def new_ax(*, figsize: Sequence[float] | None = None):
    """A fresh figure and Axes with the theme's size.

    The Axes has a fixed place (:data:`AXES_BOX`) instead of the theme's automatic layout: what
    sticks out (long tick labels, a legend beside it) is kept by the tight bounding box every chart
    is shown with, and each chart shown inline is measured and drawn about a third fewer times
    (issue 18: the charts are most of a rep scorecard's cost). Grids of charts keep the layout.
    The figure has no layout engine at all, so :func:`png` shows it after a single draw.
    """
    fig, ax = plt.subplots(figsize=figsize or FIGSIZE, layout="none")
    fig.subplots_adjust(**AXES_BOX)
    return ax


def label(ax, *, title: str, xlabel: str, ylabel: str):
    """Set title and axis labels (with units) in one call, in the current language (``tr``)."""
    ax.set_title(tr(title))
    ax.set_xlabel(tr(xlabel))
    ax.set_ylabel(tr(ylabel))
    return ax


def line(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    title: str,
    xlabel: str,
    ylabel: str,
    money: bool = False,
    percent: bool = False,
    legend_title: bool = True,
    ax=None,
):
    """A line chart with labelled axes; ``money``/``percent`` format the y axis.

    ``legend_title=False``: the legend's entries name themselves (a rep and the team median), so
    it has no title (the ``hue`` column's name, "Who", said nothing).

    Periods given as text (``"2026-03"``, ``"2026Q1"``) or pandas Periods are drawn on a time axis in
    time order, not as categories in order of appearance. One row per point: several rows at one
    ``x`` and ``hue`` are averaged, without seaborn's bootstrap band (an unlabelled band would read
    as an uncertainty the chart does not state).
    """
    ax = _labelled_ax(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    data = _time_axis(data, x)
    sns.lineplot(data=data, x=x, y=y, hue=hue, ax=ax, marker="o" if len(data) < 40 else None,
                 errorbar=None)
    label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if money:
        money_axis(ax)
    if percent:
        pct_axis(ax)
    if hue is not None and ax.get_legend() is not None:
        ax.legend(title=col_label(hue) if legend_title else None, frameon=False, fontsize="small")
    return _pin_title(ax)


_PERIOD_TEXT = r"^\d{4}(-\d{2}(-\d{2})?|Q[1-4])$"


def _time_axis(data: pd.DataFrame, x: str) -> pd.DataFrame:
    col = data[x]
    if isinstance(col.dtype, pd.PeriodDtype):
        return data.assign(**{x: col.dt.to_timestamp()}).sort_values(x)
    if (pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)) and len(col) \
            and col.astype(str).str.match(_PERIOD_TEXT).all():
        ts = pd.PeriodIndex(col.astype(str), freq="Q" if "Q" in str(col.iloc[0]) else
                            "D" if len(str(col.iloc[0])) == 10 else "M").to_timestamp()
        return data.assign(**{x: ts}).sort_values(x)
    return data


def bar(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    title: str,
    xlabel: str,
    ylabel: str,
    money: bool = False,
    percent: bool = False,
    points: bool = False,
    horizontal: bool = False,
    legend_title: bool = True,
    ax=None,
):
    """A bar chart with labelled axes; ``horizontal=True`` puts categories on the y axis.

    ``percent``: values are fractions, shown in %; ``points``: differences of fractions (a change of
    share), shown in percentage points ("+1.2 pp").

    One row per bar: several rows for one bar are averaged, without seaborn's bootstrap error bars
    (whiskers nobody labelled would read as an uncertainty the chart does not state).
    ``legend_title=False``: the legend's entries name themselves (a rep and the company), no title.

    With ``hue`` the legend sits beside the Axes, right of it: matplotlib's "best" place inside
    lies on the bars when every place holds one (the scorecard's stage conversion, rep against
    company, at 60–100 %); the tight bounding box the chart is shown with keeps it in the picture.
    """
    ax = _labelled_ax(ax, title=title, xlabel=ylabel if horizontal else xlabel,
                      ylabel=xlabel if horizontal else ylabel)
    if horizontal:
        sns.barplot(data=data, y=x, x=y, hue=hue, ax=ax, orient="h", errorbar=None)
        label(ax, title=title, xlabel=ylabel, ylabel=xlabel)
        ax._salesnb_value_axis = "x"  # the text alternative names the value by the categories (alt_text)
        if money:
            money_axis(ax, axis="x")
        if percent:
            pct_axis(ax, axis="x")
        if points:
            points_axis(ax, axis="x")
    else:
        sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax, errorbar=None)
        label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        if money:
            money_axis(ax)
        if percent:
            pct_axis(ax)
        if points:
            points_axis(ax)
        if data[x].nunique() > 6:
            ax.tick_params(axis="x", labelrotation=45)
    if hue is not None and ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False,
                        fontsize="small", title=col_label(hue) if legend_title else None)
    return _pin_title(ax)


def fan_chart(
    history: pd.Series,
    forecast: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    xlabel: str = "Month",
    levels: Sequence[int] = (80, 95),
    money: bool = True,
    ax=None,
):
    """History as a line, the forecast mean with shaded prediction intervals (``lo80``/``hi80``...)."""
    ax = ax or new_ax()
    hx = history.index.to_timestamp() if isinstance(history.index, pd.PeriodIndex) else history.index
    fx = forecast.index.to_timestamp() if isinstance(forecast.index, pd.PeriodIndex) else forecast.index
    ax.plot(hx, history.to_numpy(), color="0.2", label=tr("Actual"))
    ax.plot(fx, forecast["mean"].to_numpy(), color=sns.color_palette()[0], label=tr("Forecast"))
    for i, lvl in enumerate(sorted(levels, reverse=True)):
        lo, hi = forecast.get(f"lo{lvl}"), forecast.get(f"hi{lvl}")
        if lo is not None and hi is not None:
            ax.fill_between(fx, lo.to_numpy(), hi.to_numpy(), alpha=0.15 + 0.15 * i,
                            color=sns.color_palette()[0], label=tr("{lvl} % interval", lvl=lvl))
    label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if money:
        money_axis(ax)
    ax.legend(frameon=False, fontsize="small")
    return ax


# ------------------------------------------------------------------ control charts (risk monitoring)

def control_chart(
    chart: pd.DataFrame,
    *,
    ax=None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    percent: bool = False,
    shade: str | None = "in_month",
):
    """An XmR / EWMA control chart from :func:`salesnb.risk.xmr` output (index = time).

    Draws the values, the EWMA when the frame has an ``ewma`` column, the centre line and the 3σ
    limits (dashed), the signalling points in red and the monitored rows (``shade`` column) shaded.
    Period-like index values (``2026-03``) are drawn on a time axis.
    """
    ax = ax or new_ax()
    x = chart.index
    if len(x) and isinstance(x[0], str):
        x = pd.PeriodIndex(x, freq="M").to_timestamp()
    ax.plot(x, chart["value"], color="0.3", lw=1, marker="o" if len(chart) < 60 else None,
            ms=3)
    if "ewma" in chart:
        ax.plot(x, chart["ewma"], color=sns.color_palette()[0], lw=1)
    for col in ("center", "lcl", "ucl"):
        ax.plot(x, chart[col], color="0.5", ls="-" if col == "center" else "--", lw=0.8)
    flags = chart["signal"] | chart["ewma_signal"] if "ewma_signal" in chart else chart["signal"]
    flags = flags.to_numpy(dtype=bool)
    ax.scatter(x[flags], chart["value"].to_numpy()[flags], color=RAG["red"], zorder=3, s=18)
    if shade and shade in chart and chart[shade].any():
        on = x[chart[shade].to_numpy(dtype=bool)]
        ax.axvspan(on[0], on[-1], color=RAG["amber"], alpha=0.15)
    if percent:
        pct_axis(ax)
    return label(ax, title=title, xlabel=xlabel, ylabel=ylabel)


def chart_grid(
    charts,
    draw=control_chart,
    *,
    ncols: int = 2,
    title: str = "",
    ylabel: str = "",
    height: float = 2.6,
):
    """Small multiples: ``draw(frame, ax=..., title=key, ylabel=...)`` for each item of ``charts``.

    ``charts`` maps a title (a region...) to a frame; unused panels are hidden, x axes are shared.
    Returns the figure.
    """
    keys = list(charts)
    nrows = max(1, -(-len(keys) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, height * nrows), sharex=True,
                             squeeze=False)
    for ax, key in zip(axes.flat, keys, strict=False):
        draw(charts[key], ax=ax, title=verbatim(key), ylabel=ylabel)  # a region...: data, not translated
        ax.title.set_fontsize(11)
    for ax in axes.flat[len(keys):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.tick_params(axis="x", labelrotation=30)
    fig.suptitle(tr(title), fontsize=11)
    return fig


def band_lines(
    frames,
    *,
    x: str,
    y: str,
    low: str,
    high: str,
    thresholds=None,
    log: bool = False,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
):
    """One line with its interval band per item of ``frames`` (name → frame), on one Axes.

    ``thresholds`` maps a RAG colour name (``amber``, ``red``) to a horizontal reference line.
    """
    ax = new_ax()
    for i, (name, f) in enumerate(frames.items()):
        colour = sns.color_palette()[i % 10]
        ax.plot(f[x], f[y], marker="o", color=colour, label=tr(str(name)))
        ax.fill_between(f[x], f[low], f[high], color=colour, alpha=0.2)
    for rag, v in (thresholds or {}).items():
        ax.axhline(v, color=RAG[rag], ls="--", lw=1)
    if log:
        log_axis(ax)
    ax.legend(frameon=False, fontsize="small")
    return label(ax, title=title, xlabel=xlabel, ylabel=ylabel)


def fan_chart_grid(
    histories: dict[str, pd.Series],
    forecasts: dict[str, pd.DataFrame],
    *,
    title: str,
    ylabel: str,
    ncols: int = 2,
    money: bool = True,
):
    """One small :func:`fan_chart` per series (same keys in both mappings), in a grid with one
    legend and a shared time axis. Returns the figure."""
    from salesnb.i18n import verbatim

    names = list(forecasts)
    nrows = max(1, (len(names) + ncols - 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, 3.2 * nrows), sharex=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        fan_chart(histories[names[i]], forecasts[names[i]], title=verbatim(names[i]), ylabel=ylabel,
                  money=money, ax=ax)
        if i > 0 and ax.get_legend() is not None:
            ax.get_legend().remove()
    fig.autofmt_xdate()
    fig.suptitle(tr(title))
    return fig


def facet_lines(
    data: pd.DataFrame,
    *,
    facet: str,
    x: str,
    y: str,
    hue: str,
    title: str,
    xlabel: str,
    ylabel: str,
    percent: bool = False,
    money: bool = False,
):
    """One :func:`line` chart per value of ``facet`` (e.g. a mix dimension), stacked vertically,
    each titled ``title`` with ``{facet}`` filled in. Returns the list of axes."""
    values = list(dict.fromkeys(data[facet]))
    axes = []
    for v in values:
        part = data[data[facet] == v]
        ax = line(part, x=x, y=y, hue=hue, title=tr(title, **{facet: tr(str(v))}), xlabel=xlabel,
                  ylabel=ylabel, percent=percent, money=money)
        axes.append(ax)
        plt.show()
    return axes
#: longest text drawn in a chart (a tick, a legend entry); longer names end in "…" (tables and
#: exports keep the full text)
MAX_LABEL = 100


def clip_label(text, *, max_len: int = MAX_LABEL):
    """``text`` cut to ``max_len`` characters per line with "…" (other values unchanged)."""
    if not isinstance(text, str) or len(text) <= max_len:
        return text
    return "\n".join(line if len(line) <= max_len else line[:max_len - 1] + "…"
                      for line in text.split("\n"))


def clip_long_labels() -> None:
    """Make every matplotlib text clip names longer than :data:`MAX_LABEL` (once per process).

    A 10,000-character customer name would otherwise make a chart tens of thousands of pixels wide.
    """
    import matplotlib.text as mtext

    if getattr(mtext.Text.set_text, "_salesnb_clip", False):
        return
    original = mtext.Text.set_text

    def set_text(self, s):
        return original(self, clip_label(s) if isinstance(s, str) else s)

    set_text._salesnb_clip = True
    mtext.Text.set_text = set_text


# ------------------------------------------------------------ charts moved out of the notebooks

def survival_chart(
    curve: pd.DataFrame,
    *,
    km_median: float,
    naive_mean: float,
    x: str = "days",
    y: str = "survival",
    title: str,
    xlabel: str,
    ylabel: str,
):
    """A Kaplan–Meier curve (share still undecided by age) with its median and the naive mean of
    won deals as vertical lines."""
    ax = line(curve, x=x, y=y, percent=True, title=title, xlabel=xlabel, ylabel=ylabel)
    ax.axvline(km_median, color=RAG["green"], label=tr("KM median {d} d", d=f"{km_median:.0f}"))
    ax.axvline(naive_mean, color=RAG["red"], linestyle="--",
               label=tr("won-only mean {d} d", d=f"{naive_mean:.0f}"))
    ax.legend(frameon=False)
    return ax


def funnel_plot(
    units: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    n: str = "closed",
    rate: str = "raw_rate",
    pooled: float,
    flag: str = "outlier",
    name: str = "rep_id",
    styles: Sequence[tuple[str, str]] = (("95", ":"), ("998", "--")),
    title: str,
    xlabel: str,
    ylabel: str,
):
    """A funnel plot: each unit's rate against its number of trials, the pooled rate and the
    control limits (``limits``: ``n`` and ``lower_<level>``/``upper_<level>`` columns); flagged
    units in red and named."""
    ax = new_ax()
    for level, style in styles:
        for side in ("lower", "upper"):
            ax.plot(limits["n"], limits[f"{side}_{level}"], color="0.4", linestyle=style,
                    linewidth=1)
    ax.axhline(pooled, color="0.2", linewidth=1)
    colours = units[flag].map({True: RAG["red"], False: RAG["grey"]})
    ax.scatter(units[n], units[rate], c=colours, s=25, zorder=3)
    for _, r in units[units[flag]].iterrows():
        ax.annotate(verbatim(str(r[name])), (r[n], r[rate]), fontsize=7, xytext=(3, 3),
                    textcoords="offset points")
    label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    pct_axis(ax)
    return ax


def interval_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    low: str,
    high: str,
    title: str,
    xlabel: str,
    ylabel: str,
    percent: bool = True,
    figsize: Sequence[float] = (7, 3.5),
):
    """Point estimates with their intervals (error bars), one per category of ``x``."""
    ax = new_ax(figsize=figsize)
    ax.errorbar(data[x], data[y], yerr=[data[y] - data[low], data[high] - data[y]], fmt="o",
                capsize=6)
    label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if percent:
        pct_axis(ax)
    return ax


def heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    center: float | None = None,
    fmt: str = ".2f",
    cmap: str | None = None,
    annot: bool = True,
    annot_size: float | None = None,
    figsize: Sequence[float] = (8, 6),
    rotate: int | None = 30,
):
    """An annotated heatmap of a matrix (rows × columns), diverging around ``center`` when given
    (default colours: red-blue around ``center``, else blues); ``rotate`` turns the column labels."""
    ax = new_ax(figsize=figsize)
    sns.heatmap(matrix, annot=annot, fmt=fmt, cmap=cmap or ("RdBu_r" if center is not None else "Blues"),
                center=center, cbar=False, ax=ax,
                annot_kws={"fontsize": annot_size} if annot_size else None)
    label(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if rotate is not None:
        ax.tick_params(axis="x", labelrotation=rotate)
    return ax


def facet_bars(
    data: pd.DataFrame,
    *,
    facet: str,
    x: str,
    y: str,
    hue: str | None = None,
    title: str,
    ylabel: str,
    percent: bool = False,
    money: bool = False,
):
    """One :func:`bar` chart per value of ``facet`` (e.g. a customer attribute), each titled
    ``title`` with ``{facet}`` filled in and the facet's label on the x axis. Returns the axes."""
    axes = []
    for v in dict.fromkeys(data[facet]):
        part = data[data[facet] == v]
        axes.append(bar(part, x=x, y=y, hue=hue, title=tr(title, **{facet: tr(str(v).replace("_", " "))}),
                        xlabel=col_label(str(v)), ylabel=ylabel, percent=percent, money=money))
        plt.show()
    return axes


def reference_line(ax, value, *, axis: str = "x", colour: str = "0.4", label: str | None = None):
    """A dashed reference line (a target, the report month, an average) on a chart of this module;
    ``axis="x"`` draws it vertical. A ``label`` (translated) goes into the legend."""
    draw = ax.axvline if axis == "x" else ax.axhline
    draw(value, color=colour, linestyle="--", linewidth=1, label=tr(label) if label else None)
    if label:
        ax.legend(frameon=False)
    return ax


def alt_text(fig) -> str:
    """A chart's text alternative for the HTML page: its title(s) and axis names ("Monthly net
    revenue (Revenue ($) by Month)"); "" when the figure has no title or label. The value comes
    first, by the categories or time: a horizontal bar chart (:func:`bar`), whose values run along
    x, reads "Overdue customers (%) by Segment" as a vertical one does."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        parts.append(sup.get_text())
    for ax in fig.axes:
        title = ax.get_title() or ax.get_title(loc="left")
        y, x = ax.get_ylabel(), ax.get_xlabel()
        if getattr(ax, "_salesnb_value_axis", "y") == "x":
            y, x = x, y
        axes_words = str(tr("{y} by {x}", y=verbatim(y), x=verbatim(x))) if y and x else y or x
        words = (str(tr("{title} ({axes})", title=verbatim(title), axes=verbatim(axes_words)))
                 if title and axes_words else title or axes_words)
        if words and words not in parts:
            parts.append(words)
    return "; ".join(parts)


def _describe_inline_charts() -> None:
    """Give every inline chart its text alternative: nbconvert reads ``alt`` from the output's
    metadata and writes "No description has been provided for this image" without it."""
    try:
        from matplotlib_inline import backend_inline
    except ImportError:  # pragma: no cover - a dependency of ipykernel
        return
    fetch = getattr(backend_inline, "_fetch_figure_metadata", None)  # private: may go in a release
    if fetch is None or getattr(fetch, "_salesnb_alt", False):
        return

    def fetch_with_alt(fig):
        md = fetch(fig) or {}
        alt = alt_text(fig)
        return {**md, "alt": alt} if alt else (md or None)

    fetch_with_alt._salesnb_alt = True
    backend_inline._fetch_figure_metadata = fetch_with_alt


#: room drawn around a figure without a layout engine when :func:`png` prints it in one pass
#: (inches on each side): tick labels, axis names or a legend may stick out of the figure this far
PRINT_MARGIN = 1.0
#: room on the right of such a figure (inches), where a bar chart's legend sits beside the Axes
#: (:func:`bar`): a legend of two short names ("R001", "company") reaches about 1.2 inches out
PRINT_MARGIN_RIGHT = 2.0


def png(fig, *, dpi: float | None = None) -> bytes | None:
    """``fig`` as the inline backend shows it: a PNG cut to its tight bounding box (IPython's
    ``print_figure(fig, "png", bbox_inches="tight")``), ``None`` for a figure with nothing on it.

    The tight bounding box costs matplotlib a whole draw without rendering before the rendered one.
    A figure without a layout engine (every one-chart figure, :func:`new_ax`) is drawn once instead,
    on a canvas :data:`PRINT_MARGIN` larger than the figure on every side (:data:`PRINT_MARGIN_RIGHT`
    on the right, where a bar chart's legend sits); the tight bounding box, measured after that
    draw, is cut out of it. When the tight bounding box does not fit on that
    canvas (something sticks out further), or the figure has a layout engine (grids of charts),
    the figure is printed the usual way, so nothing is ever cut off. The picture has the size of
    the usual one; its pixels may differ by a fraction of a pixel's shading (issue 18).
    """
    import matplotlib as mpl
    from IPython.core.pylabtools import print_figure

    if not fig.axes and not fig.lines:
        return None
    dpi = dpi or fig.dpi
    rc = {k: mpl.rcParams[k] for k in ("figure.autolayout", "figure.constrained_layout.use")}
    try:  # matplotlib gives a figure without a layout engine the rc's engine when it saves it
        if fig.get_layout_engine() is None:
            mpl.rcParams.update(dict.fromkeys(rc, False))
        return _one_pass_png(fig, dpi) or print_figure(fig, "png", dpi=dpi)
    finally:
        mpl.rcParams.update(rc)


def _one_pass_png(fig, dpi: float) -> bytes | None:
    """:func:`png` in one draw, or ``None`` when that cannot show the whole tight bounding box."""
    import matplotlib as mpl
    import numpy as np
    from matplotlib.transforms import Bbox

    if (fig.get_layout_engine() is not None or dpi != fig.dpi
            or not hasattr(fig.canvas, "get_renderer")):
        return None
    m, mr = PRINT_MARGIN, PRINT_MARGIN_RIGHT
    w, h = fig.get_size_inches()
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=dpi, bbox_inches=Bbox.from_extents(-m, -m, w + mr, h + m),
                facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    pad = mpl.rcParams["savefig.pad_inches"]
    # measured with the renderer that drew: its text metrics and layouts are still cached
    renderer = getattr(fig.canvas, "renderer", None) or fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer).padded(pad if isinstance(pad, (int, float)) else 0.1)
    big_w, big_h = int((w + m + mr) * dpi), int((h + 2 * m) * dpi)
    out_w, out_h = int(box.width * dpi), int(box.height * dpi)
    left = round((box.x0 + m) * dpi)
    top = round(big_h - (box.y0 + m) * dpi) - out_h
    if (raw.tell() != big_w * big_h * 4 or left < 0 or top < 0 or left + out_w > big_w
            or top + out_h > big_h):
        return None
    canvas = np.frombuffer(raw.getbuffer(), np.uint8).reshape(big_h, big_w, 4)
    out = io.BytesIO()
    mpl.image.imsave(out, canvas[top:top + out_h, left:left + out_w], format="png", origin="upper",
                     dpi=dpi)
    return out.getvalue()


def _one_pass_inline_charts() -> None:
    """Show inline charts through :func:`png` while the inline backend prints PNGs its default way
    (tight bounding box, no other option): ``%matplotlib inline`` registers IPython's printer again
    each time, so this runs after it. A notebook's own ``InlineBackend`` settings keep theirs."""
    try:
        from binascii import b2a_base64
        from functools import partial

        from IPython import get_ipython
        from IPython.core import pylabtools
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - dependencies of ipykernel
        return
    ip = get_ipython()
    if ip is None or getattr(ip, "display_formatter", None) is None:
        return
    formatter = ip.display_formatter.formatters["image/png"]
    current = formatter.type_printers.get(Figure)
    if not (isinstance(current, partial) and current.func is pylabtools.print_figure
            and not current.args
            and current.keywords == {"fmt": "png", "base64": True, "bbox_inches": "tight"}):
        return

    def show(fig):
        data = png(fig)
        return None if data is None else b2a_base64(data, newline=False).decode("ascii")

    formatter.for_type(Figure, show)


def apply_requested_theme() -> None:
    """Inline charts and the theme :func:`salesnb.setup` asked for (``context.THEME``), if any.

    Runs when this module is first imported and when ``setup`` is called after that: a notebook
    pays for matplotlib and seaborn with its first chart, not with ``setup``.
    """
    from salesnb import context

    if "lang" not in context.THEME:
        return
    context._inline_charts()
    _describe_inline_charts()
    _one_pass_inline_charts()
    if context.THEME["lang"] is not None:
        set_theme(lang=context.THEME["lang"])


apply_requested_theme()


def _pin_title(ax):
    """Fix the title at the top of the Axes, where matplotlib's automatic placement puts it here.

    Matplotlib re-places a title on every layout and draw pass (about ten per chart shown inline),
    measuring every y tick label each time, only to lift it above x tick labels or ticks on top or
    a y offset text. With nothing of the x axis on top, no shared or child Axes and a y formatter
    without an offset text (:func:`money_axis`, :func:`pct_axis`, categories) the title stays at the top:
    pinning it there draws the same pixels for less work (issue 18: drawing the two charts was
    half of a rep scorecard's cost).
    """
    from matplotlib.category import StrCategoryFormatter

    y_fmt = ax.yaxis.get_major_formatter()
    x_ticks = [*ax.xaxis.get_major_ticks(1), *ax.xaxis.get_minor_ticks(1)]
    if (ax.get_title() and isinstance(y_fmt, (mticker.FuncFormatter, StrCategoryFormatter))
            and not y_fmt.get_offset()
            and ax.xaxis.get_label_position() != "top" and not ax.child_axes
            and not any(t.label2.get_visible() or t.tick2line.get_visible() for t in x_ticks)
            and len(ax.get_shared_x_axes().get_siblings(ax)) == 1
            and len(ax.get_shared_y_axes().get_siblings(ax)) == 1):
        ax.set_title(ax.get_title(), y=1.0)
    return ax


def _labelled_ax(ax, *, title: str, xlabel: str, ylabel: str):
    """``ax``, or a new Axes labelled before seaborn draws on it.

    Seaborn names an unlabelled axis after its column and computes all its tick labels to decide whether
    that name shows; the chart functions label the axes afterwards anyway. On a new Axes the tick labels
    show, so labelling it first gives the same chart without that extra tick pass (issue 18).
    """
    if ax is not None:
        return ax
    return label(new_ax(), title=title, xlabel=xlabel, ylabel=ylabel)
