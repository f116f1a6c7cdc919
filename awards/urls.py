from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.index, name="index"),
    # The council's catalogue, rules and deadlines (officers).
    path("awards/catalogue/", views.catalogue, name="catalogue"),
    path("awards/types/new/", views.type_create, name="type_create"),
    path("awards/types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("awards/types/<int:pk>/rules/new/", views.rule_create, name="rule_create"),
    path("awards/rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("awards/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    # A bloc-year: proposals, submission, the bloc's own awards, registrations.
    path("awards/blocs/<int:pk>/<year:year>/", views.bloc_year, name="bloc_year"),
    path("awards/blocs/<int:pk>/<year:year>/new/", views.proposal_create, name="proposal_create"),
    path("awards/blocs/<int:pk>/<year:year>/submit/", views.submission_create, name="submission_create"),
    path(
        "awards/blocs/<int:pk>/<year:year>/submit/cover.pdf",
        views.submission_preview_pdf,
        name="submission_preview_pdf",
    ),
    path(
        "awards/blocs/<int:pk>/<year:year>/submit/cover.docx",
        views.submission_preview_docx,
        name="submission_preview_docx",
    ),
    path("awards/blocs/<int:pk>/<year:year>/decide/", views.bloc_award_decide, name="bloc_award_decide"),
    path("awards/blocs/<int:pk>/<year:year>/registrations/", views.registrations, name="registrations"),
    path("awards/registrations/<int:pk>/delete/", views.registration_delete, name="registration_delete"),
    # One proposal.
    path("awards/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("awards/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("awards/proposals/<int:pk>/delete/", views.proposal_delete, name="proposal_delete"),
    path("awards/proposals/<int:pk>/reason/", views.proposal_reason, name="proposal_reason"),
    path("awards/proposals/<int:pk>/report/", views.proposal_report, name="proposal_report"),
    path("awards/proposals/<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("awards/proposals/<int:pk>/approve/", views.proposal_approve, name="proposal_approve"),
    path("awards/proposals/<int:pk>/reject/", views.proposal_reject, name="proposal_reject"),
    # Submissions and their cover letters.
    path("awards/submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("awards/submissions/<int:pk>/cover.pdf", views.submission_cover_pdf, name="submission_cover_pdf"),
    path("awards/submissions/<int:pk>/cover.docx", views.submission_cover_docx, name="submission_cover_docx"),
    path("awards/submissions/<int:pk>/issue/", views.submission_cover_issue, name="submission_cover_issue"),
    # The Board's review queue and decisions.
    path("awards/review/", views.review_queue, name="review_queue"),
    path("awards/review/selected/", views.review_many, name="review_many"),
    path("awards/decisions/", views.decision_list, name="decision_list"),
    path("awards/decisions/new/", views.decision_create, name="decision_create"),
    path("awards/decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("awards/decisions/<int:pk>/correct/", views.decision_correct, name="decision_correct"),
    # Awards decided outside the portal.
    path("awards/external/new/", views.external_create, name="external_create"),
    path("awards/external/import/", views.external_import, name="external_import"),
    path("awards/external/import/template.xlsx", views.external_import_template, name="external_import_template"),
    # The council-wide list.
    path("awards/list/", views.award_list, name="award_list"),
    path("awards/list.xlsx", views.award_list_xlsx, name="award_list_xlsx"),
    path("awards/list.pdf", views.award_list_pdf, name="award_list_pdf"),
    path("awards/list.docx", views.award_list_docx, name="award_list_docx"),
    # People.
    path("awards/people/<int:pk>/", views.person_detail, name="person_detail"),
]
