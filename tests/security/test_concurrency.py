"""Concurrency never shows an error page, numbered documents are issued once, numbering never gives up.

Found by a test with real threads (security finding 5): a proposal or a registration double-clicked 50 ms
apart gave 302 + 500 (the database's unique constraint refused the second insert); a double click on
"issue the cover letter" gave two numbers for one submission; ten issues at once left three requests with
"please try again". The rules these tests hold (docs/architecture.md, services): a form error says in Vietnamese
which field and why, never a 500; nothing is half-saved; a numbered document is issued once per holder;
numbers stay unique and gapless per register.

The tests marked ``postgres_only`` run real threads, each with its own database connection, against
PostgreSQL (SQLite serialises writers, so these races cannot happen there). The others simulate the race
on any database: the competing row appears between the service's check and its insert.
"""

from __future__ import annotations

import ast
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django.utils import translation

from awards import services as awards_services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardType, Proposal, Registration, Submission
from awards.services import catalogue as awards_catalogue
from awards.services import proposals as awards_proposals
from blocs.integrity import violated_unique
from blocs.models import Bloc, Council, MembershipList
from blocs.services import membership_list_issue
from documents.models import DocumentCounter, Issuable, IssuedDocument
from documents.services import DocumentSpec, document_issue_once, issuer_key

from ..conftest import YEAR
from ..fixtures.awards import proposal_form_data
from ..roles import CONFIRMED

ROOT = Path(settings.BASE_DIR)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (SQLite serialises them, so the race cannot happen there)",
)


# Helpers ---------------------------------------------------------------------------------------------


def fake_pdf(number_text: str) -> bytes:
    return f"%PDF-1.4 {number_text}".encode()


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def in_threads(*targets) -> list[Outcome]:
    """Run each target in its own thread, all released at once, each on its own database connection.
    Exceptions are returned, not raised, so a test can say which outcomes it accepts."""
    outcomes = [Outcome() for _ in targets]
    barrier = threading.Barrier(len(targets))

    def run(index: int, target) -> None:
        try:
            barrier.wait()
            outcomes[index].value = target()
        except BaseException as error:  # reported by the test
            outcomes[index].error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages are checked by their msgids
    return client


@pytest.fixture
def slow_render(monkeypatch):
    """Every PDF renders in 0.2 s (WeasyPrint takes about a second), so concurrent issues overlap; the
    renders are counted, to measure what contention costs."""
    renders: list[str] = []
    lock = threading.Lock()

    def render_pdf(template, context, request=None):
        with lock:
            renders.append(context["number_text"])
        time.sleep(0.2)
        return fake_pdf(context["number_text"])

    # Every document renders through documents.render.render_pdf (content_pdf calls it).
    monkeypatch.setattr("documents.render.render_pdf", render_pdf)
    return renders


@pytest.fixture
def slow_commit():
    """``slow_commit(Model)``: a request that inserts a ``Model`` row holds its transaction 0.5 s longer,
    so a second request released at the same moment runs its check before the first commits — the
    double click the finding describes, every time."""
    connected = []

    def install(model):
        def wait(sender, created, **kwargs):
            if created:
                time.sleep(0.5)

        post_save.connect(wait, sender=model, weak=False)
        connected.append((wait, model))

    yield install
    for receiver, model in connected:
        post_save.disconnect(receiver, sender=model)


@pytest.fixture
def first_lookups(monkeypatch):
    """What each request's first look for an existing proposal found: both None proves both requests
    passed the check before either committed, i.e. the race really ran."""
    seen: dict[int, bool] = {}
    original = awards_proposals.proposal_find

    def spy(**kwargs):
        found = original(**kwargs)
        seen.setdefault(threading.get_ident(), found is None)
        return found

    monkeypatch.setattr(awards_proposals, "proposal_find", spy)
    return seen


def award(council, code: str) -> AwardType:
    return AwardType.objects.get(council=council, code=code)


def proposal_data(council, unit, **overrides) -> dict:
    return proposal_form_data(award(council, CHAIRMAN_CERTIFICATE), unit, **overrides)


def status_and_errors(response) -> tuple[int, dict]:
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    return response.status_code, dict(form.errors) if form is not None else {}


