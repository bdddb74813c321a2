"""Issue 17, promise 3 (files): every file option is checked before a secret is issued, a dest that is not a
regular file is refused, check mode leaves no file behind, a bad lock file is named, and a credential whose
delivery failed is repaired by the next when_needed run."""

import os
import stat
import time

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import cc_client, kept_result_tasks as kept, read, task

CREDENTIALS = '/api/v2/integrations/credentials'


def next_second():
    """Times are compared to the whole second (the API's precision is not documented): let this one pass, so the
    rotation that follows is in a later second than the credential write before it."""
    time.sleep(1 - time.time() % 1 + 0.01)


NEW_CLIENT = dict(name='fresh', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])


def test_a_bad_file_option_costs_no_secret_on_any_path(playbook, control, tmp_path):
    client = cc_client(control)
    dest = str(tmp_path / 'billing.secret')
    control.clear_requests()
    run = playbook([
        task('mode', 'oauth_client_secret', name='billing', dest=dest, mode='abc'),
        task('mode too big', 'oauth_client_secret', name='billing', dest=dest, mode='77777'),
        task('group', 'oauth_client_secret', name='billing', dest=dest, group='nosuchgroup'),
        task('owner', 'oauth_client_secret', name='billing', dest=dest, owner='nosuchuser'),
        task('attributes', 'oauth_client_secret', name='billing', dest=dest, attributes='+Q'),
        task('create', 'oauth_client', dest=dest, mode='abc', **NEW_CLIENT),
        task('entries', 'oauth_clients', clients=[dict(NEW_CLIENT, dest=dest, group='nosuchgroup')]),
        task('rotations', 'oauth_client_secrets', clients=[dict(name='billing', dest=dest, owner='nosuchuser')]),
    ])
    assert "mode 'abc' must be in octal" in run['mode']['msg']
    assert "mode '77777'" in run['mode too big']['msg']
    assert "group 'nosuchgroup' is no group on this host" in run['group']['msg']
    assert "owner 'nosuchuser' is no user on this host" in run['owner']['msg']
    assert "attributes '+Q'" in run['attributes']['msg']
    assert "mode 'abc'" in run['create']['msg']
    assert "group 'nosuchgroup'" in run['entries']['clients'][0]['msg']
    assert "owner 'nosuchuser'" in run['rotations']['clients'][0]['msg']
    for name in ('mode', 'group', 'owner', 'attributes', 'create'):
        assert run.status(name) == 'failed' and not run[name]['changed'] and 'WAS' not in run[name]['msg'], run[name]
    assert control.writes() == [] and not os.path.exists(dest)
    assert control.logs_in(client['id'], client['secret'])
    assert control.clients_named('fresh') == []


def test_symbolic_and_numeric_file_options_are_accepted_as_ansible_accepts_them(playbook, control, tmp_path):
    cc_client(control)
    dest, out = tmp_path / 'billing.secret', tmp_path / 'out.json'
    playbook(kept('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), mode='u=rw,g=r',
                  owner='0', group='65534'))
    assert not read(out).get('failed'), read(out)
    info = os.stat(dest)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, 65534, 0o640)


def special_files(tmp_path):
    """A FIFO, a link to it, and (as root) a world-writable copy of /dev/null, as in the issue. Never the host's
    /dev/null itself: a regression would replace it for every process of the machine."""
    fifo = tmp_path / 'fifo'
    os.mkfifo(fifo)
    link = tmp_path / 'link-to-fifo'
    link.symlink_to(fifo)
    found = {'fifo': fifo, 'link': link}
    if os.geteuid() == 0:
        device = tmp_path / 'nulldev'
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        found['device'] = device
    return found


def test_a_dest_that_is_not_a_regular_file_is_refused_before_the_rotation(playbook, control, tmp_path):
    client = cc_client(control)
    files = special_files(tmp_path)
    control.clear_requests()
    tasks = [task(kind, 'oauth_client_secret', name='billing', dest=str(path)) for kind, path in files.items()]
    tasks.append(task('create', 'oauth_client', dest=str(files['fifo']), **NEW_CLIENT))
    tasks.append(task('check mode', 'oauth_client_secret', name='billing', dest=str(files['fifo'])))
    tasks[-1]['check_mode'] = True
    run = playbook(tasks)
    assert 'is a FIFO (named pipe), not a regular file' in run['fifo']['msg']
    assert 'link-to-fifo' in run['link']['msg'] and 'is a FIFO' in run['link']['msg']
    if 'device' in files:
        assert 'is a character device, not a regular file' in run['device']['msg']
        assert stat.S_ISCHR(os.stat(files['device']).st_mode)
    assert 'is a FIFO' in run['create']['msg'] and 'is a FIFO' in run['check mode']['msg']
    assert stat.S_ISFIFO(os.stat(files['fifo']).st_mode)
    assert control.writes() == [] and control.logs_in(client['id'], client['secret'])


