"""genesys.cloud.oauth_client_secret: rotation, every delivery path, the when_needed policy, failures after the
rotation, lost answers recovered from the previous secret, and no secret in any output. The API shows a secret only
at create and rotation."""

from datetime import datetime, timedelta, timezone
import json
import os
import shutil
import stat
import threading
import time

import pytest
import yaml

from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from genesys_emulator.seed import ADMIN_ROLE_ID, EMPLOYEE_ROLE_ID
from helpers import ansible_env, assert_no_secret, cc_client, kept_result_tasks, read, run_ansible_playbook

CREDENTIALS = '/api/v2/integrations/credentials'
# The answers a write may get when the backend did the work but the module cannot read the outcome.
LOST_ANSWERS = [dict(status=503), dict(body='<html>OK</html>'), dict(body='{}')]
LOST_IDS = ['503', '200-not-json', '200-empty-object']
CLIENTS = '/api/v2/oauth/clients'


def rotate_tasks(title, result_file, **args):
    """The rotation with no_log, and its registered result kept in a 0600 file for the test to read."""
    return kept_result_tasks(title, 'oauth_client_secret', result_file, **args)


def next_second():
    """Times are compared to the whole second (the API's precision is not documented): let this one pass, so the
    rotation that follows is in a later second than the credential write before it."""
    time.sleep(1 - time.time() % 1 + 0.01)


def write_copy(dest, client_id, secret, days_old=0):
    rotated_at = (datetime.now(timezone.utc) - timedelta(days=days_old)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    dest.write_text(json.dumps(dict(client_id=client_id, client_secret=secret, rotated_at=rotated_at)))


@pytest.mark.smoke
def test_rotation_kills_the_old_secret_and_verifies_the_new_one(playbook, control, tmp_path):
    client = cc_client(control)
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('rotate', out, name='billing', verify=True), verbosity=3)
    result = read(out)
    assert result['changed'] is True and not result.get('failed'), run.output
    assert result['client_id'] == client['id'] and result['rotated_at'].endswith('Z')
    assert result['deliveries'] == dict(dest='not requested', integration_credential='not requested', verify='done')
    assert control.login_status(client['id'], client['secret']) == 401
    assert control.login_status(client['id'], result['secret']) == 200
    assert len(control.secret_posts()) == 1
    assert_no_secret(run, client['secret'], result['secret'])


def test_dest_formats_are_written_atomically_with_mode_0600_and_backup(playbook, control, tmp_path):
    client = cc_client(control)
    dest = tmp_path / 'secrets' / 'billing'
    dest.parent.mkdir()
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('raw', out, client_id=client['id'], dest=str(dest)))
    first = read(out)
    assert dest.read_text() == first['secret'] + '\n'
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600

    run = playbook(rotate_tasks('json', out, client_id=client['id'], dest=str(dest), dest_format='json', backup=True),
                   verbosity=3)
    second = read(out)
    expected = dict(client_id=client['id'], client_secret=second['secret'], rotated_at=second['rotated_at'])
    assert json.loads(dest.read_text()) == expected
    with open(second['backup_file'], encoding='utf-8') as backup:
        assert backup.read() == first['secret'] + '\n'
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert_no_secret(run, first['secret'], second['secret'])

    playbook(rotate_tasks('yaml', out, client_id=client['id'], dest=str(dest), dest_format='yaml'))
    third = read(out)
    assert yaml.safe_load(dest.read_text())['client_secret'] == third['secret']
    # The lock file stays beside dest: removing a lock file after use would race with the next rotation.
    assert sorted(os.listdir(dest.parent)) == sorted(['.billing.lock', 'billing', os.path.basename(second['backup_file'])])


