"""Meeting pages: a bloc's meetings under ``blocs/<bloc>/meetings/``, the actions on one meeting under
``meetings/<meeting>/``, the officers' overview at ``meetings/``."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("blocs/<int:pk>/meetings/", views.bloc_meetings, name="bloc_meetings"),
    path("blocs/<int:pk>/meetings/new/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/", views.meetings_overview, name="overview"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/results/", views.meeting_results, name="meeting_results"),
    path("meetings/<int:pk>/awards-handed-over/", views.meeting_awards_handed_over, name="meeting_awards_handed_over"),
    path("meetings/<int:pk>/news/", views.meeting_news, name="meeting_news"),
    path("meetings/<int:pk>/news.pdf", views.news_pdf, name="news_pdf"),
    path("meetings/<int:pk>/news.docx", views.news_docx, name="news_docx"),
    path("meetings/<int:pk>/minutes/finalise/", views.minutes_finalise, name="minutes_finalise"),
    path("meetings/<int:pk>/minutes/correction/", views.minutes_correction, name="minutes_correction"),
    path("meetings/<int:pk>/minutes/v<int:number>.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes/v<int:number>.docx", views.minutes_word, name="minutes_docx"),
    path("meetings/<int:pk>/minutes/v<int:number>/retry/", views.minutes_pdf_retry, name="minutes_pdf_retry"),
    path("meetings/<int:pk>/minutes/v<int:number>/scans/new/", views.minutes_scan_upload, name="minutes_scan_upload"),
    path("meetings/scans/<int:pk>/", views.minutes_scan_download, name="minutes_scan_download"),
]
