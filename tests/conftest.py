"""Fixtures shared by every test folder."""

import os
import sys

import pytest

# The one place the tests' import path is set, here rather than in pytest.ini: ansible-test units runs tests/unit
# with a pytest configuration of its own, and reads this file. tests/ holds the shared test support
# (emulator_control, sdk_models, tls_cert), tests/functional the playbook tests' helpers, emulator/ the emulator.
HERE = os.path.dirname(os.path.abspath(__file__))
for folder in (HERE, os.path.join(HERE, 'functional'), os.path.join(os.path.dirname(HERE), 'emulator')):
    if folder not in sys.path:
        sys.path.insert(0, folder)
# The shared helpers' asserts report the values they compared, as a test's own asserts do.
pytest.register_assert_rewrite('helpers', 'emulator_control')

from emulator_control import EmulatorControl, Listener  # noqa: E402  pylint: disable=wrong-import-position
from genesys_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def emulator():
    """A fresh in-process emulator for one test."""
    server = Emulator().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def control(emulator):  # pylint: disable=redefined-outer-name
    return EmulatorControl(emulator.url)


@pytest.fixture
def listeners():
    """Make loopback listeners (decoys, or proxies in front of the emulator) that are stopped after the test."""
    made = []

    def make(answer=None):
        made.append(Listener(answer))
        return made[-1]

    yield make
    for listener in made:
        listener.stop()
