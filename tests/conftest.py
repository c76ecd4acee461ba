"""Shared fixtures: a fake file daemon core made active for one test."""
import pytest

from bareospy.testing import FakeCore


@pytest.fixture
def core():
    """A FakeCore active on the test's thread for the whole test."""
    fake = FakeCore()
    with fake.active():
        yield fake
