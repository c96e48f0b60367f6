"""Build one installable Blender extension zip per add-on in ``addons/``, neuroblend wheel bundled.

    python scripts/build_extensions.py [--out DIR] [--addon NAME ...] [--wheel FILE]

Each ``addons/<id>/blender_manifest.toml`` gives ``dist/extensions/<id>-<version>.zip`` with the
add-on's files at the zip root, the neuroblend wheel under ``wheels/`` and a manifest whose
``wheels`` entry names exactly that wheel, so Blender 4.2+ installs it without pip (Edit >
Preferences > Get Extensions > Install from Disk). Manifests are checked first (required keys,
id = folder name, permissions: ``files`` when the add-on uses files, never ``network``); each zip
is then checked with Blender's own extension validator when the bpy wheel (or a ``blender`` binary)
is available. Needs only Python and pip, not Blender.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("neuroblend") is None:  # run from a checkout without installing
    sys.path.insert(0, str(REPO / "bridge"))

from neuroblend.errors import NeuroBlendError  # noqa: E402
from neuroblend.files.atomic import atomic_path  # noqa: E402

ADDONS_DIR = REPO / "addons"
DEFAULT_OUT = REPO / "dist" / "extensions"
MANIFEST = "blender_manifest.toml"
REQUIRED_KEYS = {
    "schema_version": str, "id": str, "version": str, "name": str, "tagline": str,
    "maintainer": str, "type": str, "blender_version_min": str, "license": list, "wheels": list,
}
ALLOWED_PERMISSIONS = {"files"}
# Source markers: what makes an add-on read or write the user's files, or reach the network.
FILE_USE = re.compile(r"\b(FILE_PATH|DIR_PATH|FILE_NAME|ImportHelper|ExportHelper|fileselect_add)\b")
NETWORK_USE = re.compile(
    r"^\s*(import|from)\s+(socket|ssl|urllib|http|requests|httpx|aiohttp|ftplib|smtplib)\b", re.M
)
WHEELS_ENTRY = re.compile(r"^wheels\s*=\s*\[[^\]]*\]", re.M)
SKIPPED = {"__pycache__", "wheels", MANIFEST}


def addon_dirs(addons_dir: Path = ADDONS_DIR, names: list[str] | None = None) -> list[Path]:
    """The add-on folders to build (those holding a manifest), optionally only ``names``."""
    found = sorted(p.parent for p in Path(addons_dir).glob(f"*/{MANIFEST}"))
    if not names:
        if not found:
            raise NeuroBlendError(f"{addons_dir}: no add-on folders with a {MANIFEST}")
        return found
    by_name = {p.name: p for p in found}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise NeuroBlendError(
            f"no add-on named {', '.join(missing)} in {addons_dir} "
            f"(available: {', '.join(by_name) or 'none'})"
        )
    return [by_name[n] for n in names]


def read_manifest(addon_dir: Path) -> tuple[str, dict]:
    """The manifest's text and parsed table; a clear error if it is not valid TOML."""
    path = Path(addon_dir) / MANIFEST
    text = path.read_text(encoding="utf-8")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NeuroBlendError(f"{path}: not valid TOML ({exc})") from None


def manifest_problems(addon_dir: Path, manifest: dict) -> list[str]:
    """Everything wrong with an add-on's manifest, as ``<file>: <problem>`` lines (empty if fine)."""
    addon_dir = Path(addon_dir)
    where = addon_dir / MANIFEST
    problems = []
    for key, kind in REQUIRED_KEYS.items():
        if key not in manifest:
            problems.append(f"missing required key '{key}'")
        elif not isinstance(manifest[key], kind) or not manifest[key]:
            problems.append(f"'{key}' must be a non-empty {kind.__name__}")
    if manifest.get("schema_version", "1.0.0") != "1.0.0":
        problems.append(f"schema_version must be \"1.0.0\", not {manifest['schema_version']!r}")
    if "id" in manifest and manifest["id"] != addon_dir.name:
        problems.append(f"id {manifest['id']!r} must equal the folder name {addon_dir.name!r}")
    if manifest.get("type", "add-on") != "add-on":
        problems.append(f"type must be \"add-on\", not {manifest['type']!r}")
    wheels = manifest.get("wheels")
    if isinstance(wheels, list) and (
        len(wheels) != 1 or not re.fullmatch(r"\./wheels/neuroblend-[^/]+\.whl", str(wheels[0]))
    ):
        problems.append(f"wheels must list only the neuroblend wheel "
                        f"(\"./wheels/neuroblend-<version>-py3-none-any.whl\"), not {wheels!r}")
    problems += _permission_problems(addon_dir, manifest.get("permissions", {}))
    if not (addon_dir / "__init__.py").is_file():
        problems.append("the add-on has no __init__.py")
    return [f"{where}: {p}" for p in problems]