def test_integration_credential_update_by_name_or_id_and_create(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('by name', out, name='billing', integration_credential='billing-actions'), verbosity=3)
    result = read(out)
    assert result['credential_id'] == credential['id'] and result['deliveries']['integration_credential'] == 'done'
    assert control.credential_fields(credential['id']) == dict(clientId=client['id'], clientSecret=result['secret'])
    assert_no_secret(run, result['secret'])

    playbook(rotate_tasks('by id', out, name='billing', integration_credential=credential['id']))
    assert control.credential_fields(credential['id'])['clientSecret'] == read(out)['secret']

    playbook(rotate_tasks('create', out, name='billing', integration_credential='new-actions', create_credential=True))
    created = read(out)
    listing = control.api('GET', CREDENTIALS).json()['entities']
    assert {c['name'] for c in listing} == {'billing-actions', 'new-actions'}
    assert control.credential_fields(created['credential_id'])['clientSecret'] == created['secret']


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
        result = read(tmp_path / (title.replace(' ', '_') + '.json'))
        assert result.get('failed') and expected in result['msg'], (title, result)
        assert 'secret' not in result
    assert control.writes() == [] and not out.exists()
    assert control.login_status(client['id'], client['secret']) == 200
    assert control.login_status(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) == 200
    assert_no_secret(run, client['secret'])


def test_check_mode_sends_no_write(playbook, control, tmp_path):
    client = cc_client(control)
    control.clear_requests()
    dest = tmp_path / 'secret'
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('check', out, name='billing', dest=str(dest), verify=True), check=True)
    result = read(out)
    assert result['changed'] is True and 'secret' not in result
    assert result['deliveries'] == dict(dest='would do', integration_credential='not requested', verify='would do')
    assert control.writes() == [] and not dest.exists()
    assert control.login_status(client['id'], client['secret']) == 200


def test_self_rotation_when_allowed_keeps_the_run_working(playbook, control, tmp_path):
    admin = dict(control.get_client(ADMIN_CLIENT_ID).json(), secret=ADMIN_CLIENT_SECRET)
    credential = control.create_credential('admin-actions', admin['id'], admin['secret'])
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('self', out, client_id=ADMIN_CLIENT_ID, allow_self_rotation=True,
                                integration_credential='admin-actions', verify=True), verbosity=3)
    result = read(out)
    assert not result.get('failed'), result.get('msg')
    assert result['deliveries'] == dict(dest='not requested', integration_credential='done', verify='done')
    assert control.credential_fields(credential['id'])['clientSecret'] == result['secret']
    assert control.login_status(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) == 401
    assert_no_secret(run, result['secret'])


def test_failed_credential_update_still_returns_the_secret(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    control.fault(method='PUT', path=CREDENTIALS + '/', status=500, count=50, message='credential store down')
    dest = tmp_path / 'secret'
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('rotate', out, name='billing', dest=str(dest), integration_credential='billing-actions',
                                verify=True, max_retries=1, max_retry_wait=2), verbosity=3)
    result = read(out)
    assert result['failed'] and 'WAS rotated' in result['msg']
    assert 'integration_credential failed: credential store down' in result['msg']
    assert 'Delivered: dest, verify' in result['msg']
    assert result['deliveries'] == dict(dest='done', integration_credential='failed', verify='done')
    assert control.login_status(client['id'], result['secret']) == 200
    assert dest.read_text() == result['secret'] + '\n'
    assert control.credential_fields(credential['id'])['clientSecret'] == client['secret']
    assert result['secret'] not in result['msg']
    assert_no_secret(run, result['secret'], client['secret'])


def test_failed_verify_still_returns_the_secret(playbook, control, tmp_path):
    client = cc_client(control)
    control.fault(method='POST', path='^/oauth/token$', after=1, status=401, code='invalid_client', message='login down')
    out = tmp_path / 'result.json'
    run = playbook(rotate_tasks('rotate', out, name='billing', verify=True), verbosity=3)
    result = read(out)
    assert result['failed'] and 'WAS rotated' in result['msg'] and 'verify failed: login down' in result['msg']
    assert result['deliveries']['verify'] == 'failed'
    assert control.login_status(client['id'], result['secret']) == 200
    assert_no_secret(run, result['secret'])


