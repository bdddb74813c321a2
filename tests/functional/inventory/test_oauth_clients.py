"""The oauth_clients inventory plugin: real ansible-inventory (and ansible-playbook) runs against the emulator. Any
client name makes a host Ansible can address, and a malformed answer ends in a message (issue 17, cases 19 and 21)."""

import json
import os
import subprocess

import pytest

from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from genesys_emulator.seed import ADMIN_ROLE_ID, DEVELOPER_ROLE_ID, DIVISIONS, EMPLOYEE_ROLE_ID, ORGANIZATION_NAME
from helpers import BIN, MALFORMED_LISTINGS, documented_block, group_hosts, run_play

SALES_DIVISION_ID = DIVISIONS[1]['id']
CLIENTS = '/api/v2/oauth/clients'
TOKENS_ME = '/api/v2/tokens/me'
USAGE_QUERY = '/api/v2/usage/query'
USAGE_RESULTS = USAGE_QUERY + '/{executionId}/results'
NO_RETRIES = dict(max_retries=0)
TASK_CREDENTIALS = dict(auth_client_id=ADMIN_CLIENT_ID, auth_client_secret=ADMIN_CLIENT_SECRET)
# A region's https URL goes through this proxy, which refuses connections: nothing leaves the machine.
NO_INTERNET = dict(HTTPS_PROXY='http://127.0.0.1:9', https_proxy='http://127.0.0.1:9', NO_PROXY='', no_proxy='')
# Reserved names and the base of their host names (':' is read by patterns, so it is cleaned too).
RESERVED = dict(all='all', ungrouped='ungrouped', localhost='localhost', **{'127.0.0.1': '127.0.0.1', '::1': '__1'})


def api_calls(control):
    return [(r['method'], r['path']) for r in control.requests()]


def seed_clients(control):
    """A machine client with roles in one division and in all, a web client, and an inactive one."""
    return dict(
        billing=control.create_client(name='billing-sync', description='Billing export', roleDivisions=[
            dict(roleId=DEVELOPER_ROLE_ID, divisionId=SALES_DIVISION_ID), dict(roleId=EMPLOYEE_ROLE_ID, divisionId='*')]),
        web=control.create_client(name='web-portal', authorizedGrantType='CODE', scope=['users:readonly', 'analytics'],
                                  registeredRedirectUri=['https://portal.example.com/cb']),
        old=control.create_client(name='old-job', state='inactive',
                                  roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId=SALES_DIVISION_ID)]),
    )


def host_of(data, client_id):
    """The host name the inventory gave the client of this id."""
    hosts = [host for host, host_vars in data['_meta']['hostvars'].items() if host_vars['genesys_client']['id'] == client_id]
    assert len(hosts) == 1, hosts
    return hosts[0]


@pytest.mark.smoke
def test_clients_are_hosts_with_their_facts_and_default_groups(inventory, control):
    made = seed_clients(control)
    control.clear_requests()
    run = inventory({})
    assert run.rc == 0, run.output
    data = run.data
    hostvars = data['_meta']['hostvars']
    assert sorted(hostvars) == ['Emulator admin', 'billing-sync', 'old-job', 'web-portal']
    billing = hostvars['billing-sync']
    assert billing['ansible_connection'] == 'local'
    client = billing['genesys_client']
    assert client['id'] == made['billing']['id'] and client['description'] == 'Billing export'
    assert client['grant_type'] == 'client_credentials' and client['state'] == 'active' and client['active'] is True
    # Role/division pairs sorted by role id, then division.
    assert client['roles'] == [
        dict(role_id=EMPLOYEE_ROLE_ID, division_id='*', role_name='Employee', division_name=None),
        dict(role_id=DEVELOPER_ROLE_ID, division_id=SALES_DIVISION_ID, role_name='Developer', division_name='Sales'),
    ]
    web = hostvars['web-portal']['genesys_client']
    assert web['scopes'] == ['analytics', 'users:readonly'] and web['redirect_uris'] == ['https://portal.example.com/cb']
    # Without org_name, the organisation is named as the API names it (one request, GET /api/v2/tokens/me).
    assert 'genesys_usage' not in billing and billing['genesys_org'] == ORGANIZATION_NAME
    assert not any('secret' in key for host in hostvars.values() for key in host['genesys_client'])
    for client in made.values():
        assert client['secret'] not in run.output
    assert group_hosts(data, 'genesys_grant_client_credentials') == ['Emulator admin', 'billing-sync', 'old-job']
    assert group_hosts(data, 'genesys_grant_code') == ['web-portal']
    assert group_hosts(data, 'genesys_state_inactive') == ['old-job']
    assert group_hosts(data, 'genesys_state_active') == ['Emulator admin', 'billing-sync', 'web-portal']
    # One login, one walk of each listing (4 clients fit a page of the 100 asked for), the organisation's name, and
    # no write.
    assert sorted(api_calls(control)) == sorted([
        ('POST', '/oauth/token'), ('GET', CLIENTS), ('GET', '/api/v2/authorization/roles'),
        ('GET', '/api/v2/authorization/divisions'), ('GET', TOKENS_ME)])

    graph = inventory({}, '--graph')
    assert graph.rc == 0, graph.output
    assert '@genesys_state_inactive:\n  |  |--old-job' in graph.stdout


