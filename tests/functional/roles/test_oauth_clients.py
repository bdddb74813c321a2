"""The genesys.cloud.oauth_clients role: declare a set of clients and report without secrets, never create a client
whose secret goes nowhere (issue 17, case 16), skip the purge when an entry fails, and fail naming why (case 18)."""

import json
import os

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import cc_client, file_mode, implicit_grant_warnings, team_client

DEFAULTS = dict(grant_type='client_credentials', access_token_validity_seconds=3600)
DECLARE = [{'name': 'declare', 'ansible.builtin.include_role': {'name': 'genesys.cloud.oauth_clients'}}]
REPORT = 'Report what happened to each client (never a secret)'
CC = dict(grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])
ROLES = [dict(role_id=EMPLOYEE_ROLE_ID)]
WHY = 'Fail naming why the module failed, once every client was reported'


@pytest.mark.smoke
def test_the_role_declares_the_clients_and_reports_without_secrets(playbook, control, tmp_path):
    # team-a-two has no delivery: allow_no_delivery keeps its secret in the fallback folder (the role refuses it without).
    play_vars = dict(oauth_clients_defaults=DEFAULTS, oauth_clients_fallback_dir=str(tmp_path / 'fallback'), oauth_clients_clients=[
        dict(name='team-a-one', roles=[dict(role='Employee')], dest=str(tmp_path / 'one.secret')),
        dict(name='team-a-two', roles=[dict(role_id=EMPLOYEE_ROLE_ID)], allow_no_delivery=True)])
    first = playbook(DECLARE, play_vars=play_vars)
    assert first.rc == 0, first.output
    report = first[REPORT]['msg']
    assert [(entry['name'], entry['action']) for entry in report] == [('team-a-one', 'created'), ('team-a-two', 'created')]
    one = report[0]['id']
    assert (tmp_path / 'one.secret').read_text().strip() == control.client_secret(one)
    control.clear_requests()
    again = playbook(DECLARE, play_vars=play_vars)
    assert [entry['action'] for entry in again[REPORT]['msg']] == ['unchanged'] * 2
    assert control.writes() == []
    misspelt = playbook(DECLARE, play_vars=dict(oauth_clients_clients=[dict(name='x', grant_typo='code')]))
    assert misspelt.rc != 0 and 'grant_typo' in misspelt.output


def test_the_oauth_clients_role_fails_naming_why_the_module_refused_the_whole_run(playbook, control, tmp_path):
    control.clear_requests()
    run = playbook(DECLARE, play_vars=dict(oauth_clients_fallback_dir=str(tmp_path / 'fallback'),
                                           oauth_clients_clients=[dict(name='team-a-x', state='absent')],
                                           oauth_clients_purge=True, oauth_clients_purge_filter='^team-a-('))
    assert run.rc != 0
    assert 'purge_filter is not a regular expression' in run.failure_messages(), run.output
    assert control.writes() == []


def test_the_oauth_clients_role_fails_naming_each_failed_client(playbook, control, tmp_path):
    control.clear_requests()
    run = playbook(DECLARE, play_vars=dict(oauth_clients_fallback_dir=str(tmp_path / 'fallback'), oauth_clients_clients=[
        dict(client_id='0f0f0f0f-0000-4000-8000-000000000000', description='x')]))
    assert run.rc != 0
    assert ('1 of 1 clients failed: 0f0f0f0f-0000-4000-8000-000000000000: no OAuth client has the id'
            in run.failure_messages()), run.output
    assert [entry['action'] for entry in run[REPORT]['msg']] == ['failed']


# Case 16: the oauth_clients role never creates a client-credentials client whose secret goes nowhere.

def test_an_entry_that_would_create_a_client_with_no_delivery_is_refused_before_any_request(playbook, control, tmp_path):
    control.clear_requests()
    run = playbook(DECLARE, play_vars=dict(
        oauth_clients_fallback_dir=str(tmp_path / 'fallback'), oauth_clients_defaults=dict(grant_type='client_credentials'),
        oauth_clients_clients=[dict(name='team-a-one', roles=[dict(role_id=EMPLOYEE_ROLE_ID)]),
                               dict(name='team-a-two', roles=[dict(role_id=EMPLOYEE_ROLE_ID)], dest=str(tmp_path / 'two')),
                               dict(name='team-a-three', grant_type='code', redirect_uris=['https://x.example.com/cb'])]))
    assert run.rc != 0
    assert run.says('team-a-one would be created as a client_credentials client with neither dest nor '
                    'integration_credential'), run.output
    assert 'team-a-two would' not in run.output and 'team-a-three would' not in run.output
    assert control.requests() == [] and not (tmp_path / 'fallback').exists()


def test_allow_no_delivery_keeps_a_created_clients_secret_in_the_fallback_folder(playbook, control, tmp_path):
    cc_client(control, 'team-a-old')
    other = cc_client(control, 'team-a-other')
    fallback = tmp_path / 'fallback'
    play_vars = dict(oauth_clients_fallback_dir=str(fallback), oauth_clients_defaults=dict(CC, allow_no_delivery=True),
                     oauth_clients_clients=[dict(name='team-a-new'), dict(name='team-a-old'),
                                            dict(client_id=other['id'], allow_no_delivery=False, description='by id')])
    control.clear_requests()
    checked = playbook(DECLARE, check=True, play_vars=play_vars)
    assert checked.rc == 0, checked.output
    assert not fallback.exists() and control.writes() == []
    run = playbook(DECLARE, play_vars=play_vars)
    assert run.rc == 0, run.output
    report = {entry['name']: entry for entry in run[REPORT]['msg']}
    assert report['team-a-new']['action'] == 'created' and report['team-a-new']['deliveries']['dest'] == 'done'
    kept = fallback / 'team-a-new.json'
    assert report['team-a-new']['dest'] == str(kept)
    assert file_mode(fallback) == 0o700 and file_mode(kept) == 0o600
    document = json.loads(kept.read_text())
    assert document['client_id'] == report['team-a-new']['id']
    assert document['client_secret'] == control.client_secret(report['team-a-new']['id'])
    # An existing client has no secret to give: nothing is written for it.
    assert [name for name in os.listdir(fallback) if not name.endswith('.lock')] == ['team-a-new.json']
    assert report['team-a-old']['action'] == 'unchanged' and report['team-a-other']['action'] == 'updated'
    control.clear_requests()
    again = playbook(DECLARE, play_vars=play_vars)
    assert again.rc == 0 and control.writes() == []
    assert [entry['action'] for entry in again[REPORT]['msg']] == ['unchanged'] * 3


