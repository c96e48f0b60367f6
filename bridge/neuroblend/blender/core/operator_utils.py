"""Plumbing shared by the add-ons' operators: reported calls, poll messages, selection, register.

Every add-on bundles the neuroblend wheel, so this module (not another add-on) is where their
common operator code lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import bpy

from neuroblend.errors import NeuroBlendError

REPORTED_ERRORS: tuple[type[Exception], ...] = (NeuroBlendError,)
"""Errors an operator reports to the user (one line, ``{'CANCELLED'}``) instead of raising."""


def run_reported(operator, func: Callable[..., Any], *args: Any,
                 success: str | Callable[[Any], str | None] | None = None,
                 errors: tuple[type[Exception], ...] = REPORTED_ERRORS,
                 **kwargs: Any) -> set[str]:
    """Call ``func(*args, **kwargs)`` for ``operator.execute`` and return its result set.

    An error of the ``errors`` types is reported as ``{'ERROR'}`` and gives ``{'CANCELLED'}``.
    Otherwise ``success`` (a message, or a callable taking the call's result and returning one
    or None) is reported as ``{'INFO'}`` and the result is ``{'FINISHED'}``.
    """
    try:
        result = func(*args, **kwargs)
    except errors as exc:
        operator.report({"ERROR"}, str(exc))
        return {"CANCELLED"}
    message = success(result) if callable(success) else success
    if message:
        operator.report({"INFO"}, message)
    return {"FINISHED"}


def poll_require(cls, condition: object, message: str) -> bool:
    """A poll step: True if ``condition`` holds, else False with ``message`` shown to the user."""
    if not condition:
        cls.poll_message_set(message)
        return False
    return True


def select_only(context, obj) -> None:
    """Make ``obj`` the only selected object and the active one."""
    for other in context.view_layer.objects.selected:
        other.select_set(False)
    obj.select_set(True)
    context.view_layer.objects.active = obj


def addon_registration(classes: Sequence[type],
                       properties: Iterable[tuple[Any, str, type]] = (),
                       menus: Iterable[tuple[Any, Callable]] = ()
                       ) -> tuple[Callable[[], None], Callable[[], None]]:
    """``register, unregister`` of an add-on.

    ``register`` registers ``classes`` in order, then adds each ``(owner, name, settings_class)``
    as ``owner.name = PointerProperty(type=settings_class)``, then appends each ``(menu, draw)``;
    ``unregister`` undoes all of it in reverse order.
    """
    properties, menus = tuple(properties), tuple(menus)
    register_classes, unregister_classes = bpy.utils.register_classes_factory(classes)

    def register() -> None:
        register_classes()
        for owner, name, settings_class in properties:
            setattr(owner, name, bpy.props.PointerProperty(type=settings_class))
        for menu, draw in menus:
            menu.append(draw)

    def unregister() -> None:
        for menu, draw in reversed(menus):
            menu.remove(draw)
        for owner, name, _settings_class in reversed(properties):
            delattr(owner, name)
        unregister_classes()

    return register, unregister


_filling: set[int] = set()  # property groups being filled from the scene (their updates wait)


def settings_updater(apply: Callable[[Any, Any], None], addon: str):
    """A property update calling ``apply(owner, settings)``, skipped while :func:`fill_settings`
    fills the group; expected errors go to the console as ``"<addon>: <message>"``."""
    def update(self, context):
        if self.as_pointer() in _filling:
            return
        try:
            apply(self.id_data, self)
        except NeuroBlendError as exc:
            print(f"{addon}: {exc}")
    return update


def fill_settings(settings, values: dict) -> None:
    """Set the panel properties ``settings`` to ``values`` (read from the scene) without updates."""
    _filling.add(settings.as_pointer())
    try:
        for key, value in values.items():
            setattr(settings, key, value)
    finally:
        _filling.discard(settings.as_pointer())


def colormap_search(self, context, edit_text: str) -> list[str]:
    """Search callback of a colormap name property: the matching colormap names."""
    from neuroblend.colormaps.luts import list_colormaps

    return [name for name in list_colormaps() if edit_text.lower() in name.lower()]
