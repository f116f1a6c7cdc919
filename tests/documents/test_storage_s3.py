"""Stored files in an S3-compatible bucket (``STORAGE_BACKEND=s3``), on a real S3 server: moto's, on a local
port. The storage settings are the ones config/settings/base.py builds for ``s3`` from the environment, so
what is proved here is what a deployment runs: an upload, an issued document and a background job's file
land in the bucket under the prefix, private; the portal serves them itself, streamed, to those who may
read them, never by sending the browser to a bucket URL; anyone else gets a 404.
"""

from __future__ import annotations

import hashlib
import os
import runpy
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse

from documents.models import FileJob, IssuedDocument
from pledges.models import PledgeScan

from ..conftest import YEAR
from ..fixtures.jobs import job_file
from ..roles import NOT_FOUND, OK, REDIRECT

# moto is a development dependency (requirements/dev.lock); a production install has no S3 server to test on.
ThreadedMotoServer = pytest.importorskip("moto.server", reason="needs moto[server]").ThreadedMotoServer
boto3 = pytest.importorskip("boto3")

pytestmark = pytest.mark.django_db

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"
BUCKET = "thidua-files"
PREFIX = "portal"  # S3_PREFIX: one bucket may hold several portals' files
REGION = "us-east-1"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class S3:
    endpoint: str
    client: Any  # boto3's S3 client, as the bucket's owner
    storages: dict  # the STORAGES setting base.py builds for this bucket


@pytest.fixture(scope="module")
def s3():
    """A local S3 server with an empty private bucket, and the STORAGES base.py builds for it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        environment = {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": "test-access-key",
            "S3_SECRET_ACCESS_KEY": "test-secret-key",
            "S3_PREFIX": PREFIX,
        }
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=environment["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=environment["S3_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET)
        # The settings module itself, run again with a deployment's variables: the test follows any change
        # to how base.py builds the storage instead of keeping a copy of it.
        with pytest.MonkeyPatch.context() as patch:
            for name, value in environment.items():
                patch.setenv(name, value)
            built = runpy.run_path(str(BASE_SETTINGS))
        assert built["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
        yield S3(endpoint=endpoint, client=client, storages=built["STORAGES"])
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def s3_storage(s3, settings):
    """Every file of the test goes to the bucket. Changing STORAGES makes Django drop the storages it made
    (its setting_changed handler), so ``default_storage`` and every FileField's storage is the bucket's, and
    the local storage is back after the test."""
    settings.STORAGES = s3.storages
    return s3


def bucket_object(s3: S3, name: str) -> bytes:
    """The bytes the bucket holds under a stored file's name (listed first: the key really exists)."""
    key = f"{PREFIX}/{name}"
    listed = s3.client.list_objects_v2(Bucket=BUCKET, Prefix=key)
    assert key in [item["Key"] for item in listed.get("Contents", [])], f"{key} is not in the bucket"
    return s3.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def anonymous_get(url: str) -> int:
    """The status of a plain unsigned GET, as a browser given the bucket's URL would make it."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to the local server
    try:
        with opener.open(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def assert_private(s3: S3, name: str) -> None:
    key = f"{PREFIX}/{name}"
    grants = s3.client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    # Only the owner: no grant to a group (AllUsers, AuthenticatedUsers).
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    assert anonymous_get(f"{s3.endpoint}/{BUCKET}/{quote(key)}") == 403


def served(response, s3: S3) -> bytes:
    """The body of a stored file's download: the portal streams it itself (a FileResponse), it does not
    send the browser to the bucket."""
    assert response.status_code == OK, response.status_code
    assert isinstance(response, FileResponse) and response.streaming
    assert "Location" not in response
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert s3.endpoint.encode() not in body
    return body


def test_the_portal_stores_files_in_the_bucket_when_the_settings_say_s3(s3):
    from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]  # django-storages has no stubs

    storage = PledgeScan._meta.get_field("file").storage
    for used in (default_storage, storage):
        assert isinstance(used, S3Storage)  # the lazy default storage, made again from the changed setting
        assert (used.bucket_name, used.endpoint_url, used.location) == (BUCKET, s3.endpoint, PREFIX)
        assert (used.default_acl, used.file_overwrite, used.querystring_auth) == ("private", False, True)


def test_the_public_read_check_sees_a_public_object(s3):
    """The control for ``assert_private``: the server does serve an object its ACL makes public, so a 403
    there is the object's privacy, not a server that refuses every unsigned GET."""
    s3.client.put_object(Bucket=BUCKET, Key="public-control.txt", Body=b"public", ACL="public-read")
    assert anonymous_get(f"{s3.endpoint}/{BUCKET}/public-control.txt") == 200
    s3.client.delete_object(Bucket=BUCKET, Key="public-control.txt")


