"""The rearranging network graph (pure numpy): layouts, the staggered morph, sampled edges and
the per-frame positions/activity shared by the Blender render and the matplotlib clip."""
