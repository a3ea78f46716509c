"""The real site in a real browser: what a reader clicks, searches, prints and sees on a phone.

The other tests read the generated HTML as text. These build the project's own site once
(``mkdocs build --strict``, as CI and the Pages deploy do), serve it on 127.0.0.1 and drive
Debian's Chromium with Playwright, so they catch what only a browser shows: links that do not
lead where a reader expects, Material's search not finding claim pages, JavaScript errors,
missing files, requests to the internet (the site must work offline and leak nothing), a print
layout full of navigation, and pages wider than a phone.

Playwright never downloads a browser here: it launches the system Chromium (``EVIDENCE_CHROMIUM``,
else ``chromium`` on PATH). Without Playwright or Chromium the tests are skipped, unless
``EVIDENCE_REQUIRE_BROWSER`` is set (CI sets it), in which case they fail.

Screenshots and a print PDF go to ``EVIDENCE_SCREENSHOTS`` or ``build/screenshots/``, for people
to look at; the assertions never depend on timing.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import ROOT, serving, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, Route

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
#: How long Playwright waits for an element or a page before failing (ms); generous for slow CI machines.
WAIT_MS = 15_000

#: The evidence on a claim page (a table or a list): one entry per source, each linking to the source page.
EVIDENCE = ".ev-evidence"
#: A claim with a long evidence list (six sources), the widest thing a phone has to show.
WIDE_CLAIM = "hip-weakness-alters-leg-control"
#: The page lists below come from this site's content; without it (the plugin's tests alone, run by
#: scripts/plugin_versions.sh) the module still loads, and its tests, all marked `site`, are left out.
SITE_PRESENT = (ROOT / "mkdocs.yml").is_file()
#: A word only one claim statement uses (and the pages that list that claim).
SEARCH_WORD = "corkscrew"
SEARCH_CLAIM = "corkscrew-cue-activates-glutes"


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("EVIDENCE_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- The site, served ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(real_site: Path) -> Path:
    """The project's real site, built once per run with ``mkdocs build --strict`` (see conftest)."""
    return real_site


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>``: the built site served by the standard library."""
    with serving(functools.partial(QuietHandler, directory=str(built_site))) as url:
        yield url


# --- The browser -----------------------------------------------------------------------------


OpenPage = Callable[..., "Page"]


@pytest.fixture
def open_page(browser: Browser, base_url: str) -> Iterator[OpenPage]:
    """Open a page in a fresh context (desktop unless told otherwise) that records every problem.

    A problem is anything a reader's browser would complain about or that would break offline:
    a console error, an uncaught exception, a failed request, an HTTP error status, or a request
    that leaves the local server (those are blocked). The list must be empty when the test ends.
    """
    problems: list[str] = []
    contexts: list[BrowserContext] = []

    def local(url: str) -> bool:
        return url == base_url or url.startswith(f"{base_url}/") or url.startswith(("data:", "blob:"))

    def guard(route: Route) -> None:
        if local(route.request.url):
            route.continue_()
        else:
            problems.append(f"external request blocked: {route.request.url}")
            route.abort()

    def failed(request: Request) -> None:
        if local(request.url):  # external ones are already listed as blocked
            problems.append(f"request failed ({request.failure}): {request.url}")

    def response(resp: Response) -> None:
        if resp.status >= 400:
            problems.append(f"HTTP {resp.status}: {resp.url}")

    def make(path: str = "/", **options: Any) -> Page:
        context = browser.new_context(**(options or DESKTOP))
        contexts.append(context)
        context.set_default_timeout(WAIT_MS)
        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
        page.on("requestfailed", failed)
        page.on("response", response)
        page.goto(base_url + path)
        settle(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def settle(page: Page) -> None:
    """Wait until the page has loaded and stopped fetching (Material's search worker loads its index after load)."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


def claim_id(page: Page) -> str | None:
    return page.locator(".ev-claim").get_attribute("data-claim-id")


# --- Tests -----------------------------------------------------------------------------------


def test_reader_goes_from_home_to_topic_claim_source_and_back(open_page: OpenPage, base_url: str) -> None:
    page = open_page("/")
    page.locator('article a[href="topics/hip-pain/"]').first.click()
    page.wait_for_url(f"{base_url}/topics/hip-pain/")
    settle(page)
    assert page.locator("article h1").inner_text().startswith("Hip pain")

    claim_link = page.locator(".ev-claim-list a").first
    claim = (claim_link.get_attribute("href") or "").rstrip("/").rsplit("/", 1)[-1]
    claim_link.click()
    page.wait_for_url(f"{base_url}/claims/{claim}/")
    settle(page)
    assert claim_id(page) == claim

    source_link = page.locator(f'{EVIDENCE} a[href*="sources/"]').first
    source_link.click()
    page.wait_for_url(f"{base_url}/sources/*/")
    settle(page)
    source = page.locator(".ev-source[data-key]")
    assert source.count() == 1, "the evidence's source link did not open a source page"
    assert page.url.rstrip("/").endswith(f"/sources/{source.get_attribute('data-key')}")

    back = page.locator(f'table.ev-cited-by a[href$="claims/{claim}/"]')
    assert back.count() == 1, f"the source page's 'Cited by' table does not list {claim}"
    back.click()
    page.wait_for_url(f"{base_url}/claims/{claim}/")
    settle(page)
    assert claim_id(page) == claim


def test_search_finds_a_claim_page(open_page: OpenPage, built_site: Path, base_url: str) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert f"claims/{SEARCH_CLAIM}/" in locations, "claim pages are missing from Material's search index"

    page = open_page("/")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(SEARCH_WORD)
    result = page.locator(f'.md-search-result__item a[href*="claims/{SEARCH_CLAIM}/"]').first
    result.wait_for(state="visible")
    assert "claims/" in (result.get_attribute("href") or "")
    result.click()
    page.wait_for_url(f"{base_url}/claims/{SEARCH_CLAIM}/**")
    settle(page)
    assert claim_id(page) == SEARCH_CLAIM
    assert SEARCH_WORD in page.locator("article h1").inner_text().lower()


def hidden(page: Page, selector: str) -> bool:
    """True when nothing matching ``selector`` would show: absent, ``display: none`` or not visible."""
    return bool(
        page.evaluate(
            """(sel) => [...document.querySelectorAll(sel)].every(
                   (el) => getComputedStyle(el).display === "none" || !el.checkVisibility())""",
            selector,
        )
    )


def test_claim_page_prints_content_without_navigation(open_page: OpenPage) -> None:
    page = open_page(f"/claims/{WIDE_CLAIM}/")
    page.emulate_media(media="print")
    for chrome in [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]:
        assert hidden(page, chrome), f"{chrome} shows in the print layout"
    assert page.locator(".ev-claim").is_visible()
    assert page.locator(EVIDENCE).is_visible()

    pdf = page.pdf(path=screenshots_dir() / "claim-print.pdf", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


#: The claim page with a summary-of-findings table and the source page with an appraisal (risk-of-bias row).
SOF_KIND, APPRAISAL_KIND = "claim with findings table", "appraised source"


@functools.cache
def _appraisal_kinds() -> tuple[tuple[str, str], ...]:
    """A claim whose profile has tested findings (its page has the table) and an appraised study's source page.

    "" when the content has none: the tests that visit them then fail, saying so.
    """
    from mkdocs_evidence import load_project, profile, settings_from_mkdocs_yml

    if not SITE_PRESENT:
        return ()
    graph = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml")).graph
    tested = next((c.id for c in graph.claims.values() if profile.compute(c, graph).tested), "")
    studied = next((k for k, s in graph.studies.items() if s.domains), "")
    return ((SOF_KIND, f"/claims/{tested}/" if tested else ""), (APPRAISAL_KIND, f"/sources/{studied}/" if studied else ""))


def _has_what_it_is_chosen_for(page: Page, kind: str, path: str) -> None:
    """The appraisal pages are in the lists for what they show: check it is there (and that the content has one)."""
    if kind in (SOF_KIND, APPRAISAL_KIND):
        assert path, f"the project's content has no {kind} page to check"
    if kind == SOF_KIND:
        assert page.locator("table.ev-sof caption").count() == 1
    if kind == APPRAISAL_KIND:
        assert page.locator("svg.ev-rob__row title").count() >= 1 and page.locator(".ev-rob-legend li").count() >= 2


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize(
    ("kind", "path"),
    [("claim", f"/claims/{WIDE_CLAIM}/"), ("topic", "/topics/hip-pain/"), ("index", "/claims/"), *_appraisal_kinds()],
)
def test_page_layout_fits_desktop_and_phone(open_page: OpenPage, kind: str, path: str, device: str) -> None:
    options = PHONE if device == "phone" else DESKTOP
    page = open_page(path, **options)
    _has_what_it_is_chosen_for(page, kind, path)
    page.screenshot(path=screenshots_dir() / f"{kind}-{device}.png", full_page=True)
    width = options["viewport"]["width"]
    overflow = page.evaluate(
        """() => {
            const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
            const inScroller = (el) => {
                for (let up = el.parentElement; up; up = up.parentElement) if (scrolls(up)) return true;
                return false;
            };
            const edge = document.documentElement.clientWidth + 1;
            return {
                page: document.documentElement.scrollWidth,
                inner: window.innerWidth,
                wide: [...document.querySelectorAll("article *")]
                    .filter((el) => el.getBoundingClientRect().right > edge && !inScroller(el))
                    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))
                    .slice(0, 5),
                unwrappedTables: [...document.querySelectorAll("article table")]
                    .filter((t) => !inScroller(t))
                    .map((t) => t.className),
            };
        }"""
    )
    sideways = overflow["page"] > width or overflow["page"] > overflow["inner"]
    assert not sideways, f"the page scrolls sideways ({device}): {overflow}"
    # Wide tables scroll inside their own box (.ev-table-wrap, Material's scroll wrapper), never the page.
    assert not overflow["unwrappedTables"], f"tables that can push the page sideways: {overflow['unwrappedTables']}"
    font = page.locator("article.md-typeset").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert font >= 12, f"body text is {font}px ({device})"
    # Each source gets room to be read: not a column a few letters wide with its words broken mid-word
    # (Material's `a { word-break: break-word }` lets a table squeeze a link column to one character).
    cramped = page.locator(f'{EVIDENCE} a[href*="sources/"]').evaluate_all(
        """(links) => links.map((a) => {
               const box = a.closest("td, li") || a;
               return [a.getAttribute("href"), box.getBoundingClientRect().width / parseFloat(getComputedStyle(box).fontSize)];
           }).filter(([, ems]) => ems < 8)"""
    )
    assert not cramped, f"sources squeezed to under 8em wide ({device}): {cramped}"


def test_keyboard_reaches_the_sources(open_page: OpenPage) -> None:
    page = open_page(f"/claims/{WIDE_CLAIM}/")
    visited: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """(evidence) => {
                const el = document.activeElement;
                const href = el.getAttribute("href") || "";
                return {
                    source: !!el.closest(evidence) && href.includes("sources/"),
                    tip: el.getAttribute("aria-describedby"),
                    what: `${el.tagName} ${href}`,
                };
            }""",
            EVIDENCE,
        )
        visited.append(where["what"])
        if where["source"]:
            # The focused citation shows its full reference, which is also its accessible description.
            assert where["tip"], "a citation without aria-describedby"
            tip = page.locator(f"#{where['tip']}")
            assert tip.is_visible(), "the full reference does not show on keyboard focus"
            assert tip.get_attribute("role") == "tooltip" and tip.locator(".ev-ref__title").inner_text()
            # Escape hides it (WCAG 1.4.13: content shown on focus can be dismissed without moving focus).
            page.keyboard.press("Escape")
            assert not tip.is_visible(), "Escape does not hide the full reference"
            # Moving on hides this one for good; the next citation shows its own.
            page.keyboard.press("Tab")
            assert not tip.is_visible()
            return
    pytest.fail("60 presses of Tab never reached a source in the evidence; focus went to:\n" + "\n".join(visited))


def test_topic_introduction_shows_its_notice(open_page: OpenPage) -> None:
    # The introduction is Markdown with an admonition; it must render as a box, not as "!!! note" text.
    page = open_page("/topics/hip-pain/")
    assert "!!!" not in page.locator("article").inner_text()
    assert page.locator("article .admonition").first.is_visible()


def test_citation_shows_the_full_reference_on_hover(open_page: OpenPage) -> None:
    page = open_page(f"/claims/{WIDE_CLAIM}/")
    cite = page.locator(f"{EVIDENCE} a.ev-cite").first
    tip = page.locator(f"#{cite.get_attribute('aria-describedby')}")
    assert not tip.is_visible()
    cite.hover()
    assert tip.is_visible()
    # The tooltip stays on screen.
    box = tip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]  # type: ignore[index]


