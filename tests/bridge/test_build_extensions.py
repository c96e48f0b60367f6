"""scripts/build_extensions.py: zip layout, manifest rewriting and manifest validation."""

from __future__ import annotations

import importlib.util
import tomllib
import zipfile
from pathlib import Path

import pytest

from neuroblend.errors import NeuroBlendError

REPO = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("build_extensions",
                                              REPO / "scripts" / "build_extensions.py")
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)

MANIFEST = """\
schema_version = "1.0.0"
id = "{id}"
version = "1.2.3"
name = "Test Add-on"
tagline = "An add-on for tests"
maintainer = "NeuroBlend"
type = "add-on"
blender_version_min = "4.2.0"
license = ["SPDX:GPL-3.0-or-later"]
{extra}
# keep this comment
wheels = [
    "./wheels/neuroblend-0.1.0-py3-none-any.whl",
]
"""
INIT = "import bpy\n\nclasses = ()\n\ndef register():\n    pass\n\ndef unregister():\n    pass\n"


def make_addon(root: Path, name: str = "nb_test", *, extra: str = "", init: str = INIT,
               addon_id: str | None = None) -> Path:
    folder = root / "addons" / name
    folder.mkdir(parents=True)
    (folder / "blender_manifest.toml").write_text(MANIFEST.format(id=addon_id or name, extra=extra))
    (folder / "__init__.py").write_text(init)
    return folder


def fake_wheel(root: Path, version: str = "0.2.0", requires: str = "numpy>=1.24") -> Path:
    wheel = root / f"neuroblend-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("neuroblend/__init__.py", "")
        zf.writestr(f"neuroblend-{version}.dist-info/METADATA",
                    f"Metadata-Version: 2.4\nName: neuroblend\nRequires-Dist: {requires}\n")
    return wheel


def build_one(tmp_path, wheel=None, names=None):
    return build.build_extensions(tmp_path / "addons", tmp_path / "out", names=names,
                                  wheel=wheel or fake_wheel(tmp_path), blender_check=False)


def test_zip_has_addon_at_root_wheel_under_wheels_and_matching_manifest(tmp_path):
    folder = make_addon(tmp_path)
    (folder / "ui").mkdir()
    (folder / "ui" / "panels.py").write_text("X = 1\n")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "junk.cpython-311.pyc").write_bytes(b"junk")
    (zip_path,) = build_one(tmp_path)
    assert zip_path == tmp_path / "out" / "nb_test-1.2.3.zip"
    with zipfile.ZipFile(zip_path) as zf:
        names = sorted(zf.namelist())
        manifest_text = zf.read("blender_manifest.toml").decode()
    assert names == ["__init__.py", "blender_manifest.toml", "ui/panels.py",
                     "wheels/neuroblend-0.2.0-py3-none-any.whl"]
    manifest = tomllib.loads(manifest_text)
    # The wheels entry names the bundled wheel (version 0.2.0, not the folder's 0.1.0) ...
    assert manifest["wheels"] == ["./wheels/neuroblend-0.2.0-py3-none-any.whl"]
    # ... and nothing else in the manifest changed.
    assert "# keep this comment" in manifest_text
    assert manifest["version"] == "1.2.3" and manifest["id"] == "nb_test"
    # The source folder is untouched.
    assert "0.1.0" in tomllib.loads((folder / "blender_manifest.toml").read_text())["wheels"][0]


def test_rebuilding_replaces_the_old_version_zip(tmp_path):
    folder = make_addon(tmp_path)
    build_one(tmp_path)
    manifest = folder / "blender_manifest.toml"
    manifest.write_text(manifest.read_text().replace('"1.2.3"', '"1.2.4"'))
    build_one(tmp_path)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["nb_test-1.2.4.zip"]


def test_addon_option_builds_only_the_named_addons(tmp_path):
    make_addon(tmp_path, "nb_a")
    make_addon(tmp_path, "nb_b")
    assert [p.name for p in build_one(tmp_path, names=["nb_b"])] == ["nb_b-1.2.3.zip"]
    with pytest.raises(NeuroBlendError, match="no add-on named nb_c"):
        build_one(tmp_path, names=["nb_c"])


