"""Secret files: the formats, and the atomic write that never leaves a partial file."""

import json
import os
import stat

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.module_utils import _secret_delivery
from ansible_collections.genesys.cloud.plugins.module_utils._secret_delivery import secret_document, write_atomically

SECRET = 'n3w-"secret"\\with:yaml#chars'


@pytest.mark.parametrize('fmt,load', [('json', json.loads), ('yaml', yaml.safe_load)])
def test_documents_carry_id_secret_and_time(fmt, load):
    document = load(secret_document(fmt, 'c1', SECRET, '2026-01-01T00:00:00.000Z'))
    assert document == dict(client_id='c1', client_secret=SECRET, rotated_at='2026-01-01T00:00:00.000Z')
    assert secret_document('secret', 'c1', SECRET, 'x') == SECRET + '\n'


def test_write_replaces_with_mode_0600(tmp_path):
    dest = tmp_path / 'secret'
    dest.write_text('old')
    os.chmod(dest, 0o644)
    write_atomically(str(dest), 'new\n')
    assert dest.read_text() == 'new\n' and stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert os.listdir(tmp_path) == ['secret']


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    dest = tmp_path / 'secret'
    dest.write_text('old')

    def broken_replace(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(_secret_delivery.os, 'replace', broken_replace)
    with pytest.raises(OSError):
        write_atomically(str(dest), 'new')
    assert dest.read_text() == 'old' and os.listdir(tmp_path) == ['secret']
