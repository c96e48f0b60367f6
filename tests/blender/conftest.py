"""Blender test harness: the bpy wheel, a fresh empty scene per test, kept artifacts on failure."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

bpy = pytest.importorskip("bpy", reason="Blender tests need the bpy wheel: pip install bpy==5.0.1")

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(autouse=True)
def fresh_scene():
    """Every Blender test starts from Blender's factory settings with an empty scene."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    yield bpy.context.scene


ADDONS = Path(__file__).resolve().parents[2] / "addons"
REGISTRY_TYPES = ("Object", "Scene", "WindowManager", "Material", "NodeTree")


def _registered_names() -> dict[str, set[str]]:
    return {name: set(dir(getattr(bpy.types, name))) for name in REGISTRY_TYPES}


@pytest.fixture
def addon(request):
    """The add-on named by the test module's ``ADDON`` (from addons/), registered for the test;
    unregistering must leave no property, class or menu of it behind."""
    import importlib

    before = _registered_names()
    sys.path.insert(0, str(ADDONS))
    try:
        module = importlib.import_module(request.module.ADDON)
        module.register()
        yield module
        module.unregister()
    finally:
        sys.path.remove(str(ADDONS))
    assert _registered_names() == before, "unregister() left properties behind"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def artifact_dir(request, tmp_path):
    """A folder for a test's renders and .blend files; copied to tests/artifacts/ if the test fails."""
    out = tmp_path / "artifacts"
    out.mkdir()
    yield out
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and any(out.iterdir()):
        keep = ARTIFACTS / request.node.name
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(out, keep)
        print(f"kept render artifacts of the failed test in {keep}")


def pytest_sessionfinish(session, exitstatus):
    session.config._nb_exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """bpy 4.2-4.4 segfault at interpreter exit (see compat.EXIT_CRASHES_INTERPRETER): once
    pytest has reported everything, end the process with pytest's own exit status instead."""
    from neuroblend.blender.core import compat

    if compat.EXIT_CRASHES_INTERPRETER and hasattr(config, "_nb_exitstatus"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config._nb_exitstatus)