def test_the_readiness_recipes_of_the_guide_group_what_the_api_changes_will_break(inventory, control):
    """docs/docsite/rst/client_inventory.rst, "Readiness": its inventory file, run as documented."""
    control.configure(added_client_fields=dict(allowedIpAddresses='list[str]'), usage_running_polls=0)
    spa = control.create_client(name='spa', authorizedGrantType='TOKEN', registeredRedirectUri=['https://spa.example.com/cb'])
    control.create_client(name='locked', allowedIpAddresses=['203.0.113.0/24'], roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.create_client(name='open', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    busy = control.create_client(name='busy', allowedIpAddresses=['198.51.100.7/32'],
                                 roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.http.get(control.url + CLIENTS, headers=dict(Authorization='Bearer ' + control.token(busy['id'], busy['secret'])))
    run = inventory(documented_block('client_inventory', '# readiness.oauth_clients.yml'),
                    file_name='readiness.oauth_clients.yml')
    data = run.data
    assert group_hosts(data, 'retiring_grant') == group_hosts(data, 'genesys_grant_token') == ['spa']
    assert group_hosts(data, 'no_ip_allowlist') == ['Emulator admin', 'open']
    assert group_hosts(data, 'unused') == ['locked', 'open', 'spa']
    hostvars = data['_meta']['hostvars']
    assert hostvars['spa']['genesys_client']['deprecated_grant'] is True and hostvars['spa']['genesys_client']['id'] == spa['id']
    assert not any(hostvars[host]['genesys_client']['deprecated_grant'] for host in ('busy', 'locked', 'open'))
    assert hostvars['locked']['genesys_client']['extra'] == dict(allowedIpAddresses=['203.0.113.0/24'])
    assert hostvars['open']['genesys_client']['extra'] == {}


def test_every_page_of_the_listing_is_read(inventory, control):
    for number in range(7):
        control.create_client(name='c%d' % number, authorizedGrantType='TOKEN')
    control.configure(max_page_size=3)
    control.clear_requests()
    run = inventory({})
    assert run.rc == 0, run.output
    assert len(run.data['_meta']['hostvars']) == 8
    assert api_calls(control).count(('GET', CLIENTS)) == 3
    # The 4 roles (for the admin client's role name) take 2 pages, the 3 divisions one.
    assert api_calls(control).count(('GET', '/api/v2/authorization/roles')) == 2
    assert api_calls(control).count(('GET', '/api/v2/authorization/divisions')) == 1


def test_retried_requests_are_a_warning_with_their_count_and_wait(inventory, control):
    """The owner of a scheduled sync sees the organisation's rate budget getting tight before a sync fails."""
    control.fault(method='GET', path=CLIENTS + '$', status=429, count=2, retry_after=1)
    run = inventory(dict(org_name='prod'))
    assert sorted(run.data['_meta']['hostvars']) == ['Emulator admin'], run.output
    assert run.says("[WARNING]: genesys.cloud.oauth_clients: org 'prod': retried 1 request 2 times (429 Too Many "
                    "Requests: 2 answers), waiting 2 s in all: the rate budget of the login is getting tight"), run.output
    assert 'retried' not in inventory(dict(org_name='prod')).output


def test_no_role_listing_when_no_client_has_roles(inventory, control):
    control.create_client(name='web', authorizedGrantType='CODE')
    control.clear_requests()
    run = inventory(dict(filters=dict(grant_type=['code'])))
    assert sorted(run.data['_meta']['hostvars']) == ['web']
    assert sorted(api_calls(control)) == [('GET', CLIENTS), ('GET', TOKENS_ME), ('POST', '/oauth/token')]


def test_clients_of_one_name_get_unique_stable_host_names(inventory, control):
    older = control.add_raw_client(name='twin', authorizedGrantType='TOKEN', dateCreated='2025-01-01T00:00:00.000Z')
    newer = control.add_raw_client(name='twin', authorizedGrantType='TOKEN', dateCreated='2026-01-01T00:00:00.000Z')
    first = inventory({}).data['_meta']['hostvars']
    assert first['twin']['genesys_client']['id'] == older['id']
    assert first['twin_' + newer['id'][:8]]['genesys_client']['id'] == newer['id']
    # A third client of that name, created later, renames neither of the others.
    newest = control.add_raw_client(name='twin', authorizedGrantType='TOKEN', dateCreated='2026-06-01T00:00:00.000Z')
    second = inventory({}).data['_meta']['hostvars']
    assert second['twin']['genesys_client']['id'] == older['id']
    assert second['twin_' + newer['id'][:8]]['genesys_client']['id'] == newer['id']
    assert second['twin_' + newest['id'][:8]]['genesys_client']['id'] == newest['id']


def test_filters_pick_clients_and_their_usage_is_one_query_of_the_organisation(inventory, control):
    seed_clients(control)
    control.create_client(name='billing-report', authorizedGrantType='TOKEN')
    control.clear_requests()
    run = inventory(dict(filters=dict(name=['billing-*', 'old-*'], grant_type=['client_credentials']),
                         usage_days=3, usage_poll_interval=0.05))
    assert run.rc == 0, run.output
    assert sorted(run.data['_meta']['hostvars']) == ['billing-sync', 'old-job']
    assert [path for method, path in api_calls(control) if '/usage/' in path and method == 'POST'] == [USAGE_QUERY]
    assert not [path for method, path in api_calls(control) if path.endswith('/usage/summary')]
    only_inactive = inventory(dict(filters=dict(state=['inactive']))).data
    assert sorted(only_inactive['_meta']['hostvars']) == ['old-job']


def test_compose_groups_and_keyed_groups(inventory, control):
    seed_clients(control)
    run = inventory(dict(
        compose=dict(owner_division="genesys_client.roles | map(attribute='division_name') | select | first",
                     validity_hours='genesys_client.access_token_validity_seconds // 3600'),
        groups=dict(all_divisions="'*' in genesys_client.roles | map(attribute='division_id')",
                    web='genesys_client.redirect_uris | length > 0'),
        keyed_groups=[dict(key="genesys_client.roles | map(attribute='role_name')", prefix='role'),
                      dict(key='genesys_client.grant_type', prefix='grant', separator='_is_')],
    ))
    assert run.rc == 0, run.output
    data = run.data
    assert data['_meta']['hostvars']['billing-sync']['owner_division'] == 'Sales'
    assert str(data['_meta']['hostvars']['billing-sync']['validity_hours']) == '24'  # text before 2.19
    assert group_hosts(data, 'all_divisions') == ['Emulator admin', 'billing-sync']
    assert group_hosts(data, 'web') == ['web-portal']
    assert group_hosts(data, 'role_Developer') == ['billing-sync']
    assert group_hosts(data, 'role_Employee') == ['billing-sync', 'old-job']
    assert group_hosts(data, 'role_Master_Admin') == ['Emulator admin']
    assert group_hosts(data, 'grant_is_code') == ['web-portal']


def test_strict_makes_a_bad_expression_fail_the_source(inventory, control):
    seed_clients(control)
    lenient = inventory(dict(compose=dict(first_scope='genesys_client.scopes[0]')))
    assert lenient.rc == 0, lenient.output
    assert lenient.data['_meta']['hostvars']['web-portal']['first_scope'] == 'analytics'
    assert 'first_scope' not in lenient.data['_meta']['hostvars']['billing-sync']
    strict = inventory(dict(strict=True, compose=dict(first_scope='genesys_client.scopes[0]')))
    assert strict.rc != 0
    assert strict.says('first_scope')


def test_cache_serves_a_second_run_without_a_request(inventory, control, tmp_path):
    seed_clients(control)
    cache = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'))
    first = inventory(cache)
    assert first.rc == 0, first.output
    control.clear_requests()
    control.create_client(name='made-after-the-cache', authorizedGrantType='TOKEN')
    control.clear_requests()
    second = inventory(cache, '--list', '-v')
    assert second.rc == 0, second.output
    assert control.requests() == []
    assert second.says('from the cache, no request sent')
    assert second.data['_meta']['hostvars'] == first.data['_meta']['hostvars']
    # Other settings than the cache was written with: read again.
    changed = inventory(dict(cache, filters=dict(grant_type=['token'])))
    assert sorted(changed.data['_meta']['hostvars']) == ['made-after-the-cache']
    assert api_calls(control).count(('GET', CLIENTS)) == 1
    # --flush-cache (of ansible-playbook; ansible-inventory has it only from ansible-core 2.19) reads again.
    control.clear_requests()
    flushed = run_play(control, tmp_path, tmp_path / 'test.oauth_clients.yml', dict(tasks=[
        {'name': 'hosts', 'ansible.builtin.debug': {'msg': '{{ groups.all }}'}}]), '--flush-cache')
    assert flushed.rc == 0, flushed.output
    assert 'made-after-the-cache' in flushed['hosts']['msg']
    assert api_calls(control).count(('GET', CLIENTS)) == 1
    # The cache holds no secret or token.
    cached = ''.join(path.read_text() for path in (tmp_path / 'cache').iterdir())
    control.assert_no_secret_in(cached)


def usage_traffic(control):
    """busy (3 requests: 2 listings, 1 read of a missing client) and idle (none); the log cleared."""
    busy = control.create_client(name='busy', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId='*')])
    control.create_client(name='idle', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId=SALES_DIVISION_ID)])
    token = control.token(busy['id'], busy['secret'])
    for path in (CLIENTS, CLIENTS, CLIENTS + '/no-such-client'):
        control.http.get(control.url + path, headers=dict(Authorization='Bearer ' + token))
    control.clear_requests()


