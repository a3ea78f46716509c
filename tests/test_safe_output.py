"""Nothing a pull request contains runs as script on the published site: safety checked on the output.

A project with script payloads in every field of every input kind (tests/hostile/payloads.py) is
built without ``--strict``, as a careless maintainer might: the check reports the payloads, but the
site it writes must still be safe. Every page is read as HTML (no event handler, no script address,
no inline script but the theme's, the policy on every page) and loaded in Chromium, which must
open no dialog and refuse no inline script. The second layer is tested alone too: a handler put into
a built page after cleaning is stopped by the page's Content-Security-Policy.
"""

from __future__ import annotations

import functools
import html.parser
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import BIN, evidence, run, serving
from test_browser import QuietHandler

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import payloads

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: Every place a payload was put, as ``seen-<where>`` shows it on the site.
CLAIM_FIELDS = ("statement", "reason", "bottom-line", "summary", "locator", "note", "downgrade", "flag-note")
PLACES = [
    *(f"claim-{f}" for f in CLAIM_FIELDS),
    *(f"claim-{f}" for f in ("search-source", "search-query", "search-found", "correction-what", "correction-why")),
    # Study appraisals and the claim's question, as the summary of findings and the source page show them.
    *(f"claim-{f}" for f in ("finding-note", "asserts-outcome")),
    *(
        f"study-{f}"
        for f in (
            "population",
            "setting",
            "notes",
            "rob-reason",
            "effect-text",
            "finding-outcome",
            "finding-exposure",
            "finding-comparison",
            "finding-locator",
            "appraised-by",
            "second-reader",
        )
    ),
    "bib-title",
    "bib-author",
    "bib-journal",
    "bib-volume",
    "bib-note",
    "topic-title",
    "topic-description",
    "topic-intro",
    "page-title",
    "page-description",
    "prose-page",
    "home-page",
    "h1-title",
    "redirect",
]


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payload project built without --strict (errors are reported, the site is written)."""
    root = payloads.make(tmp_path_factory.mktemp("payloads"))
    result = run([str(BIN / "mkdocs"), "build", "--site-dir", str(root / "site")], root)
    assert result.code == 0, result.text
    assert "Traceback" not in result.text
    return root / "site"


class _Scan(html.parser.HTMLParser):
    """Every event handler, script address and inline script of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline_scripts = 0
        self.policy = ""
        self._script = False
        self.in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            # Material's search "share" icon is a javascript:void(0) link of the theme's own.
            runs = text.startswith(("javascript:", "vbscript:", "data:text")) and text != "javascript:void(0)"
            if name in {"href", "src", "action", "formaction", "xlink:href"} and runs:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and self.in_article and "position" in text:
                self.problems.append(f"<{tag} style={value!r}> in the page's content")
            if tag == "meta" and ("http-equiv", "Content-Security-Policy") in attrs:
                self.policy = dict(attrs).get("content") or ""
        if tag == "article":
            self.in_article = True
        if tag == "script":
            types = dict(attrs).get("type") or ""
            self._script = "src" not in dict(attrs) and types in {"", "text/javascript", "module"}

    def handle_data(self, data: str) -> None:
        if self._script and data.strip():
            self.inline_scripts += 1
            if "alert(" in data:
                self.problems.append(f"inline script {data[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False
        if tag == "article":
            self.in_article = False


def scan(page: Path) -> _Scan:
    parser = _Scan()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_payload_reached_the_site(payload_site: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in html_pages(payload_site))
    missing = [where for where in PLACES if f"seen-{where}" not in text]
    assert not missing, f"payloads that never reached a page prove nothing: {missing}"


def test_no_page_has_a_handler_a_script_address_or_a_foreign_inline_script(payload_site: Path) -> None:
    problems = [f"{page.relative_to(payload_site)}: {p}" for page in html_pages(payload_site) for p in scan(page).problems]
    assert not problems, "\n".join(problems)


def test_a_page_cannot_choose_the_theme_redirect(payload_site: Path) -> None:
    page = (payload_site / "redirect-page" / "index.html").read_text(encoding="utf-8")
    assert payloads.REDIRECT_TO not in page
    assert "seen-redirect" in page  # the page is built with the site's own template


def test_every_page_carries_the_policy(payload_site: Path) -> None:
    for page in html_pages(payload_site):
        found = scan(page)
        assert "script-src 'self'" in found.policy, page
        assert "'unsafe-inline'" not in found.policy.split("script-src", 1)[1].split(";")[0], page
        # One hash per inline script the theme wrote, and no more.
        assert found.policy.count("'sha256-") <= found.inline_scripts, page


def test_files_that_could_run_are_not_published(payload_site: Path) -> None:
    import material

    assert not (payload_site / "evil.html").exists()
    assert not (payload_site / "evil.js").exists()
    theme = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    for name in payloads.theme_bundles():
        assert (payload_site / "assets" / "javascripts" / name).read_bytes() == (theme / name).read_bytes()
    assert b"alert" not in (payload_site / "assets" / "mkdocs-evidence.js").read_bytes()
    svg = (payload_site / "evil.svg").read_text(encoding="utf-8")
    assert "seen-file-svg" in svg  # the picture is published, cleaned
    assert "alert" not in svg and "script" not in svg.lower() and "onload" not in svg


@pytest.fixture(scope="module")
def payload_url(payload_site: Path) -> Iterator[str]:
    with serving(functools.partial(QuietHandler, directory=str(payload_site))) as url:
        yield url


def visit(browser: Browser, url: str) -> tuple[list[str], list[str]]:
    """Dialogs opened and inline scripts the policy refused, loading ``url`` and hovering its content."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(
        "window.__refused = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__refused.push(e.violatedDirective + ' ' + e.sample));"
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for element in page.locator("article *").all()[:400]:
        element.dispatch_event("mouseover")
    refused = page.evaluate("window.__refused")
    context.close()
    return dialogs, [r for r in refused if r.startswith("script-src")]


def test_no_script_runs_on_any_page_in_chromium(browser: Browser, payload_site: Path, payload_url: str) -> None:
    found = []
    for page in html_pages(payload_site):
        path = page.relative_to(payload_site).as_posix()
        dialogs, refused = visit(browser, f"{payload_url}/{path}")
        found += [f"{path}: alert({d})" for d in dialogs] + [f"{path}: refused {r}" for r in refused]
    assert not found, "\n".join(found)


def test_the_policy_stops_a_handler_that_slipped_past_the_cleaner(browser: Browser, payload_site: Path, tmp_path: Path) -> None:
    page = (payload_site / "evil-page" / "index.html").read_text(encoding="utf-8")
    article = '<article class="md-content__inner md-typeset">'
    injected = "<img src=\"nowhere.png\" onerror=\"alert('slipped')\"><script>alert('slipped')</script>"
    slipped = page.replace(article, article + injected, 1)
    assert slipped != page
    (tmp_path / "index.html").write_text(slipped, encoding="utf-8")
    with serving(functools.partial(QuietHandler, directory=str(tmp_path))) as url:
        dialogs, refused = visit(browser, f"{url}/index.html")
    assert dialogs == []
    assert len(refused) == 2, refused  # both were tried, and both refused


def test_the_check_reports_every_file_kind(payload_site: Path) -> None:
    root = payload_site.parent
    text = evidence(root, "check").text
    for line in ("content/evil.html: error", "content/evil.js: error", "content/evil.svg: warning"):
        assert line in text, text
    assert "content/assets/javascripts/bundle." in text


def test_render_for_other_generators_copies_no_file_that_could_run(payload_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    rendered = evidence(payload_site.parent, "render", "-o", str(out))
    assert "Traceback" not in rendered.text
    assert not (out / "evil.html").exists() and not (out / "evil.js").exists()
    assert not (out / "assets" / "javascripts").exists()  # the file named like the theme's bundle
    assert b"alert" not in (out / "assets" / "mkdocs-evidence.js").read_bytes()
    svg = (out / "evil.svg").read_text(encoding="utf-8")
    assert "seen-file-svg" in svg and "alert" not in svg


def test_only_templates_of_the_maintainers_overrides_may_be_chosen(tmp_path: Path) -> None:
    from mkdocs_evidence.plugin import maintainer_template

    docs, overrides = tmp_path / "content", tmp_path / "overrides"
    (docs / "theme").mkdir(parents=True)
    overrides.mkdir()
    (overrides / "home.html").write_text("{% extends 'main.html' %}", encoding="utf-8")
    (docs / "theme" / "evil.html").write_text("{{ 7 * 7 }}", encoding="utf-8")
    assert maintainer_template("main.html", None, docs)
    assert maintainer_template("home.html", str(overrides), docs)
    assert not maintainer_template("redirect.html", str(overrides), docs)  # the theme's, not an override
    assert not maintainer_template("../overrides/home.html", None, docs)
    assert not maintainer_template("../content/theme/evil.html", str(overrides), docs)  # leads out of the overrides
    assert not maintainer_template("evil.html", str(docs / "theme"), docs)  # overrides a pull request writes
    assert not maintainer_template(["home.html"], str(overrides), docs)


def test_a_deeply_nested_picture_is_refused_not_a_traceback() -> None:
    from mkdocs_evidence.svg import MAX_DEPTH, UnusableSvg, clean_svg

    def nested(depth: int) -> bytes:
        return ('<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * depth + "</g>" * depth + "</svg>").encode()

    assert clean_svg(nested(MAX_DEPTH - 1)).removed == ()
    # Written back by ElementTree, which recurses once per level: a RecursionError in the check and the build.
    with pytest.raises(UnusableSvg, match="nested"):
        clean_svg(nested(5000))
