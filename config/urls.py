from django.contrib import admin
from django.urls import include, path

from blocs.health import healthz

urlpatterns = [
    path("", include("blocs.urls")),
    path("", include("pledges.urls")),
    path("", include("awards.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# A Vietnamese 500 page, and a 503 when the database cannot be reached (400, 403, 404: the templates).
handler500 = "blocs.error_views.server_error"
