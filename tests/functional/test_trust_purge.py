"""Issue 17, promise 1 and its neighbours: a purge or delete never touches a client the task did not clearly own;
one dest is never given to several new clients; a crash in any loop after a create keeps the new secrets."""

import json

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import kept_result_tasks, team_client

CLIENTS = '/api/v2/oauth/clients'
DEFAULTS = dict(grant_type='client_credentials', access_token_validity_seconds=3600)
ROLES = [dict(role_id=EMPLOYEE_ROLE_ID)]
ROLE = [{'name': 'declare', 'ansible.builtin.include_role': {'name': 'genesys.cloud.oauth_clients'}}]
REPORT = 'Report what happened to each client (never a secret)'
WHY = 'Fail naming why the module failed, once every client was reported'


def declare(**args):
    return {'name': 'declare', 'genesys.cloud.oauth_clients': args, 'register': 'out', 'ignore_errors': True}


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


def test_the_role_skips_the_purge_when_a_declared_name_is_ambiguous(playbook, control, tmp_path):
    for name in ('team-a-x', 'team-a-x', 'team-a-stale'):
        team_client(control, name)
    control.clear_requests()
    run = playbook(ROLE, play_vars=dict(
        oauth_clients_defaults=DEFAULTS, oauth_clients_purge=True, oauth_clients_purge_filter='^team-a-',
        oauth_clients_clients=[dict(name='team-a-x', description='keep', roles=ROLES, dest=str(tmp_path / 'x.json'))]))
    assert run.rc != 0
    assert [entry['action'] for entry in run[REPORT]['msg']] == ['failed']
    assert 'the purge did not run' in run[WHY]['msg']
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


def test_the_role_refuses_an_empty_filter_and_passes_match_all_on(playbook, control):
    team_client(control, 'team-a-old')
    control.clear_requests()
    empty = playbook(ROLE, play_vars=dict(oauth_clients_clients=[], oauth_clients_purge=True))
    assert empty.rc != 0 and control.writes() == []
    assert 'purge_filter' in empty[WHY]['msg']
    refused = playbook(ROLE, play_vars=dict(oauth_clients_clients=[], oauth_clients_purge=True,
                                            oauth_clients_purge_filter='.*'))
    assert refused.rc != 0 and control.writes() == []
    assert 'purge_filter_matches_all' in refused[WHY]['msg']
    assert control.client_names() == ['Emulator admin', 'team-a-old']
    meant = playbook(ROLE, play_vars=dict(oauth_clients_clients=[], oauth_clients_purge=True,
                                          oauth_clients_purge_filter='.*', oauth_clients_purge_filter_matches_all=True))
    assert meant.rc == 0, meant.output
    assert [entry['action'] for entry in meant[REPORT]['msg']] == ['deleted']
    assert control.client_names() == ['Emulator admin']


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


def test_a_delete_whose_client_id_and_name_disagree_deletes_nothing(playbook, control):
    """client_id of one client and the name of another name no one client clearly (review of issue 17)."""
    kept, other = team_client(control, 'prod-payments'), team_client(control, 'old-test-client')
    control.clear_requests()
    absent = dict(client_id=kept['id'], name='old-test-client', state='absent')
    run = playbook([{'name': 'absent', 'genesys.cloud.oauth_client': absent, 'ignore_errors': True},
                    dict(declare(clients=[dict(client_id=kept['id'], name='old-test-client', state='absent')]),
                         name='set absent')])
    for task_name in ('absent', 'set absent'):
        assert run.status(task_name) == 'failed', run.output
    assert "is the OAuth client named 'prod-payments', not 'old-test-client'" in run['absent']['msg']
    assert control.writes() == []
    assert control.client_names() == ['Emulator admin', 'old-test-client', 'prod-payments'] and other['id']


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
