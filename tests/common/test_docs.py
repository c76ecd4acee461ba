"""The documentation shipped with the package: every relative link of the
README and docs/ leads to a file (and heading) that exists, and nothing
points at material a user does not have."""
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def prose(page):
    """The page without its code blocks (a link there is not a link)."""
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def anchors(page):
    """The anchors GitHub makes of a page's headings."""
    result = set()
    for line in prose(page).splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            result.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return result


def relative_links(page):
    for target in LINK.findall(prose(page)):
        if not re.match(r"[a-z]+:", target):
            yield target


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_relative_links_resolve(page):
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or REPO not in file.parents:
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(target)
    assert broken == []


def test_the_three_guides_exist_and_the_readme_lists_them():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("plugin-api.md", "writing-a-plugin.md", "embedding.md"):
        assert (REPO / "docs" / name).is_file()
        assert f"(docs/{name})" in readme


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_reference_to_files_outside_the_package(page):
    assert "../shared" not in page.read_text(encoding="utf-8")


def test_the_api_reference_names_every_public_name_and_packet_attribute():
    bareosfd = pytest.importorskip("bareosfd")
    reference = (REPO / "docs" / "plugin-api.md").read_text(encoding="utf-8")
    names = [name for name in dir(bareosfd) if not name.startswith("_")]
    types = [getattr(bareosfd, name) for name in names if isinstance(getattr(bareosfd, name), type)]
    names += [attribute for cls in types for attribute in vars(cls) if not attribute.startswith("_")]
    missing = [name for name in names if not re.search(r"\b%s\b" % re.escape(name), reference)]
    assert missing == []
