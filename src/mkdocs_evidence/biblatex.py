"""biblatex data read the way the templates read BibTeX: field aliases and ``crossref`` inheritance.

biblatex files (and Zotero's Better BibLaTeX exports) write ``journaltitle`` and ``date`` where BibTeX
writes ``journal`` and ``year``, and let an entry take missing fields from a parent named in
``crossref``. Pages, CSL-JSON and handouts only know the BibTeX names, so the aliases are filled in
here, once, for both dialects.

Inheritance, kept simple (a subset of biblatex's default rules, documented in the README):

* a field the child lacks is taken from the parent under the same name, except the parent's own
  bookkeeping (``ids``, ``crossref``, ``xref``, ``entryset``, ``label``, ``options``, ``shorthand``,
  ``sortkey``, ``related…``, …) and its titles;
* the parent's ``title``/``subtitle``/``titleaddon`` become the child's ``booktitle``/``booksubtitle``/
  ``booktitleaddon`` for a part of a book (``inbook``, ``incollection``, ``inproceedings``, …), and
  ``journal`` for an ``article`` in a ``periodical``; other titles are never inherited;
* the parent's authors stand in for a child without any;
* parents are looked up by key (exactly, then ignoring case as BibTeX does); a parent's own crossref
  is resolved first, and a cycle stops at the entry it came back to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from .model import Reference

#: biblatex name → BibTeX name, filled only where the BibTeX field is missing.
ALIASES = {"journaltitle": "journal"}

#: Fields about the parent entry itself, never passed on (biblatex's ``\\noinherit`` defaults).
NOT_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
        "design",  # this project's study design describes one entry, not its parent
        # nor do its evidence fields: a review must record what *it* pooled, or it would borrow a ceiling
        "pooled",
        "participants",
        "studies",
    }
)
TITLES = ("title", "subtitle", "titleaddon", "shorttitle", "sorttitle", "indextitle", "indexsorttitle")
#: Child types that are a part of their parent, which is a book, collection or proceedings.
PARTS = frozenset({"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inreference", "inproceedings"})

_YEAR = re.compile(r"\d{4}")


def add_aliases(fields: dict[str, str]) -> None:
    """Fill BibTeX fields from their biblatex names (``journaltitle`` → ``journal``, ``date`` → ``year``)."""
    for biblatex_name, bibtex_name in ALIASES.items():
        if fields.get(biblatex_name) and not fields.get(bibtex_name):
            fields[bibtex_name] = fields[biblatex_name]
    if fields.get("date") and not fields.get("year"):
        match = _YEAR.search(fields["date"])  # 2006, 2006-09-13, 1984/1986, ca. 1900
        if match:
            fields["year"] = match.group()


#: Most parents an entry inherits from, in a chain of crossrefs (real chains have one or two): each
#: link copies its parent's fields, so an unbounded chain of n entries would make n² fields.
MAX_CROSSREF_DEPTH = 8


def inherit_crossrefs(references: Mapping[str, Reference], cut: list[str] | None = None) -> dict[str, Reference]:
    """Every reference, with the fields its ``crossref`` parent supplies filled in.

    Without recursion (a chain of thousands of crossrefs would exhaust the stack): from each entry the
    chain of parents is followed up to one already resolved, one without a parent, one already on
    the chain (a cycle) or :data:`MAX_CROSSREF_DEPTH` parents up, then resolved from the top down.
    Each entry is resolved once. The keys of entries whose parent was not followed because the chain
    was too long are added to ``cut``.
    """
    by_lower = {key.lower(): key for key in references}
    done: dict[str, Reference] = {}
    depth: dict[str, int] = {}  # how many parents each resolved entry took fields from
    top: list[str] = []  # entries resolved as if they had no parent (the chain above was too long)

    def parent_of(key: str) -> str:
        target = references[key].get("crossref").strip()
        return (target if target in references else by_lower.get(target.lower(), "")) if target else ""

    for first in references:
        chain: list[str] = []
        on_chain: set[str] = set()
        key = first
        while key and key not in done and key not in on_chain:  # every entry is walked once
            chain.append(key)
            on_chain.add(key)
            key = parent_of(key)
        for key in reversed(chain):
            parent = parent_of(key)
            if parent not in done or parent == key:  # no parent, or a cycle: the entry keeps its own fields
                done[key], depth[key] = references[key], 0
            elif depth[parent] >= MAX_CROSSREF_DEPTH:
                done[key], depth[key] = references[key], 0
                top.append(key)
            else:
                done[key], depth[key] = _inherit(references[key], done[parent]), depth[parent] + 1
    if cut is not None:
        cut.extend(top)
    # In file order: a parent resolved for its child first must not move ahead of it.
    return {key: done[key] for key in references}


def _inherit(child: Reference, parent: Reference) -> Reference:
    fields = dict(child.fields)
    for name, value in parent.fields.items():
        if name not in NOT_INHERITED and name not in TITLES and not fields.get(name):
            fields[name] = value
    if child.entry_type in PARTS:
        for mine, theirs in (("booktitle", "title"), ("booksubtitle", "subtitle"), ("booktitleaddon", "titleaddon")):
            if not fields.get(mine) and parent.get(theirs):
                fields[mine] = parent.get(theirs)
    elif child.entry_type == "article" and parent.entry_type == "periodical" and not fields.get("journal"):
        fields["journal"] = parent.get("title")
    authors, et_al = child.authors, child.et_al
    if not authors and not et_al:
        authors, et_al = parent.authors, parent.et_al
    return replace(child, fields=MappingProxyType(fields), authors=authors, et_al=et_al)