@pytest.mark.parametrize("kwargs, problem", [
    ({"addon_id": "other"}, "id 'other' must equal the folder name 'nb_test'"),
    ({"extra": 'permissions = { network = "Download atlases" }'},
     "must not declare the network permission"),
    ({"extra": 'permissions = { clipboard = "Copy values" }'}, "permission 'clipboard'"),
    ({"extra": 'permissions = ["files"]'}, "permissions must be a table"),
    ({"init": INIT + 'P = "FILE_PATH"\n'}, "declares no files"),
    ({"init": "import urllib.request\n" + INIT}, "imports urllib: add-ons must not use the network"),
])
def test_bad_manifests_are_refused_with_the_reason(tmp_path, kwargs, problem):
    make_addon(tmp_path, **kwargs)
    with pytest.raises(NeuroBlendError, match="blender_manifest.toml: .*" + problem.replace("(", r"\(")):
        build_one(tmp_path)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_declared_files_permission_allows_file_browsers(tmp_path):
    make_addon(tmp_path, extra='permissions = { files = "Read NeuroBlend files" }',
               init=INIT + 'P = "FILE_PATH"\n')
    assert len(build_one(tmp_path)) == 1


def test_missing_keys_and_foreign_wheels_are_listed(tmp_path):
    folder = make_addon(tmp_path)
    manifest = folder / "blender_manifest.toml"
    text = manifest.read_text().replace('tagline = "An add-on for tests"\n', "")
    manifest.write_text(text.replace("neuroblend-0.1.0", "numpy-1.26.4"))
    problems = build.manifest_problems(folder, build.read_manifest(folder)[1])
    assert any("missing required key 'tagline'" in p for p in problems)
    assert any("wheels must list only the neuroblend wheel" in p for p in problems)


def test_invalid_toml_and_no_addons_are_clear_errors(tmp_path):
    folder = make_addon(tmp_path)
    (folder / "blender_manifest.toml").write_text("id = \n")
    with pytest.raises(NeuroBlendError, match="not valid TOML"):
        build_one(tmp_path)
    with pytest.raises(NeuroBlendError, match="no add-on folders"):
        build.build_extensions(tmp_path / "empty", tmp_path / "out", wheel=fake_wheel(tmp_path))


def test_command_line_error_is_one_line_and_exit_2(tmp_path, capsys):
    make_addon(tmp_path, addon_id="wrong")
    code = build.main(["--addons-dir", str(tmp_path / "addons"), "--out", str(tmp_path / "out"),
                       "--wheel", str(fake_wheel(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("build_extensions: error: ") and err.count("\n") == 1


@pytest.mark.parametrize("folder", build.addon_dirs(), ids=lambda p: p.name)
def test_every_addon_in_the_repository_passes_validation(folder):
    assert build.manifest_problems(folder, build.read_manifest(folder)[1]) == []


@pytest.mark.skipif(build.blender_validator() is None, reason="Blender's validator not available")
@pytest.mark.parametrize("extra, tagline, problem", [
    ("", "Ends with a dot.", "tagline"),
    ('tags = ["Neuroscience Wizardry"]', "An add-on for tests", "Neuroscience Wizardry"),
])
def test_blender_validator_rejects_what_blender_would(tmp_path, extra, tagline, problem):
    folder = make_addon(tmp_path, extra=extra)
    manifest = folder / "blender_manifest.toml"
    manifest.write_text(manifest.read_text().replace("An add-on for tests", tagline))
    with pytest.raises(NeuroBlendError, match=f"nb_test-1.2.3.zip: Blender's .*{problem}"):
        build.build_extensions(tmp_path / "addons", tmp_path / "out", wheel=fake_wheel(tmp_path))
    assert list((tmp_path / "out").iterdir()) == []  # a refused zip is never put in place


def test_real_wheel_holds_the_whole_package(tmp_path):
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    wheel = build.build_wheel(tmp_path)
    assert wheel.name == f"neuroblend-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {"neuroblend/__init__.py", "neuroblend/blender/core/studio.py",
            f"neuroblend-{version}.dist-info/METADATA"} <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_real_wheel_declares_nothing_a_supported_blender_contradicts(tmp_path):
    wheel = build.build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(next(n for n in zf.namelist() if n.endswith("METADATA"))).decode()
    assert build.requirement_problems(metadata) == []
    assert "Requires-Dist: numpy>=1.24\n" in metadata


@pytest.mark.parametrize("requires, problem", [
    ("numpy<2,>=1.24", "no upper bound"),
    ("numpy==1.26.4", "no upper bound"),
    ("bpy==5.0.1", "keep them in extras"),
])
def test_wheels_contradicting_some_blender_are_refused(tmp_path, requires, problem):
    make_addon(tmp_path)
    with pytest.raises(NeuroBlendError, match=problem):
        build_one(tmp_path, wheel=fake_wheel(tmp_path, requires=requires))
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_extras_may_pin_bpy_per_python():
    metadata = ("Requires-Dist: numpy>=1.24\n"
                "Requires-Dist: bpy==5.0.1; python_version < \"3.12\" and extra == \"blender\"\n")
    assert build.requirement_problems(metadata) == []
