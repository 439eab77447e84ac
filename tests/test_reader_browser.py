"""The reader's experience in headless Chromium: a phone's outline, accessibility (axe-core),
the 404 page under a sub-path, the data page.

The sample site (conftest's ``sample_build``) is served on 127.0.0.1, at the root and
under /sub/ as a GitHub Pages project site is.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browsing import CHROMIUM, serve

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): .ci/run installs it",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
REPORT = "reports/2019-county-police-bureau-party-building-summary/"


@pytest.fixture(scope="module")
def served(sample_build):
    with serve(sample_build.site) as base:
        yield base


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert not pg.errors, f"script errors: {pg.errors}"
    context.close()


def test_a_phone_reaches_every_section_of_a_report_from_its_outline(phone, served, sample_build):
    phone.goto(served + REPORT)
    headings = [h["anchor"] for h in sample_build.report(REPORT.split("/")[1] + ".txt")["headings"]]
    assert len(headings) > 5
    summary = phone.locator(".rr-outline summary")
    assert summary.is_visible() and summary.text_content().strip() == "目录"
    links = phone.locator(".rr-outline nav a")
    assert [a.get_attribute("href") for a in links.all()] == [f"#{h}" for h in headings]
    for anchor in headings:
        summary.click()
        phone.locator(f".rr-outline nav a[href='#{anchor}']").click()
        phone.wait_for_function("a => location.hash === '#' + a", arg=anchor)
        box = phone.locator(f"[id='{anchor}']").bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["viewport"]["height"], anchor
        assert not phone.evaluate("document.querySelector('.rr-outline').open")


def test_the_outline_control_is_a_phone_thing(browser, served):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        pg.goto(served + REPORT)
        assert not pg.locator(".rr-outline").is_visible()
        assert pg.locator(".md-sidebar--secondary .md-nav__link").count() > 5  # the theme's outline
    finally:
        pg.close()


AXE_PAGES = ["", REPORT, "slogans/si-ge-yi-shi/", "slogans/", "years/2020/", "cleaning/", "?q=三会一课 堡垒"]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(browser, served, size):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
    context = browser.new_context(**(PHONE if size == "phone" else {"viewport": {"width": 1280, "height": 900}}))
    pg = context.new_page()
    try:
        problems = []
        for url in AXE_PAGES:
            pg.goto(served + url)
            if "?q=" in url:
                pg.wait_for_selector("#rr-search-result .rr-confirmed")
            results = axe.Axe().run(pg)
            for v in results.response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{url or 'home'}: {v['id']} ({v['impact']}): "
                                    + "; ".join(n["target"][0] for n in v["nodes"][:5]))
        assert not problems, "\n".join(problems)
    finally:
        context.close()
