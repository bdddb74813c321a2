"""Secrets that are never lost: captured at create, rotated by policy, recovered after a lost answer, files
written the Ansible way, and kept by the role. The API shows a secret only at create and rotation."""

import json
import os
import stat
import threading
from datetime import datetime, timedelta, timezone

import pytest

from genesys_emulator.seed import ADMIN_ROLE_ID, EMPLOYEE_ROLE_ID
from conftest import read, ansible_env, kept_result_tasks as kept, run_ansible_playbook  # pylint: disable=import-error

CLIENTS = '/api/v2/oauth/clients'
CREDENTIALS = '/api/v2/integrations/credentials'


def cc_client(control, name='billing', **extra):
    return control.create_client(name=name, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)], **extra)


def credential_fields(control, credential_id):
    return control.http.get('%s/__emulator/credentials/%s/fields' % (control.url, credential_id)).json()


def secret_posts(control):
    return [r for r in control.requests() if r['method'] == 'POST' and r['path'].endswith('/secret')]


def test_a_new_clients_secret_lands_in_dest_and_a_new_credential(playbook, control, tmp_path):
    out, dest = tmp_path / 'out.json', tmp_path / 'crm.json'
    run = playbook(kept('create', 'oauth_client', out, name='crm', grant_type='client_credentials',
                        roles=[dict(role_id=EMPLOYEE_ROLE_ID)], dest=str(dest), dest_format='json',
                        integration_credential='crm-actions', create_credential=True)
                   + [{'name': 'read back', 'genesys.cloud.oauth_client_info': {'name': 'crm'}, 'register': 'info'}])
    result = read(out)
    client = result['client']
    assert result['changed'] and result['deliveries'] == dict(dest='done', integration_credential='done',
                                                              verify='not requested'), result
    assert json.loads(dest.read_text())['client_secret'] == client['secret'] == control.client_secret(client['id'])
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert credential_fields(control, result['credential_id']) == dict(clientId=client['id'], clientSecret=client['secret'])
    assert 'secret' not in run['read back']['clients'][0]  # no read returns a secret


def test_a_failed_credential_write_after_a_create_keeps_the_secret(playbook, control, tmp_path):
    out, dest = tmp_path / 'out.json', tmp_path / 'crm.secret'
    control.fault(method='POST', path=CREDENTIALS + '$', status=500, message='credential store down')
    playbook(kept('create', 'oauth_client', out, name='crm', grant_type='client_credentials',
                  roles=[dict(role_id=EMPLOYEE_ROLE_ID)], dest=str(dest), integration_credential='crm-actions',
                  create_credential=True))
    result = read(out)
    assert result['failed'] and result['changed'] and 'WAS created' in result['msg']
    assert 'credential store down' in result['msg']
    assert result['deliveries']['dest'] == 'done' and result['deliveries']['integration_credential'] == 'failed'
    client = result['client']
    assert client['id'] and client['secret'] == control.client_secret(client['id']) == dest.read_text().strip()


def test_deliveries_are_checked_before_the_create(playbook, control, tmp_path):
    other = cc_client(control, 'other')
    control.api('POST', CREDENTIALS, json=dict(name='taken', type=dict(name='pureCloudOAuthClient'),
                                               credentialFields=dict(clientId=other['id'], clientSecret='x')))
    control.clear_requests()
    run = playbook([
        {'name': 'no folder', 'genesys.cloud.oauth_client': dict(name='crm', grant_type='code',
                                                                 dest=str(tmp_path / 'no' / 'file')), 'ignore_errors': True},
        {'name': 'taken', 'genesys.cloud.oauth_client': dict(name='crm', grant_type='code', integration_credential='taken'),
         'ignore_errors': True},
    ])
    assert 'existing, writable directory' in run['no folder']['msg']
    assert 'holds the secret of client %s' % other['id'] in run['taken']['msg'] and 'take_over_credential' in run['taken']['msg']
    assert control.writes() == [] and control.clients_named('crm') == []


