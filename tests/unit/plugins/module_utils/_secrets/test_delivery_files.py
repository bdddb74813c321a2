"""Issue 17, promise 3 (files): dest_target checks every file option before a secret is issued, dest_lock takes
nothing in check mode and names a bad lock file."""

import errno
import os

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._secrets import delivery as _secret_delivery
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError, InputError
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.delivery import dest_lock, dest_target


def params(tmp_path, **options):
    return dict(dest=str(tmp_path / 'secret'), **options)


@pytest.mark.parametrize('mode', ['0640', '640', 0o640, 'u=rw,g=r', 'u+x', 'a=', ''])
def test_modes_ansible_accepts_pass(tmp_path, mode):
    assert dest_target(params(tmp_path, mode=mode)) == str(tmp_path / 'secret')


@pytest.mark.parametrize('mode,problem', [('abc', 'must be in octal'), ('0999', 'must be in octal'),
                                          ('77777', 'permission bits'), (True, 'must be in octal'),
                                          (['0640'], 'must be in octal'), (-1, 'permission bits')])
def test_bad_modes_are_refused_naming_the_option(tmp_path, mode, problem):
    with pytest.raises(InputError, match='mode .*%s' % problem):
        dest_target(params(tmp_path, mode=mode))


def test_owner_and_group_must_exist(tmp_path):
    assert dest_target(params(tmp_path, owner='root', group='root'))
    assert dest_target(params(tmp_path, owner='12345', group='54321'))  # numeric ids, as chown takes them
    with pytest.raises(InputError, match="owner 'nosuchuser' is no user on this host"):
        dest_target(params(tmp_path, owner='nosuchuser'))
    with pytest.raises(InputError, match="group 'nosuchgroup' is no group on this host"):
        dest_target(params(tmp_path, group='nosuchgroup'))


def test_without_root_only_our_own_owner_and_groups_can_be_given(tmp_path, monkeypatch):
    monkeypatch.setattr(os, 'geteuid', lambda: 1000)
    monkeypatch.setattr(os, 'getegid', lambda: 1000)
    monkeypatch.setattr(os, 'getgroups', lambda: [1000, 20])
    assert dest_target(params(tmp_path, owner='1000', group='20'))
    with pytest.raises(InputError, match="owner '0'.*only root"):
        dest_target(params(tmp_path, owner='0'))
    with pytest.raises(InputError, match="group '0'.*not one of the groups"):
        dest_target(params(tmp_path, group='0'))


def test_attributes_must_be_known_letters(tmp_path):
    assert dest_target(params(tmp_path, attributes='+A'))
    assert dest_target(params(tmp_path, attributes='-d'))
    with pytest.raises(InputError, match="attributes '\\+Q'"):
        dest_target(params(tmp_path, attributes='+Q'))


def test_a_dest_that_is_not_a_regular_file_is_refused(tmp_path):
    os.mkfifo(tmp_path / 'fifo')
    (tmp_path / 'link').symlink_to(tmp_path / 'fifo')
    with pytest.raises(InputError, match='dest .*/fifo is a FIFO'):
        dest_target(dict(dest=str(tmp_path / 'fifo')))
    with pytest.raises(InputError, match='dest .*/link \\(a link to .*/fifo\\) is a FIFO'):
        dest_target(dict(dest=str(tmp_path / 'link')))
    (tmp_path / 'file').write_text('old')
    assert dest_target(dict(dest=str(tmp_path / 'file'))) == str(tmp_path / 'file')


def test_check_mode_takes_no_lock_and_creates_nothing(tmp_path):
    with dest_lock(str(tmp_path / 'secret'), check_mode=True):
        assert os.listdir(tmp_path) == []
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_lock_file_that_is_a_directory_is_named(tmp_path, check_mode):
    (tmp_path / '.secret.lock').mkdir()
    with pytest.raises(GenesysError, match='cannot take the lock on dest .*/secret: .*/.secret.lock is a directory'):
        with dest_lock(str(tmp_path / 'secret'), check_mode=check_mode):
            pass


def test_an_unwritable_lock_file_is_named(tmp_path, monkeypatch):
    real_open = os.open

    def refusing_open(path, flags, *args):
        if str(path).endswith('.lock'):
            raise PermissionError(errno.EACCES, 'Permission denied', path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(_secret_delivery.os, 'open', refusing_open)
    with pytest.raises(GenesysError, match='cannot take the lock on dest .*: .*/.secret.lock cannot be opened for '
                                           'writing \\(Permission denied\\)'):
        with dest_lock(str(tmp_path / 'secret')):
            pass