def test_dest_lost_after_rotation_still_delivers_the_rest(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
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
    result = read(out)
    assert result['failed'] and 'WAS rotated' in result['msg'] and 'dest failed' in result['msg']
    assert result['deliveries'] == dict(dest='failed', integration_credential='done', verify='done')
    assert control.credential_fields(credential['id'])['clientSecret'] == result['secret']
    assert_no_secret(run, result['secret'])


def test_a_refused_rotation_says_nothing_was_rotated(playbook, control, tmp_path):
    client = cc_client(control)
    control.fault(method='POST', path='/secret$', status=409, count=1, message='busy')
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('rotate', out, name='billing', dest=str(tmp_path / 'secret')))
    result = read(out)
    assert result['failed'] and 'was NOT rotated' in result['msg'] and 'HTTP 409' in result['msg']
    assert 'secret' not in result and not (tmp_path / 'secret').exists() and result['changed'] is False
    assert control.login_status(client['id'], client['secret']) == 200


def test_a_server_error_without_a_previous_secret_never_claims_not_rotated(playbook, control, tmp_path):
    client = cc_client(control)
    control.fault(method='POST', path='/secret$', status=503, count=1)
    out = tmp_path / 'result.json'
    playbook(rotate_tasks('rotate', out, name='billing', dest=str(tmp_path / 'secret'), max_retries=0))
    result = read(out)
    assert result['failed'] and 'may have been rotated' in result['msg'] and 'HTTP 503' in result['msg']
    assert 'NOT rotated' not in result['msg'] and result['changed'] is True
    assert control.login_status(client['id'], client['secret']) == 200  # it was not, this time


# --- case 8: a rotation answered 2xx with a body that cannot be read ------------------------------------------

def test_symbolic_and_numeric_file_options_are_accepted_as_ansible_accepts_them(playbook, control, tmp_path):
    cc_client(control)
    dest, out = tmp_path / 'billing.secret', tmp_path / 'out.json'
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), mode='u=rw,g=r',
                               owner='0', group='65534'))
    assert not read(out).get('failed'), read(out)
    info = os.stat(dest)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, 65534, 0o640)