def test_check_mode_leaves_no_file_behind(playbook, control, tmp_path):
    cc_client(control)
    cc_client(control, 'second')
    folder = tmp_path / 'secrets'
    folder.mkdir()
    (folder / 'existing.secret').write_text('old\n')
    before = sorted(os.listdir(folder))
    control.clear_requests()
    run = playbook([
        task('rotate', 'oauth_client_secret', name='billing', dest=str(folder / 'billing.secret')),
        task('rotate existing', 'oauth_client_secret', name='billing', dest=str(folder / 'existing.secret')),
        task('create', 'oauth_client', dest=str(folder / 'fresh.secret'), **NEW_CLIENT),
        task('entries', 'oauth_clients', clients=[dict(NEW_CLIENT, dest=str(folder / 'entry.secret'))]),
        task('rotations', 'oauth_client_secrets', clients=[dict(name='second', dest=str(folder / 'second.secret'))]),
    ], check=True)
    for name in ('rotate', 'rotate existing', 'create', 'entries', 'rotations'):
        assert run.status(name) == 'changed', (name, run[name])
    assert sorted(os.listdir(folder)) == before
    assert control.writes() == []


@pytest.mark.parametrize('check', [False, True])
def test_a_lock_file_that_is_a_directory_is_named(playbook, control, tmp_path, check):
    client = cc_client(control)
    dest = tmp_path / 'billing.secret'
    (tmp_path / '.billing.secret.lock').mkdir()
    (tmp_path / 'elsewhere').write_text('')
    (tmp_path / '.linked.secret.lock').symlink_to(tmp_path / 'elsewhere')
    control.clear_requests()
    run = playbook([
        task('directory', 'oauth_client_secret', name='billing', dest=str(dest)),
        task('create', 'oauth_client', dest=str(dest), **NEW_CLIENT),
        task('symlink', 'oauth_client_secret', name='billing', dest=str(tmp_path / 'linked.secret')),
    ], check=check)
    lock = str(tmp_path / '.billing.secret.lock')
    for name in ('directory', 'create'):
        message = run[name]['msg']
        assert 'cannot take the lock on dest %s: %s is a directory' % (dest, lock) in message, message
        assert 'failed unexpectedly' not in message and not run[name]['changed']
    assert 'is a symbolic link' in run['symlink']['msg']
    assert control.writes() == [] and control.logs_in(client['id'], client['secret'])


def test_a_failed_credential_delivery_is_repaired_by_the_next_when_needed_run(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    dest, out = tmp_path / 'billing.json', tmp_path / 'out.json'
    policy = dict(name='billing', dest=str(dest), dest_format='json', integration_credential='billing-actions',
                  rotate='when_needed', max_age_days=30)

    next_second()
    control.fault(method='PUT', path='/credentials/', status=500)
    playbook(kept('rotate', 'oauth_client_secret', out, **dict(policy, rotate='always')))
    failed = read(out)
    assert failed['failed'] and failed['deliveries']['integration_credential'] == 'failed', failed
    assert failed['deliveries']['dest'] == 'done'
    assert control.credential_fields(credential['id'])['clientSecret'] == client['secret']  # the dead one

    check = tmp_path / 'check.json'
    control.clear_requests()
    playbook(kept('repair, check mode', 'oauth_client_secret', check, **policy), check=True)
    assert read(check)['changed'] and 'billing-actions' in read(check)['reason'] and control.writes() == []
    playbook(kept('repair', 'oauth_client_secret', out, **policy))
    repaired = read(out)
    assert repaired['changed'] and not repaired.get('failed'), repaired
    assert 'was last written before the client' in repaired['reason'], repaired['reason']
    held = control.credential_fields(credential['id'])
    assert held['clientId'] == client['id'] and control.logs_in(client['id'], held['clientSecret'])

    control.clear_requests()
    playbook(kept('again', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] is False and control.writes() == [], read(out)


def test_a_rotation_made_elsewhere_is_repaired_in_a_credential_only_delivery(playbook, control, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    out = tmp_path / 'out.json'
    policy = dict(name='billing', integration_credential='billing-actions', rotate='when_needed')
    control.clear_requests()
    playbook(kept('fresh', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] is False and control.writes() == [], read(out)

    next_second()
    assert control.api('POST', '/api/v2/oauth/clients/%s/secret' % client['id']).status_code == 200
    playbook(kept('after', 'oauth_client_secret', out, **policy))
    assert read(out)['changed'] and 'was last written before the client' in read(out)['reason']
    assert control.logs_in(client['id'], control.credential_fields(credential['id'])['clientSecret'])
