"""Project-wide promises: production settings pass Django's deploy checks, the Vietnamese catalogue is
complete and compiled, the UI speaks Vietnamese by default, and no page loads anything from the internet."""

import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "thidua.example.gov.vn",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of the same worker
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_vietnamese_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert len(catalogue.translated_entries()) > 200


def test_compiled_catalogue_matches_the_source():
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)).translated_entries() if not e.msgid_plural}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo"))) if not e.msgid_plural}
    assert compiled == source


def test_every_template_string_is_in_the_catalogue():
    """A msgid added to a template without running `make messages` would show in English."""
    msgids = {e.msgid for e in polib.pofile(str(PO))}
    pattern = re.compile(r"""\{%\s*translate\s+"([^"]+)"\s*%\}""")
    missing = []
    for template in (ROOT / "templates").rglob("*.html"):
        for msgid in pattern.findall(template.read_text(encoding="utf-8")):
            if msgid not in msgids:
                missing.append(f"{template.relative_to(ROOT)}: {msgid}")
    assert not missing, missing


@pytest.mark.django_db
def test_the_ui_is_vietnamese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page


@pytest.mark.django_db
def test_dates_are_shown_day_month_year(client_as, users, bloc):
    from datetime import date

    from django.template import Context, Template

    assert Template("{{ d|date }}").render(Context({"d": date(2021, 2, 2)})) == "02/02/2021"


def test_no_template_loads_anything_from_the_internet():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"""(?:src|href)\s*=\s*["'](https?:)?//(?!localhost|127\.0\.0\.1)""", text):
            offenders.append(f"{template.relative_to(ROOT)}: {text[match.start() : match.start() + 60]}")
        for match in re.finditer(r"""@import\s+url\(\s*["']?https?://""", text):
            offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, offenders


def test_static_css_and_js_are_served_by_the_portal():
    from django.contrib.staticfiles import finders

    for path in ["bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js", "css/portal.css"]:
        assert finders.find(path), path


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    page = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Đăng nhập" in page


@pytest.mark.django_db
def test_the_language_cookie_is_an_explicit_choice(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and "Đăng nhập" not in page