def test_a_failed_credential_delivery_is_repaired_by_the_next_when_needed_run(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    policy = dict(name='billing', dest=str(dest), dest_format='json', integration_credential='billing-actions',
                  rotate='when_needed', max_age_days=30)

    next_second()
    control.fault(method='PUT', path='/credentials/', status=500)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, **{**policy, 'rotate': 'always'}))
    failed = read(out)
    assert failed['failed'] and failed['deliveries']['integration_credential'] == 'failed', failed
    assert failed['deliveries']['dest'] == 'done'
    assert control.credential_fields(credential['id'])['clientSecret'] == client['secret']  # the dead one

    check = tmp_path / 'check.json'
    control.clear_requests()
    playbook(kept_result_tasks('repair, check mode', 'oauth_client_secret', check, **policy), check=True)
    assert read(check)['changed'] and 'billing-actions' in read(check)['reason'] and control.writes() == []
    playbook(kept_result_tasks('repair', 'oauth_client_secret', out, **policy))
    repaired = read(out)
    assert repaired['changed'] and not repaired.get('failed'), repaired
    assert 'was last written before the client' in repaired['reason'], repaired['reason']
    held = control.credential_fields(credential['id'])
    assert held['clientId'] == client['id'] and control.logs_in(client['id'], held['clientSecret'])

    control.clear_requests()
    playbook(kept_result_tasks('again', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] is False and control.writes() == [], read(out)


def test_a_rotation_made_elsewhere_is_repaired_in_a_credential_only_delivery(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    out = tmp_path / 'out.json'
    policy = dict(name='billing', integration_credential='billing-actions', rotate='when_needed')
    control.clear_requests()
    playbook(kept_result_tasks('fresh', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] is False and control.writes() == [], read(out)

    next_second()
    assert control.api('POST', '/api/v2/oauth/clients/%s/secret' % client['id']).status_code == 200
    playbook(kept_result_tasks('after', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'was last written before the client' in read(out)['reason']
    assert control.logs_in(client['id'], control.credential_fields(credential['id'])['clientSecret'])


@pytest.mark.parametrize('lost', LOST_ANSWERS[1:], ids=LOST_IDS[1:])
def test_a_rotation_answered_2xx_without_a_readable_body_is_recovered_from_the_previous_secret(
        playbook, control, tmp_path, lost):
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    write_copy(dest, client['id'], client['secret'])
    control.fault(method='POST', path='/secret$', lose_response=True, **lost)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json'))
    result = read(out)
    assert not result.get('failed') and result['recovered'] is True, result.get('msg')
    new_secret = json.loads(dest.read_text())['client_secret']
    assert new_secret == result['secret'] == control.client_secret(client['id'])
    assert control.logs_in(client['id'], new_secret) and not control.logs_in(client['id'], client['secret'])


# A 2xx whose body cannot be read, which did not rotate: test_a_failed_rotation_with_a_working_previous_secret_says_not_rotated.


def test_a_2xx_unreadable_rotation_without_a_previous_secret_says_it_may_have_happened(playbook, control, tmp_path):
    client = cc_client(control)
    out = tmp_path / 'out.json'
    control.fault(method='POST', path='/secret$', body='<html>OK</html>', lose_response=True)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(tmp_path / 'new.secret')))
    result = read(out)
    assert result['failed'] and result['changed'] is True and 'may have been rotated' in result['msg'], result['msg']
    assert 'NOT rotated' not in result['msg'] and not control.logs_in(client['id'], client['secret'])


def test_a_lost_rotation_whose_check_fails_too_says_it_may_have_been_rotated(playbook, control, tmp_path):
    """The previous-secret check after a lost rotation can fail too (the login endpoint down): the task must still
    say the secret may have been rotated, and changed (review of issue 17)."""
    client = control.create_client(name='crm', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    dest = tmp_path / 'crm.secret'
    dest.write_text(control.client_secret(client['id']) + '\n')
    control.token()  # the harness's own admin token first: the faults below are for the module's logins
    control.fault(method='POST', path='^/api/v2/oauth/clients/[^/]+/secret$', status=503, lose_response=True)
    control.fault(method='POST', path='^/oauth/token$', status=503, after=1, count=20)
    out = tmp_path / 'out.json'
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, client_id=client['id'], dest=str(dest), max_retries=0))
    result = json.loads(out.read_text())
    assert result['failed'] and result['changed'], result
    assert 'may have been rotated' in result['msg'] and 'previous secret still logs in' in result['msg']


def test_when_needed_rotates_only_a_missing_broken_or_old_copy(playbook, control, tmp_path):
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    policy = dict(name='billing', dest=str(dest), dest_format='json', rotate='when_needed', max_age_days=90)

    write_copy(dest, client['id'], client['secret'], days_old=10)
    control.clear_requests()
    playbook(kept_result_tasks('fresh', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] is False and 'young enough' in read(out)['reason']
    assert control.writes() == []

    check = tmp_path / 'check.json'
    dest.unlink()
    playbook(kept_result_tasks('missing, check mode', 'oauth_client_secret', check, **policy), check=True)
    assert read(check)['changed'] and 'is missing' in read(check)['reason'] and control.writes() == []
    playbook(kept_result_tasks('missing', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'is missing' in read(out)['reason']
    assert control.logs_in(client['id'], json.loads(dest.read_text())['client_secret'])

    write_copy(dest, client['id'], 'not-the-secret')
    playbook(kept_result_tasks('broken', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'no longer logs in' in read(out)['reason']
    assert control.logs_in(client['id'], json.loads(dest.read_text())['client_secret'])

    write_copy(dest, client['id'], json.loads(dest.read_text())['client_secret'], days_old=100)
    playbook(kept_result_tasks('old', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'days old (max_age_days=90)' in read(out)['reason']
    assert len(control.secret_posts()) == 3


def test_a_lost_rotation_answer_is_recovered_from_the_previous_secret(playbook, control, tmp_path):
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    write_copy(dest, client['id'], client['secret'])
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json',
                               max_retries=0))
    result = read(out)
    assert result['changed'] and result['recovered'] is True and 'lost in transit' in result['reason'], result
    new_secret = json.loads(dest.read_text())['client_secret']
    assert new_secret == result['secret'] == control.client_secret(client['id'])
    assert control.logs_in(client['id'], new_secret) and not control.logs_in(client['id'], client['secret'])
    assert len(control.secret_posts()) == 2


@pytest.mark.parametrize('answer', [dict(status=503), dict(body='<html>OK</html>')], ids=['503', 'unreadable-2xx'])
def test_a_failed_rotation_with_a_working_previous_secret_says_not_rotated(playbook, control, tmp_path, answer):
    """A 5xx, or a 2xx whose body cannot be read (issue 17, case 8), that did not rotate: the previous secret proves it."""
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    write_copy(dest, client['id'], client['secret'])
    control.fault(method='POST', path='/secret$', **answer)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json'))
    result = read(out)
    assert result['failed'] and 'was NOT rotated' in result['msg'] and 'still logs in' in result['msg']
    assert result['changed'] is False and control.logs_in(client['id'], client['secret'])


def test_a_lost_rotation_answer_without_a_previous_secret_says_it_may_have_happened(playbook, control, tmp_path):
    client = cc_client(control)
    out = tmp_path / 'out.json'
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', integration_credential='billing-actions',
                               create_credential=True))
    result = read(out)
    assert result['failed'] and result['changed'] and 'may have been rotated' in result['msg']
    assert 'run the task again' in result['msg'] and 'secret' not in result
    assert not control.logs_in(client['id'], client['secret'])


def test_a_dest_that_cannot_be_backed_up_is_refused_before_the_rotation(playbook, control, tmp_path):
    client = cc_client(control)
    fifo, out = tmp_path / 'secret.fifo', tmp_path / 'out.json'
    os.mkfifo(fifo)
    control.clear_requests()
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(fifo), backup=True,
                               integration_credential='billing-actions', create_credential=True))
    result = read(out)
    # Once a failed backup after the rotation (issue 17): a dest that is not a regular file is refused before it.
    assert result['failed'] and 'WAS' not in result['msg'] and 'not a regular file' in result['msg']
    assert not result['changed'] and control.writes() == [] and 'secret' not in result
    assert control.logs_in(client['id'], client['secret'])
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symlinked_dest_updates_its_target_and_a_file_keeps_its_attributes(playbook, control, tmp_path):
    client = cc_client(control)
    target, link, out = tmp_path / 'real.secret', tmp_path / 'link.secret', tmp_path / 'out.json'
    target.write_text('old\n')
    os.chown(target, 65534, 65534)
    os.chmod(target, 0o640)
    os.symlink(target, link)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(link), backup=True))
    result = read(out)
    assert not result.get('failed'), result
    assert os.path.islink(link) and target.read_text().strip() == control.client_secret(client['id'])
    info = os.stat(target)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    backup = result['backup_file']
    assert open(backup).read() == 'old\n' and stat.S_IMODE(os.stat(backup).st_mode) == 0o600


def test_mode_and_group_apply_to_a_new_file(playbook, control, tmp_path):
    cc_client(control)
    dest, out = tmp_path / 'new.secret', tmp_path / 'out.json'
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), mode='0640', group='65534'))
    info = os.stat(dest)
    assert (info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 0o640), read(out)


