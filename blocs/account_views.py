"""User accounts of a council: officers create, edit, deactivate and set passwords; a user who forgot theirs
may also reset it by e-mail (Django's password reset views, with the portal's forms and Vietnamese
templates)."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .forms import (
    LoginForm,
    OfficerSetPasswordForm,
    OwnPasswordChangeForm,
    PasswordResetRequestForm,
    ResetSetPasswordForm,
    UserCreateForm,
    UserEditForm,
)
from .history import history_entries
from .models import User
from .text import fold
from .web import form_save, paginate, sorting


def _council_user(request, pk: int) -> User:
    """A user of the officer's own council; other councils' users are not found."""
    council = access.council_for_officer(request.user)
    user = get_object_or_404(User.objects.select_related("unit", "council"), pk=pk)
    if user.council_id != council.pk or (user.is_superuser and not request.user.is_superuser):
        raise Http404
    return user


USER_SORTS = {
    "login": ("username",),
    "name": ("last_name", "first_name", "username"),
    "unit": ("unit__sort_name", "username"),
    "position": ("position", "username"),
    "active": ("-is_active", "username"),
}


def user_list(request):
    council = access.council_for_officer(request.user)
    order = sorting(request, USER_SORTS, default="unit")
    users = User.objects.filter(council=council).select_related("unit").order_by(*order.order_by)
    query = request.GET.get("q", "").strip()
    if query:
        # Few users per council: folding in Python keeps diacritic-insensitive search simple and portable.
        words = fold(query).split()
        matching = [
            u.pk
            for u in users
            if all(
                w in fold(f"{u.username} {u.last_name} {u.first_name} {u.unit.name if u.unit else ''}") for w in words
            )
        ]
        users = users.filter(pk__in=matching)
    if request.GET.get("inactive") != "1":
        users = users.filter(is_active=True)
    page = paginate(request, users)
    return render(request, "blocs/user_list.html", {"page": page, "query": query, "council": council, "sorting": order})


def user_create(request):
    council = access.council_for_officer(request.user)
    form = UserCreateForm(request.POST or None, council=council)
    # form_save: the same user name saved at the same moment (a double click) is an error next to the field.
    if request.method == "POST" and form.is_valid() and (user := form_save(form)) is not None:
        messages.success(request, _("The account %(username)s was created.") % {"username": user.username})
        return redirect("blocs:user_edit", pk=user.pk)
    return render(request, "blocs/form.html", {"form": form, "title": _("New account")})


def user_edit(request, pk: int):
    account = _council_user(request, pk)
    form = UserEditForm(request.POST or None, instance=account, council=account.council)
    if request.method == "POST" and form.is_valid():
        if account.pk == request.user.pk and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account."))
        else:
            form.save()
            messages.success(request, _("The account was saved."))
            return redirect("blocs:user_list")
    return render(
        request,
        "blocs/user_edit.html",
        {"form": form, "account": account, "history": history_entries(account)},
    )


def user_password_reset(request, pk: int):
    account = _council_user(request, pk)
    form = OfficerSetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("A new password was set for %(username)s. Give it to them in person.") % {"username": account.username},
        )
        return redirect("blocs:user_edit", pk=account.pk)
    return render(
        request,
        "blocs/form.html",
        {"form": form, "title": _("Set a new password for %(username)s") % {"username": account.username}},
    )


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "blocs/form.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("blocs:home")
    extra_context = {"title": gettext_lazy("Change password")}

    def form_valid(self, form):
        # The user chose this password: a forced change (after an officer set it) is done.
        form.user.must_change_password = False
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


# Password reset by e-mail (Quên mật khẩu). Django's views, which already keep the rules that matter: the
# page after the request is the same whether an account has that address or not (nothing says which
# addresses exist), a failed delivery is logged rather than shown, the link is built from the request's
# host and protocol and holds a token that works once, for PASSWORD_RESET_TIMEOUT, and dies with the next
# login or password change. Every page is without login (``login_not_required`` on Django's views).


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    form_class = PasswordResetRequestForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    success_url = reverse_lazy("blocs:password_reset_done")
    title = gettext_lazy("Forgot your password?")

    def form_valid(self, form):
        # How long the link works, in the e-mail's words (read now: tests and deployments change it).
        self.extra_email_context = {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    title = gettext_lazy("Check your e-mail")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = ResetSetPasswordForm
    success_url = reverse_lazy("blocs:password_reset_complete")
    title = gettext_lazy("Choose a new password")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The account's owner proved it by the e-mail: failed logins that locked it (django-axes) no longer
        # stand between them and the new password.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
    title = gettext_lazy("Your password was reset")