def test_a_created_clients_secret_that_reached_no_delivery_is_kept_and_the_play_fails(playbook, control, tmp_path):
    control.fault(method='POST', path='/api/v2/integrations/credentials$', status=500, count=5, message='store down')
    fallback = tmp_path / 'fallback'
    run = playbook(DECLARE, verbosity=3, play_vars=dict(oauth_clients_fallback_dir=str(fallback), oauth_clients_clients=[
        dict(CC, name='team-a-crm', integration_credential='crm-actions', create_credential=True)]))
    assert run.rc != 0
    [outcome] = run[REPORT]['msg']
    assert outcome['action'] == 'failed' and outcome['deliveries']['integration_credential'] == 'failed'
    kept = fallback / ('%s.json' % outcome['id'])
    assert outcome['fallback_file'] == str(kept) and file_mode(kept) == 0o600
    assert json.loads(kept.read_text())['client_secret'] == control.client_secret(outcome['id'])
    assert 'team-a-crm' in run.failure_messages() and 'WAS created' in run.failure_messages()


def test_the_role_skips_the_purge_when_a_declared_name_is_ambiguous(playbook, control, tmp_path):
    for name in ('team-a-x', 'team-a-x', 'team-a-stale'):
        team_client(control, name)
    control.clear_requests()
    run = playbook(DECLARE, play_vars=dict(
        oauth_clients_defaults=DEFAULTS, oauth_clients_purge=True, oauth_clients_purge_filter='^team-a-',
        oauth_clients_clients=[dict(name='team-a-x', description='keep', roles=ROLES, dest=str(tmp_path / 'x.json'))]))
    assert run.rc != 0
    assert [entry['action'] for entry in run[REPORT]['msg']] == ['failed']
    assert 'the purge did not run' in run[WHY]['msg']
    assert control.writes() == []
    assert control.client_names() == ['Emulator admin', 'team-a-stale', 'team-a-x', 'team-a-x']


def test_the_role_refuses_an_empty_filter_and_passes_match_all_on(playbook, control):
    team_client(control, 'team-a-old')
    control.clear_requests()
    empty = playbook(DECLARE, play_vars=dict(oauth_clients_clients=[], oauth_clients_purge=True))
    assert empty.rc != 0 and control.writes() == []
    assert 'purge_filter' in empty[WHY]['msg']
    refused = playbook(DECLARE, play_vars=dict(oauth_clients_clients=[], oauth_clients_purge=True,
                                               oauth_clients_purge_filter='.*'))
    assert refused.rc != 0 and control.writes() == []
    assert 'purge_filter_matches_all' in refused[WHY]['msg']
    assert control.client_names() == ['Emulator admin', 'team-a-old']
    meant = playbook(DECLARE, play_vars=dict(oauth_clients_clients=[], oauth_clients_purge=True,
                                             oauth_clients_purge_filter='.*', oauth_clients_purge_filter_matches_all=True))
    assert meant.rc == 0, meant.output
    assert [entry['action'] for entry in meant[REPORT]['msg']] == ['deleted']
    assert control.client_names() == ['Emulator admin']


def test_the_oauth_clients_role_keeps_the_secret_of_a_code_client_that_asks_for_no_delivery(playbook, control,
                                                                                            tmp_path):
    fallback = tmp_path / 'fallback'
    run = playbook(DECLARE, play_vars=dict(oauth_clients_fallback_dir=str(fallback), oauth_clients_clients=[
        dict(name='wallboard', grant_type='code', redirect_uris=['https://wallboard.example.com/cb'],
             scopes=['analytics:readonly'])]))
    assert run.rc == 0, run.output
    client = control.clients_named('wallboard')[0]
    kept = json.loads((fallback / (client['id'] + '.json')).read_text())
    assert kept['client_id'] == client['id'] and control.client_secret(client['id']) == kept['client_secret']


def test_the_role_warns_of_each_implicit_grant_client_it_declares(playbook, control, tmp_path):
    """The module's task in the role hides its result (no_log); the warning is shown all the same, once."""
    control.create_client(name='old-spa', authorizedGrantType='TOKEN')
    run = playbook(DECLARE, play_vars=dict(oauth_clients_fallback_dir=str(tmp_path / 'fallback'), oauth_clients_clients=[
        dict(name='spa', grant_type='token', redirect_uris=['https://spa.example.com/cb']),
        dict(name='wallboard', grant_type='code', redirect_uris=['https://wallboard.example.com/cb']),
        dict(name='old-spa', state='absent')]))
    assert run.rc == 0, run.output
    assert [entry['action'] for entry in run[REPORT]['msg']] == ['created', 'created', 'deleted']
    assert implicit_grant_warnings(run) == ['spa']
