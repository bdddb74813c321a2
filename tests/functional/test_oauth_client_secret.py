"""oauth_client_secret: rotation, every delivery path, failures after rotation, and no secret in any output."""

import json
import os
import shutil
import stat
import threading
import time

import pytest
import requests
import yaml

from conftest import kept_result_tasks  # pylint: disable=import-error
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from genesys_emulator.seed import EMPLOYEE_ROLE_ID

CREDENTIALS = '/api/v2/integrations/credentials'


def rotate_tasks(title, result_file, **args):
    """The rotation with no_log, and its registered result kept in a 0600 file for the test to read."""
    return kept_result_tasks(title, 'oauth_client_secret', result_file, **args)


def rotated(result_file):
    return json.loads(result_file.read_text())


def login_status(control, client_id, secret):
    return requests.post(control.url + '/oauth/token', auth=(client_id, secret),
                         data={'grant_type': 'client_credentials'}, timeout=10).status_code


def assert_no_secret(run, *secrets):
    for secret in secrets:
        assert secret and secret not in run.output


def cc_client(control, name='billing'):
    return control.create_client(name=name, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])


def oauth_credential(control, name, client):
    response = control.api('POST', CREDENTIALS, json=dict(
        name=name, type=dict(name='pureCloudOAuthClient'),
        credentialFields=dict(clientId=client['id'], clientSecret=client['secret'])))
    assert response.status_code == 200, response.text
    return response.json()


def credential_fields(control, credential_id):
    return control.http.get('%s/__emulator/credentials/%s/fields' % (control.url, credential_id)).json()


def secret_posts(control):
    return [r for r in control.requests() if r['method'] == 'POST' and r['path'].endswith('/secret')]


@pytest.mark.smoke
def test_rotation_kills_the_old_secret_and_verifies_the_new_one(playbook, control, tmp_path):
    client = cc_client(control)
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('rotate', out, name='billing', verify=True), verbosity=3)
    result = rotated(out)
    assert result['changed'] is True and not result.get('failed'), run.output
    assert result['client_id'] == client['id'] and result['rotated_at'].endswith('Z')
    assert result['deliveries'] == dict(dest='not requested', integration_credential='not requested', verify='done')
    assert login_status(control, client['id'], client['secret']) == 401
    assert login_status(control, client['id'], result['secret']) == 200
    assert len(secret_posts(control)) == 1
    assert_no_secret(run, client['secret'], result['secret'])


def test_dest_formats_are_written_atomically_with_mode_0600_and_backup(playbook, control, tmp_path):
    client = cc_client(control)
    dest = tmp_path / 'secrets' / 'billing'
    dest.parent.mkdir()
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('raw', out, client_id=client['id'], dest=str(dest)))
    first = rotated(out)
    assert dest.read_text() == first['secret'] + '\n'
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600

    run = playbook(rotate_tasks('json', out, client_id=client['id'], dest=str(dest), dest_format='json', backup=True),
                   verbosity=3)
    second = rotated(out)
    expected = dict(client_id=client['id'], client_secret=second['secret'], rotated_at=second['rotated_at'])
    assert json.loads(dest.read_text()) == expected
    with open(second['backup_file'], encoding='utf-8') as backup:
        assert backup.read() == first['secret'] + '\n'
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert_no_secret(run, first['secret'], second['secret'])

    playbook(rotate_tasks('yaml', out, client_id=client['id'], dest=str(dest), dest_format='yaml'))
    third = rotated(out)
    assert yaml.safe_load(dest.read_text())['client_secret'] == third['secret']
    # The lock file stays beside dest: removing a lock file after use would race with the next rotation.
    assert sorted(os.listdir(dest.parent)) == sorted(['.billing.lock', 'billing', os.path.basename(second['backup_file'])])


def test_integration_credential_update_by_name_or_id_and_create(playbook, control, tmp_path):
    client = cc_client(control)
    credential = oauth_credential(control, 'billing-actions', client)
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('by name', out, name='billing', integration_credential='billing-actions'), verbosity=3)
    result = rotated(out)
    assert result['credential_id'] == credential['id'] and result['deliveries']['integration_credential'] == 'done'
    assert credential_fields(control, credential['id']) == dict(clientId=client['id'], clientSecret=result['secret'])
    assert_no_secret(run, result['secret'])

    playbook(rotate_tasks('by id', out, name='billing', integration_credential=credential['id']))
    assert credential_fields(control, credential['id'])['clientSecret'] == rotated(out)['secret']

    playbook(rotate_tasks('create', out, name='billing', integration_credential='new-actions', create_credential=True))
    created = rotated(out)
    listing = control.api('GET', CREDENTIALS).json()['entities']
    assert {c['name'] for c in listing} == {'billing-actions', 'new-actions'}
    assert credential_fields(control, created['credential_id'])['clientSecret'] == created['secret']


