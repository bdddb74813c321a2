"""Benchmark: the collection against the alternatives, on the emulator with a WAN-like delay per request.

    make bench                                   (all sizes, 3 rounds: about half an hour on 2 cores)
    .venv/bin/python benchmarks/bench.py --sizes 10 --rounds 1     (a quick look)

For each size N, scenario and contender: wall time, HTTP requests by endpoint (from the emulator's log) and
peak RSS of the process tree, the median of the rounds; the contenders run interleaved within each round, on
the same emulator state. Writes benchmarks/results/ (results.json, results.md, bench.png) and the table in
docs/performance.md. Nothing is asserted: the targets of the collection are checked and printed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import requests

from contenders import CONTENDERS, SCENARIOS, command, emulator_config, takes_part
from report import write_reports

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'emulator'))
from genesys_emulator.seed import (ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, EMPLOYEE_ROLE_ID,  # noqa: E402 pylint: disable=wrong-import-position
                                   HOME_DIVISION_ID)


class Emulator:
    """The emulator as its own process (its CPU is not the contenders'), driven through its test endpoints."""

    def __init__(self, workdir, delay):
        url_file = os.path.join(workdir, 'emulator-url')
        self.process = subprocess.Popen([sys.executable, '-m', 'genesys_emulator', '--port', '0', '--url-file', url_file,
                                         '--rate-limit', '1000000'], cwd=os.path.join(REPO, 'emulator'),
                                        stdout=subprocess.DEVNULL)
        deadline = time.time() + 15
        while not (os.path.exists(url_file) and os.path.getsize(url_file)):
            if time.time() > deadline:
                raise SystemExit('the emulator did not start')
            time.sleep(0.05)
        with open(url_file, encoding='utf-8') as handle:
            self.url = handle.read().strip()
        self.delay = delay
        self.http = requests.Session()

    def test_call(self, method, path, **kwargs):
        response = self.http.request(method, self.url + '/__emulator' + path, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def prepare(self, existing, config=None):
        """Reset to the seed, create the existing clients without delay, then turn the delay (and config) on."""
        self.test_call('POST', '/reset')
        self.test_call('POST', '/config', json=dict(rate_limit=1000000, request_delay=0))
        token = self.http.post(self.url + '/oauth/token', auth=(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
                               data=dict(grant_type='client_credentials')).json()['access_token']
        ids = {}
        for client in existing:
            body = dict(name=client['name'], description=client['description'], authorizedGrantType='CLIENT-CREDENTIALS',
                        accessTokenValiditySeconds=client['access_token_validity_seconds'],
                        roleDivisions=[dict(roleId=client['role_id'], divisionId=HOME_DIVISION_ID)])
            answer = self.http.post(self.url + '/api/v2/oauth/clients', json=body,
                                    headers=dict(Authorization='Bearer ' + token))
            answer.raise_for_status()
            ids[client['name']] = answer.json()['id']
        self.test_call('POST', '/config', json=dict(config or {}, request_delay=self.delay))
        self.test_call('DELETE', '/requests')
        return ids

    def requests_by_endpoint(self):
        counts = {}
        for request in self.test_call('GET', '/requests')['requests']:
            key = '%s %s' % (request['method'], request.get('template_uri') or request['path'])
            counts[key] = counts.get(key, 0) + 1
        return counts

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def declared_clients(size, scenario):
    clients = [dict(name='bench-%04d' % number, description='benchmark client', access_token_validity_seconds=3600,
                    role_id=EMPLOYEE_ROLE_ID) for number in range(size)]
    if scenario == 'one-change':
        clients[size // 2]['description'] = 'changed'
    return clients


def measure(argv, env):
    """(seconds, peak RSS in MiB of the process and its waited-for children, exit status, output)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024.0, process.returncode, output.decode('utf-8', 'replace')


def run_one(emulator, contender, scenario, size, workdir, env):
    declared = declared_clients(size, scenario)
    ids = emulator.prepare([] if scenario == 'create' else declared_clients(size, 'no-change'),
                           emulator_config(contender))
    for client in declared:
        client['id'] = ids.get(client['name'])
    dest_dir = tempfile.mkdtemp(dir=workdir)
    job = dict(url=emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, scenario=scenario,
               clients=declared, dest_dir=dest_dir)
    job['home_division_id'] = HOME_DIVISION_ID
    argv = command(contender, job, workdir, env)
    # The module alone finds the collection as Ansible would put it on its path.
    seconds, rss, status, output = measure(argv, dict(env, PYTHONPATH=env['ANSIBLE_COLLECTIONS_PATH']))
    if status:
        raise SystemExit('%s / %s / N=%d failed:\n%s' % (contender, scenario, size, output[-4000:]))
    return dict(contender=contender, scenario=scenario, size=size, seconds=seconds, rss_mib=rss,
                requests=emulator.requests_by_endpoint())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--sizes', default='10,100,500', help='numbers of clients (default 10,100,500)')
    parser.add_argument('--rounds', type=int, default=3, help='runs of each measurement; the median is kept')
    parser.add_argument('--delay', type=float, default=0.05, help='seconds the emulator adds to each request')
    parser.add_argument('--loop-max', default='create=10,no-change=100,one-change=10,rotate=10',
                        help='largest N at which the loops run, per scenario (a loop of 100 takes minutes)')
    parser.add_argument('--uri-create-max', type=int, default=100,
                        help='largest N at which the uri playbook creates (its loop of uri tasks is slow too)')
    parser.add_argument('--scenarios', default=','.join(SCENARIOS),
                        help='the scenarios to run (default all); with only some, docs/performance.md is left as it is')
    parser.add_argument('--out', default=os.path.join(REPO, 'benchmarks', 'results'))
    parser.add_argument('--docs', default=os.path.join(REPO, 'docs', 'performance.md'))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(',')]
    loop_max = {key: int(value) for key, value in (item.split('=') for item in args.loop_max.split(','))}
    scenarios = [scenario for scenario in SCENARIOS if scenario in args.scenarios.split(',')]
    with tempfile.TemporaryDirectory() as workdir:
        emulator = Emulator(workdir, args.delay)
        env = dict(os.environ, GENESYSCLOUD_API_URL=emulator.url, GENESYSCLOUD_OAUTHCLIENT_ID=ADMIN_CLIENT_ID,
                   GENESYSCLOUD_OAUTHCLIENT_SECRET=ADMIN_CLIENT_SECRET, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        # The collection as make install built it, unless the caller points elsewhere.
        env.setdefault('ANSIBLE_COLLECTIONS_PATH', os.path.join(REPO, '.build', 'collections'))
        measurements = []
        try:
            for round_number in range(args.rounds):
                for size in sizes:
                    for scenario in scenarios:
                        if scenario == 'rotate' and size != min(sizes):
                            continue  # the rotation target is for a small set: the smallest size only
                        for contender in CONTENDERS:
                            if not takes_part(contender, scenario, size, loop_max, args.uri_create_max):
                                continue
                            result = run_one(emulator, contender, scenario, size, workdir, env)
                            result['round'] = round_number
                            measurements.append(result)
                            print('round %d  N=%-4d %-10s %-26s %7.2f s %5d requests %6.1f MiB' % (
                                round_number + 1, size, scenario, contender, result['seconds'],
                                sum(result['requests'].values()), result['rss_mib']), flush=True)
        finally:
            emulator.stop()
    settings = dict(delay=args.delay, rounds=args.rounds, sizes=sizes, loop_max=loop_max,
                    uri_create_max=args.uri_create_max)
    print(write_reports(measurements, settings, args.out, args.docs if scenarios == list(SCENARIOS) else None))


if __name__ == '__main__':
    main()