USAGE = dict(usage_days=30, usage_concurrency=2, usage_poll_interval=0.05, groups=dict(unused='genesys_usage.requests == 0'))
BUSY_USAGE = dict(days=30, requests=3, status200=2, status300=0, status400=1, status429=0, status500=0)


def assert_usage_facts(run):
    assert run.rc == 0, run.output
    hostvars = run.data['_meta']['hostvars']
    assert hostvars['busy']['genesys_usage'] == BUSY_USAGE
    assert hostvars['idle']['genesys_usage'] == dict(BUSY_USAGE, requests=0, status200=0, status400=0)
    assert hostvars['Emulator admin']['genesys_usage']['requests'] > 0
    assert group_hosts(run.data, 'unused') == ['idle']


def test_usage_facts_come_from_one_query_of_the_organisation_whatever_its_number_of_clients(inventory, control):
    usage_traffic(control)
    run = inventory(USAGE, '--list', '-v')
    assert_usage_facts(run)
    assert run.says('usage of the last 30 days: 1 organisation query, 3 polls')
    # One login, one walk of each listing (a page each), one query of the organisation and its 3 polls, and the
    # organisation's name (the file gives none).
    calls = [(r['method'], r['template_uri'] or r['path']) for r in control.requests()]
    expected = [('POST', '/oauth/token'), ('GET', CLIENTS), ('GET', '/api/v2/authorization/roles'),
                ('GET', '/api/v2/authorization/divisions'), ('POST', USAGE_QUERY)]
    expected += [('GET', USAGE_RESULTS)] * 3 + [('GET', TOKENS_ME)]
    assert calls == expected
    query = [r for r in control.requests() if r['path'] == USAGE_QUERY][0]
    assert query['body']['groupBy'] == ['OAuthClientId'] and set(query['body']) == {'interval', 'groupBy'}
    # Thirty more clients: the same requests.
    for number in range(30):
        control.create_client(name='more-%02d' % number, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    more = inventory(USAGE)
    assert more.rc == 0, more.output
    assert len(more.data['_meta']['hostvars']) == 33 and more.data['_meta']['hostvars']['more-07']['genesys_usage']['requests'] == 0
    assert [(r['method'], r['template_uri'] or r['path']) for r in control.requests()] == expected


def test_refused_the_organisation_query_usage_is_read_one_client_at_a_time_with_a_warning(inventory, control):
    usage_traffic(control)
    control.configure(org_usage_forbidden=True)
    # One summary is rate limited once: it is waited for and retried.
    control.fault(method='GET', path='/usage/summary$', status=429, retry_after=1)
    run = inventory(USAGE, '--list', '-v')
    assert_usage_facts(run)
    refused = [r for r in control.requests() if r['path'] == USAGE_QUERY]
    assert [r['status'] for r in refused] == [403]
    summaries = [call for call in control.requests() if call['path'].endswith('/usage/summary')]
    assert len(summaries) == 4  # one for each of the 3 clients, and the retry after the 429
    assert all(call['query'] == dict(days='30') for call in summaries)
    polls = len([call for call in control.requests() if '/usage/query/results/' in call['path']])
    assert run.says('usage of the last 30 days: organisation query refused, 3 summaries, %d polls, 2 at a time' % polls)
    warning = ("the login may not read the organisation's usage (HTTP 403 on POST /api/v2/usage/query), so it was "
               'read one client at a time (3 usage summaries); give its role usage:organization:view to read it in one '
               'query')
    assert run.says(warning) and ''.join(run.output.split()).count('usage:organization:view') == 1


def test_a_partial_organisation_query_is_never_read_as_no_usage(inventory, control):
    usage_traffic(control)
    control.configure(org_usage_cursor=True)
    run = inventory(USAGE, '--list', '-v')
    assert_usage_facts(run)
    summaries = [call for call in control.requests() if call['path'].endswith('/usage/summary')]
    assert len(summaries) == 3 and run.says('usage of the last 30 days: organisation query partial, 3 summaries')
    assert run.says("the organisation's usage query answered only part of its results (cursors.after), so usage was "
                    'read one client at a time (3 usage summaries)')


def test_a_failed_usage_query_or_summary_fails_the_source(inventory, control):
    control.configure(usage_query_outcome='Failed')
    run = inventory(dict(usage_days=7, usage_poll_interval=0.05))
    assert run.rc != 0
    assert run.says("the organisation's usage query: usage query") and run.says('ended with status Failed')
    control.configure(org_usage_forbidden=True)
    run = inventory(dict(usage_days=7, usage_poll_interval=0.05))
    assert run.rc != 0
    assert run.says("usage summary of client 'Emulator admin' (%s)" % ADMIN_CLIENT_ID)
    assert run.says('ended with status Failed')


def test_several_orgs_in_one_file(inventory, control):
    shared = control.create_client(name='shared', authorizedGrantType='TOKEN')
    control.clear_requests()
    run = inventory(dict(
        api_url='http://127.0.0.1:1', **NO_RETRIES,
        orgs=[dict(name='prod', api_url=control.url, host_name_prefix='prod_'),
              dict(name='test', api_url=control.url, auth_client_id=ADMIN_CLIENT_ID,
                   auth_client_secret=ADMIN_CLIENT_SECRET)]))
    assert run.rc == 0, run.output
    data = run.data
    assert group_hosts(data, 'prod') == ['prod_Emulator admin', 'prod_shared']
    test_hosts = group_hosts(data, 'test')
    assert test_hosts == ['Emulator admin', 'shared']
    assert data['_meta']['hostvars']['prod_shared']['genesys_org'] == 'prod'
    assert data['_meta']['hostvars']['shared']['genesys_org'] == 'test'
    # Two organisations: two logins, two walks of the listing.
    assert api_calls(control).count(('POST', '/oauth/token')) == 2
    assert api_calls(control).count(('GET', CLIENTS)) == 2

    # Without prefixes, the second org's clients of names the first one took get their ids' first 8 characters.
    same_names = inventory(dict(orgs=[dict(name='one'), dict(name='two')]))
    assert same_names.rc == 0, same_names.output
    assert group_hosts(same_names.data, 'one') == ['Emulator admin', 'shared']
    assert group_hosts(same_names.data, 'two') == ['Emulator admin_' + ADMIN_CLIENT_ID[:8], 'shared_' + shared['id'][:8]]


def test_auth_token_in_the_file_wins_over_credentials_from_the_environment(inventory, control):
    token = control.token()
    control.clear_requests()
    run = inventory(dict(auth_token=token))
    assert run.rc == 0, run.output
    assert ('POST', '/oauth/token') not in api_calls(control)
    assert token not in run.output


@pytest.mark.parametrize('config, message', [
    (dict(regoin='eu-west-1'), "unknown option 'regoin' (did you mean 'region'?)"),
    (dict(filters=dict(grant_type=['client-credentials'])),
     'filters.grant_type: unknown value client-credentials; allowed: client_credentials, code, token'),
    (dict(filters=dict(owner=['me'])), "filters: unknown key 'owner'; allowed: name, grant_type, state"),
    (dict(usage_days=0), 'usage_days must be from 1 to'),
    (dict(timeout='soon'), "timeout"),
    (dict(orgs=[dict(name='prod', regoin='eu-west-1')]), 'orgs[0]: unknown key regoin; allowed: name'),
    (dict(orgs=[dict(region='eu-west-1')]), 'orgs[0] needs a name'),
    (dict(org_name='prod', orgs=[dict(name='prod')]), 'org_name cannot be set with orgs'),
    (dict(api_url='ftp://api.example.com'), 'api_url must be an absolute http(s) URL'),
    # An org named as a group Ansible reserves (issue 17, case 19).
    (dict(org_name='all'), "org_name 'all' would be the group all, which Ansible reserves"),
    (dict(orgs=[dict(name='x'), dict(name='ungrouped')]), "orgs[1].name 'ungrouped' would be the group ungrouped"),
])
def test_bad_configuration_fails_before_any_request(inventory, control, config, message):
    control.clear_requests()
    run = inventory(config)
    assert run.rc != 0
    assert run.says(message), run.output
    assert control.requests() == []


def test_missing_credentials_and_unreachable_api_fail_clearly(inventory, control):
    no_login = inventory({}, credentials=False)
    assert no_login.rc != 0 and no_login.says('authentication is required')
    unreachable = inventory(dict(api_url='http://127.0.0.1:1', **NO_RETRIES))
    assert unreachable.rc != 0
    assert unreachable.says('could not reach http://127.0.0.1:1')
    wrong = inventory(dict(auth_client_id=ADMIN_CLIENT_ID, auth_client_secret='not-the-secret'))
    assert wrong.rc != 0
    assert wrong.says('401') and 'not-the-secret' not in wrong.output
    control.fault(method='GET', path=CLIENTS + '$', status=403, code='missing.permissions',
                  message='You are missing the following permission: oauth:client:view')
    forbidden = inventory(dict(**NO_RETRIES))
    assert forbidden.rc != 0
    assert forbidden.says('oauth:client:view') and forbidden.says('403')


def test_roles_without_names_when_the_login_may_not_read_them(inventory, control):
    control.create_client(name='worker', roleDivisions=[dict(roleId=ADMIN_ROLE_ID, divisionId='*')])
    control.fault(method='GET', path='/api/v2/authorization/roles$', status=403, code='missing.permissions',
                  message='You are missing the following permission: authorization:role:view')
    run = inventory({})
    assert run.rc == 0, run.output
    assert run.says('authorization:role:view')
    roles = run.data['_meta']['hostvars']['worker']['genesys_client']['roles']
    assert roles == [dict(role_id=ADMIN_ROLE_ID, division_id='*', role_name=None, division_name=None)]


def test_api_text_is_never_templated(control, tmp_path):
    control.create_client(name='sneaky', authorizedGrantType='TOKEN', description='{{ 6 * 7 }}')
    source = tmp_path / 'sneaky.oauth_clients.yml'
    source.write_text(json.dumps(dict(plugin='genesys.cloud.oauth_clients')))
    run = run_play(control, tmp_path, source, dict(tasks=[
        {'name': 'show', 'ansible.builtin.debug': {'msg': "{{ hostvars['sneaky'].genesys_client.description }}"}}]))
    assert run.rc == 0, run.output
    assert run['show']['msg'] == '{{ 6 * 7 }}'


def test_an_inventory_group_feeds_the_rotation_role(control, tmp_path):
    """The guide's example: a group and a composed rotation entry per client, rotated by the role (check mode)."""
    wanted = [control.create_client(name='data-action-%s' % name, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
              for name in ('crm', 'billing')]
    control.create_client(name='other-job', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    source = tmp_path / 'rotation.oauth_clients.yml'
    source.write_text(json.dumps(dict(
        plugin='genesys.cloud.oauth_clients', filters=dict(grant_type=['client_credentials'], state=['active']),
        groups=dict(data_action_clients="genesys_client.name is match('data-action-')"),
        compose=dict(rotation="{'client_id': genesys_client.id, 'integration_credential': genesys_client.name}"))))
    control.clear_requests()
    run = run_play(control, tmp_path, source, dict(roles=[dict(
        role='genesys.cloud.rotate_client_secrets',
        vars=dict(rotate_client_secrets_client_defaults=dict(rotate='when_needed', max_age_days=90, create_credential=True),
                  rotate_client_secrets_clients="{{ groups['data_action_clients'] | default([])"
                                                " | map('extract', hostvars, 'rotation') | list }}"))]), '--check')
    assert run.rc == 0, run.output
    report = run['Report every client']['msg']
    assert sorted(entry['client_id'] for entry in report['rotated']) == sorted(client['id'] for client in wanted)
    assert report['failed'] == [] and control.writes() == []


def test_vaulted_and_templated_options_as_in_a_task(inventory, control, tmp_path):
    """Secrets in the file may be vaulted, at the top or in an orgs entry, or come from a lookup."""
    vault_password = tmp_path / 'vault-password'
    vault_password.write_text('inventory-test')
    encrypted = subprocess.run(
        [os.path.join(BIN, 'ansible-vault'), 'encrypt_string', '--vault-password-file', str(vault_password),
         ADMIN_CLIENT_SECRET], capture_output=True, encoding='utf-8', check=True).stdout
    vaulted = '!vault |\n' + '\n'.join('      ' + line.strip() for line in encrypted.splitlines()[1:])
    text = '\n'.join([
        'plugin: genesys.cloud.oauth_clients',
        'auth_client_id: %s' % ADMIN_CLIENT_ID,
        'auth_client_secret: %s' % vaulted.replace('      ', '  '),
        'orgs:',
        '  - name: vaulted',
        '  - name: looked_up',
        '    host_name_prefix: other_',
        "    auth_client_secret: \"{{ lookup('ansible.builtin.env', 'INVENTORY_TEST_SECRET') }}\"",
        '  - name: vaulted_in_entry',
        '    host_name_prefix: third_',
        '    auth_client_secret: %s' % vaulted,
        ''])
    run = inventory(text, '--vault-password-file', str(vault_password), '--graph', credentials=False,
                    env=dict(INVENTORY_TEST_SECRET=ADMIN_CLIENT_SECRET), file_name='vaulted.oauth_clients.yml')
    assert run.rc == 0, run.output
    for group, host in (('vaulted', 'Emulator admin'), ('looked_up', 'other_Emulator admin'),
                        ('vaulted_in_entry', 'third_Emulator admin')):
        assert '@%s:\n  |  |--%s' % (group, host) in run.stdout


def test_an_orgs_entry_region_beats_the_file_and_the_environment(inventory, control, listeners):
    decoy = listeners()
    entry = dict(name='emea', region='eu-west-1', max_retries=0, **TASK_CREDENTIALS)
    for config in (dict(orgs=[entry]), dict(api_url=decoy.url, orgs=[entry])):
        run = inventory(config, env=dict(NO_INTERNET, GENESYSCLOUD_API_URL=decoy.url))
        assert run.rc != 0
        assert run.says('could not reach https://login.mypurecloud.ie/oauth/token'), run.output
    assert decoy.log == [] and control.requests() == []
    # An entry's api_url beats both too.
    run = inventory(dict(api_url=decoy.url, orgs=[dict(name='local', api_url=control.url, **TASK_CREDENTIALS)]),
                    env=dict(GENESYSCLOUD_API_URL=decoy.url))
    assert run.rc == 0, run.output
    assert decoy.log == [] and 'Emulator admin' in run.data['_meta']['hostvars']


# Case 19: names Ansible reserves or reads as patterns.

def test_clients_named_as_ansible_reserves_get_their_id_appended(inventory, control, tmp_path):
    made = {name: control.create_client(name=name, authorizedGrantType='TOKEN') for name in RESERVED}
    kept = control.create_client(name='billing-sync', authorizedGrantType='TOKEN')
    run = inventory({})
    assert run.rc == 0, run.output
    data = run.data
    for name, client in made.items():
        assert host_of(data, client['id']) == '%s_%s' % (RESERVED[name], client['id'][:8])
    assert host_of(data, kept['id']) == 'billing-sync'
    assert not set(RESERVED) & set(data['_meta']['hostvars'])
    assert group_hosts(data, 'genesys_grant_token') == sorted(
        ['billing-sync'] + ['%s_%s' % (RESERVED[name], client['id'][:8]) for name, client in made.items()])
    # Stable: the same names on the next run, whatever else is created.
    control.create_client(name='all', authorizedGrantType='CODE')
    again = inventory({}).data
    for name, client in made.items():
        assert host_of(again, client['id']) == '%s_%s' % (RESERVED[name], client['id'][:8])

    # A playbook run on the inventory file works, and localhost stays the controller, not a client.
    play = run_play(control, tmp_path, tmp_path / 'test.oauth_clients.yml', dict(tasks=[
        {'name': 'localhost', 'ansible.builtin.debug': {'msg': "{{ hostvars['localhost'].genesys_client | default('none') }}"}},
        {'name': 'hosts', 'ansible.builtin.debug': {'msg': '{{ groups.all }}'}},
        {'name': 'ungrouped', 'ansible.builtin.debug': {'msg': '{{ groups.ungrouped }}'}}]))
    assert play.rc == 0, play.output
    assert play['localhost']['msg'] == 'none'
    assert sorted(play['hosts']['msg']) == sorted(again['_meta']['hostvars'])
    assert play['ungrouped']['msg'] == []


@pytest.mark.parametrize('name, host', [
    ('a[1:3]', 'a_1_3_'),      # a range or subscript in a pattern
    ('x:y', 'x_y'),            # ':' separates patterns
    ('a,b', 'a_b'),            # ',' separates patterns
    ('web*', 'web_'),          # a glob: --limit 'web*' would mean every web host
    ('~regex', '_regex'),      # a leading ~ makes a pattern a regex
    ('!neg', '_neg'),          # leading ! and & are pattern operators
    ('@retry', '_retry'),      # --limit @file reads a file
    (' padded ', 'padded'),    # patterns are stripped
    ('tab\there', 'tab_here'),  # not printable
])
def test_names_that_patterns_cannot_address_are_cleaned_and_get_their_id(inventory, control, name, host):
    client = control.add_raw_client(name=name, authorizedGrantType='TOKEN')
    run = inventory({})
    assert run.rc == 0, run.output
    assert host_of(run.data, client['id']) == '%s_%s' % (host, client['id'][:8])


def test_names_kept_as_they_are_and_empty_names(inventory, control):
    kept = [control.add_raw_client(name=name, authorizedGrantType='TOKEN')
            for name in ('Müller sync', 'billing.export-2', 'ALL', 'Localhost', 'a-b_c (legacy)', 'x!&~@')]
    empty = control.add_raw_client(name='', authorizedGrantType='TOKEN')
    blank = control.add_raw_client(name='   ', authorizedGrantType='TOKEN')
    data = inventory({}).data
    for client in kept:
        assert host_of(data, client['id']) == client['name']
    assert host_of(data, empty['id']) == empty['id']
    assert host_of(data, blank['id']) == blank['id']


def test_a_client_named_as_a_group_of_the_source_is_renamed(inventory, control):
    """A host named as a group is read as the group by Ansible's add_child: every host of it would join."""
    clashing = {name: control.create_client(name=name, authorizedGrantType='TOKEN')
                for name in ('prod', 'genesys_state_active', 'genesys_grant_code', 'audit')}
    control.create_client(name='web', authorizedGrantType='CODE')
    run = inventory(dict(org_name='prod', groups=dict(audit='true')))
    assert run.rc == 0, run.output
    data = run.data
    renamed = {name: '%s_%s' % (name, client['id'][:8]) for name, client in clashing.items()}
    for name, client in clashing.items():
        assert host_of(data, client['id']) == renamed[name]
    assert group_hosts(data, 'genesys_grant_code') == ['web']
    assert group_hosts(data, 'genesys_state_active') == sorted(['Emulator admin', 'web'] + list(renamed.values()))
    assert group_hosts(data, 'prod') == group_hosts(data, 'audit') == sorted(['Emulator admin', 'web'] + list(renamed.values()))
    assert data['genesys_grant_token'].get('children', []) == []
    assert 'Found both group and host' not in run.output


def test_org_names_become_safe_group_names(inventory, control):
    run = inventory(dict(org_name='EMEA prod-1'))
    assert run.rc == 0, run.output
    assert group_hosts(run.data, 'EMEA_prod_1') == ['Emulator admin']
    assert run.data['_meta']['hostvars']['Emulator admin']['genesys_org'] == 'EMEA prod-1'


def test_an_organisation_the_file_does_not_name_is_named_by_the_api(inventory, control):
    """genesys_org and the organisation's group come from GET /api/v2/tokens/me when the file gives no org_name, a token
    login's as a client-credentials one's; a file that names the organisation costs no such request."""
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId='*')])
    token = control.token(robot['id'], robot['secret'])
    control.clear_requests()
    run = inventory(dict(auth_token=token))
    hostvars = run.data['_meta']['hostvars']
    assert {host['genesys_org'] for host in hostvars.values()} == {ORGANIZATION_NAME}
    assert group_hosts(run.data, 'Emulator_org') == ['Emulator admin', 'robot']
    assert sorted(api_calls(control)) == sorted([('GET', CLIENTS), ('GET', TOKENS_ME), ('GET', '/api/v2/authorization/roles'),
                                                 ('GET', '/api/v2/authorization/divisions')])
    control.clear_requests()
    named = inventory(dict(org_name='prod'))
    assert named.data['_meta']['hostvars']['robot']['genesys_org'] == 'prod' and 'Emulator_org' not in named.data
    assert ('GET', TOKENS_ME) not in api_calls(control)


