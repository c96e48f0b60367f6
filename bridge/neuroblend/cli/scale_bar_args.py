"""``--scale-bar auto|off|LENGTH``: the scale bar flag of the spike and atlas renders."""

from __future__ import annotations

from neuroblend.cli.option_flags import ranged


def add_scale_bar_argument(group, options_class, unit: str) -> None:
    """Add ``--scale-bar`` to ``group``, its range and default from ``options_class``."""
    group.add_argument("--scale-bar", metavar="auto|off|LENGTH", **ranged(
        options_class, "scale_bar", "a scale bar: a round length of about 15%% of the frame "
        f"width at the camera's focal plane, or LENGTH {unit}"))
