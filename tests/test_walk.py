"""The browser walk: every main page, as each role of the demo sees it, on a wide screen and on a phone.

The demo is loaded once; each role gets one browser context, logs in once and opens the pages it may open
(a page the server refuses the role, 403/404/redirect, is left out: the role matrices test who may open
what), each at 1366×768 and, resized in the same context, at 390×844. On every page:

- nothing scrolls sideways (``scrollWidth <= innerWidth``), and no box in it does either (a
  ``.table-responsive`` wider than the phone hides its last columns off-screen just the same);
- the console shows no error and the page throws none;
- no request (the page, its CSS, scripts, images, the icon) answers 400 or more, or fails;
- no English: no message id of the Vietnamese catalogue left untranslated in the visible text or in an
  ``aria-label``/``title``/``placeholder``/``alt``, and none of a list of common English words.

Every problem is listed at once, page by page, in one assertion. PostgreSQL only, like every browser
test. It prints how long the demo and the walk took (``-s``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from .browser import browser, log_in  # noqa: F401  (fixtures)

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"

# Whole words that are English and never Vietnamese (so not "an", "in", "do", "to", "me", "so": those are
# Vietnamese words too, or An Giang).
ENGLISH_WORDS = """
the and of this that these those is are was were be been not with for from your you our we they it its
or by at on into than then there their which when where who what will would should must can could has
have had please here more only each every all any none other
page pages next previous first last back home save cancel delete edit search add remove show hide close
submit confirm create update upload download print export import select choose required optional
yes unit units bloc blocs cluster clusters award awards meeting meetings minutes pledge pledges proposal
proposals decision decisions registration registrations status year years member members chair vice
account accounts login logout password username name date error warning list settings council
breadcrumb menu
""".split()
# Words and names the Vietnamese UI uses as they are.
ALLOWED = {"PDF", "Excel", "Word", "email", "Email", "DOCX", "XLSX", "OK", "URL", "ID"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|%[sdi]|\{\w*\}")
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:pdf|docx|xlsx|ico|svg|png)\b", re.IGNORECASE)


def _catalogue_fragments() -> list[str]:
    """The English text of every translated message id that the page could show verbatim: each piece
    between placeholders that has several words or a word of five letters or more."""
    fragments: set[str] = set()
    for entry in polib.pofile(str(CATALOGUE)):
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            for piece in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", msgid)):
                piece = " ".join(piece.split()).strip(" .,:;!?()“”\"'—–-·")
                words = re.findall(r"[A-Za-z]+", piece)
                if not words or not re.fullmatch(r"[\x20-\x7e’‘“”—–…]+", piece):
                    continue  # a piece with Vietnamese letters in it is not English
                if len(words) == 1 and (len(words[0]) < 5 or piece in ALLOWED):
                    continue
                if any(piece in translation for translation in translations):
                    continue  # kept as it is in Vietnamese (a brand, a code)
                fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


WORDS = re.compile(r"(?<![\w.@/-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w@/-])", re.IGNORECASE)


def english_in(text: str, fragments: list[str], words: re.Pattern[str]) -> list[str]:
    """The English in a page's text: message ids of the catalogue (a plain substring search first, a word
    boundary check only for the few found: one big alternation would cost a second a page), then words."""
    text = ADDRESS.sub(" ", text)
    found = []
    for fragment in fragments:
        if fragment in text:
            bounded = re.compile(r"(?<!\w)" + re.escape(fragment) + r"(?!\w)")
            if bounded.search(text):
                found.append(f"untranslated “{fragment}”")
                text = bounded.sub(" ", text)
    found += [f"English word “{w}”" for w in dict.fromkeys(words.findall(text)) if w not in ALLOWED]
    return found


# What the page shows as text: the visible text, the title, and the attributes read aloud or shown on
# hover (of every element, hidden or not: a screen reader reads a hidden menu's labels too).
COLLECT_TEXT = """() => {
  const parts = [document.title, document.body.innerText];
  const selector = "[aria-label], [title], [placeholder], [alt], input[type=submit], input[type=button]";
  for (const el of document.querySelectorAll(selector)) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
    if (el.matches("input[type=submit], input[type=button]")) parts.push(el.value);
  }
  return parts.join("\\n");
}"""

# The page is wider than the window: which elements stick out, for the report. A box that scrolls sideways
# itself (a .table-responsive wider than the phone) hides its last columns off-screen just as well.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const boxes = [];
  for (const el of document.querySelectorAll("main div, main section, main table")) {
    if (el.scrollWidth > el.clientWidth + 1 && el.offsetParent !== null &&
        ["auto", "scroll"].includes(getComputedStyle(el).overflowX)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join(".");
      boxes.push(name + " (" + el.scrollWidth + "px in " + el.clientWidth + "px)");
    }
  }
  if (boxes.length) return ["scrolls sideways inside", boxes.slice(0, 3)];
  if (document.documentElement.scrollWidth <= width) return null;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && el.offsetParent !== null) {
      const parent = el.parentElement;
      if (parent && parent.getBoundingClientRect().right > width + 1) continue;
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
        " (" + Math.round(box.right) + "px)");
    }
    if (out.length >= 3) break;
  }
  return ["scrolls sideways (" + document.documentElement.scrollWidth + "px wide)", out];
}"""