def _permission_problems(addon_dir: Path, permissions) -> list[str]:
    if not isinstance(permissions, dict):
        return ["permissions must be a table, e.g. permissions = { files = \"Read data files\" }"]
    problems = []
    if "network" in permissions:
        problems.append("must not declare the network permission: NeuroBlend add-ons work offline")
    for key in sorted(set(permissions) - ALLOWED_PERMISSIONS - {"network"}):
        problems.append(f"permission '{key}' is not used by NeuroBlend add-ons (only 'files')")
    sources = {p: p.read_text(encoding="utf-8") for p in sorted(addon_dir.rglob("*.py"))
               if "__pycache__" not in p.parts}
    uses_files = [p.name for p, text in sources.items() if FILE_USE.search(text)]
    if uses_files and "files" not in permissions:
        problems.append(f"{', '.join(uses_files)} open(s) files (file browser or path property) "
                        "but permissions declares no files = \"...\"")
    for path, text in sources.items():
        if match := NETWORK_USE.search(text):
            problems.append(f"{path.name} imports {match.group(2)}: add-ons must not use the network")
    return problems


def with_wheel(manifest_text: str, wheel_name: str) -> str:
    """The manifest text with its ``wheels`` entry naming ``wheels/<wheel_name>``; rest untouched."""
    entry = f'wheels = ["./wheels/{wheel_name}"]'
    text, count = WHEELS_ENTRY.subn(entry, manifest_text, count=1)
    if count == 0:
        raise NeuroBlendError(f"no top-level 'wheels = [...]' entry in the manifest to point at "
                              f"{wheel_name}")
    if tomllib.loads(text).get("wheels") != [f"./wheels/{wheel_name}"]:
        raise NeuroBlendError("could not rewrite the manifest's wheels entry")
    return text


