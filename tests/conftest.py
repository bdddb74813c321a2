"""Fixtures shared by every test folder. pytest.ini puts emulator/ and tests/ on sys.path."""

import pytest

from emulator_control import EmulatorControl
from genesys_emulator import Emulator


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
