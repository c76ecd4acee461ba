"""Packaging facts a user or a distributor checks: the licence and the version."""
from pathlib import Path

import pytest

import bareospy

REPO = Path(__file__).resolve().parents[2]


def test_the_license_file_is_the_gnu_agpl_version_3():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert text.rstrip().endswith("<https://www.gnu.org/licenses/>.")


def test_the_package_metadata_says_agpl_3_or_later():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = {text = "AGPL-3.0-or-later"}' in pyproject


def test_the_version_is_a_release_number():
    parts = bareospy.__version__.split(".")
    assert len(parts) == 3 and all(part.isdigit() for part in parts)


def test_the_installed_metadata_has_the_package_version():
    from importlib import metadata

    try:
        installed = metadata.version("bareospy")
    except metadata.PackageNotFoundError:
        pytest.skip("bareospy is not installed (an in-place build)")
    assert installed == bareospy.__version__