def build_wheel(out_dir: Path, repo: Path = REPO) -> Path:
    """Build the neuroblend wheel (pure Python, no dependencies bundled) into ``out_dir``.

    The sources are copied to a temporary folder first, so the checkout gets no build/ or
    egg-info litter. Uses the current environment's build backend when it has one (offline),
    else pip's isolated build.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="neuroblend-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for item in repo.iterdir():
            if item.is_file() and not item.name.startswith("."):
                shutil.copy2(item, src / item.name)
        shutil.copytree(repo / "bridge", src / "bridge",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        staging = Path(tmp) / "wheel"
        pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
               str(staging), str(src)]
        offline = subprocess.run(pip + ["--no-build-isolation", "--check-build-dependencies"],
                                 capture_output=True, text=True)
        if offline.returncode != 0:
            isolated = subprocess.run(pip, capture_output=True, text=True)
            if isolated.returncode != 0:
                lines = [ln.strip() for ln in (isolated.stderr + isolated.stdout).splitlines()]
                errors = [ln for ln in lines if "error" in ln.lower()] or lines
                raise NeuroBlendError("building the neuroblend wheel with pip failed: "
                                      + " | ".join(errors[-3:]))
        wheels = sorted(staging.glob("neuroblend-*.whl"))
        if len(wheels) != 1:
            raise NeuroBlendError(f"pip built {len(wheels)} neuroblend wheels, expected one")
        target = out_dir / wheels[0].name
        with atomic_path(target) as part:
            shutil.copyfile(wheels[0], part)
    return target


def requirement_problems(metadata: str) -> list[str]:
    """Requirements in a wheel's METADATA that could contradict the Blender it is installed in.

    Blender brings its own numpy (1.x up to 5.0, 2.x from 5.1) and is itself bpy: the bundled
    wheel may require numpy only without an upper bound, and bpy or anything else only in extras.
    """
    problems = []
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        requirement = line.split(":", 1)[1].strip()
        if "extra ==" in requirement:
            continue
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)
        if name is None or name.group(0).lower() != "numpy":
            problems.append(f"requires {requirement!r} (Blender installs bundled wheels with no "
                            "dependencies: keep them in extras)")
        elif "<" in requirement or "==" in requirement or "~=" in requirement:
            problems.append(f"requires {requirement!r}: Blender 4.2-5.0 ship numpy 1.x and 5.1+ "
                            "numpy 2.x, so numpy must have no upper bound")
    return problems


def check_wheel_requirements(wheel: Path) -> None:
    """Refuse a neuroblend wheel whose dependencies contradict some supported Blender."""
    with zipfile.ZipFile(wheel) as zf:
        name = next((n for n in zf.namelist() if n.endswith(".dist-info/METADATA")), None)
        if name is None:
            raise NeuroBlendError(f"{wheel.name}: no .dist-info/METADATA in the wheel")
        problems = requirement_problems(zf.read(name).decode("utf-8"))
    if problems:
        raise NeuroBlendError(f"{wheel.name}: " + "; ".join(problems) + " (fix pyproject.toml)")


def write_extension_zip(addon_dir: Path, wheel: Path, out_dir: Path,
                        validator: list[str] | None = None) -> Path:
    """Write ``<out_dir>/<id>-<version>.zip`` for one add-on (manifest already checked).

    With a ``validator`` command (see ``blender_validator``) a zip Blender would refuse is
    never put in place.
    """
    addon_dir, wheel = Path(addon_dir), Path(wheel)
    text, manifest = read_manifest(addon_dir)
    text = with_wheel(text, wheel.name)
    target = Path(out_dir) / f"{manifest['id']}-{manifest['version']}.zip"
    files = sorted(p for p in addon_dir.rglob("*") if p.is_file()
                   and not SKIPPED & set(p.relative_to(addon_dir).parts)
                   and not p.name.startswith(".") and p.suffix != ".pyc")
    with atomic_path(target) as part:
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, text)
            for path in files:
                zf.write(path, path.relative_to(addon_dir).as_posix())
            zf.write(wheel, f"wheels/{wheel.name}")
        if validator:
            validate_with_blender(part, validator, shown_as=target)
    for stale in Path(out_dir).glob(f"{manifest['id']}-*.zip"):
        if stale != target:
            stale.unlink()
    return target


def blender_validator() -> list[str] | None:
    """A command that runs Blender's own extension validator on an archive, if one is found.

    With the bpy wheel this is the script behind ``blender --command extension validate``, run
    with Blender's list of valid tags as Blender itself does.
    """
    spec = importlib.util.find_spec("bpy")  # locates the wheel without importing it
    if spec is not None and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            for scripts in sorted(Path(root).glob("*/scripts")):
                script = scripts / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
                tags = scripts / "modules" / "_bpy_internal" / "extensions" / "tags.py"
                if script.is_file():
                    return [sys.executable, str(script), "validate",
                            f"--valid-tags={tags if tags.is_file() else ''}"]
    blender = shutil.which("blender")
    if blender:
        return [blender, "--factory-startup", "--command", "extension", "validate"]
    return None


def validate_with_blender(zip_path: Path, command: list[str], shown_as: Path | None = None) -> None:
    """Run Blender's validator on ``zip_path``; raise with its messages if it rejects the zip."""
    result = subprocess.run([*command, str(zip_path)], capture_output=True, text=True)
    if result.returncode != 0:
        messages = " | ".join(line.strip().replace(str(zip_path), "the zip") for line in
                              (result.stdout + result.stderr).splitlines() if line.strip())
        raise NeuroBlendError(
            f"{shown_as or zip_path}: Blender's extension validator refused it: {messages}")


def build_extensions(addons_dir: Path = ADDONS_DIR, out_dir: Path = DEFAULT_OUT,
                     names: list[str] | None = None, wheel: Path | None = None,
                     blender_check: bool = True) -> list[Path]:
    """Check every selected manifest, build the wheel once (unless given), write one zip each."""
    dirs = addon_dirs(Path(addons_dir), names)
    problems = [p for d in dirs for p in manifest_problems(d, read_manifest(d)[1])]
    if problems:
        raise NeuroBlendError("; ".join(problems))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="neuroblend-ext-") as tmp:
        if wheel is None:
            wheel = build_wheel(Path(tmp))
        elif not Path(wheel).is_file():
            raise NeuroBlendError(f"{wheel}: no such wheel file")
        check_wheel_requirements(Path(wheel))
        validator = blender_validator() if blender_check else None
        return [write_extension_zip(d, Path(wheel), out_dir, validator) for d in dirs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_extensions.py", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for the zips (default: dist/extensions)")
    parser.add_argument("--addon", action="append", metavar="NAME",
                        help="build only this add-on (repeatable; default: all in addons/)")
    parser.add_argument("--wheel", type=Path, help="bundle this neuroblend wheel instead of building one")
    parser.add_argument("--addons-dir", type=Path, default=ADDONS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        zips = build_extensions(args.addons_dir, args.out, args.addon, args.wheel)
    except NeuroBlendError as exc:
        print(f"build_extensions: error: {exc}", file=sys.stderr)
        return 2
    checked = "checked by Blender's validator" if blender_validator() else "Blender's validator not found"
    for path in zips:
        print(f"built {path} ({checked})")
    return 0


if __name__ == "__main__":
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
    sys.exit(main(argv))