# Numbering under contention (PostgreSQL) -------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_cover_letters_issued_at_once_all_get_numbers_1_to_10(bloc, users, slow_render):
    """Ten different subjects of one register (the bloc's TTr numbers of 2022) issued at the same moment:
    every request succeeds and the numbers are 1..10, each PDF printing its own."""
    submissions = [
        Submission.objects.create(bloc=bloc, year=YEAR, sequence=n, submitted_on=date(2022, 1, 10))
        for n in range(1, 11)
    ]
    clients = [logged_in(users["chair"]) for _ in submissions]
    started = time.monotonic()
    outcomes = in_threads(
        *[
            (lambda c=c, s=s: c.post(reverse("awards:submission_cover_issue", args=[s.pk]), CONFIRMED).status_code)
            for c, s in zip(clients, submissions, strict=True)
        ]
    )
    elapsed = time.monotonic() - started
    assert [o.error for o in outcomes] == [None] * 10
    assert [o.value for o in outcomes] == [302] * 10
    documents = list(IssuedDocument.objects.order_by("number"))
    assert [d.number for d in documents] == list(range(1, 11))
    for document in documents:
        with document.file.open("rb") as handle:
            assert handle.read() == fake_pdf(document.number_text)
    assert sorted(Submission.objects.values_list("document__number", flat=True)) == list(range(1, 11))
    assert DocumentCounter.objects.get(issuer=issuer_key("bloc", bloc.pk), doc_type="TTr").last_number == 10
    # What contention costs: at most one render lost per issue (the optimistic one), then one under the lock.
    assert 10 <= len(slow_render) <= 20, slow_render
    print(f"10 concurrent issues: {len(slow_render)} renders of 0.2 s, {elapsed:.1f} s in all")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_issue_the_cover_letter_gives_one_number(bloc, users, slow_render):
    submission = Submission.objects.create(bloc=bloc, year=YEAR, sequence=1, submitted_on=date(2022, 1, 10))
    url = reverse("awards:submission_cover_issue", args=[submission.pk])
    first, second = logged_in(users["chair"]), logged_in(users["vice_chair"])
    outcomes = in_threads(
        lambda: first.post(url, CONFIRMED).status_code, lambda: second.post(url, CONFIRMED).status_code
    )
    assert [o.error for o in outcomes] == [None, None]
    assert [o.value for o in outcomes] == [302, 302]
    document = IssuedDocument.objects.get()
    assert document.number_text == "01/TTr-KTĐ6"
    submission.refresh_from_db()
    assert submission.document == document and submission.pdf_claimed_at is None
    assert slow_render == ["01/TTr-KTĐ6"]  # rendered once: the second request did not render at all


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_membership_list_issued_twice_at_once_gives_one_number(bloc, users, slow_render):
    url = reverse("blocs:bloc_members_issue", args=[bloc.pk, YEAR])
    first, second = logged_in(users["chair"]), logged_in(users["officer"])
    outcomes = in_threads(
        lambda: first.post(url, CONFIRMED).status_code, lambda: second.post(url, CONFIRMED).status_code
    )
    assert [o.error for o in outcomes] == [None, None]
    assert [o.value for o in outcomes] == [302, 302]
    document = IssuedDocument.objects.get()
    assert MembershipList.objects.get().document == document


# Unique constraints under a double submit (PostgreSQL) -----------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_proposal_makes_one_proposal_and_no_error_page(
    council, bloc, units, users, slow_commit, first_lookups
):
    slow_commit(Proposal)
    url = reverse("awards:proposal_create", args=[bloc.pk, YEAR])
    data = proposal_data(council, units["farmers"])
    clients = [logged_in(users["chair"]), logged_in(users["chair"])]
    outcomes = in_threads(*[(lambda c=c: status_and_errors(c.post(url, data))) for c in clients])
    assert [o.error for o in outcomes] == [None, None]  # no 500: the view raised nothing
    assert list(first_lookups.values()) == [True, True]  # both passed the check: the race really ran
    assert Proposal.objects.filter(unit=units["farmers"]).count() == 1
    results = sorted(o.value for o in outcomes)
    assert results[0][0] == 200 and results[1] == (302, {})
    assert "is already proposed for" in " ".join(results[0][1]["award_type"])  # next to the field


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_registration_is_registered_once_and_both_succeed(council, bloc, units, users, slow_commit):
    slow_commit(Registration)
    url = reverse("awards:registrations", args=[bloc.pk, YEAR])
    data = {"unit": units["member_unit"].pk, "award_type": award(council, PROVINCIAL_FLAG).pk, "note": ""}
    clients = [logged_in(users["member"]), logged_in(users["member"])]
    outcomes = in_threads(*[(lambda c=c: status_and_errors(c.post(url, data))) for c in clients])
    assert [o.error for o in outcomes] == [None, None]
    # Registering what is registered is the registration there is: both requests succeed.
    assert [o.value for o in outcomes] == [(302, {}), (302, {})]
    assert Registration.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_conference_and_the_chair_recording_one_proposal_at_once_update_one_proposal(
    council, bloc, units, slow_commit
):
    """The upsert (the meetings app records a conference's tallies through it): the request that loses the
    race updates the proposal that won instead of failing."""
    slow_commit(Proposal)

    def record(summary: str):
        return awards_services.proposal_save(
            bloc=bloc,
            year=YEAR,
            award_type=award(council, PROVINCIAL_FLAG),
            unit=units["farmers"],
            summary=summary,
            tally=awards_services.Tally(acclamation=True),
            by=None,
        ).pk

    outcomes = in_threads(lambda: record("Thứ nhất"), lambda: record("Thứ hai"))
    assert [o.error for o in outcomes] == [None, None]
    proposal = Proposal.objects.get()
    assert {o.value for o in outcomes} == {proposal.pk}
    assert proposal.summary in ("Thứ nhất", "Thứ hai")


