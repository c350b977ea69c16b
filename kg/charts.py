"""Charts for notebooks (matplotlib is needed only here, from the ``notebooks`` extra).

Counts over time are drawn on a real time axis — months or quarters where they fall, gaps
where nothing happened — with integer ticks on the count axis.
"""

from __future__ import annotations

from typing import Any


def events_over_time(events, freq: str = "M", by: str = "type", title: str = "Events", ax: Any = None):
    """A stacked bar chart of ``events`` (a frame with a ``date`` column, such as
    ``kg.network.events_dataframe``) per month (``freq="M"``) or quarter (``"Q"``), split by
    the column ``by``. Returns the matplotlib Axes."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    dated = events.dropna(subset=["date"])
    periods = dated["date"].dt.to_period(freq)
    counts = dated.assign(period=periods.dt.start_time).pivot_table(
        index="period", columns=by, values="date", aggfunc="count", fill_value=0)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.5))
    width = 25 if freq == "M" else 75  # days: a bar a little narrower than its period
    bottom = None
    for column in counts.columns:
        ax.bar(counts.index, counts[column], width=width, bottom=bottom, label=str(column), align="edge")
        bottom = counts[column] if bottom is None else bottom + counts[column]
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=12))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(ylabel="events", title=title)
    ax.legend(loc="upper left", fontsize="small")
    return ax
