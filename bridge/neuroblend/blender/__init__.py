"""The bpy layer: scene-building functions shared by the add-ons, the headless scripts and tests.

Only modules in this package (plus ``addons/``, ``scripts/`` and Blender tests) import ``bpy``.
"""
