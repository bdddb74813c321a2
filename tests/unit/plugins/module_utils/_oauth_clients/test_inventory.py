"""The inventory plugin's plain part: filters, usage options, host names, usage summaries."""

import threading
import time

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.inventory import (
    UsageRun, check_filters, check_usage_options, host_names, matches, read_org, with_role_names)
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysApiError, GenesysError, InputError


def record(client_id, name, created):
    return dict(client=dict(id=client_id, name=name, date_created=created), usage=None)


def test_the_oldest_client_of_a_name_keeps_it_and_later_ones_get_their_id():
    records = [record('bbbbbbbb-2', 'twin', '2026-02-01T00:00:00Z'), record('aaaaaaaa-1', 'twin', '2026-01-01T00:00:00Z'),
               record('cccccccc-3', 'solo', '2026-03-01T00:00:00Z')]
    assert host_names([('', records)]) == [['twin_bbbbbbbb', 'twin', 'solo']]


def test_host_names_are_unique_across_orgs_and_prefixes_keep_orgs_apart():
    first = [record('aaaaaaaa-1', 'app', None)]
    second = [record('bbbbbbbb-2', 'app', None)]
    assert host_names([('', first), ('', second)]) == [['app'], ['app_bbbbbbbb']]
    assert host_names([('prod_', first), ('test_', second)]) == [['prod_app'], ['test_app']]


def test_a_taken_id_prefix_falls_back_to_the_whole_id():
    records = [record('same0000-1', 'x', '1'), record('same0000-2', 'x', '2'), record('same0000-3', 'x', '3')]
    assert host_names([('', records)]) == [['x', 'x_same0000', 'x_same0000-3']]


def test_filters_match_every_key_any_value():
    client = dict(name='billing-sync', grant_type='client_credentials', state='active')
    assert matches(client, {})
    assert matches(client, dict(name=['crm-*', 'billing-*'], state=['active', 'inactive']))
    assert not matches(client, dict(name=['billing-*'], grant_type=['code']))
    assert not matches(client, dict(name=['Billing-*']))  # case-sensitive, as names are


@pytest.mark.parametrize('filters, message', [
    (['name'], 'filters must be a dictionary'),
    (dict(owner=['me']), "filters: unknown key 'owner'"),
    (dict(state='active'), 'filters.state must be a non-empty list of strings'),
    (dict(state=[]), 'filters.state must be a non-empty list of strings'),
    (dict(state=['enabled']), 'filters.state: unknown value enabled; allowed: active, inactive, disabled'),
])
def test_bad_filters_are_refused(filters, message):
    with pytest.raises(InputError) as failure:
        check_filters(filters)
    assert str(failure.value).startswith(message)


@pytest.mark.parametrize('options, message', [
    ((0, 4, 60, 1), 'usage_days must be from 1 to'),
    ((7, 0, 60, 1), 'usage_concurrency must be 1 or more'),
    ((7, 4, 0, 1), 'usage_wait_timeout must be a positive number'),
    ((7, 4, 60, -1), 'usage_poll_interval must be a positive number'),
])
def test_bad_usage_options_are_refused(options, message):
    with pytest.raises(InputError) as failure:
        check_usage_options(*options)
    assert str(failure.value).startswith(message)


def test_role_names_are_added_and_all_divisions_has_none():
    client = dict(roles=[dict(role_id='r1', division_id='*'), dict(role_id='r2', division_id='d1')])
    with_role_names(client, ({'r1': 'Admin'}, {'d1': 'Sales'}))
    assert client['roles'] == [dict(role_id='r1', division_id='*', role_name='Admin', division_name=None),
                               dict(role_id='r2', division_id='d1', role_name=None, division_name='Sales')]
    with_role_names(client, None)
    assert client['roles'][1]['role_name'] is None


