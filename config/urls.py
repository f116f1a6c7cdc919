from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("blocs.urls")),
    path("", include("pledges.urls")),
    path("", include("awards.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
]
