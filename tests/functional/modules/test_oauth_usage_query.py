"""oauth_usage_query against usage the test itself generates on the emulator."""

import pytest

from helpers import make_traffic, task

FAST = dict(poll_interval=0.1, wait_timeout=10)
ORG_RESULTS = '/api/v2/usage/query/{executionId}/results'


@pytest.mark.smoke
def test_query_polls_until_complete_with_rows_of_real_traffic(playbook, control):
    client = make_traffic(control)
    run = playbook([task('usage', 'oauth_usage_query', name='busy', days=1, group_by=['TemplateUri', 'HttpMethod'], **FAST)], check=True)
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
    run = playbook([task('usage', 'oauth_usage_query', client_id=client['id'], interval='2020-01-01T00:00:00Z/2100-01-01T00:00:00Z',
                         granularity='Month', metrics=['Requests', 'Status400'], **FAST),
                    task('empty', 'oauth_usage_query', client_id=client['id'], interval='2020-01-01T00:00:00Z/2020-02-01T00:00:00Z', **FAST)])
    rows = run['usage']['rows']
    assert len(rows) == 1 and rows[0]['date'].endswith('-01T00:00:00Z')
    assert rows[0]['requests'] == 5 and rows[0]['status400'] == 2 and 'status200' not in rows[0]
    assert run['usage']['totals']['requests'] == 5
    assert run['empty']['rows'] == [] and run['empty']['totals']['requests'] == 0


def test_summary(playbook, control):
    client = make_traffic(control)
    run = playbook([task('summary', 'oauth_usage_query', client_id=client['id'], summary=True, days=2, **FAST)])
    assert run.status('summary') == 'ok', run.output
    assert run['summary']['totals']['requests'] == 5 and run['summary']['totals']['status400'] == 2
    summary_calls = [r for r in control.requests() if r['path'].endswith('/usage/summary')]
    assert len(summary_calls) == 1 and summary_calls[0]['query'] == {'days': '2'}


def test_failed_query_names_the_execution_id(playbook, control):
    make_traffic(control)
    control.configure(usage_query_outcome='Failed')
    run = playbook([task('usage', 'oauth_usage_query', name='busy', **FAST)])
    assert run.status('usage') == 'failed'
    execution = [r for r in control.requests() if r['method'] == 'GET' and '/results/' in r['path']][0]
    assert execution['path'].rsplit('/', 1)[1] in run['usage']['msg'] and 'Failed' in run['usage']['msg']


def test_timeout_bounds_the_polls(playbook, control):
    make_traffic(control)
    control.configure(usage_running_polls=1000)
    run = playbook([task('usage', 'oauth_usage_query', name='busy', poll_interval=0.2, wait_timeout=1)])
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
        ('empty client_id', dict(client_id='', days=3), 'client_id must not be empty'),
        ('organisation summary', dict(summary=True, days=3), 'summary=true needs client_id or name'),
    ]
    run = playbook([task(title, 'oauth_usage_query', **args) for title, args, _expected in bad])
    for title, _args, expected in bad:
        assert run.status(title) == 'failed', title
        assert expected in run[title]['msg'], (title, run[title]['msg'])
    assert control.requests() == []
    missing = playbook([task('missing', 'oauth_usage_query', name='nobody', **FAST)])
    assert missing.status('missing') == 'failed' and "'nobody'" in missing['missing']['msg']


def test_usage_totals_hold_only_the_metrics_asked_for(playbook, control):
    run = playbook([task('usage', 'oauth_usage_query', client_id='emulator-admin', metrics=['Status429'], poll_interval=0.1),
                    task('all', 'oauth_usage_query', client_id='emulator-admin', poll_interval=0.1)])
    assert set(run['usage']['totals']) == {'status429'}, run.output
    assert run['all']['totals']['requests'] > 0
    assert {'requests', 'status200', 'status300', 'status400', 'status429', 'status500'} <= set(run['all']['totals'])


@pytest.mark.smoke
def test_without_a_client_one_query_of_the_organisation_gives_rows_and_each_clients_totals(playbook, control):
    busy = make_traffic(control)
    quiet = control.create_client(name='quiet')
    control.http.get(control.url + '/api/v2/oauth/clients', timeout=10, headers=dict(
        Authorization='Bearer ' + control.token(quiet['id'], quiet['secret'])))
    control.clear_requests()
    run = playbook([task('org', 'oauth_usage_query', days=1, **FAST),
                    task('by endpoint', 'oauth_usage_query', days=1, group_by=['TemplateUri'],
                         metrics=['Requests', 'Status400'], **FAST)], check=True)
    assert run.status('org') == 'ok', run.output
    result = run['org']
    assert result['status'] == 'Complete' and result['polls'] == 3 and 'client_id' not in result
    clients = {client['id']: client for client in result['clients']}
    assert clients[busy['id']] == dict(id=busy['id'], name='busy', totals=dict(
        requests=5, status200=3, status300=0, status400=2, status429=0, status500=0))
    assert clients[quiet['id']]['name'] == 'quiet' and clients[quiet['id']]['totals']['requests'] == 1
    assert clients['emulator-admin']['totals']['requests'] > 0  # the test's own admin calls, and this query's
    requests = [client['totals']['requests'] for client in result['clients']]
    assert requests == sorted(requests, reverse=True)
    assert all(row['client_id'] in clients for row in result['rows'])
    assert result['totals']['requests'] == sum(requests)
    by_endpoint = run['by endpoint']
    rows = {(row['client_id'], row['template_uri']): row for row in by_endpoint['rows']}
    assert rows[(busy['id'], '/api/v2/oauth/clients/{clientId}')] == dict(
        date=rows[(busy['id'], '/api/v2/oauth/clients')]['date'], client_id=busy['id'], client_name='busy',
        template_uri='/api/v2/oauth/clients/{clientId}', requests=2, status400=2)
    assert [client['totals'] for client in by_endpoint['clients'] if client['id'] == busy['id']] == [
        dict(requests=5, status400=2)]
    # Each run: one login, one query, its polls; no client is looked up, however many the organisation has.
    calls = [(r['method'], r['template_uri'] or r['path']) for r in control.requests()]
    one_run = [('POST', '/oauth/token'), ('POST', '/api/v2/usage/query')] + [('GET', ORG_RESULTS)] * 3
    assert calls == one_run * 2
    assert [r['body']['groupBy'] for r in control.requests() if r['path'] == '/api/v2/usage/query'] == [
        ['OAuthClientId'], ['OAuthClientId', 'TemplateUri']]


def test_the_organisation_query_refused_fails_with_the_api_error(playbook, control):
    control.configure(org_usage_forbidden=True)
    run = playbook([task('org', 'oauth_usage_query', **FAST)])
    assert run.status('org') == 'failed'
    assert run['org']['api_error']['status'] == 403 and run['org']['api_error']['code'] == 'missing.permissions'
    assert 'usage:organization:view' in run['org']['msg'] and 'POST /api/v2/usage/query' in run['org']['msg']


def test_a_first_page_with_a_cursor_to_more_fails_rather_than_give_short_totals(playbook, control):
    # The results request takes no cursor (SDK): totals from one page would be short, and a client missing from it
    # would read as unused.
    control.configure(org_usage_cursor=True)
    run = playbook([task('org', 'oauth_usage_query', **FAST)])
    assert run.status('org') == 'failed'
    assert 'answered only the first page of its results (cursors.after)' in run['org']['msg'], run['org']['msg']
    assert 'clients' not in run['org'] and 'totals' not in run['org']
