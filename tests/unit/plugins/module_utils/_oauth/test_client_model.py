"""The OAuth client model: mapping, normalisation, comparison, merge and validation."""

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_model import (
    CLIENT_ARGUMENT_SPEC, CLIENT_RULES, diff_view, from_api, invalid_redirect_uri, merge, new_client, to_request, validate_params,
    wanted_from_params)

API_CLIENT = dict(
    id='c1', name='web', description=None, authorizedGrantType='CLIENT-CREDENTIALS', accessTokenValiditySeconds=3600,
    registeredRedirectUri=['https://b/cb', 'https://a/cb', 'https://a/cb'], scope=[], secret='s3cr3t', state='active',
    roleDivisions=[dict(roleId='r2', divisionId='*'), dict(roleId='r1', divisionId='d1')],
    dateCreated='2026-01-01T00:00:00.000Z', dateModified='2026-01-02T00:00:00.000Z',
    createdBy=dict(id='u1', name='Ann', selfUri='/x'), selfUri='/api/v2/oauth/clients/c1')


def params(**given):
    base = dict(state='present', client_id=None, name=None, description=None, grant_type=None,
                access_token_validity_seconds=None, allow_scim_validity=False, redirect_uris=None, scopes=None,
                roles=None, active=None)
    base.update(given)
    return base


def test_from_api_is_snake_case_sorted_and_has_no_secret():
    client = from_api(API_CLIENT)
    assert 'secret' not in client
    assert client['grant_type'] == 'client_credentials'
    assert client['redirect_uris'] == ['https://a/cb', 'https://b/cb']
    assert client['roles'] == [dict(role_id='r1', division_id='d1'), dict(role_id='r2', division_id='*')]
    assert client['active'] is True and client['created_by'] == dict(id='u1', name='Ann')


def test_to_request_round_trips_and_never_sends_null_enums():
    body = to_request(from_api(API_CLIENT))
    assert body['authorizedGrantType'] == 'CLIENT-CREDENTIALS' and body['state'] == 'active'
    assert 'description' not in body and None not in body.values()
    assert body['roleDivisions'] == [dict(roleId='r1', divisionId='d1'), dict(roleId='r2', divisionId='*')]
    assert 'state' not in to_request(new_client(dict(name='n', grant_type='code')))


def test_fields_the_collection_does_not_know_are_kept_under_extra_and_sent_back():
    live = dict(API_CLIENT, allowedIpAddresses=['10.0.0.0/8'], ipPolicy=dict(mode='allow', ranges=['1.2.3.4/32']))
    client = from_api(live)
    assert client['extra'] == dict(allowedIpAddresses=['10.0.0.0/8'], ipPolicy=dict(mode='allow', ranges=['1.2.3.4/32']))
    assert from_api(API_CLIENT)['extra'] == {}
    # Whatever the write: an update, a rename, a deactivation; read-only fields (id, dates, selfUri) never go back.
    for written in (merge(client, dict(description='new'))[0], merge(client, dict(name='renamed'))[0],
                    dict(client, state='inactive')):
        body = to_request(written)
        assert body['allowedIpAddresses'] == ['10.0.0.0/8'] and body['ipPolicy'] == live['ipPolicy']
        assert not {'id', 'dateCreated', 'createdBy', 'selfUri', 'secret'} & set(body)
    client['extra']['ipPolicy']['ranges'].append('changed')
    assert live['ipPolicy']['ranges'] == ['1.2.3.4/32']  # a copy, not the answer itself
    assert 'nothing' not in to_request(dict(client, extra=dict(nothing=None)))  # never a null
    assert to_request(new_client(dict(name='n', grant_type='code'))) == to_request(dict(name='n', grant_type='code'))