def write_copy(dest, client_id, secret, days_old=0):
    rotated_at = (datetime.now(timezone.utc) - timedelta(days=days_old)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    dest.write_text(json.dumps(dict(client_id=client_id, client_secret=secret, rotated_at=rotated_at)))


def test_when_needed_rotates_only_a_missing_broken_or_old_copy(playbook, control, tmp_path):
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    policy = dict(name='billing', dest=str(dest), dest_format='json', rotate='when_needed', max_age_days=90)

    write_copy(dest, client['id'], client['secret'], days_old=10)
    control.clear_requests()
    playbook(kept('fresh', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] is False and 'young enough' in read(out)['reason']
    assert control.writes() == []

    check = tmp_path / 'check.json'
    dest.unlink()
    playbook(kept('missing, check mode', 'oauth_client_secret', check, **policy), check=True)
    assert read(check)['changed'] and 'is missing' in read(check)['reason'] and control.writes() == []
    playbook(kept('missing', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'is missing' in read(out)['reason']
    assert control.logs_in(client['id'], json.loads(dest.read_text())['client_secret'])

    write_copy(dest, client['id'], 'not-the-secret')
    playbook(kept('broken', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'no longer logs in' in read(out)['reason']
    assert control.logs_in(client['id'], json.loads(dest.read_text())['client_secret'])

    write_copy(dest, client['id'], json.loads(dest.read_text())['client_secret'], days_old=100)
    playbook(kept('old', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'days old (max_age_days=90)' in read(out)['reason']
    assert len(secret_posts(control)) == 3


def test_a_lost_rotation_answer_is_recovered_from_the_previous_secret(playbook, control, tmp_path):
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    write_copy(dest, client['id'], client['secret'])
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json',
                  max_retries=0))
    result = read(out)
    assert result['changed'] and result['recovered'] is True and 'lost in transit' in result['reason'], result
    new_secret = json.loads(dest.read_text())['client_secret']
    assert new_secret == result['secret'] == control.client_secret(client['id'])
    assert control.logs_in(client['id'], new_secret) and not control.logs_in(client['id'], client['secret'])
    assert len(secret_posts(control)) == 2


@pytest.mark.parametrize('answer', [dict(status=503), dict(body='<html>OK</html>')], ids=['503', 'unreadable-2xx'])
def test_a_failed_rotation_with_a_working_previous_secret_says_not_rotated(playbook, control, tmp_path, answer):
    """A 5xx, or a 2xx whose body cannot be read (issue 17, case 8), that did not rotate: the previous secret proves it."""
    client = cc_client(control)
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    write_copy(dest, client['id'], client['secret'])
    control.fault(method='POST', path='/secret$', **answer)
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json'))
    result = read(out)
    assert result['failed'] and 'was NOT rotated' in result['msg'] and 'still logs in' in result['msg']
    assert result['changed'] is False and control.logs_in(client['id'], client['secret'])


def test_a_lost_rotation_answer_without_a_previous_secret_says_it_may_have_happened(playbook, control, tmp_path):
    client = cc_client(control)
    out = tmp_path / 'out.json'
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', integration_credential='billing-actions',
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
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', dest=str(fifo), backup=True,
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
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', dest=str(link), backup=True))
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
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), mode='0640', group='65534'))
    info = os.stat(dest)
    assert (info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 0o640), read(out)


def test_checks_before_any_write(playbook, control, tmp_path):
    inactive = cc_client(control, 'sleeping', state='inactive')
    other = cc_client(control, 'other')
    mine = cc_client(control, 'mine')
    control.api('POST', CREDENTIALS, json=dict(name='others', type=dict(name='pureCloudOAuthClient'),
                                               credentialFields=dict(clientId=other['id'], clientSecret='x')))
    control.clear_requests()
    run = playbook([
        {'name': 'verify inactive', 'genesys.cloud.oauth_client_secret': dict(client_id=inactive['id'], verify=True),
         'ignore_errors': True},
        {'name': 'not mine', 'genesys.cloud.oauth_client_secret': dict(client_id=mine['id'], integration_credential='others'),
         'ignore_errors': True},
        {'name': 'policy without copy', 'genesys.cloud.oauth_client_secret': dict(client_id=mine['id'], rotate='when_needed'),
         'ignore_errors': True},
    ])
    assert 'is inactive' in run['verify inactive']['msg']
    assert 'take_over_credential=true' in run['not mine']['msg']
    assert 'needs dest or integration_credential' in run['policy without copy']['msg']
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
    assert len(secret_posts(control)) == 2
    for run in runs:
        control.assert_no_secret_in(run.output)


def test_the_role_refuses_a_misspelt_key(playbook, control, tmp_path):
    cc_client(control)
    control.clear_requests()
    tasks = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
    run = playbook(tasks, play_vars=dict(rotate_client_secrets_clients=[
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
    tasks = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
    run = playbook(tasks, play_vars=play_vars, env=dict(GENESYSCLOUD_OAUTHCLIENT_ID=robot['id'],
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
    order = [r['path'].split('/')[-2] for r in secret_posts(control)]
    assert order == [billing['id'], crm['id'], robot['id']]
    assert (tmp_path / 'robot.secret').read_text().strip() == control.client_secret(robot['id'])


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

    playbook(kept('repair', 'oauth_client_secret', out, name='billing', dest=str(dest), dest_format='json',
                  rotate='when_needed'))
    result = read(out)
    assert result['changed'] and 'no longer logs in' in result['reason']
    assert json.loads(dest.read_text())['client_secret'] == control.client_secret(client['id'])


def test_the_role_with_a_token_login_rotates_in_the_order_given(playbook, control, tmp_path):
    first, second = cc_client(control, 'first'), cc_client(control, 'second')
    token = control.token()
    control.clear_requests()
    tasks = [{'name': 'with a token', 'module_defaults': {'group/genesys.cloud.genesys': dict(auth_token=token)},
              'block': [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]}]
    run = playbook(tasks, credentials=False, play_vars=dict(rotate_client_secrets_fallback_dir=str(tmp_path / 'fallback'),
                                                            rotate_client_secrets_clients=[
        dict(name='first', dest=str(tmp_path / 'first.secret')),
        dict(client_id=second['id'], dest=str(tmp_path / 'second.secret'))]))
    assert run.rc == 0, run.output
    # With no login client id known, no entry is the login client: none is moved to the end.
    assert [entry['client'] for entry in run['Report every client']['msg']['rotated']] == ['first', 'second']
    assert [r['path'].split('/')[-2] for r in secret_posts(control)] == [first['id'], second['id']]
    # verify logs each client in with its new secret; nothing logs in as the admin client
    assert {r['client_id'] for r in control.requests() if r['path'] == '/oauth/token'} <= {first['id'], second['id']}


def test_a_lost_self_rotation_says_to_use_other_credentials(playbook, control, tmp_path):
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=ADMIN_ROLE_ID, divisionId='*')])
    dest, out = tmp_path / 'robot.json', tmp_path / 'out.json'
    write_copy(dest, robot['id'], robot['secret'])
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    playbook(kept('rotate', 'oauth_client_secret', out, client_id=robot['id'], allow_self_rotation=True, dest=str(dest),
                  dest_format='json', max_retries=0),
             env=dict(GENESYSCLOUD_OAUTHCLIENT_ID=robot['id'], GENESYSCLOUD_OAUTHCLIENT_SECRET=robot['secret']))
    result = read(out)
    assert result['failed'] and result['changed'] and "another client's credentials" in result['msg'], result['msg']
    assert not control.logs_in(robot['id'], robot['secret'])


@pytest.mark.smoke
def test_the_role_rotates_ten_clients_with_one_login_and_one_listing_walk(playbook, control, tmp_path):
    clients = [cc_client(control, 'client-%02d' % number) for number in range(10)]
    control.configure(page_size=5, max_page_size=5)  # 11 clients with the admin: 3 pages
    control.clear_requests()
    entries = [dict(name=client['name'], dest=str(tmp_path / ('%s.secret' % client['name']))) for client in clients]
    tasks = [{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'}}]
    run = playbook(tasks, play_vars=dict(rotate_client_secrets_clients=entries,
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
