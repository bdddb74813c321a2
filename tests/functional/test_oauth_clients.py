"""genesys.cloud.oauth_clients: a whole set of clients in one task, its request cost, purge, partial failure."""

import json
import os
import stat

import pytest

from conftest import kept_result_tasks  # pylint: disable=import-error
from genesys_emulator.seed import DEVELOPER_ROLE_ID, EMPLOYEE_ROLE_ID

CLIENTS = '/api/v2/oauth/clients'
HOME = '/api/v2/authorization/divisions/home'


def declare(**args):
    return {'name': 'declare', 'genesys.cloud.oauth_clients': args, 'register': 'out', 'ignore_errors': True}


def team(count, **extra):
    return [dict(name='team-a-%02d' % number, roles=[dict(role_id=EMPLOYEE_ROLE_ID)], **extra) for number in range(count)]


DEFAULTS = dict(grant_type='client_credentials', access_token_validity_seconds=3600)


def by_path(requests):
    counts = {}
    for request in requests:
        key = '%s %s' % (request['method'], request['path'])
        counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.smoke
def test_a_set_is_created_then_a_rerun_costs_one_login_one_home_division_one_walk(playbook, control, tmp_path):
    out = tmp_path / 'out.json'
    clients = team(12)
    clients[0].update(dest=str(tmp_path / 'first.json'), dest_format='json')
    playbook(kept_result_tasks('declare', 'oauth_clients', out, defaults=DEFAULTS, clients=clients))
    created = json.loads(out.read_text())
    assert created['changed'] and [r['action'] for r in created['clients']] == ['created'] * 12, created.get('msg')
    for outcome in created['clients']:
        assert outcome['secret'] == control.client_secret(outcome['id'])
    first = created['clients'][0]
    assert first['deliveries']['dest'] == 'done'
    assert json.loads((tmp_path / 'first.json').read_text())['client_secret'] == first['secret']
    assert stat.S_IMODE(os.stat(tmp_path / 'first.json').st_mode) == 0o600
    assert by_path(control.requests())['GET ' + HOME] == 1

    control.configure(page_size=5, max_page_size=5)  # 13 clients with the admin: 3 pages
    control.clear_requests()
    run = playbook([declare(defaults=DEFAULTS, clients=team(12))])
    assert run.status('declare') == 'ok', run.output
    assert {r['action'] for r in run['declare']['clients']} == {'unchanged'}
    assert control.writes() == []
    assert by_path(control.requests()) == {'POST /oauth/token': 1, 'GET ' + HOME: 1, 'GET ' + CLIENTS: 3}


