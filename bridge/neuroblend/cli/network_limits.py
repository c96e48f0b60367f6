"""Size-limit flags of network renders (``render spike`` of a network file): how many
connections are drawn and how big a baked texture may be (see neuroblend.network.render_budget)."""

from __future__ import annotations

from neuroblend.argtypes import float_range, int_range
from neuroblend.files.limits import MAX_BAKE_MB, MAX_NETWORK_CONNECTIONS


def add_network_limit_arguments(parser) -> None:
    """--max-connections and --max-bake-mb, in their own group of ``parser``."""
    group = parser.add_argument_group("network size limits")
    group.add_argument("--max-connections", type=int_range(0, 16_000_000),
                       default=MAX_NETWORK_CONNECTIONS, metavar="N",
                       help="networks: refuse to draw more than N connections "
                       "(default %(default)s)")
    group.add_argument("--max-bake-mb", type=float_range(1, 16384), default=MAX_BAKE_MB,
                       metavar="MIB",
                       help="networks: most MiB of one baked texture; bigger pulse textures are "
                       "baked at a coarser time step, bigger value textures refused "
                       "(default %(default)s)")
