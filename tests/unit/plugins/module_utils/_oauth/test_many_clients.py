"""What the many-client modules share: entries checked before any request."""

import os

from ansible_collections.genesys.cloud.plugins.module_utils._oauth.many_clients import shared_delivery_problems


def test_one_dest_for_several_entries_is_one_problem_naming_them(tmp_path):
    (tmp_path / 'link').symlink_to(tmp_path)
    entries = [dict(name='a', dest=str(tmp_path / 'shared')), dict(client_id='id-b', dest=str(tmp_path / 'link' / 'shared')),
               dict(name='c', dest=str(tmp_path / 'own')), dict(name='d', dest=None)]
    assert shared_delivery_problems(entries) == [
        "dest %s is given to several clients (a, id-b): each would overwrite the others' secret"
        % os.path.realpath(tmp_path / 'shared')]


def test_one_integration_credential_for_several_entries_is_one_problem_naming_them():
    """The second write would replace the first client's secret in the credential, which then holds it nowhere:
    take_over_credential repoints another client's credential, it does not let one run write it twice."""
    entries = [dict(name='a', integration_credential='actions', take_over_credential=True),
               dict(name='b', integration_credential='actions', take_over_credential=True),
               dict(name='c', integration_credential='own')]
    assert shared_delivery_problems(entries) == [
        "integration_credential actions is given to several clients (a, b): each would overwrite the others' secret"]