def test_problems_found_before_the_rotation_cost_nothing(playbook, control, tmp_path):
    client = cc_client(control)
    code_client = control.create_client(name='web', authorizedGrantType='CODE')
    cc_client(control, 'twin')
    cc_client(control, 'twin')
    control.clear_requests()
    out = tmp_path / 'result.json'
    cases = [
        ('missing credential', dict(name='billing', integration_credential='nope'), 'create_credential=true'),
        ('missing dir', dict(name='billing', dest=str(tmp_path / 'no' / 'file')), 'existing, writable directory'),
        ('dir as dest', dict(name='billing', dest=str(tmp_path)), 'must be a file'),
        ('verify code client', dict(client_id=code_client['id'], verify=True), 'client_credentials'),
        ('ambiguous', dict(name='twin'), 'are named'),
        ('missing client', dict(name='nobody'), "'nobody'"),
        ('self', dict(client_id=ADMIN_CLIENT_ID), 'allow_self_rotation=true'),
    ]
    tasks = []
    for title, args, _expected in cases:
        tasks += rotate_tasks(title, tmp_path / (title.replace(' ', '_') + '.json'), **args)
    run = playbook(tasks)
    for title, _args, expected in cases:
        result = rotated(tmp_path / (title.replace(' ', '_') + '.json'))
        assert result.get('failed') and expected in result['msg'], (title, result)
        assert 'secret' not in result
    assert control.writes() == [] and not out.exists()
    assert login_status(control, client['id'], client['secret']) == 200
    assert login_status(control, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) == 200
    assert_no_secret(run, client['secret'])


def test_check_mode_sends_no_write(playbook, control, tmp_path):
    client = cc_client(control)
    control.clear_requests()
    dest = tmp_path / 'secret'
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('check', out, name='billing', dest=str(dest), verify=True), check=True)
    result = rotated(out)
    assert result['changed'] is True and 'secret' not in result
    assert result['deliveries'] == dict(dest='would do', integration_credential='not requested', verify='would do')
    assert control.writes() == [] and not dest.exists()
    assert login_status(control, client['id'], client['secret']) == 200


def test_self_rotation_when_allowed_keeps_the_run_working(playbook, control, tmp_path):
    admin = dict(control.get_client(ADMIN_CLIENT_ID).json(), secret=ADMIN_CLIENT_SECRET)
    credential = oauth_credential(control, 'admin-actions', admin)
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('self', out, client_id=ADMIN_CLIENT_ID, allow_self_rotation=True,
                                integration_credential='admin-actions', verify=True), verbosity=3)
    result = rotated(out)
    assert not result.get('failed'), result.get('msg')
    assert result['deliveries'] == dict(dest='not requested', integration_credential='done', verify='done')
    assert credential_fields(control, credential['id'])['clientSecret'] == result['secret']
    assert login_status(control, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) == 401
    assert_no_secret(run, result['secret'])


def test_failed_credential_update_still_returns_the_secret(playbook, control, tmp_path):
    client = cc_client(control)
    credential = oauth_credential(control, 'billing-actions', client)
    control.fault(method='PUT', path=CREDENTIALS + '/', status=500, count=50, message='credential store down')
    dest = tmp_path / 'secret'
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('rotate', out, name='billing', dest=str(dest), integration_credential='billing-actions',
                                verify=True, max_retries=1, max_retry_wait=2), verbosity=3)
    result = rotated(out)
    assert result['failed'] and 'WAS rotated' in result['msg']
    assert 'integration_credential failed: credential store down' in result['msg']
    assert 'Delivered: dest, verify' in result['msg']
    assert result['deliveries'] == dict(dest='done', integration_credential='failed', verify='done')
    assert login_status(control, client['id'], result['secret']) == 200
    assert dest.read_text() == result['secret'] + '\n'
    assert credential_fields(control, credential['id'])['clientSecret'] == client['secret']
    assert result['secret'] not in result['msg']
    assert_no_secret(run, result['secret'], client['secret'])


def test_failed_verify_still_returns_the_secret(playbook, control, tmp_path):
    client = cc_client(control)
    control.fault(method='POST', path='^/oauth/token$', after=1, status=401, code='invalid_client', message='login down')
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('rotate', out, name='billing', verify=True), verbosity=3)
    result = rotated(out)
    assert result['failed'] and 'WAS rotated' in result['msg'] and 'verify failed: login down' in result['msg']
    assert result['deliveries']['verify'] == 'failed'
    assert login_status(control, client['id'], result['secret']) == 200
    assert_no_secret(run, result['secret'])


