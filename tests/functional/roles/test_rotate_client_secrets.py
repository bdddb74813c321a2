"""The genesys.cloud.rotate_client_secrets role: every client attempted and reported, the login client last, an
undelivered secret kept in the fallback folder, which is checked before the first secret is issued (issue 17, case
14), and a module run refused as a whole fails the play naming why (case 18)."""

import json
import os
import stat

import pytest

from genesys_emulator.seed import ADMIN_ROLE_ID
from helpers import assert_no_secret, cc_client, file_mode

ROTATE = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
CREDENTIALS = '/api/v2/integrations/credentials'


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


def test_role_rotates_all_and_reports_the_failed_one(playbook, control, tmp_path):
    clients = [cc_client(control, name) for name in ('first', 'second', 'third')]
    credentials = [control.create_credential(name + '-actions', client['id'], client['secret'])
                   for name, client in zip(('first', 'second', 'third'), clients)]
    control.fault(method='PUT', path=CREDENTIALS + '/' + credentials[1]['id'], status=400, count=50,
                  message='credential rejected')
    play_vars = dict(rotate_client_secrets_clients=[
        dict(name='first', integration_credential='first-actions'),
        dict(client_id=clients[1]['id'], integration_credential='second-actions'),
        dict(name='third', integration_credential='third-actions', dest=str(tmp_path / 'third.secret')),
    ], rotate_client_secrets_client_defaults=dict(verify=True), rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback'))
    run = playbook(ROTATE, play_vars=play_vars, verbosity=3)
    assert run.rc != 0
    report = run['Report every client']['msg']
    assert [r['client'] for r in report['rotated']] == ['first', 'third']
    assert all(r['deliveries']['verify'] == 'done' for r in report['rotated'])
    # The report names each client by its name, also one the entry gave by id.
    assert [f['client'] for f in report['failed']] == ['second']
    failed = report['failed'][0]
    assert failed['rotated'] is True and failed['deliveries']['integration_credential'] == 'failed'
    assert 'WAS rotated' in failed['message'] and 'credential rejected' in failed['message']
    assert '1 of 3 clients failed' in run['Fail when a client was not rotated and delivered']['msg']
    for client, credential in zip(clients, credentials):
        assert control.login_status(client['id'], client['secret']) == 401
        new_secret = control.credential_fields(credential['id'])['clientSecret']
        if client is clients[1]:
            assert new_secret == client['secret']
        else:
            assert control.login_status(client['id'], new_secret) == 200
            assert_no_secret(run, new_secret)
    assert (tmp_path / 'third.secret').read_text().strip() == control.credential_fields(credentials[2]['id'])['clientSecret']


def test_role_in_check_mode_shows_the_plan(playbook, control, tmp_path):
    for name in ('first', 'second'):
        cc_client(control, name)
    control.clear_requests()
    run = playbook(ROTATE, check=True, play_vars=dict(rotate_client_secrets_clients=[
        dict(name='first', dest=str(tmp_path / 'first.secret'), verify=False),
        dict(name='second', integration_credential='second-actions', create_credential=True)]))
    assert run.rc == 0, run.output
    report = run['Report every client']['msg']
    assert report['check_mode'] is True and report['failed'] == []
    assert [r['deliveries']['verify'] for r in report['rotated']] == ['not requested', 'would do']
    assert [r['reason'] for r in report['rotated']] == ['rotate=always', 'rotate=always']
    assert control.writes() == [] and not (tmp_path / 'first.secret').exists()


def test_the_rotation_role_rotates_nothing_when_two_entries_name_one_client(playbook, control, tmp_path):
    client = cc_client(control, 'svc-dup')
    control.clear_requests()
    playbook(ROTATE, play_vars=dict(rotate_client_secrets_clients=[
        dict(name='svc-dup', dest=str(tmp_path / 'a')), dict(client_id=client['id'], dest=str(tmp_path / 'b'))]))
    assert control.writes() == [] and control.client_secret(client['id']) == client['secret']


def test_the_role_refuses_a_misspelt_key(playbook, control, tmp_path):
    cc_client(control)
    control.clear_requests()
    run = playbook(ROTATE, play_vars=dict(rotate_client_secrets_clients=[
        dict(name='billing', integration_credentail='billing-actions')]))
    assert run.rc != 0 and 'integration_credentail' in run.output
    assert control.writes() == []


def test_the_role_keeps_an_undelivered_secret_and_rotates_its_login_client_last(playbook, control, tmp_path):
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=ADMIN_ROLE_ID, divisionId='*')])
    billing, crm = cc_client(control), cc_client(control, 'crm')
    control.fault(method='POST', path=CREDENTIALS + '$', status=500, count=5, message='credential store down')
    fallback = tmp_path / 'fallback'
    play_vars = dict(rotate_client_secrets_fallback_dir=str(fallback), rotate_client_secrets_clients=[
        dict(name='robot', dest=str(tmp_path / 'robot.secret'), allow_self_rotation=True),
        dict(name='billing', integration_credential='billing-actions', create_credential=True),
        dict(name='nobody-named'),
        dict(dest=str(tmp_path / 'orphan.secret')),
        dict(name='crm', dest=str(tmp_path / 'crm.secret')),
    ])
    run = playbook(ROTATE, play_vars=play_vars, env=dict(GENESYSCLOUD_OAUTHCLIENT_ID=robot['id'],
                                                         GENESYSCLOUD_OAUTHCLIENT_SECRET=robot['secret']))
    report = run['Report every client']['msg']
    assert [entry['client'] for entry in report['rotated']] == ['crm', 'robot'], report
    failed = {entry['client']: entry for entry in report['failed']}
    assert set(failed) == {'billing', 'nobody-named', '(no name or client_id)'}
    assert 'nowhere' in failed['nobody-named']['message'] and 'neither name nor client_id' in failed['(no name or client_id)']['message']
    kept_file = fallback / ('%s.json' % billing['id'])
    assert failed['billing']['fallback_file'] == str(kept_file) and failed['billing']['rotated'] is True
    assert stat.S_IMODE(os.stat(fallback).st_mode) == 0o700 and stat.S_IMODE(os.stat(kept_file).st_mode) == 0o600
    assert json.loads(kept_file.read_text())['client_secret'] == control.client_secret(billing['id'])
    order = [r['path'].split('/')[-2] for r in control.secret_posts()]
    assert order == [billing['id'], crm['id'], robot['id']]
    assert (tmp_path / 'robot.secret').read_text().strip() == control.client_secret(robot['id'])