def test_evidence_picture_links_lead_to_claims(open_page: OpenPage, base_url: str) -> None:
    page = open_page("/")
    picture = page.locator("svg.ev-graph")
    assert picture.is_visible()
    node = picture.locator("a.evg-node--claim").first
    href = node.get_attribute("href") or ""
    node.locator("text").click()
    page.wait_for_url(f"{base_url}/{href}")
    settle(page)
    assert claim_id(page) == href.rstrip("/").rsplit("/", 1)[-1]


def _relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour (channels 0-255)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_wcag() -> None:
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0x9E, 0x9E, 0x9E), (255, 255, 255)), 2) == 2.68  # the grey the issue measured


def test_every_mark_of_the_evidence_picture_stands_out(open_page: OpenPage) -> None:
    """WCAG 1.4.11: each line, dot and label of the picture (and its key) has 3:1 against what is behind it.

    axe-core checks text only; the colours here are the browser's computed stroke and fill of every
    drawn element. Paint the colour of the background is a gap (the white ring that parts a dot from
    the lines under it), not a mark; an invisible hit area is no mark either.
    """
    page = open_page("/")
    marks = page.evaluate(
        """() => {
            const rgb = (value) => {
                const m = /rgba?\\(([^)]*)\\)/.exec(value || "");
                if (!m) return null;
                const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
                return a === 0 ? null : [r, g, b];
            };
            const background = (el) => {
                for (let up = el; up; up = up.parentElement) {
                    const colour = rgb(getComputedStyle(up).backgroundColor);
                    if (colour) return colour;
                }
                return [255, 255, 255];
            };
            const shapes = "path, line, circle, ellipse, rect, polygon, polyline, text";
            const out = [];
            for (const el of document.querySelectorAll(`svg.ev-graph :is(${shapes}), svg.ev-graph-key :is(${shapes})`)) {
                if (el.closest("tspan") || el.classList.contains("evg-hit")) continue;
                const style = getComputedStyle(el);
                const paints = [["fill", style.fill]];
                if (parseFloat(style.strokeWidth) > 0) paints.push(["stroke", style.stroke]);
                for (const [what, value] of paints) {
                    const colour = rgb(value);
                    const mark = `${el.tagName}.${el.getAttribute("class") || ""} ${what}`;
                    if (colour) out.push({mark, colour, behind: background(el)});
                }
            }
            return out;
        }"""
    )
    assert len(marks) > 50, f"the home page's picture drew only {len(marks)} marks"
    weak = {
        f"{m['mark']} rgb{tuple(m['colour'])}: {contrast(m['colour'], m['behind']):.2f}:1"
        for m in marks
        if m["colour"] != m["behind"] and contrast(m["colour"], m["behind"]) < 3
    }
    assert not weak, "marks under 3:1 against their background:\n" + "\n".join(sorted(weak))


