"""Secret files: the formats, and the atomic write that never leaves a partial file."""

import contextlib
import fcntl
import json
import os
import stat

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.module_utils._secrets.delivery import (
    backup_copy, dest_lock, read_secret_file, secret_document, write_dest)

SECRET = 'n3w-"secret"\\with:yaml#chars'


@pytest.mark.parametrize('fmt,load', [('json', json.loads), ('yaml', yaml.safe_load)])
def test_documents_carry_id_secret_and_time(fmt, load):
    document = load(secret_document(fmt, 'c1', SECRET, '2026-01-01T00:00:00.000Z'))
    assert document == dict(client_id='c1', client_secret=SECRET, rotated_at='2026-01-01T00:00:00.000Z')
    assert secret_document('secret', 'c1', SECRET, 'x') == SECRET + '\n'


@pytest.mark.parametrize('fmt', ['secret', 'json', 'yaml'])
def test_a_written_document_reads_back(tmp_path, fmt):
    dest = tmp_path / 'secret'
    dest.write_text(secret_document(fmt, 'c1', SECRET, '2026-01-01T00:00:00.000Z'))
    secret, rotated_at = read_secret_file(str(dest), fmt)
    assert secret == SECRET
    assert rotated_at == '2026-01-01T00:00:00.000Z' or (fmt == 'secret' and rotated_at.endswith('Z'))


def test_a_missing_or_foreign_file_reads_as_nothing(tmp_path):
    assert read_secret_file(str(tmp_path / 'none'), 'json') == (None, None)
    (tmp_path / 'garbage').write_text('{not json')
    assert read_secret_file(str(tmp_path / 'garbage'), 'json') == (None, None)
    assert read_secret_file(str(tmp_path / 'garbage'), 'yaml') == (None, None)


def test_a_backup_is_0600_whatever_the_file_mode(tmp_path):
    dest = tmp_path / 'secret'
    dest.write_text('old')
    os.chmod(dest, 0o644)
    backup = backup_copy(str(dest))
    assert open(backup).read() == 'old' and stat.S_IMODE(os.stat(backup).st_mode) == 0o600


def test_a_backup_of_a_fifo_fails_without_blocking(tmp_path):
    fifo = tmp_path / 'fifo'
    os.mkfifo(fifo)
    with pytest.raises(OSError, match='not a regular file'):
        backup_copy(str(fifo))


def test_the_dest_lock_is_exclusive(tmp_path):
    target = str(tmp_path / 'secret')
    with dest_lock(target):
        handle = os.open(str(tmp_path / '.secret.lock'), os.O_RDWR)
        try:
            with pytest.raises(OSError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(handle)
    handle = os.open(str(tmp_path / '.secret.lock'), os.O_RDWR)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released at the end of the block
    os.close(handle)


class BrokenMoveModule:
    """Just enough of GenesysModule for write_dest, with an atomic_move that fails."""
    params = {}

    @contextlib.contextmanager
    def failures_raise(self):
        yield

    def atomic_move(self, src, dest, unsafe_writes=False):
        raise OSError('disk full')


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    dest = tmp_path / 'secret'
    dest.write_text('old')
    with pytest.raises(OSError):
        write_dest(BrokenMoveModule(), {}, str(dest), 'new')
    assert dest.read_text() == 'old' and os.listdir(tmp_path) == ['secret']
