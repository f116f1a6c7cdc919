"""Vietnamese first: the portal speaks Vietnamese unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, and many officers' computers run an
English browser; the portal must still show Vietnamese. Only an explicit choice (the language cookie that
Django's ``set_language`` view writes) changes the language.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the language that was active before, once the response is built.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# A login form (username, password, CSRF token, next) is under 2 KB: an anonymous body past this is not one.
ANONYMOUS_BODY_MAX_BYTES = 64 * 1024


def request_body_max_bytes() -> int:
    """The largest body a logged-in user may send: one file up to the upload limit, plus the form's other
    fields and the multipart envelope, which DATA_UPLOAD_MAX_MEMORY_SIZE bounds. The reverse proxy's
    ``client_max_body_size`` must be at least this (README, Production)."""
    return settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Refuses a request body before anything reads it: too large for anyone, or from an anonymous user
    anywhere but a page without login (the login forms).

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files: the multipart parser streams any
    file to a temporary file, and CsrfViewMiddleware parses the body to find the token before the login
    check runs, so an anonymous 300 MB post was written to disk before being sent to the login page. This
    middleware sits after the session (to tell a logged-in user, from the session alone) and before CSRF,
    and decides from the headers: it never reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.refusal(request)
        if response is None:
            return self.get_response(request)
        # Said here because CommonMiddleware, further in, does not see this response: with a length the
        # client reads the answer while the rest of its body is still unsent.
        response["Content-Length"] = str(len(response.content))
        return response

    def refusal(self, request) -> HttpResponse | None:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared:
            if "HTTP_TRANSFER_ENCODING" in request.META:
                # Django reads only CONTENT_LENGTH bytes, so a chunked body would never reach a form anyway;
                # refusing it unread bounds it at nothing. Browsers always send a form's length, and the
                # reverse proxy turns a chunked body into one with a length.
                return _error_page("400.html", status=411)
            return None
        try:
            length = int(declared)
        except ValueError:
            return _error_page("400.html", status=400)
        if length <= 0:
            return None if length == 0 else _error_page("400.html", status=400)
        if request.session.get(SESSION_KEY) is not None:
            return _too_large() if length > request_body_max_bytes() else None
        if _login_free(request):
            return _too_large() if length > ANONYMOUS_BODY_MAX_BYTES else None
        # An anonymous post to a page behind login, whatever its size, is most often a form whose session
        # expired: the user expects the login page, as for any page behind login, not a 403 or a
        # word about a file the portal would not have taken anyway; the body stays unread.
        return redirect_to_login(request.get_full_path())


def _login_free(request) -> bool:
    """Whether the address is a page without login (``login_not_required``), as LoginRequiredMiddleware
    decides it."""
    try:
        match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "login_required", True) is False


def _too_large() -> HttpResponse:
    return _error_page("413.html", status=413, limit=filesizeformat(settings.UPLOAD_MAX_BYTES))


def _error_page(template: str, *, status: int, **context) -> HttpResponse:
    # Rendered without the request: the page is standalone and the user is not known yet.
    return HttpResponse(render_to_string(template, context), status=status)


class DownloadNoStoreMiddleware:
    """Files (PDFs, scans, Word and Excel downloads) are marked ``Cache-Control: private, no-store``.

    They carry a bloc's records, and a shared office computer or a caching proxy must not keep a copy
    that outlives the session. Keyed on the response, not the view, so a new download view is covered
    without anyone remembering to: a file is a streamed response, one with a Content-Disposition, or one
    whose content type is not text (the portal's JSON answers, as private as its files, count too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_file_response(response):
            patch_cache_control(response, private=True, no_store=True)
        return response


def is_file_response(response) -> bool:
    if response.streaming or response.has_header("Content-Disposition"):
        return True
    main_type = response.get("Content-Type", "text/html").split("/", 1)[0].strip().lower()
    return main_type != "text"


class PasswordChangeRequiredMiddleware:
    """A password an officer set (a new account, a reset) is known to two people: until its user chooses
    their own (``User.must_change_password``), every page leads to the password change, with a message
    that says why. Only that page, logging out and static files stay open. After AuthenticationMiddleware
    (it reads ``request.user``) and MessageMiddleware (it adds the message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            change = reverse("blocs:password_change")
            open_paths = (change, reverse("blocs:logout"), settings.STATIC_URL)
            if not request.path_info.startswith(open_paths):
                messages.warning(
                    request, _("Your password was set by an officer. Choose your own password to continue.")
                )
                return redirect(change)
        return self.get_response(request)


class FirstRunMiddleware:
    """A fresh portal has no council, and every officer's page works on one: a superuser who opens such a
    page (the accounts, a new unit …) before the council exists is sent to the first steps, with a message,
    instead of a bare 404 (``blocs.access.NoCouncilYet``). Everyone else still gets the 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .access import NoCouncilYet  # imported here: the settings import this module before the models

        if isinstance(exception, NoCouncilYet) and request.user.is_superuser:
            messages.warning(request, _("There is no council yet. Create the council first."))
            return redirect("blocs:home")
        return None
