"""The film look of the spike material: a resting lift and a Fresnel rim on the emission.

``finish_emission`` takes the playback emission (colormap colour x strength) and
- lifts its colour by ``nb_rest_lift`` (added white, linear), so a cell at rest is visible on black
  even where the colormap's low end is nearly black, while the spike (strength + glow) still
  stands far above it;
- adds a rim: a second emission of the lifted colour blended towards white, weighted by a
  Fresnel-like term (facing ratio cubed) and ``nb_rim``, which outlines tubes and the soma and separates near from far
  branches (0 turns it off).
Both settings are value nodes of the material driven from the root Empty like every other.
"""

from __future__ import annotations

from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_emission, add_math, add_node, connect

REST_LIFT = "nb_rest_lift"
RIM = "nb_rim"


def finish_emission(tree, emission, colour, strength, is_nan, settings) -> object:
    """Wire ``colour``/``strength`` sockets into ``emission`` with the lift and the rim (neither
    on NaN values: they keep the exact NaN colour); returns the shader socket for the material output. ``settings``: value nodes by root
    property name."""
    white = (1.0, 1.0, 1.0, 1.0)
    lift = add_node(tree, "ShaderNodeMix", (650, 300), label="Rest lift")
    lift.data_type = "RGBA"
    lift.blend_type = "ADD"
    finite = add_math(tree, "SUBTRACT", (350, 450), 1.0, is_nan, label="Finite").outputs[0]
    amount = add_math(tree, "MULTIPLY", (500, 400), settings[REST_LIFT].outputs[0], finite,
                      label="No lift for NaN").outputs[0]
    _mix_sockets(tree, lift, amount, colour, white)
    lifted = compat.mix_socket(lift.outputs, "Result")
    connect(tree, lifted, emission.inputs["Color"])
    connect(tree, strength, emission.inputs["Strength"])
    tint = add_node(tree, "ShaderNodeMix", (850, 450), label="Rim colour")
    tint.data_type = "RGBA"
    _mix_sockets(tree, tint, 0.5, lifted, white)
    fresnel = add_node(tree, "ShaderNodeLayerWeight", (650, -600), label="Rim")
    fresnel.inputs["Blend"].default_value = 0.5
    rim_strength = add_math(tree, "MULTIPLY", (850, -600),
                            add_math(tree, "POWER", (750, -650), fresnel.outputs["Facing"],
                                     3.0).outputs[0],
                            add_math(tree, "MULTIPLY", (750, -750), settings[RIM].outputs[0],
                                     finite, label="No rim for NaN").outputs[0],
                            label="Rim strength").outputs[0]
    rim = add_emission(tree, compat.mix_socket(tint.outputs, "Result"), rim_strength,
                       (1000, -100), "Rim emission")
    total = add_node(tree, "ShaderNodeAddShader", (1150, 100), label="Emission + rim")
    connect(tree, emission.outputs[0], total.inputs[0])
    connect(tree, rim.outputs[0], total.inputs[1])
    return total.outputs[0]


def _mix_sockets(tree, node, factor, a, b) -> None:
    for name, value in (("Factor", factor), ("A", a), ("B", b)):
        connect(tree, value, compat.mix_socket(node.inputs, name))
