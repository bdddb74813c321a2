"""oauth_usage_query against usage the test itself generates on the emulator."""

import pytest
import requests

from genesys_emulator.seed import EMPLOYEE_ROLE_ID

from conftest import ansible_env, run_ansible_playbook, start_emulator, stop_emulator  # pylint: disable=import-error

FAST = dict(poll_interval=0.1, wait_timeout=10)


def task(title, /, **args):
    return {'name': title, 'genesys.cloud.oauth_usage_query': args, 'register': 'out', 'ignore_errors': True}


def make_traffic(control):
    """A client and 5 requests with its token: 3 listings (200) and 2 reads of a missing client (404)."""
    client = control.create_client(name='busy', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    token = control.token(client['id'], client['secret'])
    headers = {'Authorization': 'Bearer ' + token}
    for path in ['/api/v2/oauth/clients'] * 3 + ['/api/v2/oauth/clients/missing'] * 2:
        requests.get(control.url + path, headers=headers, timeout=10)
    control.clear_requests()
    return client


@pytest.mark.smoke
def test_query_polls_until_complete_with_rows_of_real_traffic(playbook, control):
    client = make_traffic(control)
    run = playbook([task('usage', name='busy', days=1, group_by=['TemplateUri', 'HttpMethod'], **FAST)], check=True)
    assert run.status('usage') == 'ok', run.output
    result = run['usage']
    assert result['status'] == 'Complete' and result['client_id'] == client['id'] and result['polls'] == 3
    rows = {row['template_uri']: row for row in result['rows']}
    assert set(rows) == {'/api/v2/oauth/clients', '/api/v2/oauth/clients/{clientId}'}
    assert (rows['/api/v2/oauth/clients']['requests'], rows['/api/v2/oauth/clients']['status200']) == (3, 3)
    assert (rows['/api/v2/oauth/clients/{clientId}']['requests'], rows['/api/v2/oauth/clients/{clientId}']['status400']) == (2, 2)
    assert rows['/api/v2/oauth/clients']['http_method'] == 'GET' and rows['/api/v2/oauth/clients']['client_name'] == 'busy'
    assert result['totals'] == dict(requests=5, status200=3, status300=0, status400=2, status429=0, status500=0)
    api_calls = [(r['method'], r['template_uri']) for r in control.requests() if r['path'] != '/oauth/token']
    results_uri = '/api/v2/oauth/clients/{clientId}/usage/query/results/{executionId}'
    assert api_calls == [('GET', '/api/v2/oauth/clients'), ('POST', '/api/v2/oauth/clients/{clientId}/usage/query')] \
        + [('GET', results_uri)] * 3
    assert result['execution_id'] in control.requests()[-1]['path']


def test_interval_granularity_and_metrics(playbook, control):
    client = make_traffic(control)
    run = playbook([task('usage', client_id=client['id'], interval='2020-01-01T00:00:00Z/2100-01-01T00:00:00Z',
                         granularity='Month', metrics=['Requests', 'Status400'], **FAST),
                    task('empty', client_id=client['id'], interval='2020-01-01T00:00:00Z/2020-02-01T00:00:00Z', **FAST)])
    rows = run['usage']['rows']
    assert len(rows) == 1 and rows[0]['date'].endswith('-01T00:00:00Z')
    assert rows[0]['requests'] == 5 and rows[0]['status400'] == 2 and 'status200' not in rows[0]
    assert run['usage']['totals']['requests'] == 5
    assert run['empty']['rows'] == [] and run['empty']['totals']['requests'] == 0


def test_summary(playbook, control):
    client = make_traffic(control)
    run = playbook([task('summary', client_id=client['id'], summary=True, days=2, **FAST)])
    assert run.status('summary') == 'ok', run.output
    assert run['summary']['totals']['requests'] == 5 and run['summary']['totals']['status400'] == 2
    summary_calls = [r for r in control.requests() if r['path'].endswith('/usage/summary')]
    assert len(summary_calls) == 1 and summary_calls[0]['query'] == {'days': '2'}


def test_failed_query_names_the_execution_id(playbook, control):
    make_traffic(control)
    control.configure(usage_query_outcome='Failed')
    run = playbook([task('usage', name='busy', **FAST)])
    assert run.status('usage') == 'failed'
    execution = [r for r in control.requests() if r['method'] == 'GET' and '/results/' in r['path']][0]
    assert execution['path'].rsplit('/', 1)[1] in run['usage']['msg'] and 'Failed' in run['usage']['msg']


def test_timeout_bounds_the_polls(playbook, control):
    make_traffic(control)
    control.configure(usage_running_polls=1000)
    run = playbook([task('usage', name='busy', poll_interval=0.2, wait_timeout=1)])
    assert run.status('usage') == 'failed' and 'still Running after 1.0 seconds' in run['usage']['msg']
    polls = [r for r in control.requests() if '/results/' in r['path']]
    assert 1 <= len(polls) <= 6


def test_unknown_client_and_bad_input(playbook, control):
    bad = [
        ('interval format', dict(name='busy', interval='last week'), 'ISO-8601 start/end'),
        ('interval order', dict(name='busy', interval='2026-02-01T00:00:00Z/2026-01-01T00:00:00Z'), 'end after it starts'),
        ('granularity', dict(name='busy', granularity='Hour'), 'Day, Week, Month'),
        ('metric', dict(name='busy', metrics=['Status418']), 'Status200, Status300'),
        ('group', dict(name='busy', group_by=['UserId']), 'OAuthClientId, OrganizationId, TemplateUri, HttpMethod'),
        ('summary interval', dict(name='busy', summary=True, interval='2026-01-01T00:00:00Z/2026-02-01T00:00:00Z'),
         'summary=true takes only days'),
        ('both', dict(name='busy', days=3, interval='2026-01-01T00:00:00Z/2026-02-01T00:00:00Z'), 'mutually exclusive'),
        ('days', dict(name='busy', days=0), 'days must be from 1 to 36500, got 0'),
        ('days huge', dict(name='busy', days=100000000), 'days must be from 1 to 36500, got 100000000'),
        ('target', dict(days=3), 'client_id or name'),
    ]
    run = playbook([task(title, **args) for title, args, _expected in bad])
    for title, _args, expected in bad:
        assert run.status(title) == 'failed', title
        assert expected in run[title]['msg'], (title, run[title]['msg'])
    assert control.requests() == []
    missing = playbook([task('missing', name='nobody', **FAST)])
    assert missing.status('missing') == 'failed' and "'nobody'" in missing['missing']['msg']


def test_two_org_inventory_report(control, tmp_path):
    """docs/examples/org_report against two emulators, one per org."""
    import os
    import yaml
    from conftest import REPO  # pylint: disable=import-error
    second, second_url = start_emulator(str(tmp_path))
    try:
        make_traffic(control)
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
        assert sorted(c['name'] for c in report['org_a']['clients']) == ['Emulator admin', 'busy']
        assert [c['name'] for c in report['org_b']['clients']] == ['Emulator admin']
        assert 'users:readonly' in report['org_b']['scopes']
        busy = [c for c in report['org_a']['clients'] if c['name'] == 'busy'][0]
        assert report['org_a']['usage'][busy['id']]['requests'] == 5
        assert report['org_a']['usage'][busy['id']]['status400'] == 2
        assert report['org_b']['usage']['emulator-admin']['requests'] >= 2
        assert 'emulator-admin-secret' not in report_path.read_text()
    finally:
        stop_emulator(second)
