"""genesys.cloud.oauth_clients: a whole set of clients in one task, its request cost, purge and what a purge may
never touch, partial failure, and lost creates recovered."""

import json
import os
import stat

import pytest

from genesys_emulator.seed import DEVELOPER_ROLE_ID, EMPLOYEE_ROLE_ID
from helpers import by_path, implicit_grant_warnings, kept_result_tasks, logged_in_as, read, task, team_client

CLIENTS = '/api/v2/oauth/clients'
TOKENS_ME = '/api/v2/tokens/me'
HOME = '/api/v2/authorization/divisions/home'
DEFAULTS = dict(grant_type='client_credentials', access_token_validity_seconds=3600)
ROLES_API = '/api/v2/authorization/roles'
DIVISIONS_API = '/api/v2/authorization/divisions'
ROLES = [dict(role_id=EMPLOYEE_ROLE_ID)]


def declare(**args):
    return task('declare', 'oauth_clients', **args)


def team(count, **extra):
    return [dict(name='team-a-%02d' % number, roles=[dict(role_id=EMPLOYEE_ROLE_ID)], **extra) for number in range(count)]


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


@pytest.mark.smoke
def test_a_token_login_keeps_its_client_out_of_the_purge(playbook, control):
    """With auth_token, GET /api/v2/tokens/me (once, and only because the purge would delete something) tells which
    client the task runs as; that client is spared like the one of auth_client_id."""
    runner, stale = team_client(control, 'team-a-runner'), team_client(control, 'team-a-stale')
    team_client(control, 'team-a-keep')
    control.clear_requests()
    run = playbook(logged_in_as(runner, [declare(defaults=DEFAULTS, clients=[dict(name='team-a-keep', roles=ROLES)],
                                                 purge=True, purge_filter='^team-a-')], token=True))
    assert run.status('declare') == 'changed', run.output
    assert [(o['name'], o['action']) for o in run['declare']['clients']] == [('team-a-keep', 'unchanged'),
                                                                             ('team-a-stale', 'deleted')]
    stale_path = '%s/%s' % (CLIENTS, stale['id'])
    assert [(r['method'], r['path'], r['client_id']) for r in control.requests()] == [
        ('POST', '/oauth/token', runner['id']), ('GET', CLIENTS, runner['id']), ('GET', TOKENS_ME, runner['id']),
        ('GET', HOME, runner['id']), ('PUT', stale_path, runner['id']), ('DELETE', stale_path, runner['id'])]
    assert control.client_names() == ['Emulator admin', 'team-a-keep', 'team-a-runner']


def test_when_the_api_will_not_tell_whose_the_token_is_the_purge_warns_once_and_cannot_spare_it(playbook, control):
    runner = team_client(control, 'team-a-runner')
    team_client(control, 'team-a-stale')
    control.configure(tokens_me='forbidden')
    control.clear_requests()
    run = playbook(logged_in_as(runner, [declare(clients=[], purge=True, purge_filter='^team-a-')], token=True),
                   check=True)
    # As before tokens/me: the login client is purged like any other the filter matches.
    planned = sorted((o['name'], o['action']) for o in run['declare']['clients'])
    assert planned == [('team-a-runner', 'deleted'), ('team-a-stale', 'deleted')]
    assert run.times('the API refused to tell whose the token is (Unable to perform the requested action') == 1
    assert run.says('HTTP 403, code missing.permissions') and run.says('the purge cannot spare it'), run.output
    assert by_path(control.requests())['GET ' + TOKENS_ME] == 1 and control.writes() == []


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


