"""Storyboard films: shots, clips, titles and timing in one file (or built in code) -> one MP4.

``neuroblend film STORYBOARD.toml --out final.mp4 [--preview]`` runs :func:`load_storyboard` then
:func:`build_film`. From Python, :class:`Film` builds the same storyboard::

    film = Film(size=(1280, 720), fps=30)
    film.shot("neuron", "spike", data="sim.pkl", clock=[[0, 5.5], [3, 10, "in-out"]],
              camera={"preset": "dolly", "start": 1, "end": 3})
    film.clip("trace", "trace", clock="neuron", position=[0.8, 0.2], scale=0.35)
    film.title("Action potential", at=0.3, duration=2, fade_in=0.4, fade_out=0.4)
    film.transition("fade-to-black", duration=0.8)
    film.build("final.mp4", preview=True)
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.film.build import BuildReport, build_film
from neuroblend.film.schema import FilmLimits, Storyboard
from neuroblend.film.source import read_storyboard
from neuroblend.film.storyboard import check_storyboard
from neuroblend.film.timeline import resolve


def load_storyboard(path, limits: FilmLimits | None = None) -> Storyboard:
    """Read and check a TOML storyboard (every problem reported at once, with line numbers):
    the one validation pass (see :func:`neuroblend.film.storyboard.check_storyboard`)."""
    path = Path(path)
    source, data = read_storyboard(path)
    board = check_storyboard(data, base=path.resolve().parent, source=source, name=path.name,
                             limits=limits)
    board.path = path
    return board


class Film:
    """Builds a storyboard from code: the same tables a TOML file holds, the same checks."""

    def __init__(self, *, base=".", limits: FilmLimits | None = None, **video):
        self.base = Path(base)
        self.limits = limits
        self.data: dict = {"video": dict(video), "timeline": []}

    def _add(self, kind: str, value: str, name: str | None, options: dict) -> Film:
        table = {kind: value, **options}
        if name:
            table["name"] = name
        self.data["timeline"].append(table)
        return self

    def shot(self, name: str, kind: str, **options) -> Film:
        """A shot of ``kind`` (spike, network, graph, surface, atlas) with data, look,
        camera, clock..."""
        return self._add("shot", kind, name, options)

    def clip(self, name: str, kind: str, **options) -> Film:
        """A clip; ``clock="SHOT"`` binds it to that shot's clock."""
        return self._add("clip", kind, name, options)

    def title(self, text: str, name: str | None = None, **options) -> Film:
        """A title (style, font_size, color, anchor, position, fades)."""
        return self._add("title", text, name, options)

    def transition(self, kind: str, name: str | None = None, **options) -> Film:
        """fade-to-black, fade-from-black or crossfade."""
        return self._add("transition", kind, name, options)

    def audio(self, voiceover=None, markers: dict | None = None) -> Film:
        """A voiceover file (muxed into the MP4) and named markers in seconds."""
        table = self.data.setdefault("audio", {})
        if voiceover is not None:
            table["voiceover"] = str(voiceover)
        if markers:
            table["markers"] = dict(markers)
        return self

    def storyboard(self) -> Storyboard:
        """The checked storyboard."""
        data = {k: v for k, v in self.data.items() if v or k == "timeline"}
        return check_storyboard(data, base=self.base.resolve(), name="Film", limits=self.limits)

    def build(self, out, **options) -> BuildReport:
        """Render to the MP4 ``out`` (options: those of :func:`build_film`)."""
        return build_film(self.storyboard(), out, **options)


__all__ = ["Film", "FilmLimits", "Storyboard", "BuildReport", "load_storyboard", "build_film",
           "resolve"]
