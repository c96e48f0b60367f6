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


def live_property(read: Callable[[Any], dict], key: str, apply: Callable[[Any, Any], None],
                  addon: str, items: Sequence[tuple] | None = None) -> dict:
    """``get``/``set`` keyword arguments of a panel property that reads ``read(owner)[key]`` and
    writes ``apply(owner, value)`` on the object owning the property group: the settings live in
    the scene, the panel keeps no copy to sync. Enum properties (``items``) pass item indices;
    expected errors go to the console as ``"<addon>: <message>"``."""
    names = [item[0] for item in items] if items else None

    def get(self):
        value = read(self.id_data)[key]
        return names.index(value) if names else value

    def set(self, value):
        try:
            apply(self.id_data, names[value] if names else value)
        except NeuroBlendError as exc:
            print(f"{addon}: {exc}")
    return {"get": get, "set": set}


def colormap_search(self, context, edit_text: str) -> list[str]:
    """Search callback of a colormap name property: the matching colormap names."""
    from neuroblend.colormaps.luts import list_colormaps

    return [name for name in list_colormaps() if edit_text.lower() in name.lower()]