def test_dest_lost_after_rotation_still_delivers_the_rest(playbook, control, tmp_path):
    client = cc_client(control)
    credential = oauth_credential(control, 'billing-actions', client)
    directory = tmp_path / 'vanishing'
    directory.mkdir()
    # The rotation takes 2 s; the directory disappears meanwhile, after the module checked it
    # (its last check is the credential lookup).
    control.fault(method='POST', path='/secret$', delay=2)

    def remove_directory_after_the_checks():
        deadline = time.time() + 60
        while time.time() < deadline:
            if any(r['method'] == 'GET' and r['path'] == CREDENTIALS for r in control.requests()):
                shutil.rmtree(str(directory))
                return
            time.sleep(0.05)

    remover = threading.Thread(target=remove_directory_after_the_checks)
    remover.start()
    out = tmp_path / 'result.json'
    try:
        run = playbook(rotate_tasks('rotate', out, name='billing', dest=str(directory / 'secret'),
                                    integration_credential='billing-actions'), verbosity=3)
    finally:
        remover.join()
    result = rotated(out)
    assert result['failed'] and 'WAS rotated' in result['msg'] and 'dest failed' in result['msg']
    assert result['deliveries'] == dict(dest='failed', integration_credential='done', verify='done')
    assert credential_fields(control, credential['id'])['clientSecret'] == result['secret']
    assert_no_secret(run, result['secret'])


def test_a_refused_rotation_says_nothing_was_rotated(playbook, control, tmp_path):
    client = cc_client(control)
    control.fault(method='POST', path='/secret$', status=409, count=1, message='busy')
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('rotate', out, name='billing', dest=str(tmp_path / 'secret')))
    result = rotated(out)
    assert result['failed'] and 'was NOT rotated' in result['msg'] and 'HTTP 409' in result['msg']
    assert 'secret' not in result and not (tmp_path / 'secret').exists() and result['changed'] is False
    assert login_status(control, client['id'], client['secret']) == 200


def test_a_server_error_without_a_previous_secret_never_claims_not_rotated(playbook, control, tmp_path):
    client = cc_client(control)
    control.fault(method='POST', path='/secret$', status=503, count=1)
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('rotate', out, name='billing', dest=str(tmp_path / 'secret'), max_retries=0))
    result = rotated(out)
    assert result['failed'] and 'may have been rotated' in result['msg'] and 'HTTP 503' in result['msg']
    assert 'NOT rotated' not in result['msg'] and result['changed'] is True
    assert login_status(control, client['id'], client['secret']) == 200  # it was not, this time


def test_role_rotates_all_and_reports_the_failed_one(playbook, control, tmp_path):
    clients = [cc_client(control, name) for name in ('first', 'second', 'third')]
    credentials = [oauth_credential(control, name + '-actions', client)
                   for name, client in zip(('first', 'second', 'third'), clients)]
    control.fault(method='PUT', path=CREDENTIALS + '/' + credentials[1]['id'], status=400, count=50,
                  message='credential rejected')
    play_vars = dict(rotate_client_secrets_clients=[
        dict(name='first', integration_credential='first-actions'),
        dict(client_id=clients[1]['id'], integration_credential='second-actions'),
        dict(name='third', integration_credential='third-actions', dest=str(tmp_path / 'third.secret')),
    ], rotate_client_secrets_client_defaults=dict(verify=True), rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback'))
    tasks = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
    run = playbook(tasks, play_vars=play_vars, verbosity=3)
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
        assert login_status(control, client['id'], client['secret']) == 401
        new_secret = credential_fields(control, credential['id'])['clientSecret']
        if client is clients[1]:
            assert new_secret == client['secret']
        else:
            assert login_status(control, client['id'], new_secret) == 200
            assert_no_secret(run, new_secret)
    assert (tmp_path / 'third.secret').read_text().strip() == credential_fields(control, credentials[2]['id'])['clientSecret']


def test_role_in_check_mode_shows_the_plan(playbook, control, tmp_path):
    for name in ('first', 'second'):
        cc_client(control, name)
    control.clear_requests()
    tasks = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
    run = playbook(tasks, check=True, play_vars=dict(rotate_client_secrets_clients=[
        dict(name='first', dest=str(tmp_path / 'first.secret'), verify=False),
        dict(name='second', integration_credential='second-actions', create_credential=True)]))
    assert run.rc == 0, run.output
    report = run['Report every client']['msg']
    assert report['check_mode'] is True and report['failed'] == []
    assert [r['deliveries']['verify'] for r in report['rotated']] == ['not requested', 'would do']
    assert [r['reason'] for r in report['rotated']] == ['rotate=always', 'rotate=always']
    assert control.writes() == [] and not (tmp_path / 'first.secret').exists()
