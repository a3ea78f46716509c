"""The deployed site knows its address: the Pages workflow's environment (SITE_URL, REPO_URL, EDIT_URI).

A local build has none of them and must still pass, showing no absolute links, QR codes or edit links.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, evidence, mkdocs_build
from test_handout import pdf_text

SITE_URL = "https://example.github.io/foot-hip/"
DEPLOY_ENV = {
    "SITE_URL": SITE_URL,
    "REPO_URL": "https://github.com/example/foot-hip",
    "EDIT_URI": "edit/main/content/",
    "EVIDENCE_DEPLOY": "1",
}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built with the deploy workflow's environment (set for this build only)."""
    site = tmp_path_factory.mktemp("deployed") / "site"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in DEPLOY_ENV.items():
            patch.setenv(name, value)
        result = mkdocs_build(ROOT, site)
    assert result.code == 0, result.text
    return site


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("index.html")]


def claim_review(page: Path) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_deployed_site_knows_its_address(deployed: Path) -> None:
    locs = re.findall(r"<loc>([^<]+)</loc>", (deployed / "sitemap.xml").read_text(encoding="utf-8"))
    assert len(locs) == len(pages(deployed)) and all(loc.startswith(SITE_URL) for loc in locs)
    claim = deployed / "claims" / "shoes-weaken-feet" / "index.html"
    assert claim_review(claim)["url"] == f"{SITE_URL}claims/shoes-weaken-feet/"
    html = claim.read_text(encoding="utf-8")
    assert 'href="https://github.com/example/foot-hip/edit/main/content/claims/shoes-weaken-feet.yml"' in html
    method = (deployed / "method" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example/foot-hip/blob/HEAD/CONTRIBUTING.md"' in method
    handout = pdf_text(deployed / "handouts" / "hip-pain.pdf")
    assert f"{SITE_URL}claims/" in handout.replace("\n", "")  # absolute links, printed beside each QR code


def test_local_site_shows_no_address(real_site: Path) -> None:
    assert "<loc>" not in (real_site / "sitemap.xml").read_text(encoding="utf-8")
    claim = real_site / "claims" / "shoes-weaken-feet" / "index.html"
    assert claim_review(claim)["url"] == "./"
    assert "ev-edit" not in claim.read_text(encoding="utf-8")
    handout = pdf_text(real_site / "handouts" / "hip-pain.pdf")
    assert "https://" not in handout.split("References")[0]  # no links to nowhere on paper


def test_deployment_without_an_address_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DEPLOY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EVIDENCE_DEPLOY", "1")
    check = evidence(ROOT, "check")
    assert check.code == 0  # a warning: it fails the strict build of the deploy workflow, not the check
    assert "mkdocs.yml: warning: the site is built for deployment but has no site_url [site-url-missing]" in check.out
