"""What the playbook tests share: running ansible-playbook and ansible-inventory against the emulator, reading what
they returned, and the task and client builders more than one test file uses. Fixtures are in conftest.py."""

import json
import os
import re
import stat
import subprocess
import sys
import time

import requests

from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from genesys_emulator.seed import EMPLOYEE_ROLE_ID

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
        return self.times(message) > 0

    def times(self, message):
        """How many times the output holds the message, whitespace not counting (see says)."""
        return ''.join(self.output.split()).count(''.join(message.split()))


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

    def failure_messages(self):
        """The messages of the failed tasks that are not no_log: what every ansible-core version shows (2.16 to 2.18
        hide a no_log task's message; 2.19 prints it)."""
        return ' | '.join(entry['result'].get('msg', '') for entry in self.results
                          if entry['status'] == 'failed' and 'censored' not in entry['result'])

    def _entries(self, task_name):
        """Results of the task with this name; role tasks are named 'role : name'."""
        return [entry for entry in self.results if entry['task'] == task_name or entry['task'].endswith(' : ' + task_name)]


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


def run_play(control, tmp_path, source, play, *arguments):
    """ansible-playbook of one play on localhost (its keys beyond hosts), with this inventory source."""
    play_path, results = tmp_path / 'play.yml', tmp_path / 'results.jsonl'
    play_path.write_text(json.dumps([dict(dict(hosts='localhost', connection='local', gather_facts=False), **play)]))
    run = run_ansible_playbook(['-i', str(source), str(play_path)] + list(arguments), ansible_env(control.url, results),
                               results)
    assert_clean_output(control, run.output)
    return run


def assert_clean_output(control, output):
    """Whatever a test checks, no output may show a secret or token the emulator issued, and no failure may end
    in a Python traceback."""
    control.assert_no_secret_in(output)
    for sign in ('Traceback (most recent call last)', 'MODULE FAILURE', 'The full traceback is'):
        assert sign not in output, output


def implicit_grant_warnings(run):
    """The names of the clients the run warned of as using the implicit grant, one per warning, each warning checked
    to give the dates and the replacement. Whitespace does not count (ansible-core before 2.19 wraps warnings)."""
    text = ''.join(run.output.split())
    warnings = re.findall(r"OAuthclient'([^']*)'usestheimplicitgrant\(grant_typetoken\),(.*?)\(grant_typecode\)", text)
    for _name, rest in warnings:
        assert 'nonewtoken-grantclientscanbecreatedfromMarch2026' in rest and 'stopworkinginMarch2027' in rest, rest
        assert 'authorizationcodegrantwithPKCE' in rest, rest
    return [name for name, _rest in warnings]


def assert_no_secret(run, *secrets):
    """Each of these secrets is known (not empty) and not in the run's output."""
    for secret in secrets:
        assert secret and secret not in run.output


def task(title, module, /, **args):
    """A task of a genesys.cloud module whose failure does not stop the play; its result is run[title].

    The modules that issue a secret get return_secret: true unless the test sets it, so a test of anything else
    reads a new secret where the module hands it back (tests of the default: test_return_secret.py).
    """
    return {'name': title, 'genesys.cloud.' + module: with_return_secret(module, args), 'register': 'out',
            'ignore_errors': True}


def with_return_secret(module, args):
    """The module's arguments with return_secret: true, unless they set it (in the defaults, for the many-client
    modules, where it is an entry option)."""
    if module in ('oauth_client', 'oauth_client_secret'):
        return dict(dict(return_secret=True), **args)
    if module in ('oauth_clients', 'oauth_client_secrets'):
        return dict(args, defaults=dict(dict(return_secret=True), **args.get('defaults') or {}))
    return args


def kept_result_tasks(title, module, result_file, **args):
    """A no_log task of a genesys.cloud module, and one that keeps its registered result (secrets included) in a
    0600 file for the test to read, since no output may show a secret. Reading the secret is what it is for, so
    the module gets return_secret: true unless the test sets it."""
    return [
        {'name': title, 'genesys.cloud.' + module: with_return_secret(module, args), 'register': 'outcome', 'ignore_errors': True, 'no_log': True},
        {'name': 'keep ' + title, 'no_log': True, 'check_mode': False,
         'ansible.builtin.copy': {'content': '{{ outcome | to_json }}', 'dest': str(result_file), 'mode': '0600'}},
    ]


