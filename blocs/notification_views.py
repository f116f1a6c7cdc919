"""The user's notifications (the bell), and which of them reach them by e-mail. A user sees only their own."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import services
from .forms import EmailSettingsForm
from .models import EmailOptOut, Notification
from .web import paginate


@require_safe
def notification_list(request):
    items = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        items = items.unread()
    page = paginate(request, items.order_by("-created_at", "-pk"))
    return render(request, "blocs/notifications.html", {"page": page, "unread_only": bool(request.GET.get("unread"))})


@require_POST
def notification_open(request, pk: int):
    """Mark one notice read and go to its page (a POST: reading changes the notice)."""
    notice = get_object_or_404(Notification, pk=pk, user=request.user)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    target = notice.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "blocs:notifications"
    return redirect(target)


@require_POST
def notifications_read(request):
    """Mark the user's unread notices read: those ticked (``ids``), or all of them."""
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    changed = services.notifications_mark_read(user=request.user, ids=ids or None)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": changed})
    return redirect("blocs:notifications")


def email_settings(request):
    """Which kinds of notice come by e-mail; every kind still appears in the portal."""
    muted = set(EmailOptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    wanted = [kind for kind in Notification.Kind.values if kind not in muted]
    form = EmailSettingsForm(request.POST or None, initial={"kinds": wanted})
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["kinds"])
        services.email_opt_outs_set(user=request.user, muted_kinds=set(Notification.Kind.values) - chosen)
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("blocs:email_settings")
    return render(request, "blocs/email_settings.html", {"form": form, "has_address": bool(request.user.email)})
