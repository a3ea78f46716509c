"""The one Jinja2 environment: templates (built-in or overridden), filters and globals.

Pages, prose expansion and handouts all render through :func:`environment`, so a filter exists once
and a ``templates_dir`` override applies everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import assess, urls, vocab
from .model import Reference
from .sanitize import rich, rich_inline


def short_citation(ref: Reference) -> str:
    """``Wei et al. 2022``, ``Khamis & Yizhar 2007``, or the title for works without authors."""
    names = [a.surname for a in ref.authors]
    if not names:
        who = ref.get("organization") or ref.get("publisher") or ref.title
    elif len(names) > 2 or ref.et_al:  # "Smith and others" is "Smith et al." too
        who = f"{names[0]} et al."
    elif len(names) == 1:
        who = names[0]
    else:
        who = f"{names[0]} & {names[1]}"
    return f"{who} {ref.year}".strip()


def stop(text: str) -> str:
    """The period that ends a reference element, or nothing when the text already ends a sentence."""
    return "" if str(text).rstrip().endswith((".", "?", "!")) else "."


def label(value: str) -> str:
    """A vocabulary value as a label: ``very-low`` → ``Very low``, ``unsupported`` → ``Not tested``."""
    return vocab.VERDICT_LABELS.get(str(value)) or str(value).replace("-", " ").capitalize()


def front(value: str) -> Markup:
    """A front-matter string: Material prints titles and descriptions unescaped, so escape them here."""
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))  # noqa: S704 - a JSON string of escaped text


def css_string(value: str) -> Markup:
    """Text as a quoted CSS string for a ``<style>`` element (a handout's page footer).

    HTML escaping does not apply inside ``<style>``: quotes, backslashes, markup characters and
    control characters are written as CSS escapes instead, so the text can neither end the string
    nor the element.
    """
    out = []
    for char in str(value):
        if char in '"\\<>&' or not char.isprintable():
            out.append(f"\\{ord(char):06x}")
        else:
            out.append(char)
    return Markup(f'"{"".join(out)}"')  # noqa: S704 - every character that could end the string or the element is escaped


FILTERS = {
    "rich": rich,
    "rich_inline": rich_inline,
    "label": label,
    "design_label": lambda d: vocab.DESIGN_LABELS.get(d, d),
    "design_plural": lambda d: vocab.DESIGN_PLURALS.get(d, d),
    "short": short_citation,
    "stop": stop,
    "front": front,
    "css_string": css_string,
}


def once(macro: Callable[[object], Markup], value: object) -> Markup:
    """``macro(value)``, for a macro whose output depends on nothing but ``value`` (a reference's full text).

    The renderer of a site build replaces it with one that renders each value once per build
    (:class:`~mkdocs_evidence.render.Once`); here, for other callers, it simply renders.
    """
    return macro(value)


GLOBALS = {
    "vocab": vocab,
    "assess": assess,
    "verdict_order": list(vocab.VERDICTS),
    "claim_src": urls.claim_src,
    "source_src": urls.source_src,
    "topic_src": urls.topic_src,
    "review_src": urls.REVIEW,
    "once": once,
}


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """Templates from ``templates_dir`` first (a project's overrides), then the built-in ones."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("mkdocs_evidence", "templates")]
    if templates_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(templates_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
