"""The emulator's usage queries (usage.py): a client's, the organisation's, and the organisation's jobs."""

from datetime import datetime, timedelta, timezone

import pytest

from emulator_control import assert_error

CLIENTS = '/api/v2/oauth/clients'


def test_usage_query_lifecycle_and_unknown_execution_id(control):
    path = CLIENTS + '/emulator-admin/usage'
    control.configure(usage_running_polls=1)
    started = control.api('POST', path + '/query', json=dict(interval='2020-01-01T00:00:00Z/2100-01-01T00:00:00Z'))
    assert started.status_code == 202
    results_uri = started.json()['resultsUri']
    assert control.api('GET', results_uri).json()['queryStatus'] == 'Running'
    done = control.api('GET', results_uri).json()
    assert done['queryStatus'] == 'Complete'
    assert sum(row['requests'] for row in done['results']) == 2  # the query and the poll before this one
    assert_error(control.api('GET', path + '/query/results/unknown'), 404, 'not.found')
    for body in (dict(), dict(interval='2020-02-01T00:00:00Z/2020-01-01T00:00:00Z'),
                 dict(interval='2020-01-01T00:00:00Z/2020-02-01T00:00:00Z', granularity='Hour'),
                 dict(interval='2020-01-01T00:00:00Z/2020-02-01T00:00:00Z', metrics=['Nope'])):
        assert control.api('POST', path + '/query', json=body).status_code == 400
    assert_error(control.api('POST', CLIENTS + '/missing/usage/query', json=dict(
        interval='2020-01-01T00:00:00Z/2020-02-01T00:00:00Z')), 404, 'not.found')


FAR = '2020-01-01T00:00:00Z/2100-01-01T00:00:00Z'
JOBS = '/api/v2/usage/aggregates/query/jobs'


def recent(days_back=1, days_ahead=1):
    """An interval around now that the jobs API takes (it refuses a start more than a year ago)."""
    now = datetime.now(timezone.utc)
    return '%s/%s' % ((now - timedelta(days=days_back)).isoformat(), (now + timedelta(days=days_ahead)).isoformat())


def traffic(control, name, paths):
    """A client, and GETs of paths with its token; returns the client."""
    client = control.create_client(name=name)
    token = control.token(client['id'], client['secret'])
    for path in paths:
        control.http.get(control.url + path, headers=dict(Authorization='Bearer ' + token))
    return client