def test_one_change_among_many_is_one_write_with_its_diff(playbook, control):
    for client in team(5):
        control.create_client(name=client['name'], accessTokenValiditySeconds=3600,
                              roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    clients = team(5)
    clients[3]['roles'] = [dict(role_id=EMPLOYEE_ROLE_ID), dict(role_id=DEVELOPER_ROLE_ID, division_id='*')]
    control.clear_requests()
    run = playbook([declare(defaults=DEFAULTS, clients=clients)], diff=True)
    result = run['declare']
    assert [r['action'] for r in result['clients']] == ['unchanged'] * 3 + ['updated', 'unchanged'], run.output
    assert [(w['method'], w['path'].split('/')[-1]) for w in control.writes()] == [('PUT', result['clients'][3]['id'])]
    changed = result['clients'][3]['diff']
    assert len(changed['after']['roles']) == 2 and len(changed['before']['roles']) == 1
    assert 'team-a-03' in run.output and 'secret' not in json.dumps(result['diff'])


def test_purge_with_a_filter_in_check_mode_then_for_real(playbook, control):
    robot = control.create_client(name='team-a-robot', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    for name in ('team-a-old', 'team-a-keep', 'team-b-other'):
        control.create_client(name=name, accessTokenValiditySeconds=3600, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    args = dict(defaults=DEFAULTS, clients=[dict(name='team-a-keep', roles=[dict(role_id=EMPLOYEE_ROLE_ID)]),
                                            dict(name='team-a-new', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])],
                purge=True, purge_filter='^team-a-')
    env = dict(GENESYSCLOUD_OAUTHCLIENT_ID=robot['id'], GENESYSCLOUD_OAUTHCLIENT_SECRET=robot['secret'])
    control.configure(rate_limit=1000)
    control.clear_requests()
    check = playbook([declare(**args)], check=True, env=env)
    planned = {(r['name'], r['action']) for r in check['declare']['clients']}
    assert planned == {('team-a-keep', 'unchanged'), ('team-a-new', 'created'), ('team-a-old', 'deleted')}
    assert control.writes() == []

    real = playbook([dict(declare(**args), no_log=True)], env=env)
    assert real.status('declare') == 'changed'
    names = {c['name'] for c in control.api('GET', CLIENTS, params=dict(pageSize=100)).json()['entities']}
    assert names == {'Emulator admin', 'team-a-robot', 'team-a-keep', 'team-a-new', 'team-b-other'}


def test_purge_needs_a_filter(playbook, control):
    run = playbook([declare(clients=[], purge=True)])
    assert run.status('declare') == 'failed' and 'purge_filter' in run['declare']['msg']
    assert control.requests() == []


def test_one_failure_does_not_hide_the_others(playbook, control, tmp_path):
    out = tmp_path / 'out.json'
    clients = team(3)
    clients[1]['roles'] = [dict(role_id='no-such-role')]
    playbook(kept_result_tasks('declare', 'oauth_clients', out, defaults=DEFAULTS, clients=clients))
    result = json.loads(out.read_text())
    assert result['failed'] and result['changed'] and '1 of 3 clients failed: team-a-01' in result['msg']
    assert [r['action'] for r in result['clients']] == ['created', 'failed', 'created']
    # The unknown role id is refused before that client's write (issue 18), the other two still go ahead.
    assert 'the organisation has no role_id no-such-role' in result['clients'][1]['msg']
    assert all(control.client_secret(r['id']) == r['secret'] for r in result['clients'] if r['action'] == 'created')


def test_bad_entries_fail_before_any_request_naming_them(playbook, control):
    run = playbook([declare(defaults=DEFAULTS, clients=[
        dict(name='a', rolez=[]), dict(name='b', access_token_validity_seconds=1), dict(name='a'), dict(name='c')])])
    message = run['declare']['msg']
    assert 'clients[0]' in message and 'rolez' in message
    assert 'clients[1]: access_token_validity_seconds must be between 300' in message
    assert 'clients[2] declares the same client as clients[0]' in message
    assert control.requests() == []


ROLES = '/api/v2/authorization/roles'
DIVISIONS = '/api/v2/authorization/divisions'


def test_roles_and_divisions_by_name_resolve_once_per_name(playbook, control):
    from genesys_emulator.seed import HOME_DIVISION_ID
    sales = '0d1f0000-0000-4000-8000-000000000002'
    named = [dict(role='Developer', division='Sales'), dict(role='Employee'), dict(role='Developer', division='*')]
    clients = [dict(name='team-a-%d' % number, roles=named) for number in range(3)]
    run = playbook([dict(declare(defaults=DEFAULTS, clients=clients), no_log=True),
                    {'name': 'one', 'genesys.cloud.oauth_client': dict(name='team-a-0', roles=named), 'register': 'one'}])
    assert run.status('declare') == 'changed', run.output
    lookups = [r for r in control.requests() if r['path'] in (ROLES, DIVISIONS)]
    # Developer, Employee, Sales: one filtered listing each for the whole set, and again for the single task.
    assert sorted((r['path'], r['query']['name']) for r in lookups) == sorted(
        [(ROLES, 'Developer'), (ROLES, 'Employee'), (DIVISIONS, 'Sales')] * 2)
    roles = run['one']['client']['roles']
    assert run.status('one') == 'ok' and dict(role_id=DEVELOPER_ROLE_ID, division_id=sales, role_name='Developer',
                                              division_name='Sales') in roles
    assert dict(role_id=EMPLOYEE_ROLE_ID, division_id=HOME_DIVISION_ID, role_name='Employee') in roles
    assert dict(role_id=DEVELOPER_ROLE_ID, division_id='*', role_name='Developer') in roles


def test_unknown_or_ambiguous_names_fail_before_any_write(playbook, control):
    control.http.post(control.url + '/__emulator/roles', json=dict(name='Developer')).raise_for_status()
    run = playbook([
        {'name': 'ambiguous', 'genesys.cloud.oauth_client': dict(name='x', grant_type='client_credentials',
                                                                 roles=[dict(role='Developer')]), 'ignore_errors': True},
        # The API's name filter is a search term: 'Admin' finds 'Master Admin', which is not an exact match.
        {'name': 'unknown', 'genesys.cloud.oauth_client': dict(name='x', grant_type='client_credentials',
                                                               roles=[dict(role='Admin')]), 'ignore_errors': True},
        {'name': 'division', 'genesys.cloud.oauth_clients': dict(defaults=DEFAULTS, clients=[
            dict(name='ok', roles=[dict(role_id=EMPLOYEE_ROLE_ID)]),
            dict(name='bad', roles=[dict(role_id=EMPLOYEE_ROLE_ID, division='Nowhere')])]), 'ignore_errors': True},
        {'name': 'both', 'genesys.cloud.oauth_client': dict(name='x', grant_type='client_credentials',
                                                            roles=[dict(role='Employee', role_id=EMPLOYEE_ROLE_ID)]),
         'ignore_errors': True},
    ])
    assert "role 'Developer' is ambiguous; candidates: Developer (%s), Developer (" % DEVELOPER_ROLE_ID in run['ambiguous']['msg']
    assert "role 'Admin' is unknown; candidates: Master Admin (" in run['unknown']['msg']
    assert "division 'Nowhere' is unknown; no division name contains it" in run['division']['msg']
    assert 'mutually exclusive' in run['both']['msg']
    assert control.writes() == []


@pytest.mark.smoke
def test_the_role_declares_the_clients_and_reports_without_secrets(playbook, control, tmp_path):
    role = [{'name': 'declare', 'ansible.builtin.include_role': {'name': 'genesys.cloud.oauth_clients'}}]
    # team-a-two has no delivery: allow_no_delivery keeps its secret in the fallback folder (the role refuses it without).
    play_vars = dict(oauth_clients_defaults=DEFAULTS, oauth_clients_fallback_dir=str(tmp_path / 'fallback'), oauth_clients_clients=[
        dict(name='team-a-one', roles=[dict(role='Employee')], dest=str(tmp_path / 'one.secret')),
        dict(name='team-a-two', roles=[dict(role_id=EMPLOYEE_ROLE_ID)], allow_no_delivery=True)])
    first = playbook(role, play_vars=play_vars)
    assert first.rc == 0, first.output
    report = first['Report what happened to each client (never a secret)']['msg']
    assert [(entry['name'], entry['action']) for entry in report] == [('team-a-one', 'created'), ('team-a-two', 'created')]
    one = report[0]['id']
    assert (tmp_path / 'one.secret').read_text().strip() == control.client_secret(one)
    control.clear_requests()
    again = playbook(role, play_vars=play_vars)
    assert [entry['action'] for entry in again['Report what happened to each client (never a secret)']['msg']] == ['unchanged'] * 2
    assert control.writes() == []
    misspelt = playbook(role, play_vars=dict(oauth_clients_clients=[dict(name='x', grant_typo='code')]))
    assert misspelt.rc != 0 and 'grant_typo' in misspelt.output


@pytest.mark.smoke
def test_log_in_once_and_loop_with_the_token(playbook, control):
    ids = [control.create_client(name='c%d' % number, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])['id']
           for number in range(3)]
    control.clear_requests()
    run = playbook([
        {'name': 'login', 'genesys.cloud.access_token': {}, 'register': 'login', 'no_log': True},
        {'name': 'with the token', 'module_defaults': {'group/genesys.cloud.genesys': {
            'auth_token': '{{ login.access_token }}'}},
         'block': [{'name': 'read', 'loop': ids, 'register': 'read',
                    'genesys.cloud.oauth_client_info': {'client_id': '{{ item }}'}}]},
    ])
    assert run.rc == 0, run.output
    assert by_path(control.requests()) == dict({'POST /oauth/token': 1}, **{'GET %s/%s' % (CLIENTS, i): 1 for i in ids})
    refused = playbook([{'name': 'token login', 'genesys.cloud.access_token': {'auth_token': 'x'}, 'ignore_errors': True}])
    assert 'logs in with client credentials' in refused['token login']['msg']
