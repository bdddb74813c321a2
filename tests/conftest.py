"""Fixtures shared by every test folder."""

import os
import sys

import pytest

# pytest.ini puts these on sys.path for make test; ansible-test units uses its own pytest configuration.
HERE = os.path.dirname(os.path.abspath(__file__))
for folder in (HERE, os.path.join(os.path.dirname(HERE), 'emulator')):
    if folder not in sys.path:
        sys.path.insert(0, folder)

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