def until_done(control, uri, **params):
    """Poll a query's results or a job until it has ended; (statuses seen, last answer)."""
    statuses = []
    while True:
        answer = control.api('GET', uri, params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        statuses.append(body['queryStatus'])
        if body['queryStatus'] not in ('Queued', 'Running'):
            return statuses, body


def test_the_organisation_query_has_every_client_and_names_them_when_grouped_by_client(control):
    busy = traffic(control, 'busy', [CLIENTS] * 3 + [CLIENTS + '/missing'])
    quiet = traffic(control, 'quiet', [CLIENTS])
    started = control.api('POST', '/api/v2/usage/query', json=dict(interval=FAR, groupBy=['OAuthClientId']))
    assert started.status_code == 202
    results_uri = started.json()['resultsUri']
    assert results_uri == '/api/v2/usage/query/%s/results' % started.json()['executionId']
    statuses, done = until_done(control, results_uri)
    assert statuses == ['Running', 'Running', 'Complete']
    rows = {row['clientId']: row for row in done['results']}
    assert set(rows) == {busy['id'], quiet['id'], 'emulator-admin'}
    assert (rows[busy['id']]['clientName'], rows[busy['id']]['requests'], rows[busy['id']]['status400']) == ('busy', 4, 1)
    assert rows[quiet['id']]['requests'] == 1
    # Without groupBy, one row a day for the whole organisation, naming no client.
    ungrouped = control.api('POST', '/api/v2/usage/query', json=dict(interval=FAR, metrics=['Requests'])).json()
    control.configure(usage_running_polls=0)
    _statuses, done = until_done(control, ungrouped['resultsUri'])
    assert len(done['results']) == 1 and set(done['results'][0]) == {'date', 'requests'}
    # A client's execution id is not the organisation's, nor the other way round.
    mine = control.api('POST', CLIENTS + '/emulator-admin/usage/query', json=dict(interval=FAR)).json()
    assert_error(control.api('GET', '/api/v2/usage/query/%s/results' % mine['executionId']), 404, 'not.found')
    assert_error(control.api('GET', CLIENTS + '/emulator-admin/usage/query/results/' + ungrouped['executionId']),
                 404, 'not.found')
    for body in (dict(), dict(interval=FAR, groupBy=['Nope']), dict(interval=FAR, granularity='Hour')):
        assert_error(control.api('POST', '/api/v2/usage/query', json=body), 400, body and 'invalid.value' or 'bad.request')


def test_a_job_is_queued_then_running_then_pages_its_entities_with_a_cursor(control):
    busy = traffic(control, 'busy', [CLIENTS] * 2 + [CLIENTS + '/missing'] * 3)
    started = control.api('POST', JOBS, json=dict(interval=recent(), groupBy=['OauthClientId', 'TemplateUri'],
                                                  oauthClientIds=[busy['id']],
                                                  sortBy=[dict(fieldName='requestCount', order='Desc')]))
    assert started.status_code == 202
    job = started.json()
    assert job['resultsUri'] == job['selfUri'] == '%s/%s' % (JOBS, job['id'])
    statuses, first = until_done(control, job['resultsUri'], pageSize=1)
    assert statuses == ['Queued', 'Running', 'Succeeded']
    assert first['entities'] == [dict(date=datetime.now(timezone.utc).strftime('%Y-%m-%d'), oauthClient=dict(
        id=busy['id'], name='busy', selfUri=CLIENTS + '/' + busy['id']), templateUri=CLIENTS + '/{clientId}',
        requestCount=3, status200=0, status300=0, status400=3, status429=0, status500=0)]
    second = control.api('GET', first['nextUri']).json()
    assert [entity['templateUri'] for entity in second['entities']] == [CLIENTS] and 'nextUri' not in second
    assert_error(control.api('GET', job['resultsUri'], params=dict(after='not-a-cursor')), 400, 'invalid.value')
    assert_error(control.api('GET', job['resultsUri'], params=dict(pageSize=1001)), 400, 'invalid.value')
    assert_error(control.api('GET', JOBS + '/unknown'), 404, 'not.found')


def test_a_job_filters_and_takes_only_the_metrics_asked_for(control):
    busy = traffic(control, 'busy', [CLIENTS])
    body = dict(interval=recent(), metrics=['Status400'], httpMethods=['GET'], templateUris=[CLIENTS + '/{clientId}'])
    control.configure(usage_running_polls=0)
    _statuses, done = until_done(control, control.api('POST', JOBS, json=body).json()['resultsUri'])
    assert done['entities'] == []  # nobody read a client by id
    body = dict(interval=recent(), metrics=['Requests'], groupBy=['OauthClientName'], oauthClientIds=[busy['id']])
    _statuses, done = until_done(control, control.api('POST', JOBS, json=body).json()['resultsUri'])
    assert [(e['oauthClient'], e['requestCount']) for e in done['entities']] == [(dict(name='busy'), 1)]
    assert set(done['entities'][0]) == {'date', 'oauthClient', 'requestCount'}
    control.configure(usage_query_outcome='Failed')
    _statuses, failed = until_done(control, control.api('POST', JOBS, json=dict(interval=recent())).json()['resultsUri'])
    assert failed['queryStatus'] == 'Failed' and failed['errorBody']['status'] == 500


@pytest.mark.parametrize('body,message', [
    (dict(interval=recent(days_back=366, days_ahead=-300)), 'more than a year ago'),
    (dict(interval=recent(days_back=91, days_ahead=0)), 'more than 90 days after its start'),
    (dict(interval=recent(), groupBy=['OAuthClientId']), 'Unknown groupBy OAuthClientId'),
    (dict(interval=recent(), httpMethods=['TRACE']), 'Unknown httpMethods TRACE'),
    (dict(interval=recent(), sortBy=[dict(fieldName='requests')]), 'sortBy[0].fieldName'),
    (dict(interval=recent(), sortBy=[dict(fieldName='date', order='Up')]), 'sortBy[0].order'),
])
def test_the_jobs_api_refuses_what_the_real_one_does(control, body, message):
    refused = control.api('POST', JOBS, json=body)
    assert refused.status_code == 400 and message in refused.json()['message'], refused.text


def test_the_organisation_usage_answers_403_while_forbidden(control):
    control.configure(org_usage_forbidden=True)
    for path, body in (('/api/v2/usage/query', dict(interval=FAR)), (JOBS, dict(interval=recent()))):
        refused = assert_error(control.api('POST', path, json=body), 403, 'missing.permissions')
        assert 'usage:organization:view' in refused['message']
    assert control.api('GET', CLIENTS + '/emulator-admin/usage/summary').status_code == 200
