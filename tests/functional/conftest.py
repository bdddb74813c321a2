"""Functional tests: real ansible-playbook processes against the emulator, run as its own process on loopback."""

import json
import os
import subprocess
import sys
import tempfile
import time

import pytest

from emulator_control import EmulatorControl
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from sdk_models import request_body_problems

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)


def start_emulator(tmp_dir, *args):
    """Start an emulator process from its command line, as a user would; returns (process, url)."""
    url_file = os.path.join(tmp_dir, 'url-%d' % time.time_ns())
    # Any free port, so test workers and extra emulators never collide on the default 8080.
    process = subprocess.Popen([sys.executable, '-m', 'genesys_emulator', '--port', '0', '--url-file', url_file] + list(args),
                               cwd=os.path.join(REPO, 'emulator'), stdout=subprocess.DEVNULL)
    deadline = time.time() + 15
    while not (os.path.exists(url_file) and os.path.getsize(url_file)):
        if time.time() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError('the emulator did not start')
        time.sleep(0.05)
    with open(url_file, encoding='utf-8') as handle:
        return process, handle.read().strip()


def stop_emulator(process):
    process.terminate()
    process.wait(10)


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
    # Every body the test sent must be one the official SDK's request model reads, with no key it lacks.
    problems = request_body_problems(emulator.all_requests())
    assert not problems, problems


class AnsibleRun:
    """What an ansible-playbook or ansible-inventory process returned and printed."""

    def __init__(self, process):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def says(self, message):
        """Whether the output holds the message; ansible-core before 2.19 wraps warnings at 80 columns, even
        inside words with hyphens, so whitespace does not count."""
        return ''.join(message.split()) in ''.join(self.output.split())


class PlaybookRun(AnsibleRun):
    def __init__(self, process, results):
        super().__init__(process)
        self.results = results

    def __getitem__(self, task_name):
        """The result of the (last run of the) task with this name."""
        matches = self._entries(task_name)
        assert matches, 'task %r did not run; output:\n%s\n%s' % (task_name, self.stdout, self.stderr)
        return matches[-1]['result']

    def status(self, task_name):
        return self._entries(task_name)[-1]['status']

    def _entries(self, task_name):
        """Results of the task with this name; role tasks are named 'role : name'."""
        return [entry for entry in self.results if entry['task'] == task_name or entry['task'].endswith(' : ' + task_name)]


def ansible_env(api_url, results_path, credentials=True):
    """The environment of an ansible-playbook or ansible-inventory run: connection variables, the result recorder,
    quiet output. As AWX runs them, an inventory source that fails to parse fails the run."""
    env = {key: value for key, value in os.environ.items() if not key.startswith('GENESYSCLOUD_')}
    env.update(
        GENESYSCLOUD_API_URL=api_url,
        GENESYS_TEST_RESULTS=str(results_path),
        ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
        ANSIBLE_CALLBACKS_ENABLED='record_results',
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
        ANSIBLE_INVENTORY_UNPARSED_FAILED='true',
        ANSIBLE_RETRY_FILES_ENABLED='false',
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
    )
    if credentials:
        env.update(GENESYSCLOUD_OAUTHCLIENT_ID=ADMIN_CLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET=ADMIN_CLIENT_SECRET)
    return env


def kept_result_tasks(title, module, result_file, **args):
    """A no_log task of a genesys.cloud module, and one that keeps its registered result (secrets included) in a
    0600 file for the test to read, since no output may show a secret.

    Reading the secret is what it is for, so the modules that issue one get return_secret: true (in the defaults of
    the many-client ones) unless the test sets it.
    """
    args = with_return_secret(module, args)
    return [
        {'name': title, 'genesys.cloud.' + module: args, 'register': 'outcome', 'ignore_errors': True, 'no_log': True},
        {'name': 'keep ' + title, 'no_log': True, 'check_mode': False,
         'ansible.builtin.copy': {'content': '{{ outcome | to_json }}', 'dest': str(result_file), 'mode': '0600'}},
    ]


def with_return_secret(module, args):
    """The module's arguments with return_secret: true, unless they set it (in the defaults, for the many-client
    modules, where it is an entry option)."""
    if module in ('oauth_client', 'oauth_client_secret'):
        return dict(dict(return_secret=True), **args)
    if module in ('oauth_clients', 'oauth_client_secrets'):
        return dict(args, defaults=dict(dict(return_secret=True), **args.get('defaults') or {}))
    return args


def read(result_file):
    """A result that kept_result_tasks kept."""
    return json.loads(result_file.read_text())


def run_ansible(tool, arguments, env):
    # UTF-8 whatever the locale says: CI may run with an ASCII locale, and a task may print any text.
    return subprocess.run([os.path.join(BIN, tool)] + arguments, env=env, capture_output=True, encoding='utf-8',
                          errors='replace', timeout=300, check=False)


def run_ansible_playbook(arguments, env, results_path):
    process = run_ansible('ansible-playbook', arguments, env)
    results = []
    if results_path.exists():
        results = [json.loads(line) for line in results_path.read_text().splitlines()]
    return PlaybookRun(process, results)


def assert_clean_output(control, output):
    """Whatever a test checks, no output may show a secret or token the emulator issued, and no failure may end
    in a Python traceback."""
    control.assert_no_secret_in(output)
    for sign in ('Traceback (most recent call last)', 'MODULE FAILURE', 'The full traceback is'):
        assert sign not in output, output


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


class InventoryRun(AnsibleRun):
    @property
    def data(self):
        """The --list JSON, with the unsafe markers Ansible wraps API text in taken off."""
        assert self.rc == 0 and '{' in self.stdout, self.output
        return unwrap_unsafe(json.loads(self.stdout[self.stdout.index('{'):]))


def unwrap_unsafe(value):
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {key: unwrap_unsafe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap_unsafe(item) for item in value]
    return value


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
