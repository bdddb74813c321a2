"""The docs' emulator track, run as a newcomer would: the built tarball installed into an empty folder, the emulator
started from that install by the command the guide gives, and every YAML block the guides and the README mark as
runnable on the emulator run as pasted: --check --diff, the real run, and a second run that changes nothing."""

import glob
import os
import re
import subprocess
import sys

import pytest

from emulator_control import EmulatorControl
from helpers import BIN, REPO, ansible_env, assert_clean_output, make_traffic, run_ansible_playbook, start_emulator, stop_emulator

GUIDES = sorted(glob.glob(os.path.join(REPO, 'docs', 'docsite', 'rst', '*.rst')))
README = os.path.join(REPO, 'README.md')
RST_MARK = '.. runnable on the emulator'
MARKDOWN_MARK = '<!-- runnable on the emulator -->'


def rst_blocks(text):
    """The code-block after each RST_MARK comment, dedented."""
    blocks = []
    for match in re.finditer(re.escape(RST_MARK) + r'\n\n\.\. code-block:: yaml\n\n((?:(?:   .*)?\n)+)', text + '\n'):
        blocks.append('\n'.join(line[3:] for line in match.group(1).splitlines()).strip() + '\n')
    return blocks


def markdown_blocks(text):
    return [match.group(1) for match in re.finditer(re.escape(MARKDOWN_MARK) + r'\n```yaml\n(.*?)```', text, re.S)]


def runnable_examples():
    examples = []
    for path in GUIDES + [README]:
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
        blocks = markdown_blocks(text) if path.endswith('.md') else rst_blocks(text)
        assert text.count(RST_MARK if path.endswith('.rst') else MARKDOWN_MARK) == len(blocks), (
            '%s marks a block as runnable that is not a YAML block right after the mark' % path)
        examples += [pytest.param(block, id='%s-%d' % (os.path.basename(path), index)) for index, block in enumerate(blocks)]
    return examples


EXAMPLES = runnable_examples()


def test_the_getting_started_guide_has_a_runnable_example():
    assert any('getting_started' in example.id for example in EXAMPLES), [example.id for example in EXAMPLES]


@pytest.fixture(scope='module')
def installed_emulator(tmp_path_factory):
    """The tarball installed as the guide says, and the emulator started from that install (any free port)."""
    folder = tmp_path_factory.mktemp('newcomer')
    collections = folder / 'collections'
    tarball = sorted(glob.glob(os.path.join(REPO, '.build', 'dist', 'genesys-cloud-*.tar.gz')))[-1]
    # A newcomer's environment: no collection path or PYTHONPATH of the test run (--force: the tests' own install
    # elsewhere must not count as "already installed").
    env = {key: value for key, value in os.environ.items() if key not in ('PYTHONPATH', 'ANSIBLE_COLLECTIONS_PATH')}
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--force', '-p', str(collections), tarball],
                   check=True, capture_output=True, env=env)
    emulator_folder = collections / 'ansible_collections' / 'genesys' / 'cloud' / 'emulator' / 'genesys_emulator'
    assert emulator_folder.is_dir(), 'the tarball did not install the emulator'
    # The guide's command: python3 <collection>/emulator/genesys_emulator, from any folder.
    process = subprocess.Popen([sys.executable, str(emulator_folder), '--port', '0'], cwd=str(folder), env=env,
                               stdout=subprocess.PIPE, encoding='utf-8')
    try:
        banner = process.stdout.readline()
        exports = dict(process.stdout.readline().strip()[len('export '):].split('=', 1) for _line in range(3))
        assert 'listening on http://127.0.0.1:' in banner, banner
        assert set(exports) == {'GENESYSCLOUD_API_URL', 'GENESYSCLOUD_OAUTHCLIENT_ID', 'GENESYSCLOUD_OAUTHCLIENT_SECRET'}
        yield collections, exports
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize('example', EXAMPLES)
def test_a_runnable_example_runs_as_pasted(installed_emulator, example, tmp_path):  # pylint: disable=redefined-outer-name
    collections, exports = installed_emulator
    EmulatorControl(exports['GENESYSCLOUD_API_URL']).reset()
    playbook = tmp_path / 'example.yml'
    playbook.write_text(example)
    env = ansible_env(exports['GENESYSCLOUD_API_URL'], tmp_path / 'results.jsonl', credentials=False)
    env.update(exports, ANSIBLE_COLLECTIONS_PATH=str(collections))
    control = EmulatorControl(exports['GENESYSCLOUD_API_URL'])

    def run(*options):
        (tmp_path / 'results.jsonl').unlink(missing_ok=True)
        outcome = run_ansible_playbook(['-i', 'localhost,', str(playbook)] + list(options), env, tmp_path / 'results.jsonl')
        assert_clean_output(control, outcome.output)
        assert outcome.rc == 0, outcome.output
        return [entry['status'] for entry in outcome.results]

    control.clear_requests()
    planned = run('--check', '--diff')
    assert not control.writes(), 'check mode sent a write'
    done = run()
    assert done == planned, 'check mode planned %s, the real run did %s' % (planned, done)
    assert 'changed' in done
    assert 'changed' not in run(), 'a second run changed something'


def test_two_org_inventory_report(control, tmp_path):
    """docs/examples/org_report against two emulators, one per org."""
    import os
    import yaml
    second, second_url = start_emulator(str(tmp_path))
    try:
        make_traffic(control)
        control.create_client(name='idle')
        inventory = dict(genesys_orgs=dict(hosts={
            'org_a': dict(genesys_api_url=control.url, genesys_client_id='emulator-admin',
                          genesys_client_secret='emulator-admin-secret'),
            'org_b': dict(genesys_api_url=second_url, genesys_client_id='emulator-admin',
                          genesys_client_secret='emulator-admin-secret')}))
        inventory_path = tmp_path / 'inventory.yml'
        inventory_path.write_text(yaml.safe_dump(inventory))
        report_path = tmp_path / 'report.yml'
        results_path = tmp_path / 'results.jsonl'
        env = ansible_env('', results_path, credentials=False)
        run = run_ansible_playbook(['-i', str(inventory_path), os.path.join(REPO, 'docs/examples/org_report/report.yml'),
                                    '-e', 'report_path=%s usage_poll_interval=0.1' % report_path], env, results_path)
        assert run.rc == 0, run.output
        control.assert_no_secret_in(run.output)
        report = yaml.safe_load(report_path.read_text())
        assert set(report) == {'org_a', 'org_b'}
        assert sorted(c['name'] for c in report['org_a']['clients']) == ['Emulator admin', 'busy', 'idle']
        assert [c['name'] for c in report['org_b']['clients']] == ['Emulator admin']
        assert 'users:readonly' in report['org_b']['scopes']
        busy = [c for c in report['org_a']['clients'] if c['name'] == 'busy'][0]
        assert report['org_a']['usage'][busy['id']]['requests'] == 5
        assert report['org_a']['usage'][busy['id']]['status400'] == 2
        assert report['org_b']['usage']['emulator-admin']['requests'] >= 2
        assert report['org_a']['unused'] == ['idle'] and report['org_b']['unused'] == []
        assert 'emulator-admin-secret' not in report_path.read_text()
    finally:
        stop_emulator(second)
