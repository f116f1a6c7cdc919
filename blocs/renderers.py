"""The form renderer: Django's, with its input and select widget templates written out in Python.

The conference results page has some 240 widgets and 750 select options, and the templates Django
renders them with (``input.html`` → ``attrs.html``, ``select.html`` → ``select_option.html`` per option)
cost more than the rest of the page. These functions produce the same markup, byte for byte, from the same
context (``Widget.get_context``: values, ``checked``/``selected`` and attributes are still Django's);
tests/blocs/test_renderers.py renders every widget kind both ways and compares. Every other template —
textareas, radios, error lists, forms — is rendered by the templates as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped."""
    return str(conditional_escape(value if isinstance(value, SafeString) else str(value)))


def _shown(value: Any) -> str:
    """``{{ value }}``: localized (a number as the active language writes it), escaped."""
    return str(conditional_escape(value if isinstance(value, str) else localize(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, the bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name_text = _shown(name)
        parts.append(f" {name_text}" if value is True else f' {name_text}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _option(option: dict[str, Any]) -> str:
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}</option>\n'


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html":
                raise _NotFast
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


class _NotFast(Exception):
    """The context asks for something the Python version does not write; the template renders it."""


# A widget template that only includes input.html adds its own line end after it.
_INPUTS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)
FAST: dict[str, Callable[[dict[str, Any]], str]] = {
    **{f"{WIDGETS}{kind}.html": (lambda widget: _input(widget) + "\n") for kind in _INPUTS},
    f"{WIDGETS}input.html": _input,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}select_option.html": _option,
}


class FastWidgetRenderer(DjangoTemplates):
    """``FORM_RENDERER``: the default renderer, with ``FAST``'s widget templates in Python (each returns
    what its template renders; the renderer strips it, as Django's does)."""

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        fast = FAST.get(template_name)
        if fast is not None and set(context) == {"widget"}:
            try:
                return mark_safe(fast(context["widget"]).strip())  # noqa: S308  # every value is escaped above
            except _NotFast:
                pass
        return super().render(template_name, context, request)
