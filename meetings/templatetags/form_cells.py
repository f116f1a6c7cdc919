"""``{% form_cell field "class" %}``: one formset field as a table cell — the widget with the Bootstrap
classes crispy-bootstrap5 would give it, its errors below, no label (the column header names it; the
widget carries it as ``aria-label``).

The results page has a row per member unit and per vote, some 240 widgets; through crispy's field
template each cost ~0.5 ms of template rendering, most of the page's time. This renders the same markup
directly.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def widget_classes(widget: forms.Widget) -> str:
    """The classes crispy-bootstrap5 gives a widget: its input type (``textinput``, ``select``, …) and the
    Bootstrap control class."""
    if isinstance(widget, forms.CheckboxInput):
        return "checkboxinput form-check-input"
    if isinstance(widget, forms.Select):
        return "select form-select"
    input_type = getattr(widget, "input_type", None) or widget.__class__.__name__.lower()
    return f"{input_type}input form-control"


@register.simple_tag
def form_cell(field: BoundField, css_class: str = "") -> SafeString:
    attrs: dict[str, str | bool] = {"class": widget_classes(field.field.widget), "aria-label": str(field.label)}
    errors = field.errors
    if errors:
        attrs["class"] = f"{attrs['class']} is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    feedback = (
        format_html(
            '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
            field.auto_id,
            format_html_join(" ", "{}", ((error,) for error in errors)),
        )
        if errors
        else ""
    )
    widget = field.as_widget(attrs=attrs)
    if css_class:
        return format_html('<td class="{}">{}{}</td>', css_class, widget, feedback)
    return format_html("<td>{}{}</td>", widget, feedback)