# --- Accessibility: axe-core, WCAG 2.2 AA, every kind of page at both widths -----------------------

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _page_kinds() -> list[tuple[str, str]]:
    """Home, each topic, the index, a claim of each verdict, a paper and an article source, bibliography, method, glossary."""
    from mkdocs_evidence import load_project, settings_from_mkdocs_yml

    if not SITE_PRESENT:
        return []
    graph = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml")).graph
    kinds = [("home", "/"), ("index", "/claims/"), ("bibliography", "/sources/"), ("method", "/method/")]
    kinds += [("glossary", "/glossary/")] if graph.glossary else []
    kinds += [(f"topic {t}", f"/topics/{t}/") for t in graph.topics]
    by_verdict: dict[str, str] = {}
    for claim in graph.claims.values():
        by_verdict.setdefault(claim.verdict, claim.id)
    kinds += [(f"claim {v}", f"/claims/{c}/") for v, c in sorted(by_verdict.items())]
    paper = next(r.key for r in graph.references.values() if r.design not in ("", "popular-article"))
    article = next(r.key for r in graph.references.values() if r.design == "popular-article")
    kinds += [("paper source", f"/sources/{paper}/"), ("article source", f"/sources/{article}/")]
    return kinds + list(_appraisal_kinds())


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize(("kind", "path"), _page_kinds())
def test_every_kind_of_page_passes_axe_wcag_22_aa(open_page: OpenPage, kind: str, path: str, device: str) -> None:
    if not AXE.is_file():
        unavailable(f"axe-core is not installed: npm ci --prefix tests/axe ({AXE} missing)")
    page = open_page(path, **(PHONE if device == "phone" else DESKTOP))
    _has_what_it_is_chosen_for(page, kind, path)
    # Evaluated by the browser's tools, not added as an inline script: the page's policy would refuse that.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])}× e.g. {v['nodes'][0]['target']}: "
        f"{v['nodes'][0].get('failureSummary', '').splitlines()[-1] if v['nodes'][0].get('failureSummary') else ''}"
        for v in result["violations"]
    ]
    assert not violations, f"{kind} at {device} width:\n" + "\n".join(violations)


