"""BibTeX name lists (``author``, ``editor``) → :class:`~mkdocs_evidence.model.Person` records.

Names are split before LaTeX is decoded, so ``{Barnes and Noble}`` stays one name. Each name is
parsed on its own: one malformed name (a stray comma) is reported and left out, and the others stay,
where parsing the list as a whole would lose them all. ``and others`` is BibTeX for "et al.", not a
person called Others.
"""

from __future__ import annotations

from dataclasses import dataclass

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts, split_multiple_persons_names

from .latex import latex_to_text
from .model import Person


@dataclass(frozen=True)
class NameList:
    """The people a name field lists, whether it ends in "and others", and what could not be read."""

    people: tuple[Person, ...] = ()
    et_al: bool = False
    #: What was wrong, one sentence per problem (a name left out, a stray "and").
    problems: tuple[str, ...] = ()


def split_names(value: str) -> NameList:
    """Split a BibTeX name list (``A and B and others``), keeping every name that parses."""
    people: list[Person] = []
    problems: list[str] = []
    et_al = False
    for raw in split_multiple_persons_names(value):
        words = raw.split()
        # "A and and B" or a trailing "and": the splitter glues the extra "and" to a neighbour.
        while words and (words[0].lower() == "and" or words[-1].lower() == "and"):
            del words[0 if words[0].lower() == "and" else -1]
            problems.append("an empty name (two 'and's in a row, or 'and' at an end) is ignored")
        name = " ".join(words)
        if not name:
            continue
        if name.lower() == "others":
            et_al = True
            continue
        try:
            parts = parse_single_name_into_parts(name)
        except InvalidNameError as exc:
            # bibtexparser says "Cannot split the following name `…` into parts: Too many commas".
            reason = str(exc).rpartition(":")[2].strip().lower() or "it cannot be split"
            problems.append(f"name {name!r} is left out: {reason}")
            continue
        person = Person(
            first=latex_to_text(" ".join(parts.first)),
            von=latex_to_text(" ".join(parts.von)),
            last=latex_to_text(" ".join(parts.last)),
            jr=latex_to_text(" ".join(parts.jr)),
        )
        if not person.last:  # ", John": a first name with no surname to cite it by
            problems.append(f"name {name!r} is left out: no surname before the comma")
            continue
        people.append(person)
    return NameList(tuple(people), et_al, tuple(problems))
