"""Write the Colab edition of every chapter: the same notebook, its MyST as plain Markdown.

    python -m tools.colab_variant                  # every notebook of _toc.yml -> colab/
    python -m tools.colab_variant book/part1/01-two-knobs.ipynb --out /tmp/colab

Colab renders Markdown, not MyST: it would show every exercise and solution directive as a code
block, every solution in plain view under its exercise, and roles such as ``{term}`` and
``{eval}`` as literal text. The edition written here (``make colab``, and ``make refresh`` for
each notebook it refreshes, into ``colab/<the same path>.ipynb``) is built from the same
notebook, never edited by hand, and committed: the website's Colab launch button opens it
(``book/_ext/knobs_site/colab.py``), and ``tests/project/test_colab_variant.py`` fails when a
committed edition is not what its chapter now makes:

- ``{exercise}`` -> a heading "Exercise N.k" (N the chapter's number, k its k-th exercise) and
  the exercise's text;
- ``{solution}`` -> ``<details><summary>Solution to Exercise N.k</summary>…</details>``, which
  Colab shows closed; a gated solution (``{solution-start}`` … ``{solution-end}``) the same for
  its text, and its code cells collapsed to a titled form (``cellView: form``) with their outputs
  removed, so neither the code nor its results are on view until the reader asks;
- ``{term}`` -> its text; ``{eval}`` (and myst-nb's ``{glue:text}``) -> the value glued in the
  notebook's stored outputs, formatted by myst-nb's own function (the website's text);
  ``{doc}``, ``{ref}`` -> their text or the target's title or exercise number; ``{cite}`` ->
  "(Author, Year)" from references.bib.

The edition stores no outputs (Colab runs the notebook; the numbers of its text are written in):
it stays small in the repository and changes only when its chapter's text or numbers do.

Any other role or directive stops the tool with its name, so that new markup is converted
deliberately, not shown raw. The source notebooks are only read.
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import re
import sys

import nbformat

from tools.colab_setup import chapter_notebooks
from tools.inline_values import glued_values

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "colab"
BIB = ROOT / "book" / "references.bib"

# ```{name} argument / :::{name} argument, then ":option: value" lines, the body, the same fence
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<text>[^`]*)`")
TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
COLAB_FORM_TITLE = "# @title {} (code: double-click to show)"


class UnknownMarkup(ValueError):
    """A role or directive this tool does not convert (it would be shown raw in Colab)."""


def chapter_number(path: pathlib.Path) -> str:
    """``01-two-knobs.ipynb`` -> ``1``: the number the book gives the chapter."""
    match = re.match(r"(\d+)-", path.name)
    return str(int(match[1])) if match else path.stem


def glue_text(key_and_format: str, values: dict) -> str:
    """``{glue:text}`key:.2f``` as the website prints it (myst-nb's own formatting)."""
    from myst_nb.core.variables import format_plain_text

    key, _, fmt = key_and_format.partition(":")
    if key not in values or "text/plain" not in values[key]:
        raise KeyError(f"no glued text/plain value named {key!r} in the stored outputs")
    return format_plain_text(values[key]["text/plain"], fmt or "s")


def citations(bib: pathlib.Path = BIB) -> dict[str, str]:
    """key -> "Author, Year" / "Author and Author, Year" / "Author et al., Year"."""
    from pybtex.database import parse_file

    found = {}
    for key, entry in parse_file(str(bib)).entries.items():
        last = [" ".join(p.last_names).replace("{", "").replace("}", "")
                for p in entry.persons.get("author", entry.persons.get("editor", []))]
        names = (last[0] if len(last) == 1 else " and ".join(last) if len(last) == 2
                 else f"{last[0]} et al.")
        found[key] = f"{names}, {entry.fields.get('year', 'n.d.')}"
    return found


def doc_title(path: pathlib.Path) -> str:
    """The first ``# `` heading of a notebook or Markdown page (what {doc} shows)."""
    if path.with_suffix(".ipynb").exists():
        text = "\n".join(c.source for c in nbformat.read(path.with_suffix(".ipynb"), 4).cells
                         if c.cell_type == "markdown")
    else:
        text = path.with_suffix(".md").read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    return match[1].strip() if match else path.stem


class Converter:
    """Rewrites one notebook; holds what its markup refers to (labels, glue, references)."""

    def __init__(self, path: pathlib.Path, nb, cites: dict[str, str] | None = None):
        self.path = path
        self.nb = nb
        self.values = glued_values(nb)
        self.cites = cites
        self.chapter = chapter_number(path)
        # exercise labels in order of appearance -> "N.k", for solutions and {ref}
        labels = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                labels += [label for name, _, options, _ in directives(cell.source)
                           if name == "exercise" for label in [options.get("label")]]
        self.numbers = {label: f"{self.chapter}.{k}" for k, label in enumerate(labels, 1)}
        # figures named in their cell's metadata (myst-nb's mystnb.figure) -> "N.k", for {numref}
        names = [cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
                 for cell in nb.cells if cell.cell_type == "code"]
        self.figures = {name: f"{self.chapter}.{k}"
                        for k, name in enumerate([n for n in names if n], 1)}
        self.exercise_count = 0

    # -- roles ---------------------------------------------------------------------------
    def role(self, match: re.Match) -> str:
        name, text = match["name"], match["text"]
        titled = TITLED.match(text)
        shown, target = (titled["text"], titled["target"]) if titled else (None, text)
        if name == "term":
            return shown or target
        if name in ("eval", "glue", "glue:text"):
            return glue_text(text, self.values)
        if name == "doc":
            return shown or doc_title((self.path.parent / target).resolve())
        if name == "ref":
            return shown or (f"Exercise {self.numbers[target]}" if target in self.numbers
                             else target)
        if name == "numref" and target in self.figures:
            number = self.figures[target]
            return shown.replace("%s", number) if shown else f"Figure {number}"
        if name == "cite":
            if self.cites is None:
                self.cites = citations()
            return "(" + "; ".join(self.cites[k.strip()] for k in text.split(",")) + ")"
        raise UnknownMarkup(f"{self.path.name}: role {{{name}}} has no plain-Markdown form")

    def roles(self, text: str) -> str:
        return ROLE.sub(self.role, text)

    # -- directives ----------------------------------------------------------------------
    def solution_summary(self, label: str) -> str:
        return f"Solution to Exercise {self.numbers[label]}"

    def markdown(self, source: str) -> tuple[str, str | None]:
        """A markdown cell's source in plain Markdown; and the label of a gated solution that
        it opens and does not close (its code cells follow), or None."""
        out, opened = [], None
        for name, arg, options, body in directives(source):
            if name is None:                      # text between directives
                out.append(self.roles(body))
            elif name == "exercise":
                self.exercise_count += 1
                number = self.numbers.get(options.get("label"),
                                          f"{self.chapter}.{self.exercise_count}")
                title = f" ({self.roles(arg)})" if arg else ""
                out.append(f"### Exercise {number}{title}\n\n{self.markdown_body(body)}\n")
            elif name == "solution":
                out.append(details(self.solution_summary(arg), self.markdown_body(body)))
            elif name == "solution-start":
                opened = arg
                # the rest of the cell is the solution's text (its code cells follow)
                out.append(f"<details>\n<summary>{self.solution_summary(arg)}</summary>\n\n")
            elif name == "solution-end":
                if opened is not None:
                    out.append("\n\n</details>\n")
                opened = None
            else:
                raise UnknownMarkup(f"{self.path.name}: directive {{{name}}} has no "
                                    "plain-Markdown form")
        if opened is not None:
            out.append("\n\n</details>\n")
        return "".join(out).strip() + "\n", opened

    def markdown_body(self, body: str) -> str:
        text, opened = self.markdown(body)
        if opened is not None:
            raise UnknownMarkup(f"{self.path.name}: a gated solution inside a directive")
        return text.strip()

    def convert(self):
        """The Colab edition of the notebook (a new notebook; the source is not changed)."""
        nb = copy.deepcopy(self.nb)
        gated = None   # label of the gated solution whose code cells we are in
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                closes = gated is not None and "{solution-end}" in cell.source
                if gated is not None and not closes:
                    raise UnknownMarkup(f"{self.path.name}: a markdown cell inside the gated "
                                        f"solution of {gated}")
                cell.source, opened = self.markdown(cell.source)
                gated = opened if opened is not None else (None if closes else gated)
            elif cell.cell_type == "code" and gated is not None:
                hide_solution_code(cell, self.solution_summary(gated))
        if gated is not None:
            raise UnknownMarkup(f"{self.path.name}: {{solution-start}} {gated} never ends")
        for cell in nb.cells:  # Colab runs the edition: no stored outputs, no widget state
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.metadata.pop("widgets", None)
        nb.metadata["knobs_colab_edition"] = {
            "source": str(self.path.relative_to(ROOT)) if self.path.is_relative_to(ROOT)
            else self.path.name,
            "written_by": "tools/colab_variant.py (make colab); do not edit"}
        return nb


def directives(source: str):
    """Split Markdown into (None, "", {}, text) runs and (name, argument, options, body)
    directives, in order. A directive's body ends at a fence of its own kind and length."""
    lines = source.splitlines(keepends=True)
    text, i = [], 0
    while i < len(lines):
        match = FENCE.match(lines[i].rstrip("\n"))
        if not match:
            text.append(lines[i])
            i += 1
            continue
        if text:
            yield None, "", {}, "".join(text)
            text = []
        fence, i = match["fence"], i + 1
        options = {}
        while i < len(lines) and (option := OPTION.match(lines[i].rstrip("\n"))):
            options[option["key"]] = option["value"].strip()
            i += 1
        body = []
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise UnknownMarkup(f"directive {{{match['name']}}} is not closed by {fence}")
        i += 1   # the closing fence
        yield match["name"], match["arg"].strip(), options, "".join(body)
    if text:
        yield None, "", {}, "".join(text)


def details(summary: str, body: str) -> str:
    """A closed HTML dropdown; the blank lines let Colab render the Markdown inside it."""
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>\n"


def hide_solution_code(cell, summary: str) -> None:
    """Collapse a solution's code cell to a titled form and drop its outputs (Colab's own way
    of hiding code; the outputs would show the answer)."""
    cell.source = COLAB_FORM_TITLE.format(summary) + "\n" + cell.source
    cell.metadata["cellView"] = "form"
    cell.outputs = []
    cell.execution_count = None


def write_edition(path: pathlib.Path, out: pathlib.Path = OUT,
                  cites: dict[str, str] | None = None) -> pathlib.Path:
    nb = nbformat.read(path, as_version=4)
    edition = Converter(path, nb, cites).convert()
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else pathlib.Path(path.name)
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(edition, target)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks (default: every one in _toc.yml)")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    paths = [pathlib.Path(p).resolve() for p in args.paths] or chapter_notebooks()
    cites = citations()
    for path in paths:
        target = write_edition(path, args.out, cites)
        print(f"{path.relative_to(ROOT)} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
