"""The emulator's usage queries (usage.py)."""

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
