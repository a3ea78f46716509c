"""One options model: the plugin and `evidence check` accept and reject exactly the same options."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, evidence, mkdocs_build
from mkdocs_evidence.options import Note, Options, OptionsError, parse_options
from mkdocs_evidence.plugin import EvidencePlugin


def configure(root: Path, lines: str) -> None:
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - evidence\n", "  - evidence:\n" + lines), encoding="utf-8")


BAD = [
    ("      claim_dir: x\n", "claim_dir: unknown option (did you mean 'claims_dir'?)"),
    ("      handout_paper: legal\n", "handout_paper: 'legal' is not allowed: 'a4' or 'letter'"),
    (
        "      severities: {unused-refrence: error}\n",
        "severities: unknown check code 'unused-refrence' (did you mean 'unused-reference'?)",
    ),
    (
        "      severities: {unused-reference: fatal}\n",
        "severities.unused-reference: 'fatal' is not allowed: 'error', 'warning' or 'ignore'",
    ),
    ("      review_after_days: 0\n", "review_after_days: 0 must be greater than or equal to 1"),
    ("      picture_max_claims: lots\n", "picture_max_claims: 'lots' must be a valid integer"),
    ("      handouts: sometimes\n", "handouts: 'sometimes' must be a valid boolean"),
    ("      patient_handout_note: Ask us\n", "patient_handout_note: 'Ask us' must be a mapping: {title: …, text: …}"),
]


@pytest.mark.parametrize(("lines", "message"), BAD)
def test_check_and_build_reject_the_same_option_with_one_line(site: Callable[[str], Path], lines: str, message: str) -> None:
    root = site("minimal")
    configure(root, lines)
    check = evidence(root, "check")
    assert check.code == 2
    assert check.err.strip().splitlines() == [f"evidence: {message}"]
    built = mkdocs_build(root)
    assert built.code == 1
    name, _, rest = message.partition(": ")
    assert f"Plugin 'evidence' option '{name}': {rest}" in built.text


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        ({"patient_handout_note": {"title": "Ask us"}}, [("patient_handout_note.text", "missing")]),
        (
            {"patient_handout_note": {"title": "Ask us", "txt": "Here."}},
            [("patient_handout_note.text", "missing"), ("patient_handout_note.txt", "unknown key (did you mean 'text'?)")],
        ),
        ({"claim_note": 3}, [("claim_note", "3 must be a valid string")]),
        ({"handout_notes": "x"}, [("handout_notes", "unknown option (did you mean 'handout_note'?)")]),
    ],
)
def test_the_sites_wording_is_validated_like_every_option(raw: dict[str, object], problems: list[tuple[str, str]]) -> None:
    with pytest.raises(OptionsError) as caught:
        parse_options(raw)
    assert caught.value.problems == problems


def test_the_site_says_what_the_generator_leaves_unsaid() -> None:
    """A site's wording by default: no note, a footer naming the handout, no closing section."""
    options = parse_options({})
    assert (options.claim_note, options.handout_note, options.patient_handout_note) == ("", "", None)
    assert options.handout_footer == "Evidence handout"
    note = parse_options({"patient_handout_note": {"title": "Ask us", "text": "Here."}}).patient_handout_note
    assert note == Note(title="Ask us", text="Here.")


def test_the_plugin_validates_with_the_options_model() -> None:
    """Every option of the model is accepted by the plugin with its default, and nothing else is."""
    plugin = EvidencePlugin()
    for name, info in Options.model_fields.items():
        default = info.get_default(call_default_factory=True)
        assert plugin.load_config({name: default}) == ([], []), name
    errors, _ = plugin.load_config({"no_such_option": 1})
    assert [name for name, _ in errors] == ["no_such_option"]


def test_the_readme_documents_every_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("  - evidence:\n      enabled:") :]
    block = block[: block.index("```")]
    assert re.findall(r"^      (\w+):", block, re.M) == list(Options.model_fields)


def test_enabled_false_builds_the_site_without_the_plugin(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    configure(root, "      enabled: false\n")
    cfg = root / "mkdocs.yml"  # the fixture's nav names generated pages, which a disabled plugin does not make
    cfg.write_text(cfg.read_text(encoding="utf-8").split("nav:")[0], encoding="utf-8")
    built = mkdocs_build(root)
    assert built.code == 0, built.text
    assert (root / "site" / "index.html").is_file()
    assert not (root / "site" / "claims" / "exercise-helps" / "index.html").exists()
    assert "[@smith2020trial]" in (root / "site" / "index.html").read_text(encoding="utf-8")


ACCEPTED = {
    "plugins as a mapping": "plugins:\n  evidence:\n    claims_dir: other\n",
    "options null": "plugins:\n  - search\n  - evidence:\n",
    "python tag and !relative": (
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "  - pymdownx.snippets:\n      base_path: !relative $config_dir\nplugins:\n  - evidence: {claims_dir: other}\n"
    ),
}


@pytest.mark.parametrize("body", ACCEPTED.values(), ids=ACCEPTED.keys())
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_mkdocs_yml_shapes_and_encodings_mkdocs_accepts_are_read(tmp_path: Path, body: str, encoding: str) -> None:
    """What MkDocs reads (a mapping of plugins, empty options, its tags, a byte-order mark), the check reads alike."""
    from mkdocs_evidence.settings import settings_from_mkdocs_yml

    config = tmp_path / "mkdocs.yml"
    config.write_bytes(f"site_name: Café\ndocs_dir: content\n{body}".encode(encoding))
    settings = settings_from_mkdocs_yml(config)
    assert settings.docs_dir == (tmp_path / "content").resolve()
    assert settings.claims_dir.name == ("other" if "other" in body else "claims")
