"""What the many-client modules share: entries checked before any request."""

import os

from ansible_collections.genesys.cloud.plugins.module_utils._oauth.many_clients import shared_dest_problems


def test_one_dest_for_several_entries_is_one_problem_naming_them(tmp_path):
    (tmp_path / 'link').symlink_to(tmp_path)
    entries = [dict(name='a', dest=str(tmp_path / 'shared')), dict(client_id='id-b', dest=str(tmp_path / 'link' / 'shared')),
               dict(name='c', dest=str(tmp_path / 'own')), dict(name='d', dest=None)]
    assert shared_dest_problems(entries) == [
        "dest %s is given to several clients (a, id-b): each would overwrite the others' secret"
        % os.path.realpath(tmp_path / 'shared')]
