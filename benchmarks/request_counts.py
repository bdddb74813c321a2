"""Measure wall time and API request counts of typical tasks against the emulator.

    make bench            (or: ANSIBLE_COLLECTIONS_PATH=.build/collections .venv/bin/python benchmarks/request_counts.py)

Prints one row per scenario: seconds for the ansible-playbook run, and the requests the emulator logged.
Timings are for reading, never asserted; request counts are asserted in the functional tests.
"""

import collections
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(REPO, 'emulator'), os.path.join(REPO, 'tests')]

from emulator_control import EmulatorControl  # noqa: E402  pylint: disable=wrong-import-position
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, Emulator  # noqa: E402  pylint: disable=wrong-import-position
from genesys_emulator.seed import EMPLOYEE_ROLE_ID  # noqa: E402  pylint: disable=wrong-import-position

CLIENTS = 200
ROLE = [dict(role_id=EMPLOYEE_ROLE_ID)]
SCENARIOS = [
    ('create one client', [{'genesys.cloud.oauth_client': dict(name='bench', grant_type='client_credentials', roles=ROLE),
                            'no_log': True}]),
    ('same client again (no change)', [{'genesys.cloud.oauth_client': dict(name='bench', grant_type='client_credentials',
                                                                           roles=ROLE)}]),
    ('update it', [{'genesys.cloud.oauth_client': dict(name='bench', description='changed')}]),
    ('read all clients', [{'genesys.cloud.oauth_client_info': {}}]),
    ('read one client by name', [{'genesys.cloud.oauth_client_info': dict(name='bench')}]),
    ('usage summary', [{'genesys.cloud.oauth_usage_query': dict(name='bench', summary=True, poll_interval=0.2)}]),
    ('rotate with verify', [{'genesys.cloud.oauth_client_secret': dict(name='bench', verify=True), 'no_log': True}]),
    ('delete it', [{'genesys.cloud.oauth_client': dict(name='bench', state='absent')}]),
]


def run_tasks(url, tasks, workdir):
    play = [dict(hosts='localhost', connection='local', gather_facts=False, tasks=tasks)]
    path = os.path.join(workdir, 'bench.yml')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(play, handle)
    env = dict(os.environ, GENESYSCLOUD_API_URL=url, GENESYSCLOUD_OAUTHCLIENT_ID=ADMIN_CLIENT_ID,
               GENESYSCLOUD_OAUTHCLIENT_SECRET=ADMIN_CLIENT_SECRET, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING='false')
    started = time.perf_counter()
    process = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', path],
                             env=env, capture_output=True, text=True, check=False)
    if process.returncode:
        raise SystemExit(process.stdout + process.stderr)
    return time.perf_counter() - started


def main():
    emulator = Emulator(page_size=25, max_page_size=25).start()
    control = EmulatorControl(emulator.url)
    for number in range(CLIENTS):
        control.create_client(name='seed-%03d' % number, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    print('%d clients, 25 a page\n' % (CLIENTS + 1))
    print('%-32s %8s  %s' % ('scenario', 'seconds', 'requests'))
    with tempfile.TemporaryDirectory() as workdir:
        for title, tasks in SCENARIOS:
            control.clear_requests()
            seconds = run_tasks(emulator.url, tasks, workdir)
            counts = collections.Counter('%s %s' % (r['method'], r['template_uri'] or r['path']) for r in control.requests())
            detail = ', '.join('%d x %s' % (n, k) for k, n in sorted(counts.items()))
            print('%-32s %8.2f  %d: %s' % (title, seconds, sum(counts.values()), detail))
    emulator.stop()


if __name__ == '__main__':
    main()