def test_roles_and_divisions_by_name_resolve_once_per_name(playbook, control):
    from genesys_emulator.seed import HOME_DIVISION_ID
    sales = '0d1f0000-0000-4000-8000-000000000002'
    named = [dict(role='Developer', division='Sales'), dict(role='Employee'), dict(role='Developer', division='*')]
    clients = [dict(name='team-a-%d' % number, roles=named) for number in range(3)]
    run = playbook([dict(declare(defaults=DEFAULTS, clients=clients), no_log=True),
                    {'name': 'one', 'genesys.cloud.oauth_client': dict(name='team-a-0', roles=named), 'register': 'one'}])
    assert run.status('declare') == 'changed', run.output
    lookups = [r for r in control.requests() if r['path'] in (ROLES_API, DIVISIONS_API)]
    # Developer, Employee, Sales: one filtered listing each for the whole set, and again for the single task.
    assert sorted((r['path'], r['query']['name']) for r in lookups) == sorted(
        [(ROLES_API, 'Developer'), (ROLES_API, 'Employee'), (DIVISIONS_API, 'Sales')] * 2)
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


def test_oauth_clients_recovers_a_lost_create_too(playbook, control, tmp_path):
    out = tmp_path / 'out.json'
    entries = [dict(name=name, roles=[dict(role_id=EMPLOYEE_ROLE_ID)], dest=str(tmp_path / (name + '.secret')))
               for name in ('team-a', 'team-b')]
    control.fault(method='POST', path=CLIENTS + '$', status=503, lose_response=True, after=1)
    playbook(kept_result_tasks('declare', 'oauth_clients', out, defaults=dict(grant_type='client_credentials'), clients=entries))
    result = read(out)
    assert not result.get('failed'), result.get('msg')
    first, second = result['clients']
    assert (first['action'], second['action']) == ('created', 'created') and first['recovered'] is False
    assert second['recovered'] is True and second['changed'] is True
    for outcome in (first, second):
        secret = (tmp_path / (outcome['name'] + '.secret')).read_text().strip()
        assert outcome['secret'] == secret == control.client_secret(outcome['id']) and control.logs_in(outcome['id'], secret)
        assert len(control.clients_named(outcome['name'])) == 1

    control.clear_requests()
    again = playbook([task('again', 'oauth_clients', defaults=dict(grant_type='client_credentials'), clients=entries)])
    assert [entry['action'] for entry in again['again']['clients']] == ['unchanged'] * 2 and control.writes() == []


# Case 1: a name several clients carry protects all of them, and a failed entry stops the purge.

def test_an_ambiguous_declared_name_protects_every_client_of_that_name_and_skips_the_purge(playbook, control):
    twins = [team_client(control, 'team-a-x') for _twin in range(2)]
    team_client(control, 'team-a-stale')
    control.clear_requests()
    run = playbook([declare(defaults=DEFAULTS, purge=True, purge_filter='^team-a-',
                            clients=[dict(name='team-a-x', description='keep', roles=ROLES)])])
    result = run['declare']
    assert run.status('declare') == 'failed' and not result['changed'], run.output
    assert [outcome['action'] for outcome in result['clients']] == ['failed']
    assert all(twin['id'] in result['clients'][0]['msg'] for twin in twins)
    assert 'the purge did not run' in result['msg'] and 'team-a-x' in result['purge_skipped']
    assert control.writes() == []
    assert control.client_names() == ['Emulator admin', 'team-a-stale', 'team-a-x', 'team-a-x']


def test_a_failed_entry_by_id_stops_the_purge_and_a_good_run_protects_every_named_client(playbook, control):
    kept, renamed, stale = (team_client(control, name) for name in ('team-a-kept', 'team-a-renamed', 'team-a-stale'))
    control.clear_requests()
    failing = playbook([declare(defaults=DEFAULTS, purge=True, purge_filter='^team-a-', clients=[
        dict(client_id='no-such-id', name='team-a-nobody', roles=ROLES)])])
    assert failing.status('declare') == 'failed' and 'team-a-nobody' in failing['declare']['purge_skipped']
    assert control.writes() == []
    # An entry naming a client by id, with another name, protects both that id and the clients carrying the name.
    run = playbook([declare(defaults=DEFAULTS, purge=True, purge_filter='^team-a-', clients=[
        dict(client_id=renamed['id'], name='team-a-kept', roles=ROLES)])])
    assert run.status('declare') == 'changed', run.output
    outcomes = [(o['id'], o['action']) for o in run['declare']['clients']]
    assert outcomes == [(renamed['id'], 'updated'), (stale['id'], 'deleted')]
    assert control.get_client(kept['id']).json()['name'] == 'team-a-kept'
    assert 'purge_skipped' not in run['declare']


