"""oauth_clients' set logic in-process against the emulator: what a bug after a create must still hand back."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients import ensure_many as _client_set
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import ApiClient
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET


class SetModule:
    """What ensure_client_set uses of GenesysModule."""
    check_mode = False
    _diff = False

    def __init__(self, url, clients):
        self.api = ApiClient(url, url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5)
        self.params = dict(clients=clients, defaults=dict(grant_type='code', return_secret=True), purge=False, purge_filter=None)


def test_a_bug_after_a_create_still_returns_the_new_secret(emulator, control, monkeypatch):
    real_action = _client_set._action  # called for an entry that succeeded, after its client was created
    calls = []

    def broken_once(entry, result):
        calls.append(entry['name'])
        if len(calls) == 1:
            raise KeyError('a bug')
        return real_action(entry, result)

    monkeypatch.setattr(_client_set, '_action', broken_once)
    with pytest.raises(GenesysError) as caught:
        _client_set.ensure_client_set(SetModule(emulator.url, [dict(name='first'), dict(name='second')]))
    first, second = caught.value.result['clients']
    assert first['action'] == 'failed' and 'KeyError' in first['msg'] and first['changed'] is True
    assert first['secret'] == control.client_secret(first['id'])
    assert second['action'] == 'created' and caught.value.changed is True