def test_an_uploaded_scan_lands_in_the_bucket_private_and_is_served_only_to_readers(client_as, signing, s3):
    content = PDF + os.urandom(300 * 1024)  # several chunks of an upload and of a download
    upload = reverse("pledges:pledge_scan_upload", args=[signing.pledge.pk, 1])
    response = client_as("chair").post(upload, {"file": SimpleUploadedFile("bản ký.pdf", content)})
    assert response.status_code == REDIRECT, response.status_code
    scan = PledgeScan.objects.get()
    assert scan.file.name.startswith(f"pledges/{YEAR}/") and scan.original_name == "bản ký.pdf"
    assert bucket_object(s3, scan.file.name) == content
    assert scan.sha256 == hashlib.sha256(content).hexdigest()
    assert_private(s3, scan.file.name)

    download = reverse("pledges:pledge_scan_download", args=[scan.pk])
    response = client_as("member").get(download)
    assert served(response, s3) == content
    assert response["Content-Type"] == "application/pdf"
    for role in ("outsider", "other_officer"):
        assert client_as(role).get(download).status_code == NOT_FOUND, role
    refused = client_as("anonymous").get(download)
    assert refused.status_code == REDIRECT and refused["Location"].startswith(reverse("blocs:login"))


def test_a_new_scan_never_overwrites_the_earlier_one_in_the_bucket(client_as, signing, s3):
    upload = reverse("pledges:pledge_scan_upload", args=[signing.pledge.pk, 1])
    client = client_as("chair")
    first, second = PDF + b"first copy", PDF + b"second copy"
    for content in (first, second):
        assert client.post(upload, {"file": SimpleUploadedFile("scan.pdf", content)}).status_code == REDIRECT
    earlier, later = PledgeScan.objects.order_by("pk")
    assert earlier.file.name != later.file.name  # same upload path: the storage found a free name
    assert (bucket_object(s3, earlier.file.name), bucket_object(s3, later.file.name)) == (first, second)
    member = client_as("member")
    assert served(member.get(reverse("pledges:pledge_scan_download", args=[earlier.pk])), s3) == first


def test_a_scan_larger_than_memory_goes_in_parts_and_comes_back_whole(client_as, signing, s3):
    # Past FILE_UPLOAD_MAX_MEMORY_SIZE the upload is a temporary file, past 8 MB boto3 sends it in parts,
    # and past the storage's max_memory_size the download spools to disk: the bytes survive all three.
    content = PDF + os.urandom(9 * 1024 * 1024)
    upload = reverse("pledges:pledge_scan_upload", args=[signing.pledge.pk, 1])
    response = client_as("chair").post(upload, {"file": SimpleUploadedFile("scan.pdf", content)})
    assert response.status_code == REDIRECT, response.status_code
    scan = PledgeScan.objects.get()
    assert hashlib.sha256(bucket_object(s3, scan.file.name)).hexdigest() == scan.sha256
    etag = s3.client.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{scan.file.name}")["ETag"]
    assert "-" in etag  # a multipart upload's ETag ends in "-<parts>"
    body = served(client_as("member").get(reverse("pledges:pledge_scan_download", args=[scan.pk])), s3)
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(content).hexdigest()
    with default_storage.open(scan.file.name) as handle:
        handle.read(1)
        # The storage's read buffer (a SpooledTemporaryFile) went to disk: the web process does not hold
        # the whole object (private attributes, but the only way to see where the bytes are).
        assert handle._file._rolled


def test_an_issued_pledge_pdf_is_written_to_the_bucket_and_read_back_from_it(client_as, final, s3):
    url = reverse("pledges:pledge_pdf", args=[final.pledge.pk, 1])
    first = served(client_as("member").get(url), s3)  # the first download issues the numbered document
    final.refresh_from_db()
    document = final.document
    assert document.number_text == "01/GU-KTĐ6" and document.file.name.startswith("documents/")
    stored = bucket_object(s3, document.file.name)
    assert stored == first and stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert_private(s3, document.file.name)
    # Read again from the bucket, not made again: the same bytes and still one document.
    assert served(client_as("chair").get(url), s3) == stored
    assert IssuedDocument.objects.count() == 1
    for role in ("outsider", "other_officer"):
        assert client_as(role).get(url).status_code == NOT_FOUND, role


def test_a_background_jobs_pdf_is_written_to_the_bucket_and_served_to_its_requester_only(client_as, users, s3):
    response, content = job_file(client_as("officer"), "awards:award_list_pdf", {"year": YEAR})
    assert isinstance(response, FileResponse) and "Location" not in response
    job = FileJob.objects.get()
    assert job.file.name.startswith("jobs/") and job.content_type == "application/pdf"
    assert content.startswith(b"%PDF") and bucket_object(s3, job.file.name) == content
    assert_private(s3, job.file.name)
    download = reverse("blocs:file_job_download", args=[job.pk])
    assert served(client_as("officer").get(download), s3) == content
    for role in ("chair", "outsider", "other_officer"):
        assert client_as(role).get(download).status_code == NOT_FOUND, role


def test_a_file_gone_from_the_bucket_is_a_404_not_an_error(client_as, signing, s3):
    upload = reverse("pledges:pledge_scan_upload", args=[signing.pledge.pk, 1])
    client_as("chair").post(upload, {"file": SimpleUploadedFile("scan.pdf", PDF)})
    scan = PledgeScan.objects.get()
    s3.client.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{scan.file.name}")
    response = client_as("member").get(reverse("pledges:pledge_scan_download", args=[scan.pk]))
    assert response.status_code == NOT_FOUND
