"""Printable handouts: real PDFs made by WeasyPrint, read back with pypdf and rendered with pypdfium2."""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, evidence, mkdocs_build, run, serving
from mkdocs_evidence.handout import make_handout, ordered, pdf_bytes, render_html, select_claims
from mkdocs_evidence.options import Note, Options
from mkdocs_evidence.project import load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml

A4 = (595.0, 842.0)
LETTER = (612.0, 792.0)


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines wherever the layout wrapped them."""
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    # Layout mode keeps reading order (the default mode emits list numbers after the text).
    return "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(path).pages)


def reference_numbers(text: str) -> list[int]:
    """The numbers of the reference list (everything after the last "References" heading)."""
    tail = text.rsplit("References", 1)[1]
    return [int(n) for n in re.findall(r"^\s*(\d+)\.\s", tail, flags=re.MULTILINE)]


#: Words that only a developer would read on a handout.
DEVELOPER_WORDS = ("mkdocs-evidence", "site_url", "git", "commit", "0.1.0")


def expected_references(root: Path, topic: str) -> tuple[list[str], list[str]]:
    """Statements of a topic's claims (by verdict, then alphabetically) and the keys they cite, in first-citation order."""
    graph = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml")).graph
    claims = ordered([graph.claims[c] for c in graph.claims_by_topic[topic]])
    keys = list(dict.fromkeys(e.key for c in claims for e in c.evidence))
    return [c.statement for c in claims], keys


@pytest.fixture(scope="module")
def feet_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feet") / "feet.pdf"
    result = evidence(FIXTURES / "minimal", "handout", "--topic", "feet", "-o", str(out))
    assert result.code == 0, result.text
    return out


@pytest.fixture(scope="module")
def hip_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hip") / "hip-pain.pdf"
    result = evidence(ROOT, "handout", "--topic", "hip-pain", "-o", str(out), "--paper", "letter")
    assert result.code == 0, result.text
    return out


def test_fixture_topic_handout_lists_claims_and_only_evidence(feet_pdf: Path) -> None:
    text = pdf_text(feet_pdf)
    flat = squash(text)
    assert "Foot exercises help." in text and "Feet are everything." in text
    assert squash("Supported") in flat and squash("Moderate certainty") in flat
    assert "for clinicians" in text and "advice" not in text  # the fixture site sets no note of its own
    assert "Evidence handout" in text  # the default footer
    assert reference_numbers(text) == [1]  # one research source, cited by both claims
    assert "doi:10.1000/xyz_1~2" in flat
    # Each numbered source says how it bears on the claim; the articles are named with their flags.
    assert squash("Sources: [1] supports") in flat and squash("Sources: [1] mentions") in flat
    assert squash("Circulates in: Feet are everything (flagged: citation needed)") in flat
    # Each claim's summary of findings, as on its page: the tested one's table, the other said plainly.
    assert squash("Summary of findings: foot exercises compared with usual care") in flat
    assert squash("Rated down one level for imprecision") in flat
    assert squash("Not tested: no study in our searches tested this.") in flat
    # Popular articles are where claims circulate, not evidence: not in the reference list.
    assert "example.org/blog" not in flat
    # Nothing meant for developers: no version, commit or site_url remark; no relative links, useless on paper.
    assert not set(DEVELOPER_WORDS) & set(text.split())
    assert "claims/exercise-helps/" not in flat and "site_url" not in text


def test_real_topic_handout_numbers_its_own_references(hip_pdf: Path) -> None:
    statements, keys = expected_references(ROOT, "hip-pain")
    text = pdf_text(hip_pdf)
    flat = squash(text)
    for statement in statements:
        assert squash(statement) in flat, statement
    assert reference_numbers(text) == list(range(1, len(keys) + 1))
    graph = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml")).graph
    tail = squash(text.rsplit("References", 1)[1])
    for n, key in enumerate(keys, start=1):
        ref = graph.references[key]
        pubmed = f"https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/" if ref.get("pmid") else ""
        link = f"doi:{ref.doi}" if ref.doi else ref.get("url") or pubmed
        assert squash(link) in tail, key
        assert tail.index(squash(link)) > tail.index(f"{n}."), key
    # Exactly these references: no other entry of references.bib appears.
    for key, ref in graph.references.items():
        if key not in keys and ref.doi:
            assert squash(ref.doi) not in tail, key


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_page_size(tmp_path: Path, paper: str, size: tuple[float, float]) -> None:
    graph = load_project(settings_from_mkdocs_yml(FIXTURES / "minimal" / "mkdocs.yml")).graph
    title, claims = select_claims(graph, topic="feet")
    out = tmp_path / f"{paper}.pdf"
    out.write_bytes(pdf_bytes(render_html(make_handout(graph, title, claims), paper)))
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1)


