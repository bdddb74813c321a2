"""oauth_clients' purge in-process against the emulator: what it may delete, decided before any write, and what a
bug in its loop must still hand back."""

import re
from types import SimpleNamespace

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients import ensure_many as _client_set
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import ApiClient
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET


class PurgeModule:
    """What ensure_client_set uses of GenesysModule, with a purge of ^team-a-."""
    check_mode = False
    _diff = False

    def __init__(self, url, clients):
        self.api = ApiClient(url, url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5)
        self.params = dict(clients=clients, defaults=dict(grant_type='code', return_secret=True), purge=True, purge_filter='^team-a-',
                           purge_filter_matches_all=False)
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


@pytest.mark.parametrize('write_first', [False, True])
def test_a_bug_in_the_purge_loop_keeps_the_new_secrets_and_tells_what_was_written(
        emulator, control, monkeypatch, write_first):
    stale = control.create_client(name='team-a-stale', authorizedGrantType='CODE', redirectUris=['https://x.example'])
    real_ensure_absent = _client_set.ensure_absent

    def broken(api, entry, check_mode, current_api):
        if write_first:
            real_ensure_absent(api, entry, check_mode, current_api=current_api)
        raise TypeError('a bug')

    monkeypatch.setattr(_client_set, 'ensure_absent', broken)
    with pytest.raises(GenesysError) as caught:
        _client_set.ensure_client_set(PurgeModule(emulator.url, [dict(name='team-a-new')]))
    new, purged = caught.value.result['clients']
    assert new['action'] == 'created' and new['secret'] == control.client_secret(new['id'])
    assert purged['id'] == stale['id'] and purged['action'] == 'failed'
    assert 'failed unexpectedly (TypeError: a bug); please report this as a bug of genesys.cloud' in purged['msg']
    assert purged['changed'] is write_first
    assert caught.value.changed is True


@pytest.mark.parametrize('pattern, matches_all, problem', [
    (None, False, 'purge_filter is empty'),
    ('', True, 'purge_filter is empty'),
    (' \t', False, 'purge_filter is empty'),
    ('.*', False, "purge_filter '.*' matches the empty string"),
    ('^', False, 'purge_filter_matches_all=true'),
    ('x?', False, 'matches the empty string'),
    ('^(?!team-b-)', False, 'matches the empty string'),
    ('(', False, 'purge_filter is not a regular expression'),
    ('.*', True, None),
    ('^team-a-', False, None),
    (' ', False, 'purge_filter is empty'),  # it would match only names with a space: a mistake, not a choice
])
def test_a_filter_that_matches_every_name_is_refused_unless_meant(pattern, matches_all, problem):
    found = _client_set.purge_filter_problem(pattern, matches_all)
    assert found is None if problem is None else problem in found


def test_every_client_an_entry_names_is_protected_from_the_purge():
    clients = [dict(id='1', name='team-a-x'), dict(id='2', name='team-a-x'), dict(id='3', name='team-a-old'),
               dict(id='4', name='team-a-renamed'), dict(id='5', name='team-a-login'), dict(id='6', name=5),
               dict(id=7, name='team-a-odd-id'), dict(id='8', name='team-b-other'), dict(id='9', name='team-a-target')]
    by_name = {}
    for client in clients:
        by_name.setdefault(client['name'], []).append(client)
    listing = SimpleNamespace(clients=clients, by_name=by_name)
    entries = [dict(client_id=None, name='team-a-x'), dict(client_id='4', name='team-a-target'),
               dict(client_id='no-such-id', name=None)]
    doomed = _client_set.purge_candidates(listing, entries, re.compile('^team-a-'), '5')
    assert [client['id'] for client in doomed] == ['3']
