"""Every add-on in addons/ builds to an extension zip that installs into Blender, enables,
registers its panels and operators, and disables/re-enables cleanly, offline, on its bundled wheel.

One subprocess installs all zips into throw-away Blender user folders (Blender reads them when
bpy is first imported, which this pytest process already did); see extension_install_check.py.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from neuroblend.errors import NeuroBlendError

REPO = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("extension_install_check.py")
ADDONS = sorted(p.parent.name for p in (REPO / "addons").glob("*/blender_manifest.toml"))


def load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_extensions", REPO / "scripts" / "build_extensions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every add-on built (one real wheel, Blender's validator): {name: zip path or build error}.

    Each add-on is built on its own so one broken add-on fails only its own tests.
    """
    builder = load_builder()
    out = tmp_path_factory.mktemp("extensions")
    wheel = builder.build_wheel(out / "wheel")
    result = {}
    for addon in ADDONS:
        try:
            (result[addon],) = builder.build_extensions(out_dir=out, names=[addon], wheel=wheel)
        except NeuroBlendError as exc:
            result[addon] = str(exc)
    return result


@pytest.fixture(scope="session")
def built_zips(built):
    return {name: path for name, path in built.items() if isinstance(path, Path)}


@pytest.fixture(scope="session")
def install_report(built_zips, tmp_path_factory):
    """What a fresh Blender saw when installing every built zip (one subprocess for all)."""
    work = tmp_path_factory.mktemp("blender_user")
    report = work / "report.json"
    proc = subprocess.run(
        [sys.executable, str(HELPER), str(work / "user"), str(report),
         *(str(p) for p in built_zips.values())],
        capture_output=True, text=True, timeout=300, cwd=work,
    )
    assert proc.returncode == 0 and report.is_file(), proc.stderr[-3000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    data["user_dir"] = str(work / "user")
    return data


def addon_result(install_report, built_zips, addon):
    assert addon in built_zips, f"{addon} was not built (see test_every_addon_folder_builds)"
    result = install_report["addons"][built_zips[addon].name]
    assert "error" not in result, f"{addon}: {result.get('error')}"
    return result


@pytest.mark.parametrize("addon", ADDONS)
def test_every_addon_folder_builds(built, addon):
    assert isinstance(built[addon], Path), built[addon]
    assert built[addon].name.startswith(f"{addon}-")


@pytest.mark.parametrize("addon", ADDONS)
def test_extension_installs_and_enables(install_report, built_zips, addon):
    result = addon_result(install_report, built_zips, addon)
    assert result["install"] == ["FINISHED"]
    assert result["enabled"], f"{addon} did not enable on install"
    installed = Path(install_report["user_dir"]) / "extensions" / "user_default" / addon
    assert Path(result["module_file"]) == installed / "__init__.py"


@pytest.mark.parametrize("addon", ADDONS)
def test_extension_registers_sidebar_panels_and_operators(install_report, built_zips, addon):
    result = addon_result(install_report, built_zips, addon)
    assert result["panels"], f"{addon} registered no NEUROBLEND_PT_* panel"
    assert result["operators"], f"{addon} registered no NEUROBLEND_OT_* operator"
    for name, panel in result["panels"].items():
        if panel["bl_region_type"] == "UI" and not panel["bl_parent_id"]:
            assert panel["bl_category"] == "NeuroBlend", f"{name} is not in the NeuroBlend tab"
    for name, op in result["operators"].items():
        assert isinstance(op["poll"], bool), name


@pytest.mark.parametrize("addon", ADDONS)
def test_extension_disables_and_reenables_cleanly(install_report, built_zips, addon):
    result = addon_result(install_report, built_zips, addon)
    assert not result["enabled_after_disable"]
    assert result["left_after_disable"] == [], "classes left registered after disabling"
    assert result["enabled_after_enable"]
    assert result["missing_after_enable"] == [], "classes missing after re-enabling"


def test_neuroblend_runs_from_the_bundled_wheel(install_report):
    wheel_site = Path(install_report["user_dir"]) / "extensions" / ".local"
    assert Path(install_report["neuroblend_file"]).is_relative_to(wheel_site)


def test_installing_never_touches_the_network(install_report):
    assert install_report["online_access"] is False
    assert install_report["remote_repos_enabled"] == []
    assert install_report["network_attempts"] == []


@pytest.mark.skipif("neuroblend_core" not in ADDONS, reason="no core add-on")
def test_core_operators_set_up_studio_and_frame_camera(install_report):
    studio = install_report["studio"]
    assert "error" not in studio, studio.get("error")
    assert studio["setup"] == ["FINISHED"]
    assert studio["engine"] == "CYCLES"
    assert studio["samples"] == 7  # the panel's setting, applied
    assert studio["device"] == "CPU"  # "auto" on a machine without a GPU
    assert "no GPU that Cycles can use" in str(studio["gpu_setup"])
    assert studio["view_transform"] == "Standard"
    assert studio["world_color"] == [0.0, 0.0, 0.0]
    assert studio["bloom_muted"] is True  # bloom switched off in the panel
    assert studio["frame"] == ["FINISHED"]
    # The selected box is centred in the picture and wholly inside it, in front of the camera.
    assert studio["projected_center"] == pytest.approx([0.5, 0.5], abs=1e-3)
    for x, y, depth in studio["projected_corners"]:
        assert 0.0 < x < 1.0 and 0.0 < y < 1.0 and depth > 0
