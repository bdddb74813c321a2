"""Functional tests: real ansible-playbook processes against the emulator, run as its own process on loopback.
The fixtures; what they run and the helpers the tests share are in helpers.py."""

import json
import tempfile

import pytest

from emulator_control import EmulatorControl
from helpers import InventoryRun, ansible_env, assert_clean_output, run_ansible, run_ansible_playbook, start_emulator, stop_emulator
from sdk_models import request_body_problems


@pytest.fixture(scope='session')
def emulator_process():
    """One emulator process per test worker, strict: a body field or type its SDK model lacks is a 400."""
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_emulator(tmp, '--strict', 'true')
        yield url
        stop_emulator(process)


@pytest.fixture
def control(emulator_process):  # pylint: disable=redefined-outer-name
    """The worker's emulator, reset to its seed for this test."""
    emulator = EmulatorControl(emulator_process)
    emulator.reset()
    yield emulator
    # Every body the test sent must be one the official SDK's request model reads, with no key it lacks but the client
    # fields the test configured the emulated API to have added since the SDK.
    problems = request_body_problems(emulator.all_requests(), emulator.config()['added_client_fields'])
    assert not problems, problems


@pytest.fixture
def playbook(control, tmp_path):  # pylint: disable=redefined-outer-name
    """Run tasks as a real ansible-playbook against the emulator; connection options come from GENESYSCLOUD_*."""
    counter = [0]

    def run(tasks, check=False, diff=False, verbosity=0, env=None, credentials=True, play_vars=None):
        counter[0] += 1
        play = dict(name='test', hosts='localhost', connection='local', gather_facts=False, tasks=tasks)
        if play_vars:
            play['vars'] = play_vars
        playbook_path = tmp_path / ('play%d.yml' % counter[0])
        results_path = tmp_path / ('results%d.jsonl' % counter[0])
        playbook_path.write_text(json.dumps([play], indent=2))
        run_env = ansible_env(control.url, results_path, credentials)
        run_env.update(env or {})
        arguments = ['-i', 'localhost,', str(playbook_path)]
        if check:
            arguments.append('--check')
        if diff:
            arguments.append('--diff')
        if verbosity:
            arguments.append('-' + 'v' * verbosity)
        run = run_ansible_playbook(arguments, run_env, results_path)
        assert_clean_output(control, run.output)
        return run

    return run


@pytest.fixture
def inventory(control, tmp_path):  # pylint: disable=redefined-outer-name
    """Run ansible-inventory on an oauth_clients inventory file against the emulator: config is its plugin options
    as a dict, or the file's whole text."""
    def run(config, *arguments, env=None, credentials=True, file_name='test.oauth_clients.yml'):
        path = tmp_path / file_name
        if isinstance(config, dict):
            config = json.dumps(dict(dict(plugin='genesys.cloud.oauth_clients'), **config), indent=2)
        path.write_text(config)
        run_env = dict(ansible_env(control.url, tmp_path / 'unused.jsonl', credentials), **(env or {}))
        outcome = InventoryRun(run_ansible('ansible-inventory', ['-i', str(path)] + list(arguments or ['--list']), run_env))
        assert_clean_output(control, outcome.output)
        return outcome

    return run