# The same refusals on any database: the other request's row is committed, the check does not see it --


@pytest.fixture
def blind_once(monkeypatch):
    """``blind_once(module, name)``: the first call of the check ``module.name`` finds nothing, as when the
    other request of a double click had not committed yet; the database then refuses the insert. Works on
    SQLite too, where two requests cannot overlap."""

    def install(owner, name: str):
        original = getattr(owner, name)
        calls = []

        def check(*args, **kwargs):
            calls.append(True)
            return None if len(calls) == 1 else original(*args, **kwargs)

        monkeypatch.setattr(owner, name, check)
        return calls

    return install


def test_a_proposal_the_check_could_not_see_is_the_field_error_not_a_500(
    council, bloc, units, users, blind_once, english_client
):
    farmers, certificate = units["farmers"], award(council, CHAIRMAN_CERTIFICATE)
    other = awards_services.proposal_save(
        bloc=bloc,
        year=YEAR,
        award_type=certificate,
        unit=farmers,
        tally=awards_services.Tally(acclamation=True),
        by=None,
    )
    calls = blind_once(awards_proposals, "proposal_find")
    english_client.force_login(users["chair"])
    response = english_client.post(
        reverse("awards:proposal_create", args=[bloc.pk, YEAR]), proposal_data(council, farmers, summary="Lần hai")
    )
    assert len(calls) >= 2  # the blind check, then the look after the database refused the insert
    assert response.status_code == 200
    assert response.context["form"].errors["award_type"] == [
        f"{farmers.name} is already proposed for {certificate.name} in {YEAR}."
    ]
    assert list(Proposal.objects.filter(unit=farmers).values_list("pk", "summary")) == [(other.pk, "")]


def test_a_registration_the_check_could_not_see_is_an_idempotent_success(council, bloc, units, users, blind_once):
    unit, flag = units["member_unit"], award(council, PROVINCIAL_FLAG)
    other = awards_services.registration_add(bloc=bloc, year=YEAR, unit=unit, award_type=flag, by=None)
    calls = blind_once(awards_catalogue, "registration_find")
    response = logged_in(users["member"]).post(
        reverse("awards:registrations", args=[bloc.pk, YEAR]), {"unit": unit.pk, "award_type": flag.pk, "note": ""}
    )
    assert len(calls) == 2
    assert response.status_code == 302
    assert list(Registration.objects.values_list("pk", flat=True)) == [other.pk]


def test_a_registration_with_another_note_is_the_field_error(council, bloc, units, users, blind_once):
    unit, flag = units["member_unit"], award(council, PROVINCIAL_FLAG)
    awards_services.registration_add(bloc=bloc, year=YEAR, unit=unit, award_type=flag, note="Lần đầu", by=None)
    blind_once(awards_catalogue, "registration_find")
    response = logged_in(users["member"]).post(
        reverse("awards:registrations", args=[bloc.pk, YEAR]), {"unit": unit.pk, "award_type": flag.pk, "note": ""}
    )
    assert response.status_code == 200
    assert "has already registered for" in " ".join(response.context["form"].errors["award_type"])
    assert Registration.objects.get().note == "Lần đầu"  # the note typed first is kept, the second is refused


def test_a_bloc_name_taken_at_the_same_moment_is_the_field_error(council, users, monkeypatch):
    """A model form saved without a service (form_save): the form is checked again and says it itself."""
    from blocs.forms import BlocForm

    name = "Khối thi đua các sở, ban, ngành"
    Bloc.objects.create(council=council, name=name, code="KTĐ8")
    original, calls = BlocForm.clean_name, []

    def clean_name(form):  # blind the first time, as if the other officer's bloc was not committed yet
        calls.append(True)
        return form.cleaned_data["name"].strip() if len(calls) == 1 else original(form)

    monkeypatch.setattr(BlocForm, "clean_name", clean_name)
    response = logged_in(users["officer"]).post(
        reverse("blocs:bloc_create"), {"name": name, "code": "KTĐ9", "kind": "bloc", "active": "on"}
    )
    assert len(calls) == 2
    assert response.status_code == 200
    with translation.override("en"):  # the form's message is lazy: read it in the language of the request
        assert response.context["form"].errors["name"] == ["Another bloc of this council already has this name."]
    assert list(Bloc.objects.filter(name=name).values_list("code", flat=True)) == ["KTĐ8"]


