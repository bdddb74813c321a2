"""Issue 17, the roles: the fallback folder is checked before the first secret is issued (case 14), the
oauth_clients role never creates a client-credentials client whose secret goes nowhere (case 16), and a module
run the module refuses as a whole fails the play naming why (case 18)."""

import json
import os

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import cc_client, file_mode

CLIENTS = '/api/v2/oauth/clients'
ROTATE = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
DECLARE = [{'name': 'declare', 'ansible.builtin.include_role': {'name': 'genesys.cloud.oauth_clients'}}]
REPORT = 'Report what happened to each client (never a secret)'
CC = dict(grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])


# Case 14: the rotation role's fallback folder is made and checked before the first rotation.

def test_a_fallback_folder_that_cannot_be_made_stops_the_role_before_any_rotation(playbook, control, tmp_path):
    client = cc_client(control, 'billing')
    blocker = tmp_path / 'a-file'
    blocker.write_text('not a folder')
    control.clear_requests()
    play_vars = dict(rotate_client_secrets_fallback_dir=str(blocker / 'fallback'),
                     rotate_client_secrets_clients=[dict(name='billing', integration_credential='billing-actions', create_credential=True)])
    for check in (True, False):
        run = playbook(ROTATE, check=check, play_vars=play_vars)
        assert run.rc != 0
        assert run.says('rotate_client_secrets_fallback_dir %s cannot be made: %s is not a folder'
                        % (blocker / 'fallback', blocker)), run.output
        assert control.secret_posts() == [] and control.writes() == []
    assert control.client_secret(client['id']) == client['secret']
    assert blocker.read_text() == 'not a folder'


def test_a_symlinked_or_foreign_fallback_folder_is_refused_before_any_rotation(playbook, control, tmp_path):
    cc_client(control, 'billing')
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir(mode=0o700)
    link = tmp_path / 'link'
    link.symlink_to(elsewhere)
    foreign = tmp_path / 'foreign'
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 4321, 4321)
    control.clear_requests()
    entries = [dict(name='billing', integration_credential='billing-actions', create_credential=True)]
    linked = playbook(ROTATE, play_vars=dict(rotate_client_secrets_fallback_dir=str(link),
                                             rotate_client_secrets_clients=entries))
    assert linked.rc != 0 and linked.says('rotate_client_secrets_fallback_dir %s is a symlink' % link), linked.output
    owned = playbook(ROTATE, play_vars=dict(rotate_client_secrets_fallback_dir=str(foreign),
                                            rotate_client_secrets_clients=entries))
    assert owned.rc != 0 and owned.says('rotate_client_secrets_fallback_dir %s belongs to uid 4321' % foreign), owned.output
    assert control.secret_posts() == [] and control.writes() == []
    assert file_mode(foreign) == 0o700 and os.stat(foreign).st_uid == 4321


def test_the_fallback_folder_is_made_0700_before_the_rotation_and_not_in_check_mode(playbook, control, tmp_path):
    cc_client(control, 'billing')
    fallback = tmp_path / 'deep' / 'fallback'
    play_vars = dict(rotate_client_secrets_fallback_dir=str(fallback), rotate_client_secrets_clients=[
        dict(name='billing', dest=str(tmp_path / 'billing.secret'), verify=False)])
    checked = playbook(ROTATE, check=True, play_vars=play_vars)
    assert checked.rc == 0, checked.output
    assert not (tmp_path / 'deep').exists()
    assert not (tmp_path / 'billing.secret').exists()
    # A real run makes it, 0700, although every secret reached its delivery.
    run = playbook(ROTATE, play_vars=play_vars)
    assert run.rc == 0, run.output
    assert fallback.is_dir() and file_mode(fallback) == 0o700 and os.listdir(fallback) == []
    # A folder that is not 0700 is refused, not changed: it may be shared (/tmp, a mount).
    os.chmod(fallback, 0o755)
    control.clear_requests()
    loose = playbook(ROTATE, play_vars=play_vars)
    assert loose.rc != 0 and loose.says('rotate_client_secrets_fallback_dir %s has mode 0755; it must be 0700' % fallback)
    assert file_mode(fallback) == 0o755 and control.secret_posts() == []


# Case 18: a refusal of the whole module run fails the play, naming why.

def test_the_rotation_role_fails_when_the_module_refuses_the_whole_run(playbook, control, tmp_path):
    cc_client(control, 'first')
    cc_client(control, 'second')
    control.clear_requests()
    shared = str(tmp_path / 'shared.secret')
    run = playbook(ROTATE, play_vars=dict(rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback'),
                                          rotate_client_secrets_clients=[dict(name='first', dest=shared),
                                                                         dict(name='second', dest=shared)]))
    assert run.rc != 0, run.output
    assert 'dest %s is given to several clients (first, second)' % shared in run.failure_messages(), run.output
    assert control.secret_posts() == [] and control.writes() == []


def test_the_rotation_role_still_attempts_every_client_and_fails_naming_the_failed(playbook, control, tmp_path):
    """Per-client failures keep their behaviour: the others are rotated, then the play fails naming the failed."""
    first = cc_client(control, 'first')
    run = playbook(ROTATE, play_vars=dict(rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback'),
                                          rotate_client_secrets_clients=[
                                              dict(name='first', dest=str(tmp_path / 'first.secret'), verify=False),
                                              dict(name='nobody', dest=str(tmp_path / 'nobody.secret'))]))
    assert run.rc != 0
    report = run['Report every client']['msg']
    assert [entry['client'] for entry in report['rotated']] == ['first']
    assert [entry['client'] for entry in report['failed']] == ['nobody']
    assert run.says('1 of 2 clients failed: nobody.')
    assert (tmp_path / 'first.secret').read_text().strip() == control.client_secret(first['id'])


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