def test_checks_before_any_write(playbook, control, tmp_path):
    inactive = cc_client(control, 'sleeping', state='inactive')
    other = cc_client(control, 'other')
    mine = cc_client(control, 'mine')
    control.create_credential('others', other['id'], 'x')
    control.clear_requests()
    run = playbook([
        {'name': 'verify inactive', 'genesys.cloud.oauth_client_secret': dict(client_id=inactive['id'], verify=True, return_secret=True),
         'ignore_errors': True},
        {'name': 'not mine', 'genesys.cloud.oauth_client_secret': dict(client_id=mine['id'], integration_credential='others'),
         'ignore_errors': True},
        {'name': 'policy without copy', 'genesys.cloud.oauth_client_secret': dict(client_id=mine['id'], rotate='when_needed'),
         'ignore_errors': True},
    ])
    assert 'is inactive' in run['verify inactive']['msg']
    assert 'take_over_credential=true' in run['not mine']['msg']
    assert 'rotate is when_needed but any of the following are missing: dest, integration_credential' in run['policy without copy']['msg']
    assert control.writes() == []


def test_overlapping_rotations_to_one_dest_leave_a_working_secret(control, tmp_path):
    client = cc_client(control)
    dest = tmp_path / 'billing.secret'
    runs = []

    def rotate(index):
        play = [dict(name='rotate', hosts='localhost', connection='local', gather_facts=False, tasks=[
            {'name': 'rotate', 'genesys.cloud.oauth_client_secret': dict(name='billing', dest=str(dest)), 'no_log': True}])]
        path = tmp_path / ('play%d.yml' % index)
        path.write_text(json.dumps(play))
        results = tmp_path / ('results%d.jsonl' % index)
        runs.append(run_ansible_playbook(['-i', 'localhost,', str(path)], ansible_env(control.url, results), results))

    threads = [threading.Thread(target=rotate, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [run.rc for run in runs] == [0, 0], [run.output for run in runs]
    assert dest.read_text().strip() == control.client_secret(client['id'])
    assert len(control.secret_posts()) == 2
    for run in runs:
        control.assert_no_secret_in(run.output)


def test_a_rotation_killed_in_flight_is_repaired_by_the_next_when_needed_run(playbook, control, tmp_path):
    import signal
    import subprocess
    import sys
    import time
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    write_copy(dest, client['id'], client['secret'])
    # The emulator holds the rotation for 5 s, then carries it out: the module is killed meanwhile.
    control.fault(method='POST', path='/secret$', delay=5)
    control.clear_requests()
    play = [dict(name='rotate', hosts='localhost', connection='local', gather_facts=False, tasks=[
        {'name': 'rotate', 'genesys.cloud.oauth_client_secret': dict(name='billing', dest=str(dest), dest_format='json'),
         'no_log': True}])]
    path = tmp_path / 'killed.yml'
    path.write_text(json.dumps(play))
    process = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,',
                                str(path)], env=ansible_env(control.url, tmp_path / 'killed.jsonl'),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The request log shows a request once answered: the name lookup is the module's last before the rotation.
    deadline = time.time() + 60
    while not [r for r in control.requests() if r['path'] == CLIENTS] and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)
    # Ansible runs the module in a session of its own: find it by this test's unique results path.
    marker = str(tmp_path / 'killed.jsonl').encode()
    for pid in [entry for entry in os.listdir('/proc') if entry.isdigit()]:
        try:
            with open('/proc/%s/environ' % pid, 'rb') as environ:
                if marker in environ.read():
                    os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
    process.wait(10)
    deadline = time.time() + 15
    while control.client_secret(client['id']) == client['secret'] and time.time() < deadline:
        time.sleep(0.1)  # the emulator finishes the rotation nobody will hear about
    assert control.client_secret(client['id']) != client['secret']
    assert json.loads(dest.read_text())['client_secret'] == client['secret']  # nothing was delivered

    playbook(kept_result_tasks('repair', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json',
                               rotate='when_needed'))
    result = read(out)
    assert result['changed'] and 'no longer logs in' in result['reason']
    assert json.loads(dest.read_text())['client_secret'] == control.client_secret(client['id'])


def test_a_lost_self_rotation_says_to_use_other_credentials(playbook, control, tmp_path):
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=ADMIN_ROLE_ID, divisionId='*')])
    dest, out = tmp_path / 'robot.json', tmp_path / 'out.json'
    write_copy(dest, robot['id'], robot['secret'])
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, client_id=robot['id'], allow_self_rotation=True, dest=str(dest),
                               dest_format='json', max_retries=0),
             env=dict(GENESYSCLOUD_OAUTHCLIENT_ID=robot['id'], GENESYSCLOUD_OAUTHCLIENT_SECRET=robot['secret']))
    result = read(out)
    assert result['failed'] and result['changed'] and "another client's credentials" in result['msg'], result['msg']
    assert not control.logs_in(robot['id'], robot['secret'])
