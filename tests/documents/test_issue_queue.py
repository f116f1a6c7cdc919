"""A finalisation's numbered document is made off the request (docs/architecture.md, "Background jobs"):
after the commit the queue gets only the issuing function's dotted path and the ids; with the database
backend the request renders nothing, and the worker's run numbers and stores the PDF once."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from config.settings.base import tasks_setting
from documents.models import IssuedDocument
from documents.services import document_issue_on_commit, issue_document
from pledges.services import pledge_signatures_record

from ..fixtures.pledges import SIGNING_DAY

pytestmark = pytest.mark.django_db


def test_the_last_signature_queues_the_pdf_and_the_worker_issues_it(signing, users, django_capture_on_commit_callbacks):
    with override_settings(TASKS=tasks_setting("database")):
        with django_capture_on_commit_callbacks(execute=True):
            pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, by=users["chair"])
        signing.refresh_from_db()
        assert signing.is_final and signing.document is None  # the request rendered nothing
        assert not IssuedDocument.objects.exists()

        queued = DBTaskResult.objects.get()
        assert queued.task_path == "documents.services.issue_document"
        kwargs = queued.args_kwargs["kwargs"]
        assert kwargs == {
            "issue": "pledges.services.pledge_pdf_issue_queued",
            "holder_pk": signing.pk,
            "by_pk": users["chair"].pk,
        }

        issue_document.call(**kwargs)  # what the worker runs
    signing.refresh_from_db()
    assert signing.document.number_text == "01/GU-KTĐ6"
    assert signing.document.issued_by == users["chair"]
    # A second run (a retry, a duplicate delivery) takes no second number.
    issue_document.call(**kwargs)
    assert IssuedDocument.objects.count() == 1


def test_the_queue_is_given_only_functions_it_can_find_again(signing, users):
    with pytest.raises(TypeError, match="module-level"):
        document_issue_on_commit(lambda **kwargs: None, holder=signing, by=users["chair"])