@pytest.mark.parametrize("script", [False, True])
def test_claim_index_filters_with_and_without_javascript(open_page: OpenPage, script: bool) -> None:
    page = open_page("/claims/", **PHONE, java_script_enabled=script)
    cards = page.locator(".ev-card")
    total = cards.count()
    supported = page.locator('.ev-card[data-verdict="supported"]').count()
    assert 0 < supported < total
    page.locator('label[for="ev-f-verdict-supported"]').click()
    visible = [c.get_attribute("data-verdict") for c in cards.all() if c.is_visible()]
    assert visible == ["supported"] * supported
    page.locator('label[for="ev-f-certainty-high"]').click()  # filters combine: none is both supported and high
    assert not [c for c in cards.all() if c.is_visible()]
    count = page.locator(".ev-filter-count").inner_text()
    assert count == (f"Showing 0 of {total} claims." if script else "")
    page.screenshot(path=str(screenshots_dir() / f"index-filtered-{'js' if script else 'nojs'}-phone.png"), full_page=False)


def test_claim_page_leads_with_the_verdict(open_page: OpenPage) -> None:
    page = open_page(f"/claims/{WIDE_CLAIM}/", **PHONE)
    heading = page.locator("h1").inner_text()
    verdict = page.locator(".ev-badges .ev-verdict").inner_text()
    assert heading.startswith(f"{verdict}: ") and page.title().startswith(f"{verdict}: ")
    assert page.locator("h2").first.inner_text().startswith(f"Verdict: {verdict}")
    assert page.locator("a.md-skip").get_attribute("href") == page.locator("h2").first.evaluate("h => '#' + h.id")
    first = page.locator(".ev-claim > p").all_inner_texts()[:3]
    assert first[1].startswith("Bottom line:") and first[2].startswith("The claim:")
    assert page.locator(".ev-advice").is_visible()
    assert not page.locator(".ev-hover-hint").is_visible()  # a phone has no hover


