"""NeuroBlend: neuroscience data to film-quality Blender animations.

The core package is pure Python + numpy; ``neuroblend.blender`` is the bpy layer.
"""

__version__ = "0.1.0"