def test_first_page_is_not_blank_and_stays_in_margins(hip_pdf: Path, tmp_path: Path) -> None:
    page = pypdfium2.PdfDocument(hip_pdf)[0]
    image = page.render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "page1.png")  # kept for a look when the test fails
    width, height = image.size
    dark = image.point(lambda v: 255 if v < 200 else 0)
    box = dark.getbbox()
    assert box is not None, "first page is blank"
    left, top, right, bottom = box
    margin = 14  # 5 mm in points (scale 1): most printers cannot print closer to the edge
    assert left >= margin and top >= margin and right <= width - margin and bottom <= height - margin
    ink = dark.histogram()[255]  # pixels darker than the threshold
    assert ink > 0.01 * width * height  # text, not a stray mark


def test_every_page_stands_on_its_own(hip_pdf: Path) -> None:
    """Past page 1 too: a footer with the page number and the warning, no claim cut in two, inside the margins."""
    pages = PdfReader(hip_pdf).pages
    assert len(pages) > 2
    pictures = pypdfium2.PdfDocument(hip_pdf)
    for n, page in enumerate(pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {n} of {len(pages)}" in text, n
        assert "not medical advice" in text, n
        # No claim-per-page rule here: a claim whose findings table is taller than a page (the injuries
        # claim has eleven findings) continues on the next; the print CSS keeps shorter ones whole.
        image = pictures[n - 1].render(scale=1).to_pil().convert("L")
        box = image.point(lambda v: 255 if v < 200 else 0).getbbox()
        assert box is not None, n
        left, top, right, bottom = box
        assert left >= 14 and top >= 14 and right <= image.size[0] - 14 and bottom <= image.size[1] - 14, n


def test_the_sites_own_wording_goes_on_its_handouts(tmp_path: Path) -> None:
    """The note, the footer and the patient handout's closing section come from the site's options, escaped for where they go."""
    graph = load_project(settings_from_mkdocs_yml(FIXTURES / "minimal" / "mkdocs.yml")).graph
    title, claims = select_claims(graph, topic="feet")
    options = Options(
        handout_note="**Not a test result.**",
        handout_footer='Fixture "handout" </style><b>',
        patient_handout_note=Note(title="Ask someone who knows", text="A *friendly* word <script>x</script>."),
    )
    clinician = render_html(make_handout(graph, title, claims), options=options)
    assert '<p class="ho-note"><strong>Not a test result.</strong> A summary of' in clinician
    assert 'content: "Fixture \\000022handout\\000022 \\00003c/style\\00003e\\00003cb\\00003e";' in clinician
    assert '<section class="ho-talk">' not in clinician
    patient = render_html(make_handout(graph, title, claims, audience="patient"), options=options)
    assert "<h2>Ask someone who knows</h2>\n<p>A <em>friendly</em> word &lt;script&gt;x&lt;/script&gt;.</p>" in patient
    assert "<script>" not in patient
    out = tmp_path / "feet-patient.pdf"
    out.write_bytes(pdf_bytes(patient))
    text = squash(pdf_text(out))
    assert squash('Fixture "handout" </style><b>') in text and squash("Ask someone who knows") in text
    # Without the options a handout says nothing of its own about advice, and has no closing section.
    plain = render_html(make_handout(graph, title, claims, audience="patient"))
    assert '<p class="ho-note">This sheet explains' in plain and '<section class="ho-talk">' not in plain
    assert 'content: "Evidence handout";' in plain


def test_site_url_gives_absolute_links_and_qr_codes(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    config = root / "mkdocs.yml"
    config.write_text("site_url: https://example.org/evidence/\n" + config.read_text())
    graph = load_project(settings_from_mkdocs_yml(config)).graph
    title, claims = select_claims(graph, claim_ids=["other-claim", "exercise-helps"])
    handout = make_handout(graph, title, claims, site_url="https://example.org/evidence/")
    html = render_html(handout)
    assert [c.url for c in handout.claims] == [
        "https://example.org/evidence/claims/other-claim/",
        "https://example.org/evidence/claims/exercise-helps/",
    ]
    assert html.count("<svg") == 2
    assert "relative paths" not in html
    assert "<script>" not in html  # claim summaries stay sanitised


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared by the handler instances of one test

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[str]:
    with serving(_Recorder) as url:
        yield url


def test_rendering_fetches_nothing_from_the_network(http_server: str) -> None:
    _Recorder.requests.clear()
    html = f'<link rel="stylesheet" href="{http_server}/style.css"><p>Hi <img src="{http_server}/x.png"></p>'
    assert pdf_bytes(html).startswith(b"%PDF")
    assert _Recorder.requests == []


def _files_a_contributor_could_name(folder: Path) -> str:
    """An image and a stylesheet on disk, and HTML naming them every way (file: URLs, paths relative to the project)."""
    import segno

    segno.make("pixel").save(folder / "pixel.png", kind="png")
    (folder / "leak.css").write_text('body::after { content: "LEAKED-FROM-DISK" }', encoding="utf-8")
    png, css = (folder / "pixel.png").as_uri(), (folder / "leak.css").as_uri()
    return (
        f'<link rel="stylesheet" href="{css}"><link rel="stylesheet" href="leak.css">'
        f'<style>@import url("{css}"); p {{ background: url("{png}") }}</style>'
        f'<p>Hi <img src="{png}"> <img src="pixel.png"> <img src="file:///etc/passwd"></p>'
    )


def _images_and_text(data: bytes) -> tuple[int, str]:
    import io

    reader = PdfReader(io.BytesIO(data))
    return sum(len(page.images) for page in reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_rendering_reads_no_file_a_contributor_names(tmp_path: Path) -> None:
    html = _files_a_contributor_could_name(tmp_path)
    images, text = _images_and_text(pdf_bytes(html, tmp_path))  # relative names resolve against tmp_path
    assert images == 0
    assert "LEAKED-FROM-DISK" not in text and "Hi" in text


def test_a_handout_whose_claim_names_files_and_urls_fetches_none(site: Callable[[str], Path], http_server: str) -> None:
    """Even through a maintainer's template that lets a claim's text through as markup, nothing named is read."""
    from dataclasses import replace

    from mkdocs_evidence.handout import write_handout

    _Recorder.requests.clear()
    root = site("minimal")
    templates = root / "overrides"
    templates.mkdir()
    clinician = (Path(__file__).parent.parent / "src" / "mkdocs_evidence" / "templates" / "handout_clinician.html.j2").read_text()
    assert "{{ c.statement }}" in clinician
    (templates / "handout_clinician.html.j2").write_text(clinician.replace("{{ c.statement }}", "{{ c.statement|safe }}"))
    graph = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml")).graph
    payload = _files_a_contributor_could_name(root) + f'<img src="{http_server}/claim.png">'
    claim_id = graph.claims_by_topic["feet"][0]
    graph = replace(graph, claims={**graph.claims, claim_id: replace(graph.claims[claim_id], statement=payload)})
    out = root / "feet.pdf"
    write_handout(graph, out, topic="feet", project_root=root, templates_dir=templates)
    images, text = _images_and_text(out.read_bytes())
    assert "Hi" in text  # the payload reached the PDF as markup
    assert images == 0 and "LEAKED-FROM-DISK" not in text
    assert _Recorder.requests == []


def _one_clear_line(result_err: str) -> None:
    lines = result_err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evidence: "), result_err
    assert "Traceback" not in result_err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topic", "no-such-topic"], "unknown topic 'no-such-topic' (known topics: feet)"),
        (["--claims", "exercise-helps,nope"], "unknown claim id: nope"),
        (["--claims", " , "], "no claims selected"),
    ],
)
def test_bad_selection(site: Callable[[str], Path], tmp_path: Path, args: list[str], message: str) -> None:
    root = site("minimal")
    out = tmp_path / "out"
    out.mkdir()
    result = evidence(root, "handout", *args, "-o", str(out / "x.pdf"))
    assert result.code == 2
    _one_clear_line(result.err)
    assert message in result.err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("where", ["missing-folder/x.pdf", "a-file/x.pdf", "a-folder"])
def test_unwritable_output(site: Callable[[str], Path], tmp_path: Path, where: str) -> None:
    root = site("minimal")
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    result = evidence(root, "handout", "--topic", "feet", "-o", str(tmp_path / where))
    assert result.code == 2
    _one_clear_line(result.err)
    assert "cannot write" in result.err
    assert sorted(tmp_path.rglob("*")) == before


def test_weasyprint_that_cannot_load_is_one_message(site: Callable[[str], Path], tmp_path: Path) -> None:
    # Blocking the import stands in for a missing Pango (which makes WeasyPrint's import fail).
    code = "import sys; sys.modules['weasyprint'] = None; from mkdocs_evidence.cli import main; sys.exit(main())"
    out = tmp_path / "x.pdf"
    result = run([sys.executable, "-c", code, "handout", "--topic", "feet", "-o", str(out)], site("minimal"))
    assert result.code == 2
    _one_clear_line(result.err)
    assert "Pango" in result.err
    assert not out.exists()


def test_all_topics_writes_one_pdf_per_topic(site: Callable[[str], Path], tmp_path: Path) -> None:
    # A copy: the command keeps its PDFs in the project's .cache/evidence, never in the committed fixture.
    result = evidence(site("minimal"), "handout", "--all-topics", "-o", str(tmp_path / "handouts"))
    assert result.code == 0, result.text
    assert sorted(p.name for p in (tmp_path / "handouts").iterdir()) == ["feet-patient.pdf", "feet.pdf"]


def test_git_describe_is_optional() -> None:
    # Outside a checkout the version line is the package version alone; inside, git adds the commit.
    proc = subprocess.run(["git", "describe", "--always"], cwd=ROOT, capture_output=True, text=True, check=False)
    graph = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml")).graph
    title, claims = select_claims(graph, topic="hip-pain")
    version = make_handout(graph, title, claims, project_root=ROOT).version
    assert version.startswith("mkdocs-evidence 0.1.0")
    if proc.returncode == 0:
        assert proc.stdout.strip() in version


def test_patient_handout_leads_with_key_messages_in_plain_words(tmp_path: Path) -> None:
    out = tmp_path / "hip-pain-patient.pdf"
    result = evidence(ROOT, "handout", "--topic", "hip-pain", "--audience", "patient", "-o", str(out))
    assert result.code == 0, result.text
    text = pdf_text(out)
    flat = squash(text)
    graph = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml")).graph
    claims = ordered([graph.claims[c] for c in graph.claims_by_topic["hip-pain"]])
    first = claims[0]
    assert flat.index(squash(first.verdict.capitalize())) < flat.index(squash(first.statement))  # grouped under the verdict
    for claim in claims:
        assert squash(claim.bottom_line) in flat, claim.id
    assert squash("What the research does not show:") in flat and squash("Talk to a professional") in flat
    assert "References" not in text and not set(DEVELOPER_WORDS) & set(text.split())
    assert len(PdfReader(out).pages) <= 3


def _links(pdf: Path) -> list[str]:
    """The addresses a PDF's links open."""
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_handout_links_open_the_pages_the_build_writes_in_either_url_style(site: Callable[[str], Path], tmp_path: Path) -> None:
    """``--claims`` and ``--all-topics`` follow the site's ``use_directory_urls``: every claim link is a page of the site."""
    root = site("minimal")
    config = root / "mkdocs.yml"
    config.write_text("site_url: https://example.org/evidence/\nuse_directory_urls: false\n" + config.read_text())
    built = mkdocs_build(root, tmp_path / "site")
    assert built.code == 0, built.text
    one = tmp_path / "chosen.pdf"
    result = evidence(root, "handout", "--claims", "exercise-helps,other-claim", "-o", str(one))
    assert result.code == 0, result.text
    result = evidence(root, "handout", "--all-topics", "-o", str(tmp_path / "all"))
    assert result.code == 0, result.text
    prefix = "https://example.org/evidence/"
    chosen = [u for u in _links(one) if u.startswith(prefix + "claims/")]
    topic = [u for u in _links(tmp_path / "all" / "feet.pdf") if u.startswith(prefix + "claims/")]
    assert {prefix + "claims/exercise-helps.html", prefix + "claims/other-claim.html"} <= set(chosen)
    assert topic
    for url in chosen + topic:
        assert (tmp_path / "site" / url.removeprefix(prefix)).is_file(), url


def test_handouts_carry_the_site_name_and_the_patient_one_a_qr_code_of_the_address() -> None:
    graph = load_project(settings_from_mkdocs_yml(FIXTURES / "minimal" / "mkdocs.yml")).graph
    title, claims = select_claims(graph, topic="feet")
    url = "https://example.org/evidence/"
    patient = render_html(make_handout(graph, title, claims, site_url=url, site_name="Example Evidence", audience="patient"))
    assert "Example Evidence" in patient and f'href="{url}"' in patient
    assert patient.count("<svg") == 1, "one QR code, of the site's address"
    assert "claims/exercise-helps" not in patient, "no address per claim: the QR code leads to all of them"
    local = render_html(make_handout(graph, title, claims, site_name="Example Evidence", audience="patient"))
    assert "Example Evidence" in local and "<svg" not in local
    clinician = render_html(make_handout(graph, title, claims, site_name="Example Evidence"))
    overview = clinician[clinician.index('<table class="ho-overview">') : clinician.index("</table>")]
    assert "Foot exercises help." in overview and "Supported" in overview and "Moderate" in overview
    assert clinician.index("ho-overview") < clinician.index('<section class="ho-claim"'), "the summary comes first"
    assert clinician.count("Foot exercises help.") == 2, "each claim in the summary and once in its section"
