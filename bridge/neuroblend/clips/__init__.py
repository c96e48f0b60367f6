"""Matplotlib clips for compositing: voltage traces and network activity as video layers.

Frames are drawn with the Agg backend (no display) into one reused figure and streamed to an MP4
or a PNG sequence by :class:`neuroblend.clips.writer.FrameWriter`. Layers are merged with
Blender's video sequencer by ``neuroblend compose`` (see :mod:`neuroblend.clips.layers`).
"""