def test_the_role_with_a_token_login_rotates_in_the_order_given(playbook, control, tmp_path):
    first, second = cc_client(control, 'first'), cc_client(control, 'second')
    token = control.token()
    control.clear_requests()
    tasks = [{'name': 'with a token', 'module_defaults': {'group/genesys.cloud.genesys': dict(auth_token=token)},
              'block': ROTATE}]
    run = playbook(tasks, credentials=False, play_vars=dict(rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback'),
                                                            rotate_client_secrets_clients=[
        dict(name='first', dest=str(tmp_path / 'first.secret')),
        dict(client_id=second['id'], dest=str(tmp_path / 'second.secret'))]))
    assert run.rc == 0, run.output
    # The token is the admin client's (GET /api/v2/tokens/me says so): no entry is the login client, none moves.
    assert [entry['client'] for entry in run['Report every client']['msg']['rotated']] == ['first', 'second']
    assert [r['path'].split('/')[-2] for r in control.secret_posts()] == [first['id'], second['id']]
    # verify logs each client in with its new secret; nothing logs in as the admin client
    assert {r['client_id'] for r in control.requests() if r['path'] == '/oauth/token'} <= {first['id'], second['id']}


@pytest.mark.smoke
def test_the_role_rotates_ten_clients_with_one_login_and_one_listing_walk(playbook, control, tmp_path):
    clients = [cc_client(control, 'client-%02d' % number) for number in range(10)]
    control.configure(page_size=5, max_page_size=5)  # 11 clients with the admin: 3 pages
    control.clear_requests()
    entries = [dict(name=client['name'], dest=str(tmp_path / ('%s.secret' % client['name']))) for client in clients]
    run = playbook(ROTATE, play_vars=dict(rotate_client_secrets_clients=entries,
                                          rotate_client_secrets_client_defaults=dict(verify=False),
                                          rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback')))
    assert run.rc == 0, run.output
    assert len(run['Report every client']['msg']['rotated']) == 10
    counts = {}
    for request in control.requests():
        key = '%s %s' % (request['method'], '/'.join(request['path'].split('/')[:5]))
        counts[key] = counts.get(key, 0) + 1
    assert counts == {'POST /oauth/token': 1, 'GET /api/v2/oauth/clients': 3, 'POST /api/v2/oauth/clients': 10}, counts
    for client in clients:
        assert (tmp_path / ('%s.secret' % client['name'])).read_text().strip() == control.client_secret(client['id'])
