"""The bpy side of storyboard films: shot scenes with baked clocks and camera moves, composition."""