# Case 2: a filter that matches every name is refused unless the task says it means it.

def test_a_filter_that_matches_every_name_is_refused_before_any_request(playbook, control):
    team_client(control, 'anything')
    control.clear_requests()
    tasks = [dict(declare(clients=[], purge=True, purge_filter=pattern), name='filter %r' % pattern)
             for pattern in ('', '   ', '.*', '^', 'x?', '(?!team-b-)', '.', '.+', r'\S', r'\b', r'\w')]
    run = playbook(tasks)
    for pattern in ('', '   '):
        assert run.status('filter %r' % pattern) == 'failed'
        assert 'purge_filter is empty' in run['filter %r' % pattern]['msg']
    for pattern in ('.*', '^', 'x?', '(?!team-b-)'):
        message = run['filter %r' % pattern]['msg']
        assert run.status('filter %r' % pattern) == 'failed' and 'matches the empty string' in message, message
        assert 'purge_filter_matches_all' in message
    for pattern in ('.', '.+', r'\S', r'\b', r'\w'):  # match no empty name, but every real one (review)
        message = run['filter %r' % pattern]['msg']
        assert run.status('filter %r' % pattern) == 'failed' and 'names of every kind' in message, message
    assert control.requests() == []
    assert control.client_names() == ['Emulator admin', 'anything']


def test_a_match_all_filter_runs_when_the_task_says_so(playbook, control):
    team_client(control, 'anything')
    team_client(control, 'kept')
    run = playbook([declare(defaults=DEFAULTS, clients=[dict(name='kept', roles=ROLES)], purge=True,
                            purge_filter='.*', purge_filter_matches_all=True)])
    assert run.status('declare') == 'changed', run.output
    assert [(o['name'], o['action']) for o in run['declare']['clients']] == [('kept', 'unchanged'), ('anything', 'deleted')]
    assert control.client_names() == ['Emulator admin', 'kept']  # never the login client


# Case 3: a 404 anywhere in a delete means the client is absent, as asked.

def test_a_client_deleted_meanwhile_is_absent_as_asked(playbook, control):
    gone_before_put, gone_before_delete = team_client(control, 'team-a-one'), team_client(control, 'team-a-two')
    for method, client in (('PUT', gone_before_put), ('DELETE', gone_before_delete)):
        control.fault(method=method, path='^%s/%s$' % (CLIENTS, client['id']), status=404, code='not.found',
                      message='Unable to find OAuth client with id %s' % client['id'])
    run = playbook([declare(clients=[], purge=True, purge_filter='^team-a-')])
    assert run.status('declare') == 'changed', run.output
    outcomes = {o['id']: o for o in run['declare']['clients']}
    # Nothing was written to the first; the second was made inactive by this run before it vanished.
    assert (outcomes[gone_before_put['id']]['action'], outcomes[gone_before_put['id']]['changed']) == ('unchanged', False)
    assert (outcomes[gone_before_delete['id']]['action'], outcomes[gone_before_delete['id']]['changed']) == ('deleted', True)

    lone = team_client(control, 'lone')
    control.fault(method='PUT', path='^%s/%s$' % (CLIENTS, lone['id']), status=404, code='not.found', message='gone')
    single = playbook([{'name': 'absent', 'genesys.cloud.oauth_client': dict(client_id=lone['id'], state='absent'),
                        'ignore_errors': True}])
    assert single.status('absent') == 'ok', single.output


# Case 10: one dest for several entries is refused before any request.

