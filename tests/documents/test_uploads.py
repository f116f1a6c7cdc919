"""The upload rules every scan and attachment follows."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.uploads import upload_check

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_accepted_kinds_are_recognised_by_content_whatever_the_name(content, kind):
    checked = upload_check(SimpleUploadedFile("scan.docx", content))
    assert checked.kind == kind
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


def test_a_renamed_file_is_refused(settings):
    with pytest.raises(ValidationError) as error:
        upload_check(SimpleUploadedFile("bien-ban.pdf", b"PK\x03\x04 this is a zip"))
    assert error.value.code == "wrong_kind"


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        upload_check(SimpleUploadedFile("scan.pdf", PDF + b"x" * 200))
    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        upload_check(SimpleUploadedFile("scan.pdf", b""))
    assert error.value.code == "empty"


def test_only_the_asked_kinds_pass():
    with pytest.raises(ValidationError):
        upload_check(SimpleUploadedFile("scan.png", PNG), kinds=("pdf",))
