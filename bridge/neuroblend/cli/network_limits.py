"""Size-limit flags of network renders (``render spike`` of a network file): how many
connections are drawn and how big a baked texture may be (see neuroblend.network.render_budget)."""

from __future__ import annotations

from neuroblend.cli.option_flags import ranged
from neuroblend.spike.render_options import SpikeRenderOptions as D


def add_network_limit_arguments(parser) -> None:
    """--max-connections and --max-bake-mb, in their own group of ``parser``."""
    group = parser.add_argument_group("network size limits")
    group.add_argument("--max-connections", metavar="N", **ranged(
        D, "max_connections", "networks: refuse to draw more than N connections"))
    group.add_argument("--max-bake-mb", metavar="MIB", **ranged(
        D, "max_bake_mb", "networks: most MiB of one baked texture; bigger pulse textures are "
        "baked at a coarser time step, bigger value textures refused"))
