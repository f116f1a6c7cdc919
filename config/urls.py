from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from blocs.health import healthz


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers, feed readers and bookmarks ask for /favicon.ico whatever a page's <link rel=icon> says; send
    them to the static file. Without a login, as the login page's own icon is, and a temporary redirect: in
    production the static address carries the file's hash, which changes with the icon."""
    return HttpResponseRedirect(static("img/favicon.ico"))


urlpatterns = [
    path("", include("blocs.urls")),
    path("", include("pledges.urls")),
    path("", include("pledges.scoring.urls")),
    path("", include("awards.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]

# A Vietnamese 500 page, and a 503 when the database cannot be reached (400, 403, 404: the templates).
handler500 = "blocs.error_views.server_error"
