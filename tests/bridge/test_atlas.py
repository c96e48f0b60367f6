"""Atlas export: BrainGlobe (v3 Draco and v2 OBJ) -> Blender frame, offline, on a synthetic atlas."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.atlas import atlas_export
from neuroblend.atlas import brainglobe as atlas
from neuroblend.atlas import geometry as geo
from neuroblend.cli import main
from neuroblend.errors import FileFormatError, NeuroBlendError
from neuroblend.files.fileformat import check_document, load_document, save_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as fx  # noqa: E402


@pytest.fixture(scope="session")
def bg(tmp_path_factory):
    """(BrainGlobe dir, atlas name) with the synthetic v3 atlas."""
    return fx.synthetic_atlas(tmp_path_factory)


@pytest.fixture(scope="session")
def synth(bg):
    return atlas.open_atlas(bg[1], bg[0])


def export(synth, regions, **kw):
    doc, warnings = atlas_export.export_regions(synth, regions, **kw)
    return {r["acronym"]: r for r in doc["regions"]}, doc, warnings


def area(v, f):
    return 0.5 * np.linalg.norm(np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]]),
                                axis=1).sum()


def test_right_only_region_lands_at_positive_x(synth):
    regions, _, _ = export(synth, ["RO", "CA3"])
    ro = regions["RO"]["vertices"]
    assert ro[:, 0].min() > 1.0  # centre at 1.5 mm right of the midline
    assert np.allclose(ro.mean(0), [1.5, 1.0, -0.5], atol=0.05)  # right, anterior, inferior
    assert regions["RO"]["hemisphere"] == "right"
    ca3 = regions["CA3"]["vertices"]
    assert ca3[:, 0].min() < -1 and ca3[:, 0].max() > 1 and regions["CA3"]["hemisphere"] == "both"


def test_vertices_are_atlas_points_through_the_documented_transform(bg, synth):
    from brainglobe_atlasapi import BrainGlobeAtlas

    api = BrainGlobeAtlas(bg[1], brainglobe_dir=bg[0], check_latest=False)
    regions, doc, _ = export(synth, ["CA3", "RO"])
    matrix = doc["transform"]
    # The documented transform: blender_mm = R @ (atlas_um - centre) / 1000, asr -> (-r, -a, -s).
    centre = np.array(fx.SHAPE) * fx.RESOLUTION_UM / 2
    expected_matrix = np.array([[0, 0, -1], [-1, 0, 0], [0, -1, 0]]) / 1000.0
    assert np.allclose(matrix[:3, :3], expected_matrix)
    assert np.allclose(matrix[:3, 3], -expected_matrix @ centre)
    assert np.linalg.det(matrix[:3, :3]) < 0  # BrainGlobe's asr space is left-handed
    for acronym in ("CA3", "RO"):
        points = api.mesh_from_structure(acronym).points
        assert np.allclose(regions[acronym]["vertices"], geo.apply_transform(matrix, points),
                           atol=1e-5)


@pytest.mark.parametrize("hemisphere", ["both", "right", "left"])
def test_normals_face_outward(synth, hemisphere):
    regions, doc, _ = export(synth, ["root", "HPF", "RO", "MID"], descendants=True,
                             hemisphere=hemisphere)
    for acronym, region in regions.items():
        v, f = region["vertices"].astype(float), region["faces"]
        if hemisphere == "both":
            assert geo.signed_volume(v, f) > 0, acronym
        # each triangle's normal points away from the centre of the ellipsoid it lies on
        spheres = fx.REGIONS[region["id"]][4]
        centres = geo.apply_transform(doc["transform"], np.array([c for c, _r in spheres]))
        centroid = v[f].mean(axis=1)
        nearest = np.linalg.norm(centroid[:, None] - centres[None], axis=2).argmin(axis=1)
        normal = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
        outward = np.einsum("ij,ij->i", normal, centroid - centres[nearest])
        assert (outward > 0).all(), acronym


def test_source_winding_does_not_matter(synth):
    """DG and RO are packaged with inverted triangles; CA3 and MID are not."""
    regions, _, _ = export(synth, ["CA3", "DG", "RO", "MID"])
    for region in regions.values():
        assert geo.signed_volume(region["vertices"], region["faces"]) > 0


def test_descendants(synth):
    only, _, _ = export(synth, ["HPF"])
    assert list(only) == ["HPF"]
    family, _, _ = export(synth, ["HPF"], descendants=True)
    assert list(family) == ["HPF", "CA3", "DG"]
    everything, _, warnings = export(synth, ["root", "CA3"], descendants=True)
    assert list(everything) == ["root", "HPF", "CA3", "DG", "RO", "MID"]  # each once
    assert any("NM" in w and "no mesh" in w for w in warnings)


def test_hemispheres_clip_exactly_at_the_midline(synth):
    whole, doc, _ = export(synth, ["root", "HPF", "MID", "RO"])
    right, _, _ = export(synth, ["root", "HPF", "MID", "RO"], hemisphere="right")
    left, _, warnings = export(synth, ["root", "HPF", "MID", "RO"], hemisphere="left")
    assert doc["midline_x"] == pytest.approx(0.0)
    assert "RO" not in left and any("RO" in w and "left" in w for w in warnings)
    assert "RO" in right and len(right["RO"]["faces"]) == len(whole["RO"]["faces"])
    for acronym in ("root", "HPF", "MID"):
        assert right[acronym]["vertices"][:, 0].min() >= -1e-6
        assert left[acronym]["vertices"][:, 0].max() <= 1e-6
        assert right[acronym]["hemisphere"] == "right" and left[acronym]["hemisphere"] == "left"
        halves = area(right[acronym]["vertices"], right[acronym]["faces"]) + \
            area(left[acronym]["vertices"], left[acronym]["faces"])
        assert halves == pytest.approx(area(whole[acronym]["vertices"], whole[acronym]["faces"]),
                                       rel=1e-5)
    # the bilateral HPF keeps exactly its right sphere
    assert len(right["HPF"]["faces"]) == len(whole["HPF"]["faces"]) // 2


def test_origin_at_a_given_point(synth):
    regions, doc, _ = export(synth, ["RO"], origin="1000,2000,1000")  # RO's centre (a, s, r)
    assert np.allclose(regions["RO"]["vertices"].mean(0), 0, atol=0.02)
    assert np.allclose(doc["origin_um"], [1000, 2000, 1000])
    for bad in ("1,2", "nan,0,0", "1e300,0,0"):
        with pytest.raises(NeuroBlendError, match="--origin"):
            atlas_export.export_regions(synth, ["RO"], origin=bad)


def test_unknown_acronym_lists_close_matches(synth):
    with pytest.raises(NeuroBlendError, match=r"close matches: CA3 \(Field CA3\)"):
        atlas_export.export_regions(synth, ["ca3"])
    with pytest.raises(NeuroBlendError, match=r"DG \(Dentate gyrus\)"):
        atlas_export.export_regions(synth, ["dentate"])


def test_missing_atlas_lists_local_atlases(bg, tmp_path):
    with pytest.raises(NeuroBlendError, match=f"local atlases in .*: {bg[1]}.*Did you mean"):
        atlas.open_atlas("neuroblend_synth_25um", bg[0])
    with pytest.raises(NeuroBlendError, match="no atlases are present"):
        atlas.open_atlas("allen_mouse_25um", tmp_path)


def test_download_when_offline_is_one_clear_error(tmp_path, monkeypatch):
    """--download goes through BrainGlobe; offline, its connection error becomes one line."""
    import requests

    def offline(*args, **kwargs):
        raise requests.ConnectionError("network is unreachable")

    monkeypatch.setattr(requests, "get", offline)
    monkeypatch.setattr(requests, "head", offline)
    with pytest.raises(NeuroBlendError, match="cannot open or download atlas 'allen_mouse_25um'"):
        atlas.open_atlas("allen_mouse_25um", tmp_path, download=True)


def test_region_without_mesh_warns_and_the_rest_imports(synth):
    regions, doc, warnings = export(synth, ["NM", "CA3"])
    assert list(regions) == ["CA3"]
    assert len(warnings) == 1 and "NM (No-mesh area) has no mesh" in warnings[0]
    assert doc["meta"]["warnings"] == warnings
    with pytest.raises(NeuroBlendError, match="none of the requested regions has a mesh"):
        atlas_export.export_regions(synth, ["NM"])


def test_corrupt_mesh_names_the_region(bg, tmp_path):
    copy = tmp_path / "bg"
    shutil.copytree(bg[0], copy)
    broken = atlas.open_atlas(bg[1], copy)
    broken.mesh_file(broken.region("DG")).write_bytes(b"this is not a draco mesh")
    with pytest.raises(NeuroBlendError, match=r"region DG \(Dentate gyrus\).*corrupt"):
        atlas_export.export_regions(broken, ["CA3", "DG"])


def test_v2_obj_atlas(tmp_path, synth):
    name = fx.build_v2_atlas(tmp_path)
    listed = {a["name"]: a for a in atlas.list_local_atlases(tmp_path)}
    assert listed[name]["layout"] == "v2" and listed[name]["version"] == "1.2"
    old = atlas.open_atlas(name, tmp_path)
    regions, doc, warnings = export(old, ["HPF"], descendants=True, hemisphere="right")
    assert list(regions) == ["HPF", "CA3", "DG"] and doc["atlas"]["layout"] == "v2"
    new, _, _ = export(synth, ["HPF"], descendants=True, hemisphere="right")
    for acronym in regions:  # same anatomy from both layouts (Draco quantises to ~0.02 um)
        assert np.allclose(regions[acronym]["vertices"], new[acronym]["vertices"], atol=1e-3)
        assert geo.signed_volume(regions[acronym]["vertices"], regions[acronym]["faces"]) > 0
    (tmp_path / f"{name}_v1.2" / "meshes" / "4.obj").write_text("v 1 2\nf 1 2 9\n")
    with pytest.raises(NeuroBlendError, match="region RO"):
        atlas_export.export_regions(old, ["RO"])


def test_clip_half_space_splits_triangles_and_keeps_winding():
    v = np.array([[-1, 0, 0], [1, 0, 0], [1, 1, 0], [-1, 1, 0]], float)
    f = np.array([[0, 1, 2], [0, 2, 3]])
    cv, cf = geo.clip_half_space(v, f, 0, 0.0, keep_above=True)
    assert cv[:, 0].min() >= 0 and area(cv.astype(float), cf) == pytest.approx(1.0)
    normals = np.cross(cv[cf[:, 1]] - cv[cf[:, 0]], cv[cf[:, 2]] - cv[cf[:, 0]])
    assert (normals[:, 2] > 0).all()
    assert len(np.unique(cv.round(6), axis=0)) == len(cv)  # cut points shared, not duplicated


def test_file_round_trip_and_validation(synth, tmp_path):
    _, doc, _ = export(synth, ["CA3", "RO"])
    path = tmp_path / "regions.pkl"
    save_document(doc, path)
    loaded = load_document(path, expect="neuroblend.atlas")
    assert loaded["atlas"]["name"] == synth.name and loaded["units"]["space"] == "mm"
    assert np.array_equal(loaded["regions"][0]["faces"], doc["regions"][0]["faces"])
    doc["regions"][0]["faces"] = doc["regions"][0]["faces"] + 10_000
    doc["regions"][1]["rgb"] = (300, 0, 0)
    with pytest.raises(FileFormatError, match=r"regions\[0\]: 'faces' index outside.*"
                       r"regions\[1\]: 'rgb'"):
        check_document(doc)


def test_cli_list_export_inspect(bg, tmp_path, capsys):
    assert main(["atlas", "list", "--brainglobe-dir", str(bg[0])]) == 0
    assert bg[1] in capsys.readouterr().out
    assert main(["atlas", "list", bg[1], "--brainglobe-dir", str(bg[0])]) == 0
    assert "    CA3  Field CA3" in capsys.readouterr().out
    out = tmp_path / "regions.pkl"
    code = main(["atlas", "export", bg[1], "--regions", "HPF", "NM", "--descendants",
                 "--hemisphere", "right", "--brainglobe-dir", str(bg[0]), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0 and "3 regions (HPF, CA3, DG)" in captured.out
    assert "warning: region NM" in captured.err
    assert main(["inspect", str(out)]) == 0
    assert "HPF (right), CA3 (right), DG (right)" in capsys.readouterr().out
    code = main(["atlas", "export", bg[1], "--regions", "CA4", "--brainglobe-dir", str(bg[0]),
                 "--out", str(tmp_path / "bad.pkl")])
    err = capsys.readouterr().err
    assert code == 2 and "close matches: CA3" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "bad.pkl").exists()


def test_default_dir_never_writes_brainglobe_config(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BRAINGLOBE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert atlas.default_brainglobe_dir() == tmp_path / "home" / ".brainglobe"
    assert atlas.list_local_atlases() == []
    assert main(["atlas", "list"]) == 0
    assert "no atlases are present" in capsys.readouterr().out
    assert not (tmp_path / "config").exists()


def test_download_with_unreachable_server_does_not_blame_the_name(tmp_path, monkeypatch):
    """Internet up but BrainGlobe's server down: BrainGlobe says 'not a valid atlas name'."""
    import brainglobe_atlasapi.bg_atlas as bg

    monkeypatch.setattr(bg, "check_internet_connection", lambda *a, **k: True)
    monkeypatch.setattr(bg.BrainGlobeAtlas, "remote_version", property(lambda self: None))
    with pytest.raises(NeuroBlendError, match="server is unreachable"):
        atlas.open_atlas("allen_mouse_25um", tmp_path, download=True)