@pytest.mark.parametrize(("kind", "path"), _page_kinds())
def test_every_page_reads_on_a_phone(open_page: OpenPage, kind: str, path: str) -> None:
    """At 390 px nothing but the evidence picture (in its own scroller) is wider than the screen, and no
    table cell is narrower than its longest word (words broken letter by letter cannot be read)."""
    page = open_page(path, **PHONE)
    _has_what_it_is_chosen_for(page, kind, path)
    result = page.evaluate(
        """() => {
            const edge = document.documentElement.clientWidth + 1;
            const inPicture = (el) => el.closest(".ev-graph-wrap, .ev-graph");
            const wide = [...document.querySelectorAll("article *")]
                .filter((el) => !inPicture(el) && el.getBoundingClientRect().right > edge)
                .map((el) => el.tagName.toLowerCase() + "." + el.className).slice(0, 5);
            const narrow = [...document.querySelectorAll("article td, article th")].map((cell) => {
                const words = cell.innerText.split(/\\s+/).filter(Boolean);
                if (!words.length) return null;
                const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
                const probe = document.createElement("span");
                probe.style.cssText = "position: absolute; visibility: hidden; white-space: nowrap";
                probe.style.font = getComputedStyle(cell).font;
                probe.textContent = longest;
                document.body.appendChild(probe);
                const need = probe.getBoundingClientRect().width;
                probe.remove();
                const style = getComputedStyle(cell);
                const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return need > room + 1 ? `${longest} needs ${Math.round(need)}px, has ${Math.round(room)}px` : null;
            }).filter(Boolean).slice(0, 5);
            return {page: document.documentElement.scrollWidth, inner: window.innerWidth, wide, narrow};
        }"""
    )
    assert result["page"] <= result["inner"] and not result["wide"], f"{kind} scrolls sideways at 390 px: {result}"
    assert not result["narrow"], f"{kind}: table cells narrower than their longest word: {result['narrow']}"
