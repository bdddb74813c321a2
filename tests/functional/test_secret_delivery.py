"""Secret delivery, shared by every module that issues a secret (issue 17, promise 3): every file option is checked
before a secret is issued, a dest that is not a regular file is refused, check mode leaves no file behind, a bad
lock file is named, and parallel creates to one dest make one client."""

import json
import os
import stat
import threading

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import ansible_env, assert_clean_output, cc_client, run_ansible_playbook, task

NEW_CLIENT = dict(name='fresh', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])
CLIENTS = '/api/v2/oauth/clients'
CC = dict(name='crm', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])


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


# --- case 4: parallel creates of one client to one dest --------------------------------------------------------

@pytest.mark.parametrize('module', ['oauth_client', 'oauth_clients'])
def test_two_parallel_creates_to_one_dest_make_one_client_whose_secret_is_in_dest(control, tmp_path, module):
    dest = tmp_path / 'crm.secret'
    # A create takes 3 s: without the lock, the second run's lookup would find nothing meanwhile and create too.
    control.fault(method='POST', path=CLIENTS + '$', delay=3, count=2)
    runs = {}
    if module == 'oauth_client':
        create = task('create', 'oauth_client', dest=str(dest), **CC)
    else:  # its one listing walk is read before the lock: the client is looked up again under it
        create = task('create', 'oauth_clients', clients=[dict(CC, dest=str(dest))])

    def run(number):
        play = dict(name='create', hosts='localhost', connection='local', gather_facts=False, tasks=[create])
        playbook_path, results = tmp_path / ('play%d.yml' % number), tmp_path / ('results%d.jsonl' % number)
        playbook_path.write_text(json.dumps([play]))
        runs[number] = run_ansible_playbook(['-i', 'localhost,', str(playbook_path)],
                                            ansible_env(control.url, results), results)

    threads = [threading.Thread(target=run, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in runs.values():
        assert_clean_output(control, outcome.output)
    assert sorted(outcome.status('create') for outcome in runs.values()) == ['changed', 'ok'], \
        [outcome.output for outcome in runs.values()]
    [client] = control.clients_named('crm')
    assert dest.read_text().strip() == control.client_secret(client['id'])
    assert control.logs_in(client['id'], dest.read_text().strip())
