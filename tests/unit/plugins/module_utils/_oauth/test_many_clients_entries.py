"""The entries of the many-client modules, checked in-process before any request: with the argument spec and the
cross-field rules of the one-client module (one definition), each problem naming its entry."""

from types import SimpleNamespace

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_model import CLIENT_ARGUMENT_SPEC, CLIENT_RULES
from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.ensure_many import ensure_client_set
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import ApiClient
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.rotation import ROTATION_ARGUMENT_SPEC, ROTATION_RULES
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.rotation_many import rotate_secrets
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET


def refusal(url, run, clients, **params):
    """The InputError run(module) raises for these entries (oauth_clients' or oauth_client_secrets' whole run)."""
    module = SimpleNamespace(check_mode=False, _diff=False, params=dict(dict(clients=clients, defaults={}, purge=False), **params),
                             api=ApiClient(url, url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5))
    with pytest.raises(InputError) as caught:
        run(module)
    return str(caught.value)


def one_client_messages(spec, rules, params):
    """What GenesysModule (the one-client module) checks of these options before its body: the same validator."""
    return ArgumentSpecValidator(spec, **rules).validate(params).error_messages


def test_oauth_clients_entries_are_refused_by_oauth_clients_rules_before_any_request(emulator, control):
    control.clear_requests()
    message = refusal(emulator.url, ensure_client_set, [
        dict(name='ok', grant_type='code'),
        dict(grant_type='code', description='nameless'),
        dict(name='roles', grant_type='client_credentials', roles=[dict(division='Home')]),
        dict(name='both', grant_type='client_credentials', roles=[dict(role='Employee', role_id='r1')]),
        dict(name='', grant_type='code'),
        dict(name='late', grant_type='code', access_token_validity_seconds=1),
    ])
    assert 'clients[0]' not in message
    for expected in ('clients[1]: one of the following is required: client_id, name',
                     'clients[2]: one of the following is required: role_id, role found in roles',
                     'clients[3]: parameters are mutually exclusive: role_id|role found in roles',
                     'clients[4]: name must not be empty',
                     'clients[5]: access_token_validity_seconds must be between 300 and 172800, got 1'):
        assert expected in message, message
    assert control.requests() == []


def test_an_oauth_clients_entry_and_oauth_client_get_the_same_message(emulator, control):
    control.clear_requests()
    message = refusal(emulator.url, ensure_client_set, [dict(grant_type='code')])
    expected = one_client_messages(CLIENT_ARGUMENT_SPEC, CLIENT_RULES, dict(grant_type='code'))
    assert expected == ['one of the following is required: client_id, name']
    assert message == 'clients[0]: %s' % expected[0]
    assert control.requests() == []


# rule: a cross-field rule of ROTATION_RULES, which oauth_client_secret's GenesysModule checks with the same words.
@pytest.mark.parametrize('entry,expected,rule', [
    (dict(dest='/tmp/x.secret'), 'one of the following is required: client_id, name', True),
    (dict(name='x', rotate='when_needed'),
     'rotate is when_needed but any of the following are missing: dest, integration_credential', True),
    (dict(client_id='', rotate='always'), 'client_id must not be empty', False),
    (dict(name='x', rotate='when_needed', dest=''),
     'rotate=when_needed needs dest or integration_credential, and the one given is empty', False),
    (dict(name='x', rotate='sometimes'), 'value of rotate must be one of: always, when_needed', True),
    (dict(name='x', max_age_days=0), 'max_age_days must be 1 or more, got 0', False),
])
def test_oauth_client_secrets_entries_are_refused_before_any_request(emulator, control, entry, expected, rule):
    control.clear_requests()
    message = refusal(emulator.url, rotate_secrets, [dict(name='fine', return_secret=True), entry])
    assert message.startswith('clients[1]: ') and expected in message, message
    assert (expected in '; '.join(one_client_messages(ROTATION_ARGUMENT_SPEC, ROTATION_RULES, entry))) == rule
    assert control.requests() == []


def test_oauth_clients_own_rules_and_an_entrys_are_all_reported(emulator, control):
    control.clear_requests()
    message = refusal(emulator.url, ensure_client_set, [dict(description='x')], purge=True, purge_filter='.*')
    assert 'clients[0]: one of the following is required: client_id, name' in message
    assert 'purge_filter_matches_all' in message
    assert control.requests() == []