def test_the_same_membership_list_issued_again_is_the_copy_already_issued(bloc, seats, users):
    """Sequentially too: same content, same copy; changed content, a new number."""
    spec = DocumentSpec(
        issuer=issuer_key("bloc", bloc.pk),
        issuer_code=bloc.code,
        doc_type="DS",
        year=2021,
        title="Danh sách",
        subject_key="membership_list:test",
        render=fake_pdf,
    )
    first, issued = membership_list_issue(bloc=bloc, year=YEAR, snapshot="a" * 64, spec=lambda: spec, by=None)
    again, issued_again = membership_list_issue(bloc=bloc, year=YEAR, snapshot="a" * 64, spec=lambda: spec, by=None)
    changed, _issued = membership_list_issue(bloc=bloc, year=YEAR, snapshot="b" * 64, spec=lambda: spec, by=None)
    assert (issued, issued_again) == (True, False) and again == first
    assert (first.number, changed.number) == (1, 2)


def test_numbering_never_gives_up_however_often_the_number_is_taken_meanwhile(bloc):
    """Each optimistic render sees another issue take its number (the old code gave up after five such
    rounds with "please try again"); the issue then waits on the register's lock and renders under it."""
    holders = [MembershipList.objects.create(bloc=bloc, year=YEAR, snapshot=f"{n:064d}") for n in range(8)]
    rendered: list[str] = []

    def spec_of(render) -> DocumentSpec:
        return DocumentSpec(
            issuer="bloc:7", issuer_code="KTĐ6", doc_type="DS", year=2021, title="x", subject_key="k", render=render
        )

    others = iter(holders[1:])

    def racing_render(number_text: str) -> bytes:
        rendered.append(number_text)
        if len(rendered) <= 6:  # another process issues a document of the register while ours renders
            other = next(others)
            document_issue_once(holder=other, spec=lambda: spec_of(fake_pdf), by=None)
        return fake_pdf(number_text)

    document = document_issue_once(holder=holders[0], spec=lambda: spec_of(racing_render), by=None)
    assert rendered[0] == "01/DS-KTĐ6"  # optimistic: lost to the other issue
    assert len(rendered) == 2  # then once under the lock, where nobody can take its number
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))  # unique and gapless
    with document.file.open("rb") as handle:
        assert handle.read() == fake_pdf(document.number_text)
    holders[0].refresh_from_db()
    assert holders[0].document == document


# Naming the refused constraint -----------------------------------------------------------------------


def test_violated_unique_names_the_constraint_and_nothing_else(council, bloc, units, db):
    flag = award(council, PROVINCIAL_FLAG)
    Registration.objects.create(bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=flag)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Registration.objects.create(
            bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=award(council, PROVINCIAL_FLAG)
        )
    assert violated_unique(Registration, error.value) == "award_registration_once"
    assert violated_unique(Proposal, error.value) is None  # another table's constraint is not Proposal's

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Council.objects.create(name=council.name, place_name="An Giang", current_year=YEAR)
    assert violated_unique(Council, error.value) == "name"  # a unique field, by its name

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Proposal.objects.bulk_create(
            [Proposal(council=council, bloc=bloc, year=YEAR, award_type=award(council, PROVINCIAL_FLAG))]
        )  # neither a unit nor a person: a check constraint, not a unique one
    assert violated_unique(Proposal, error.value) is None


# The guarded path is the only path -------------------------------------------------------------------


def test_every_model_that_links_a_numbered_document_is_an_issuable_holder():
    """A new model with a link to IssuedDocument must be a documents.Issuable, so its document is issued
    once through document_issue_once (history tables copy their model's fields and are left out)."""
    holders = []
    for model in apps.get_models():
        if model is IssuedDocument or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is IssuedDocument:
                holders.append(model)
                assert issubclass(model, Issuable), f"{model.__name__}.{field.name} is not an Issuable's document"
    assert {m.__name__ for m in holders} >= {"PledgeVersion", "MinutesVersion", "Submission", "MembershipList"}


def test_no_module_outside_documents_calls_the_unguarded_issue_function():
    """Only documents.services (and the numbering's own tests) may call ``_document_issue``; there is no
    public ``document_issue`` any more. Read from the source, so a new call anywhere fails here."""
    import documents.services

    assert not hasattr(documents.services, "document_issue")
    allowed = {Path("documents/services.py"), Path("tests/documents/test_documents.py")}
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules"} or "migrations" in relative.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Name):
                name = node.id
            elif isinstance(node, ast.Attribute):
                name = node.attr
            elif isinstance(node, ast.alias):
                name = node.name
            if name in {"_document_issue", "document_issue"} and relative not in allowed:
                offenders.append(f"{relative}:{getattr(node, 'lineno', '?')}")
    assert offenders == [], offenders
