"""Pledge pages: the bloc-year page and printing under ``blocs/<bloc>/pledges/<year>/``, the actions on a
pledge under ``pledges/<pledge>/``."""

from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("blocs/<int:pk>/pledges/<year:year>/", views.pledge_detail, name="pledge_detail"),
    path("blocs/<int:pk>/pledges/<year:year>/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/open-signing/", views.pledge_signing_open, name="pledge_signing_open"),
    path("pledges/<int:pk>/sign/", views.pledge_sign, name="pledge_sign"),
    path("pledges/<int:pk>/signatures/", views.pledge_signatures_record, name="pledge_signatures_record"),
    path("pledges/<int:pk>/finalise/", views.pledge_finalise, name="pledge_finalise"),
    path("pledges/<int:pk>/correction/", views.pledge_correction, name="pledge_correction"),
    path("pledges/<int:pk>/v<int:number>/pdf/", views.pledge_pdf, name="pledge_pdf"),
    path("pledges/<int:pk>/v<int:number>/docx/", views.pledge_docx_download, name="pledge_docx"),
    path("pledges/<int:pk>/v<int:number>/pdf/issue/", views.pledge_pdf_issue, name="pledge_pdf_issue"),
    path("pledges/<int:pk>/v<int:number>/scans/new/", views.pledge_scan_upload, name="pledge_scan_upload"),
    path("pledges/scans/<int:pk>/", views.pledge_scan_download, name="pledge_scan_download"),
]