def test_one_dest_for_several_entries_is_refused_before_any_request(playbook, control, tmp_path):
    shared = tmp_path / 'shared.secret'
    run = playbook([declare(defaults=dict(DEFAULTS, dest=str(shared)), clients=[
        dict(name='team-a-one', roles=ROLES), dict(name='team-a-two', roles=ROLES),
        dict(name='team-a-three', roles=ROLES, dest=str(tmp_path / 'own.secret'))])])
    message = run['declare']['msg']
    assert run.status('declare') == 'failed'
    assert 'dest %s is given to several clients (team-a-one, team-a-two)' % shared in message, message
    assert control.requests() == [] and not shared.exists()
    # The same file by another path (a symlink to its folder) is the same dest.
    (tmp_path / 'link').symlink_to(tmp_path)
    again = playbook([declare(defaults=DEFAULTS, clients=[
        dict(name='team-a-one', roles=ROLES, dest=str(shared)),
        dict(name='team-a-two', roles=ROLES, dest=str(tmp_path / 'link' / 'shared.secret'))])])
    assert 'is given to several clients' in again['declare']['msg']
    assert control.requests() == []


# Case 11: a crash in the purge loop keeps the results gathered so far, new secrets among them. The crash the issue
# reproduced (a listed client whose name is a number) is now a malformed answer, met in the listing before any write;
# the guard every entry and purge step runs through is tested with an injected crash in test_trust_purge_set.py.

def test_a_malformed_client_in_the_listing_stops_the_run_before_any_write(playbook, control, tmp_path):
    out = tmp_path / 'out.json'
    odd = control.add_raw_client(name=5, authorizedGrantType='CLIENT-CREDENTIALS', accessTokenValiditySeconds=3600,
                                 roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    team_client(control, 'team-a-stale')
    control.clear_requests()
    playbook(kept_result_tasks('declare', 'oauth_clients', out, defaults=DEFAULTS, purge=True, purge_filter='^team-a-',
                               clients=[dict(name='team-a-new', roles=ROLES, dest=str(tmp_path / 'new.json'))]))
    result = json.loads(out.read_text())
    assert result['failed'] and not result['changed']
    assert 'name is a number, not a string' in result['msg'] and 'GET /api/v2/oauth/clients' in result['msg']
    assert control.writes() == [] and not (tmp_path / 'new.json').exists()
    assert control.get_client(odd['id']).status_code == 200 and len(control.clients_named('team-a-stale')) == 1


def test_two_entries_for_one_client_are_refused_before_any_write(playbook, control):
    """One client declared twice (by id and by its name) would be written by both entries on every run (review)."""
    client = team_client(control, 'svc-dup')
    control.clear_requests()
    run = playbook([declare(defaults=DEFAULTS, clients=[dict(client_id=client['id'], description='from-id'),
                                                        dict(name='svc-dup', description='from-name')])])
    assert run.status('declare') == 'failed', run.output
    message = run['declare']['msg']
    assert 'clients[0] (client_id %s) and clients[1] (name svc-dup) are the same client' % client['id'] in message
    assert control.writes() == []


def test_each_entry_declaring_an_implicit_grant_client_warns_once_naming_it(playbook, control):
    control.create_client(name='old-spa', authorizedGrantType='TOKEN')
    control.create_client(name='kept-spa', authorizedGrantType='TOKEN')
    spa = dict(grant_type='token', redirect_uris=['https://spa.example.com/cb'])
    run = playbook([declare(clients=[dict(spa, name='spa-one'), dict(spa, name='spa-two'), dict(name='kept-spa'),
                                     dict(name='web', grant_type='code', redirect_uris=['https://web.example.com/cb']),
                                     dict(name='old-spa', state='absent')])])
    assert run.status('declare') == 'changed', run.output
    assert [outcome['action'] for outcome in run['declare']['clients']] == ['created', 'created', 'unchanged',
                                                                            'created', 'deleted']
    assert implicit_grant_warnings(run) == ['spa-one', 'spa-two', 'kept-spa']