@dataclass
class Walk:
    problems: list[str] = field(default_factory=list)
    visited: dict[str, list[str]] = field(default_factory=dict)
    where: str = ""

    def add(self, problem: str) -> None:
        self.problems.append(f"{self.where}: {problem}")


def _role_pages(username: str) -> list[str]:
    """The main pages for one demo user, from the demo data: its own bloc (the officer's: Khối thi đua 6 of
    its council, or the first bloc with a recorded conference), that bloc's unit, pledge, meeting."""
    from awards.models import Decision, Proposal, Submission
    from blocs.models import Bloc, Membership, User
    from meetings.models import Meeting
    from pledges.models import Pledge

    user = User.objects.select_related("unit", "council").get(username=username)
    council = user.council if user.unit is None else user.unit.council
    if user.is_superuser:  # every council's: walk the first one with a recorded conference
        council = Meeting.objects.select_related("bloc__council").order_by("pk").first().bloc.council
    blocs = Bloc.objects.filter(council=council)
    if user.unit is not None:
        mine = Membership.objects.filter(unit=user.unit).values("bloc")
        bloc = blocs.filter(pk__in=mine).order_by("pk").first()
    else:
        bloc = blocs.filter(meetings__isnull=False).order_by("pk").first()
    assert bloc is not None, f"the demo gives {username} no bloc"
    meeting = Meeting.objects.filter(bloc=bloc).order_by("-date").first()
    pledge = Pledge.objects.filter(bloc=bloc).order_by("-year").first()
    year = meeting.year if meeting else council.current_year
    unit = user.unit or bloc.members(year)[0].unit
    proposal = Proposal.objects.filter(bloc=bloc).order_by("pk").first()
    submission = Submission.objects.filter(bloc=bloc).order_by("pk").first()
    decision = Decision.objects.filter(council=council).order_by("pk").first()
    first_word = bloc.name.split()[-1]
    pages = [
        reverse("blocs:home"),
        reverse("blocs:search") + f"?q={first_word}",
        reverse("blocs:search") + "?q=hoi+phu+nu",  # people, proposals, decisions and meetings too
        reverse("blocs:unit_list"),
        reverse("blocs:unit_detail", args=[unit.pk]),
        reverse("blocs:bloc_list"),
        reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={year}",
        reverse("blocs:membership_create", args=[bloc.pk]) + f"?year={year}",
        reverse("blocs:unit_list") + "?sort=-name",
        reverse("awards:index"),
        reverse("awards:bloc_year", args=[bloc.pk, year]),
        reverse("awards:registrations", args=[bloc.pk, year]),
        reverse("awards:award_list"),
        reverse("awards:catalogue"),
        reverse("blocs:deadlines"),
        reverse("blocs:todo"),
        reverse("blocs:notifications"),
        reverse("blocs:email_settings"),
        reverse("awards:decision_list"),
        reverse("awards:review_queue"),
        reverse("meetings:overview"),
        reverse("meetings:bloc_meetings", args=[bloc.pk]),
        reverse("blocs:user_list"),
        reverse("blocs:council_settings"),
        reverse("blocs:council_year", args=[council.pk, year]),
        reverse("blocs:password_change"),
        reverse("blocs:password_reset"),
        reverse("blocs:calendar"),
    ]
    if user.is_superuser:
        pages += [
            reverse("blocs:council_list"),
            reverse("blocs:council_create"),
            reverse("blocs:council_edit", args=[council.pk]),
        ]
    if pledge:
        pages.append(reverse("pledges:pledge_detail", args=[bloc.pk, pledge.year]))
    if meeting:
        pages += [
            reverse("meetings:meeting_detail", args=[meeting.pk]),
            reverse("meetings:meeting_results", args=[meeting.pk]),
            reverse("blocs:calendar") + f"?month={meeting.date:%Y-%m}",  # the month of the bloc's conference
        ]
    pages += _scoring_pages(user, bloc)
    if proposal:
        pages.append(reverse("awards:proposal_detail", args=[proposal.pk]))
    if submission:
        pages.append(reverse("awards:submission_detail", args=[submission.pk]))
    if decision:
        pages.append(reverse("awards:decision_detail", args=[decision.pk]))
    return pages


