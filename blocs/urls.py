from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    account_views,
    calendar_views,
    council_views,
    deadline_views,
    excel_views,
    job_views,
    notification_views,
    print_views,
    report_views,
    views,
)

app_name = "blocs"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    # The user's calendar; its feed is read by phones, without a login, by its secret token alone.
    path("calendar/", calendar_views.calendar_month, name="calendar"),
    path("calendar/feed/reset/", calendar_views.calendar_feed_reset, name="calendar_feed_reset"),
    path("calendar/feed/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    # Accounts: the login page and the password reset's are the only pages without login.
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    # Forgotten passwords, by e-mail: pages without login, like the login page.
    path("accounts/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", account_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/users/", account_views.user_list, name="user_list"),
    path("accounts/users/new/", account_views.user_create, name="user_create"),
    path("accounts/users/<int:pk>/", account_views.user_edit, name="user_edit"),
    path("accounts/users/<int:pk>/password/", account_views.user_password_reset, name="user_password_reset"),
    # The councils (superusers), and an officer's own council's settings.
    path("councils/", council_views.council_list, name="council_list"),
    path("councils/new/", council_views.council_create, name="council_create"),
    path("councils/<int:pk>/", council_views.council_edit, name="council_edit"),
    # A council's year report (its officers): the page, its workbook and its printed document.
    path("councils/<int:pk>/report/<year:year>/", report_views.council_year, name="council_year"),
    path("councils/<int:pk>/report/<year:year>.xlsx", report_views.council_year_xlsx, name="council_year_xlsx"),
    path("councils/<int:pk>/report/<year:year>.pdf", report_views.council_year_pdf, name="council_year_pdf"),
    path("councils/<int:pk>/report/<year:year>.docx", report_views.council_year_docx, name="council_year_docx"),
    # Council catalogue.
    path("council/", views.council_settings, name="council_settings"),
    path("council/deadlines/", deadline_views.deadlines, name="deadlines"),
    path("council/deadlines/<int:pk>/remove/", deadline_views.deadline_remove, name="deadline_remove"),
    # What the user must do, and what the portal told them.
    path("todo/", views.todo_list, name="todo"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path("notifications/settings/", notification_views.email_settings, name="email_settings"),
    path("blocs/", views.bloc_list, name="bloc_list"),
    path("blocs/new/", views.bloc_create, name="bloc_create"),
    path("blocs/<int:pk>/", views.bloc_detail, name="bloc_detail"),
    path("blocs/<int:pk>/edit/", views.bloc_edit, name="bloc_edit"),
    path("blocs/<int:pk>/members/new/", views.membership_create, name="membership_create"),
    path("blocs/<int:pk>/seats/<year:year>/", views.seats_edit, name="seats_edit"),
    path("blocs/<int:pk>/members/<year:year>/print.pdf", print_views.membership_list_pdf, name="bloc_members_pdf"),
    path("blocs/<int:pk>/members/<year:year>/print.docx", print_views.membership_list_docx, name="bloc_members_docx"),
    path("blocs/<int:pk>/members/<year:year>/issue/", print_views.membership_list_issue, name="bloc_members_issue"),
    path("documents/<int:pk>/download/", print_views.issued_document_download, name="issued_document_download"),
    path("files/<int:pk>/", job_views.file_job_detail, name="file_job"),
    path("files/<int:pk>/download/", job_views.file_job_download, name="file_job_download"),
    path("files/<int:pk>/retry/", job_views.file_job_retry_view, name="file_job_retry"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/merge/", views.unit_merge, name="unit_merge"),
    path("units/export.xlsx", excel_views.units_export, name="units_export"),
    path("units/import/", excel_views.units_import, name="units_import"),
    path("units/import/template.xlsx", excel_views.units_import_template, name="units_import_template"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("export.xlsx", excel_views.council_export, name="council_export"),
]