def test_a_client_of_a_retiring_grant_says_so():
    assert from_api(dict(API_CLIENT, authorizedGrantType='TOKEN'))['deprecated_grant'] is True
    assert from_api(API_CLIENT)['deprecated_grant'] is False
    assert new_client(dict(name='n', grant_type='token'))['deprecated_grant'] is True
    merged, changed = merge(from_api(dict(API_CLIENT, authorizedGrantType='TOKEN', roleDivisions=[])),
                            dict(grant_type='code'))
    assert merged['deprecated_grant'] is False and changed == ['grant_type']


def test_merge_keeps_unmentioned_fields_and_finds_changes():
    current = from_api(API_CLIENT)
    merged, changed = merge(current, dict(description='new'))
    assert changed == ['description']
    assert merged['redirect_uris'] == current['redirect_uris'] and merged['roles'] == current['roles']
    assert merge(current, dict(description=''))[1] == []  # no description and an empty one are the same


def test_merge_compares_sets():
    current = from_api(API_CLIENT)
    wanted = wanted_from_params(params(redirect_uris=['https://b/cb', 'https://a/cb', 'https://b/cb'],
                                       roles=[dict(role_id='r2', division_id='*'), dict(role_id='r1', division_id=None)]),
                                home_division_id='d1')
    assert merge(current, wanted)[1] == []


def test_merge_drops_roles_when_leaving_client_credentials():
    merged, changed = merge(from_api(API_CLIENT), dict(grant_type='code', scopes=['users']))
    assert merged['roles'] == [] and set(changed) == {'grant_type', 'roles', 'scopes'}


def test_active_maps_to_state_but_disabled_stays_disabled():
    current = from_api(API_CLIENT)
    merged, changed = merge(current, dict(active=False))
    assert merged['state'] == 'inactive' and changed == ['active']
    disabled = from_api(dict(API_CLIENT, state='disabled'))
    merged, changed = merge(disabled, dict(active=False))
    assert merged['state'] == 'disabled' and changed == []


def test_diff_view_has_managed_fields_only():
    view = diff_view(dict(from_api(API_CLIENT), secret='s3cr3t'))
    assert 'secret' not in view and 'date_modified' not in view and view['description'] == ''
    assert diff_view({}) == {}


@pytest.mark.parametrize('uri,ok', [
    ('https://app.example.com/cb', True), ('http://localhost:8080/cb', True), ('myapp://callback', True),
    ('urn:ietf:wg:oauth:2.0:oob', True), ('app.example.com/cb', False), ('https:///cb', False),
    ('https://a.example.com/cb#frag', False), ('https://a b', False), ('', False)])
def test_redirect_uri_validation(uri, ok):
    assert (invalid_redirect_uri(uri) is None) == ok


@pytest.mark.parametrize('given,expected', [
    (dict(name='  '), 'name must not be empty'),
    (dict(name='x', access_token_validity_seconds=299), 'between 300 and 172800'),
    (dict(name='x', access_token_validity_seconds=172801), 'allow_scim_validity=true'),
    (dict(name='x', access_token_validity_seconds=38880001, allow_scim_validity=True), 'between 300 and 38880000'),
    (dict(name='x', redirect_uris=['nope']), "redirect_uris: 'nope'"),
    (dict(name='x', grant_type='token', roles=[dict(role_id='r')]), 'roles can only be set'),
    (dict(name='x', grant_type='client_credentials', scopes=['users']), 'scopes cannot be set'),
])
def test_validate_params_refuses(given, expected):
    with pytest.raises(InputError) as caught:
        validate_params(params(**given))
    assert expected in str(caught.value)


def test_the_rules_require_client_id_or_name_and_a_role_per_roles_entry():
    for given, expected in ((dict(), 'one of the following is required: client_id, name'),
                            (dict(name='x', roles=[dict(division='Home')]), 'one of the following is required: role_id, role')):
        assert expected in '; '.join(ArgumentSpecValidator(CLIENT_ARGUMENT_SPEC, **CLIENT_RULES).validate(given).error_messages)


def test_validate_params_accepts():
    assert validate_params(params(name='x', access_token_validity_seconds=38880000, allow_scim_validity=True)) is None
    assert validate_params(params(state='absent', client_id='c1')) is None