def _scoring_pages(user, bloc) -> list[str]:
    """The bloc's scoring and ranking of every scored year, and a sheet: the user's own, else the first."""
    from pledges.scoring.models import ScoreSheet, ScoringTable

    pages = []
    for table in ScoringTable.objects.filter(bloc=bloc).order_by("year"):
        pages += [
            reverse("scoring:scoring_detail", args=[bloc.pk, table.year]),
            reverse("scoring:ranking_detail", args=[bloc.pk, table.year]),
        ]
        sheets = ScoreSheet.objects.filter(table=table).order_by("pk")
        sheet = (sheets.filter(unit=user.unit).first() if user.unit else None) or sheets.first()
        if sheet is not None:
            pages.append(reverse("scoring:sheet_detail", args=[sheet.pk]))
    return pages


def _check_page(page, walk: Walk, fragments: list[str]) -> None:
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        what, culprits = overflow
        walk.add(f"{what}: {', '.join(culprits) or '?'}")
    for problem in english_in(page.evaluate(COLLECT_TEXT), fragments, WORDS):
        walk.add(problem)


# The demo users of blocs/demo.py, one per role of tests/conftest.py.
ROLES = {
    "officer": "canbo.angiang",
    "chair": "khoitruong",
    "vice-chair": "khoipho",
    "member": "thanhvien",
    "outsider": "ngoaikhoi",
    "other council's officer": "canbo.backan",
    "superuser": "quantri",
}


def _walk_role(browser, base_url: str, role: str, walk: Walk, fragments: list[str]) -> None:  # noqa: F811
    """One context for the role, one login; each page loaded once, checked at 1366×768, then the same page
    resized to 390×844 and checked again (a fresh load would only repeat the requests). A page the server
    refuses the role (403, 404, sent to log in) is left out, with whatever its refusal caused."""
    from blocs.demo import DEMO_PASSWORD

    context = browser.new_context(locale="vi-VN", base_url=base_url, viewport=WIDE)
    page = context.new_page()
    page.set_default_timeout(15_000)

    def console(message) -> None:
        if message.type == "error":
            walk.add(f"console error: {message.text}")

    def response(answer) -> None:
        if answer.status >= 400:
            walk.add(f"{answer.status} for {answer.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: walk.add(f"script error: {error}"))
    page.on("response", response)

    def failed(request) -> None:
        # ERR_ABORTED: the next page load cancelled it (the icon, still loading when the walk moves on).
        if "ERR_ABORTED" not in (request.failure or ""):
            walk.add(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    walk.where = f"{role} · login"
    log_in(page, ROLES[role], DEMO_PASSWORD)
    walk.visited[role] = []
    for url in _role_pages(ROLES[role]):
        walk.where = f"{role} · 1366px · {url}"
        before = len(walk.problems)
        response = page.goto(url)
        if response is None or response.status in (403, 404) or "/accounts/login/" in page.url:
            del walk.problems[before:]  # not this role's page
            continue
        walk.visited[role].append(url)
        _check_page(page, walk, fragments)
        page.set_viewport_size(PHONE)
        walk.where = f"{role} · 390px · {url}"
        _check_page(page, walk, fragments)
        page.set_viewport_size(WIDE)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(ON_SQLITE, reason="browser tests run on PostgreSQL")
def test_every_role_walks_the_main_pages_on_a_wide_screen_and_a_phone(browser, live_server):  # noqa: F811
    from blocs.demo import load_demo

    started = time.monotonic()
    load_demo()
    loaded = time.monotonic()
    fragments = _catalogue_fragments()
    walk = Walk()
    for role in ROLES:
        _walk_role(browser, live_server.url, role, walk, fragments)

    visits = {role: len(urls) for role, urls in walk.visited.items()}
    print(f"\nwalk: demo loaded in {loaded - started:.0f}s, pages walked in {time.monotonic() - loaded:.0f}s: {visits}")
    assert visits["officer"] == len(_role_pages(ROLES["officer"])), "the officer opens every main page"
    assert all(visits.values()), f"a role opened no page: {visits}"
    assert not walk.problems, f"{len(walk.problems)} problems:\n" + "\n".join(walk.problems)


def test_the_english_finder_finds_english_and_lets_vietnamese_through():
    fragments = _catalogue_fragments()
    assert (
        english_in("Khối thi đua 6 · in ngày 04/12/2021 · An Giang · Xuất ra Excel, Word, PDF", fragments, WORDS) == []
    )
    assert english_in("canbo.angiang@example.vn https://thidua.example.vn/page", fragments, WORDS) == []
    assert "untranslated “Blocs and clusters”" in english_in("Trang chủ · Blocs and clusters", fragments, WORDS)
    assert english_in("Xem trang Next", fragments, WORDS) == ["English word “Next”"]
    assert english_in("Lưu the thay đổi", fragments, WORDS) == ["English word “the”"]