def logged_in_as(client, tasks, token=False):
    """tasks run as client (a dict with its id and secret): with its client credentials (auth_client_id and
    auth_client_secret), or with token=True, with the token genesys.cloud.access_token gets for it first (auth_token)."""
    login = dict(auth_client_id=client['id'], auth_client_secret=client['secret'])
    if not token:
        return [{'name': 'as ' + client['id'], 'module_defaults': {'group/genesys.cloud.genesys': login}, 'block': tasks}]
    return [{'name': 'log in', 'genesys.cloud.access_token': login, 'register': 'login', 'no_log': True},
            {'name': 'with its token', 'block': tasks,
             'module_defaults': {'group/genesys.cloud.genesys': {'auth_token': '{{ login.access_token }}'}}}]


def read(result_file):
    """A result that kept_result_tasks kept."""
    return json.loads(result_file.read_text())


def cc_client(control, name='billing', **fields):
    """A client-credentials client with the Employee role in the home division, made through the API."""
    return control.create_client(name=name, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)], **fields)


def team_client(control, name):
    """A client as oauth_clients' tests declare it (3600 s tokens, the Employee role): a declared entry finds it unchanged."""
    return control.create_client(name=name, accessTokenValiditySeconds=3600, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])


def by_path(logged_requests):
    """How many of the logged requests went to each 'METHOD path'."""
    counts = {}
    for request in logged_requests:
        key = '%s %s' % (request['method'], request['path'])
        counts[key] = counts.get(key, 0) + 1
    return counts


def file_mode(path):
    """The permission bits of path itself (a symlink's own, not its target's)."""
    return stat.S_IMODE(os.lstat(path).st_mode)


def documented_block(guide, first_line):
    """The code block of docs/docsite/rst/<guide>.rst whose first line is first_line, dedented, exactly as a reader
    would copy it."""
    with open(os.path.join(REPO, 'docs', 'docsite', 'rst', guide + '.rst'), encoding='utf-8') as handle:
        text = handle.read()
    blocks = [match.group(1) for match in re.finditer(r'\.\. code-block:: \w+\n\n((?:(?:   .*)?\n)+)', text + '\n')
              if match.group(1).startswith('   ' + first_line + '\n')]
    assert len(blocks) == 1, 'docs/docsite/rst/%s.rst has %d blocks starting %r' % (guide, len(blocks), first_line)
    return '\n'.join(line[3:] for line in blocks[0].splitlines()).strip() + '\n'


def group_hosts(data, group):
    """The sorted hosts of a group in ansible-inventory --list data."""
    return sorted(data.get(group, {}).get('hosts', []))


def make_traffic(control):
    """A client and 5 requests with its token: 3 listings (200) and 2 reads of a missing client (404)."""
    client = control.create_client(name='busy', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    token = control.token(client['id'], client['secret'])
    headers = {'Authorization': 'Bearer ' + token}
    for path in ['/api/v2/oauth/clients'] * 3 + ['/api/v2/oauth/clients/missing'] * 2:
        requests.get(control.url + path, headers=headers, timeout=10)
    control.clear_requests()
    return client


def client_entity(**fields):
    """A client as the API lists it, with these fields set (or replaced)."""
    return dict(dict(id='5d3a1a0b-0000-4000-8000-00000000000%d' % len(fields), name='shape', authorizedGrantType='TOKEN',
                     state='active'), **fields)


# (listing answer, the field the message must name): each reader of the listing (oauth_client_info, the inventory
# plugin) must fail with that message, never a traceback (issue 17, case 21).
MALFORMED_LISTINGS = [
    (dict(entities='abc'), 'entities is a string, not a list'),
    ([client_entity()], 'the answer is a list, not an object'),
    (dict(entities=[5]), 'entities[0] is a number, not an object'),
    (dict(entities=[client_entity(roleDivisions='zz')]), 'entities[0].roleDivisions is a string, not a list'),
    (dict(entities=[client_entity(roleDivisions=[dict(roleId=5)])]), 'entities[0].roleDivisions[0].roleId is a number'),
    (dict(entities=[client_entity(createdBy='x')]), 'entities[0].createdBy is a string, not an object'),
    (dict(entities=[client_entity(id=['a', 'b'])]), 'entities[0].id is a list, not a string'),
    (dict(entities=[client_entity(id=None)]), 'entities[0].id is missing'),
    (dict(entities=[client_entity(scope=5)]), 'entities[0].scope is a number, not a list'),
    (dict(entities=[client_entity(name=7)]), 'entities[0].name is a number, not a string'),
    (dict(entities=[client_entity(accessTokenValiditySeconds='long')]),
     'entities[0].accessTokenValiditySeconds is a string, not a number'),
    (dict(entities=[client_entity(registeredRedirectUri=['https://a.example.com/cb', 5])]),
     'entities[0].registeredRedirectUri[1] is a number, not a string'),
    (dict(entities=[client_entity()], nextUri=5), 'nextUri is a number, not a string'),
]
