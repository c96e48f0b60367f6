"""Install built NeuroBlend extension zips into a throw-away Blender user folder; report as JSON.

    python tests/blender/extension_install_check.py USER_DIR REPORT.json ZIP...

Runs in its own process because Blender reads the BLENDER_USER_* folders when bpy is first
imported. The checkout's neuroblend is taken off sys.path so the add-ons must run on the wheel
bundled in their zips. Remote extension repositories are disabled and sockets refused, so
installing never touches the network. Used by test_extensions.py, which asserts on the report.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import traceback
from pathlib import Path

PREFIX = "NEUROBLEND_"
network_attempts: list[str] = []


def _refuse(*args, **kwargs):
    network_attempts.append(repr(args[:2]))
    raise OSError("extension install check: network access refused")


def _block_network() -> None:
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address)
        return real_connect(self, address)

    socket.socket.connect = guarded_connect
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse


def neuroblend_classes(bpy) -> set[str]:
    return {name for name in dir(bpy.types) if name.startswith(PREFIX)}


def describe_classes(bpy, names: set[str]) -> dict:
    """Panels (where they show) and operators (id, whether poll() answers) among ``names``."""
    panels, operators = {}, {}
    for name in sorted(names):
        cls = getattr(bpy.types, name)
        if "_PT_" in name:
            panels[name] = {key: getattr(cls, key, "") for key in
                            ("bl_space_type", "bl_region_type", "bl_category", "bl_parent_id")}
        elif "_OT_" in name:
            op_name = name.split("_OT_", 1)[1]
            op = getattr(bpy.ops.neuroblend, op_name)
            operators[name] = {"idname": f"neuroblend.{op_name}", "poll": bool(op.poll())}
    return {"panels": panels, "operators": operators}


def check_addon(bpy, zip_path: Path, extensions_dir: Path) -> dict:
    """Install and enable one zip, then disable and re-enable it, recording what is registered."""
    import addon_utils

    addon_id = zip_path.name.rsplit("-", 1)[0]
    module = f"bl_ext.user_default.{addon_id}"
    result: dict = {"module": module}
    before = neuroblend_classes(bpy)
    result["install"] = sorted(bpy.ops.extensions.package_install_files(
        filepath=str(zip_path), repo="user_default", enable_on_install=True))
    result["enabled"] = bool(addon_utils.check(module)[1])
    result["module_file"] = getattr(sys.modules.get(module), "__file__", None)
    added = neuroblend_classes(bpy) - before
    result.update(describe_classes(bpy, added))
    bpy.ops.preferences.addon_disable(module=module)
    result["enabled_after_disable"] = bool(addon_utils.check(module)[1])
    result["left_after_disable"] = sorted(added & neuroblend_classes(bpy))
    bpy.ops.preferences.addon_enable(module=module)
    result["enabled_after_enable"] = bool(addon_utils.check(module)[1])
    result["missing_after_enable"] = sorted(added - neuroblend_classes(bpy))
    result["wheel_dir"] = str(extensions_dir / ".local")
    return result


def check_studio_operators(bpy) -> dict:
    """Run the core add-on's operators on a small scene and record what a user would see."""
    from bpy_extras.object_utils import world_to_camera_view

    scene = bpy.context.scene
    mesh = bpy.data.meshes.new("Probe")
    mesh.from_pydata([(x, y, z) for x in (-1, 1) for y in (-2, 2) for z in (-0.5, 0.5)], [], [])
    probe = bpy.data.objects.new("Probe", mesh)
    probe.location = (4.0, 2.0, 1.0)
    scene.collection.objects.link(probe)
    for obj in scene.objects:
        obj.select_set(obj is probe)
    bpy.context.view_layer.objects.active = probe
    bpy.context.view_layer.update()

    settings = scene.neuroblend_studio
    settings.samples, settings.bloom = 7, False
    facts = {"setup": sorted(bpy.ops.neuroblend.setup_studio())}
    from neuroblend.blender.core import compat, studio

    background = next(n for n in scene.world.node_tree.nodes
                      if n.bl_idname == "ShaderNodeBackground").inputs
    bloom = compat.compositor_tree(scene).nodes.get(studio.BLOOM_NODE)
    facts.update(
        engine=scene.render.engine, samples=scene.cycles.samples, device=scene.cycles.device,
        view_transform=scene.view_settings.view_transform,
        world_color=list(background["Color"].default_value)[:3],
        world_strength=background["Strength"].default_value,
        bloom_muted=None if bloom is None else bloom.mute,
    )
    settings.device = "gpu"  # no GPU on a test machine: the operator reports it and cancels
    try:
        facts["gpu_setup"] = sorted(bpy.ops.neuroblend.setup_studio())
    except RuntimeError as exc:
        facts["gpu_setup"] = str(exc).strip()
    facts["frame"] = sorted(bpy.ops.neuroblend.frame_camera())
    camera = scene.camera
    corners = [probe.matrix_world @ v.co for v in mesh.vertices]
    facts["camera"] = camera.name if camera else None
    facts["projected_corners"] = [list(world_to_camera_view(scene, camera, c))[:3] for c in corners]
    facts["projected_center"] = list(world_to_camera_view(scene, camera, probe.location))[:2]
    return facts


def main(argv: list[str]) -> int:
    user_dir, report_path, zips = Path(argv[0]), Path(argv[1]), [Path(z) for z in argv[2:]]
    for kind in ("CONFIG", "SCRIPTS", "EXTENSIONS", "DATAFILES"):
        os.environ[f"BLENDER_USER_{kind}"] = str(user_dir / kind.lower())
    sys.path[:] = [p for p in sys.path if not (Path(p) / "neuroblend" / "__init__.py").is_file()]
    _block_network()

    import bpy

    repos = bpy.context.preferences.extensions.repos
    for repo in repos:
        if repo.use_remote_url:
            repo.enabled = False
    report: dict = {"online_access": bpy.app.online_access, "addons": {}}
    for zip_path in zips:
        try:
            report["addons"][zip_path.name] = check_addon(bpy, zip_path, user_dir / "extensions")
        except Exception:
            report["addons"][zip_path.name] = {"error": traceback.format_exc()}
    try:
        import neuroblend
        report["neuroblend_file"] = neuroblend.__file__
        if hasattr(bpy.ops.neuroblend, "setup_studio"):
            report["studio"] = check_studio_operators(bpy)
    except Exception:
        report["studio"] = {"error": traceback.format_exc()}
    report["remote_repos_enabled"] = [r.name for r in repos if r.use_remote_url and r.enabled]
    report["network_attempts"] = network_attempts
    report_path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    from neuroblend.blender.core import compat  # the bundled wheel's

    if compat.EXIT_CRASHES_INTERPRETER:  # bpy 4.2-4.4 crash in their teardown once panels exist
        sys.stdout.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