def test_an_organisation_the_api_will_not_name_has_no_genesys_org_and_one_warning(inventory, control):
    control.configure(tokens_me='forbidden')
    run = inventory({})
    assert run.rc == 0, run.output
    assert 'genesys_org' not in run.data['_meta']['hostvars']['Emulator admin'] and 'Emulator_org' not in run.data
    assert run.times('the API refused to tell whose the token is') == 1, run.output
    assert run.says('HTTP 403, code missing.permissions') and run.says(
        'so its hosts get no genesys_org and no group of the organisation; give org_name'), run.output


def test_an_organisation_name_the_api_fails_to_give_is_a_warning_not_a_failed_source(inventory, control):
    control.fault(method='GET', path=TOKENS_ME + '$', status=500, count=5, message='directory down')
    run = inventory(dict(max_retries=0))
    assert run.rc == 0, run.output
    assert 'genesys_org' not in run.data['_meta']['hostvars']['Emulator admin']
    assert run.says('the organisation could not be named (GET /api/v2/tokens/me: directory down') and run.says(
        'give org_name'), run.output


@pytest.mark.parametrize('body, message', MALFORMED_LISTINGS, ids=[str(index) for index in range(len(MALFORMED_LISTINGS))])
def test_malformed_listings_fail_the_inventory_with_a_message_not_a_traceback(inventory, control, body, message):
    control.fault(method='GET', path=CLIENTS + '$', body=body)
    run = inventory({}, '--list', '-vvv')  # the fixture asserts that no traceback is shown
    assert run.rc != 0
    assert run.says(message), run.output
    assert run.says('on GET %s' % CLIENTS), run.output
    assert 'unexpectedly' not in run.output


def test_malformed_role_listing_fails_the_inventory_naming_the_field(inventory, control):
    control.create_client(name='worker', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId='*')])
    control.fault(method='GET', path='/api/v2/authorization/roles$', body=dict(entities=[dict(name='no id')]))
    run = inventory({}, '--list', '-vvv')
    assert run.rc != 0
    assert run.says('entities[0].id is missing'), run.output
    assert run.says('on GET /api/v2/authorization/roles'), run.output