class SlowUsageApi:
    """Refuses the organisation's query (403), then answers usage summaries slowly and counts how many are in flight
    at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0

    def post(self, path, body, changes=None):
        assert path == '/api/v2/usage/query' and changes is False
        raise GenesysApiError('missing permissions', status=403, code='missing.permissions', method='POST', path=path)

    def get(self, path, params=None):
        if path.endswith('/usage/summary'):
            with self.lock:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            time.sleep(0.2)  # long enough for the other worker to start one too
            with self.lock:
                self.in_flight -= 1
            return dict(executionId='x-' + path.split('/')[-3], resultsUri=path + '/results')
        return dict(queryStatus='Complete', results=[dict(requests=1, status200=1)])


def test_refused_the_organisation_query_usage_summaries_run_at_most_usage_concurrency_at_a_time():
    api = SlowUsageApi()
    run = UsageRun(api, days=30, concurrency=2, wait_timeout=5, poll_interval=0.01)
    clients = [dict(id='c%d' % number, name='client %d' % number) for number in range(6)]
    totals = run.totals(clients)
    assert api.most_in_flight == 2
    assert sorted(totals) == ['c%d' % number for number in range(6)]
    assert totals['c0']['days'] == 30 and totals['c0']['requests'] == 1 and totals['c0']['status200'] == 1
    assert run.org_queries == 1 and run.summaries == 6 and run.polls == 6
    assert run.warnings == ["the login may not read the organisation's usage (HTTP 403 on POST /api/v2/usage/query), "
                            'so it was read one client at a time (6 usage summaries); give its role '
                            'usage:organization:view to read it in one query']
    assert run.report().startswith('usage of the last 30 days: organisation query refused, 6 summaries, 6 polls, 2 at a time')


class OrgUsageApi:
    """Answers the organisation's query: Running once, then rows of two clients, one of them not listed."""

    def __init__(self, status='Complete'):
        self.calls = []
        self.status = status

    def post(self, path, body, changes=None):
        self.calls.append(('POST', path, body))
        return dict(executionId='e1', resultsUri='/api/v2/usage/query/e1/results')

    def get(self, path, params=None):
        self.calls.append(('GET', path, params))
        if len(self.calls) == 2:
            return dict(queryStatus='Running', results=[])
        return dict(queryStatus=self.status, results=[
            dict(clientId='busy', clientName='busy', templateUri='/a', requests=3, status200=2, status400=1, newCounter=4),
            dict(clientId='busy', clientName='busy', templateUri='/b', requests=1, status200=1),
            dict(clientId='gone', clientName='deleted since', requests=7, status200=7)])


def test_one_organisation_query_gives_every_client_its_totals_and_zeros_to_the_idle():
    api = OrgUsageApi()
    run = UsageRun(api, days=7, concurrency=4, wait_timeout=5, poll_interval=0.01)
    totals = run.totals([dict(id='busy', name='busy'), dict(id='idle', name='idle')])
    assert [call[:2] for call in api.calls] == [('POST', '/api/v2/usage/query')] + [('GET', '/api/v2/usage/query/e1/results')] * 2
    assert api.calls[0][2]['groupBy'] == ['OAuthClientId'] and 'metrics' not in api.calls[0][2]
    assert totals == dict(
        busy=dict(days=7, requests=4, status200=3, status300=0, status400=1, status429=0, status500=0, new_counter=4),
        idle=dict(days=7, requests=0, status200=0, status300=0, status400=0, status429=0, status500=0, new_counter=0))
    assert run.warnings == [] and (run.org_queries, run.summaries, run.polls) == (1, 0, 2)
    assert run.report().startswith('usage of the last 7 days: 1 organisation query, 2 polls, ')
    assert run.totals([]) == {} and len(api.calls) == 3  # no client, no request


def test_a_failed_organisation_query_fails_and_says_so():
    run = UsageRun(OrgUsageApi(status='Failed'), days=7, concurrency=4, wait_timeout=5, poll_interval=0.01)
    with pytest.raises(GenesysError) as failure:
        run.totals([dict(id='busy', name='busy')])
    assert str(failure.value) == "the organisation's usage query: usage query e1 ended with status Failed"


class ListingApi:
    """Answers the client listing with the entities given."""

    def __init__(self, entities):
        self.entities = entities

    def paginate(self, path, **_kwargs):
        assert path == '/api/v2/oauth/clients'
        return iter(self.entities)


def test_a_client_being_deleted_is_no_host_as_it_is_no_client_of_oauth_client_info():
    api = ListingApi([dict(id='live-1', name='live', authorizedGrantType='TOKEN', state='active'),
                      dict(id='gone-2', state='deleted', selfUri='/api/v2/oauth/clients/gone-2')])
    records, warnings = read_org(api)
    assert [record['client']['id'] for record in records] == ['live-1'] and warnings == []
