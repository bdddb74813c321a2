# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The OAuth client model: API camelCase <-> module snake_case, validation, comparison and diff.

Every module that reads or writes OAuth clients goes through here, so a client looks the same
in every module's result.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

from .._api.errors import InputError
from .._api.http_client import as_answer, entity_path

CLIENTS_PATH = '/api/v2/oauth/clients'

GRANT_TYPES = {
    'client_credentials': 'CLIENT-CREDENTIALS',
    'code': 'CODE',
    'token': 'TOKEN',
    'saml2_bearer': 'SAML2-BEARER',
    'password': 'PASSWORD',
}
GRANT_TYPES_FROM_API = {api: ours for ours, api in GRANT_TYPES.items()}
# The API may add grant types and states: a value not listed here is returned as the API spells it, and sent
# back unchanged on update, never refused or crashed on.

CLIENT_STATES = ('active', 'inactive', 'disabled')

# Every field of the API's OAuthClient (SDK 269), read-only ones included: what from_api reads, or knows and leaves out
# (the secret, the deprecated roleIds). A field the API sends beyond these is one the collection does not know (the
# API is newer, as with an IP allowlist set in the UI): from_api keeps it under extra, and to_request sends it back
# unchanged, since the PUT replaces the whole client and would delete it otherwise.
KNOWN_API_FIELDS = ('id', 'name', 'accessTokenValiditySeconds', 'description', 'registeredRedirectUri', 'secret',
                    'roleIds', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'authorizedGrantType', 'scope',
                    'roleDivisions', 'state', 'dateToDelete', 'selfUri')

# Grant types Genesys Cloud is retiring: the implicit grant (TOKEN), announced for March 2026 (no new clients) and
# March 2027 (existing ones stop working). A client of one is returned with deprecated_grant true.
DEPRECATED_GRANTS = ('token',)
GRANT_RETIREMENT = ('uses the implicit grant (grant_type token), which Genesys Cloud is retiring: no new token-grant '
                    'clients can be created from March 2026, and existing ones stop working in March 2027. Move it to '
                    'the authorization code grant with PKCE (grant_type code)')

VALIDITY_MIN = 300
VALIDITY_MAX = 172800
SCIM_VALIDITY_MAX = 38880000

# The options that declare one client, in oauth_client and in each entry of oauth_clients.
CLIENT_ARGUMENT_SPEC = dict(
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    client_id=dict(type='str'),
    name=dict(type='str'),
    description=dict(type='str'),
    grant_type=dict(type='str', choices=list(GRANT_TYPES)),
    access_token_validity_seconds=dict(type='int', no_log=False),
    allow_scim_validity=dict(type='bool', default=False),
    redirect_uris=dict(type='list', elements='str'),
    scopes=dict(type='list', elements='str'),
    roles=dict(type='list', elements='dict', options=dict(
        role_id=dict(type='str'),
        role=dict(type='str'),
        division_id=dict(type='str'),
        division=dict(type='str'),
    ), mutually_exclusive=[('role_id', 'role'), ('division_id', 'division')], required_one_of=[('role_id', 'role')]),
    active=dict(type='bool'),
)

# How every module that targets one client names it: a required_one_of rule of the argument spec.
NAMES_A_CLIENT = ('client_id', 'name')

# The cross-field rules of CLIENT_ARGUMENT_SPEC, as GenesysModule and ArgumentSpecValidator take them: checked on
# oauth_client's options and on each entry of oauth_clients (checked_entries), so both refuse alike.
CLIENT_RULES = dict(required_one_of=[NAMES_A_CLIENT])

# The fields oauth_client manages; each is compared only when the user gives it.
MANAGED_FIELDS = ('name', 'description', 'grant_type', 'access_token_validity_seconds',
                  'redirect_uris', 'scopes', 'roles', 'active')


def client_path(client_id):
    return entity_path(CLIENTS_PATH, client_id)


def entity_ref(ref):
    """A DomainEntityRef (createdBy, resourceOwner, ...), an Answer or None, as id and name."""
    if not ref:
        return None
    return dict(id=ref.text('id'), name=ref.text('name'))


def roles_from_api(role_divisions):
    """The roleDivisions of an API client (Answers, see Answer.objects) as sorted role_id/division_id pairs."""
    return sort_roles([dict(role_id=item.text('roleId', required=True), division_id=item.text('divisionId'))
                       for item in role_divisions or []])


def sort_roles(roles):
    """Roles as a sorted list without duplicates: role/division pairs are a set."""
    pairs = sorted({(role['role_id'], role.get('division_id') or '') for role in roles or []})
    return [dict(role_id=role_id, division_id=division_id or None) for role_id, division_id in pairs]


def from_api(api_client):
    """An API OAuthClient as the snake_case dict modules return. The secret is never copied.

    Every field is read type-checked (see Answer): a malformed client fails naming the request and the field, and
    list_clients and get_client read every client through here, so no module meets a field of the wrong type.
    """
    client = as_answer(api_client)
    state = client.text('state')
    grant = client.text('authorizedGrantType')
    grant_type = GRANT_TYPES_FROM_API.get(grant, grant)
    return dict(
        id=client.text('id', required=True),
        name=client.text('name'),
        description=client.text('description'),
        grant_type=grant_type,
        deprecated_grant=grant_type in DEPRECATED_GRANTS,
        access_token_validity_seconds=client.number('accessTokenValiditySeconds'),
        redirect_uris=sorted(set(client.strings('registeredRedirectUri'))),
        scopes=sorted(set(client.strings('scope'))),
        roles=roles_from_api(client.objects('roleDivisions')),
        active=state == 'active',
        state=state,
        date_created=client.text('dateCreated'),
        date_modified=client.text('dateModified'),
        date_to_delete=client.text('dateToDelete'),
        created_by=entity_ref(client.object('createdBy')),
        modified_by=entity_ref(client.object('modifiedBy')),
        self_uri=client.text('selfUri'),
        extra=unknown_fields(client),
    )


def unknown_fields(api_client):
    """The fields of an API client the collection does not know, as the API sent them (camelCase keys)."""
    return {key: copy.deepcopy(value) for key, value in api_client.items() if key not in KNOWN_API_FIELDS}


def to_request(client):
    """The OAuthClientRequest body (POST and the full-replace PUT) for a snake_case client.

    The fields of client['extra'] (those of the live client the collection does not know, see from_api) go back
    as they came, so that a PUT built from a live client keeps them; a null one is left out, as null is never sent.
    """
    body = {key: value for key, value in (client.get('extra') or {}).items()
            if key not in KNOWN_API_FIELDS and value is not None}
    body.update(name=client['name'], authorizedGrantType=GRANT_TYPES.get(client['grant_type'], client['grant_type']))
    if client.get('description') is not None:
        body['description'] = client['description']
    if client.get('access_token_validity_seconds') is not None:
        body['accessTokenValiditySeconds'] = client['access_token_validity_seconds']
    body['registeredRedirectUri'] = list(client.get('redirect_uris') or [])
    body['scope'] = list(client.get('scopes') or [])
    body['roleDivisions'] = [dict(roleId=role['role_id'], divisionId=role['division_id'])
                             for role in client.get('roles') or []]
    # Never send null for an enum: the API and the SDKs choke on it.
    if client.get('state'):
        body['state'] = client['state']
    if client.get('date_to_delete'):
        body['dateToDelete'] = client['date_to_delete']
    return body


def _comparable(field, value):
    if field == 'description':
        return value or ''
    if field in ('redirect_uris', 'scopes'):
        return sorted(set(value or []))
    if field == 'roles':
        return sort_roles(value)
    return value


def invalid_redirect_uri(uri):
    """Why a redirect URI is malformed, or None: it must be absolute, without spaces or a fragment."""
    if not isinstance(uri, str) or not uri or re.search(r'\s', uri):
        return 'must be a non-empty URI without spaces'
    try:
        parts = urlsplit(uri)
        parts.port  # pylint: disable=pointless-statement  # a bad IPv6 host or port raises here
    except ValueError as exc:
        return 'is malformed (%s)' % exc
    if not re.match(r'^[A-Za-z][A-Za-z0-9+.-]*$', parts.scheme or ''):
        return 'must be absolute, with a scheme such as https://'
    if parts.scheme in ('http', 'https') and not parts.netloc:
        return 'must name a host'
    if not (parts.netloc or parts.path):
        return 'must have a host or a path after the scheme'
    if parts.fragment or uri.endswith('#'):
        return 'must not contain a fragment (#)'
    return None


def grant_rule_error(grant_type, roles, scopes):
    """The API's grant-type rules: roles only for client credentials, scopes only for the other grants.

    A grant type the collection does not know is not judged: the API knows its rules.
    """
    if grant_type not in GRANT_TYPES:
        return None
    if grant_type == 'client_credentials' and scopes:
        return ('scopes cannot be set on a client_credentials client (its permissions come from roles); '
                'use roles, or a grant_type of code, token, saml2_bearer or password')
    if grant_type and grant_type != 'client_credentials' and roles:
        return ('roles can only be set on a client_credentials client, not on a %s client; '
                'use scopes for the other grant types' % grant_type)
    return None


def check_client_named(params):
    """The argument spec requires client_id or name; given empty (an unset variable), they still name no client."""
    if not params.get('client_id') and not params.get('name'):
        raise InputError('%s must not be empty' % ('client_id' if params.get('client_id') is not None else 'name'))


def validate_params(params):
    """Check the values of oauth_client's options before any request; raises InputError naming the option.

    The cross-field rules are CLIENT_RULES, which the argument spec checks before this runs."""
    problem = _values_problem(params)
    if problem:
        raise InputError(problem)


def _values_problem(params):
    for option in ('name', 'client_id'):
        if params.get(option) is not None and not params[option].strip():
            return '%s must not be empty' % option
    if params['state'] == 'absent':
        return None
    validity = params.get('access_token_validity_seconds')
    if validity is not None:
        maximum = SCIM_VALIDITY_MAX if params.get('allow_scim_validity') else VALIDITY_MAX
        if not VALIDITY_MIN <= validity <= maximum:
            hint = '' if params.get('allow_scim_validity') else (
                '; SCIM clients may go up to %d with allow_scim_validity=true' % SCIM_VALIDITY_MAX)
            return ('access_token_validity_seconds must be between %d and %d, got %d%s'
                    % (VALIDITY_MIN, maximum, validity, hint))
    for uri in params.get('redirect_uris') or []:
        problem = invalid_redirect_uri(uri)
        if problem:
            return 'redirect_uris: %r %s' % (uri, problem)
    return grant_rule_error(params.get('grant_type'), params.get('roles'), params.get('scopes'))


def can_log_in(api_client):
    """Whether a login can prove this client's secret: only an active client-credentials client can log in."""
    return api_client.get('authorizedGrantType') == GRANT_TYPES['client_credentials'] and api_client.get('state') == 'active'


def roles_need_home_division(roles):
    return any(not role.get('division_id') for role in roles or [])


def wanted_from_params(params, home_division_id=None):
    """The managed fields the user gave (None means: not managed), normalised for comparison."""
    wanted = {}
    for field in MANAGED_FIELDS:
        value = params.get(field)
        if value is None:
            continue
        if field == 'roles':
            value = sort_roles([dict(role_id=role['role_id'], division_id=role.get('division_id') or home_division_id)
                                for role in value])
        else:
            value = _comparable(field, value) if field in ('redirect_uris', 'scopes') else value
        wanted[field] = value
    return wanted


def new_client(wanted):
    """The client a create would make from the wanted fields (the API defaults the rest)."""
    client = dict(name=wanted['name'], description=wanted.get('description'), grant_type=wanted['grant_type'],
                  access_token_validity_seconds=wanted.get('access_token_validity_seconds'),
                  redirect_uris=wanted.get('redirect_uris', []), scopes=wanted.get('scopes', []),
                  roles=wanted.get('roles', []), extra={})
    if wanted.get('active') is not None:
        client['state'] = 'active' if wanted['active'] else 'inactive'
    client['active'] = client.get('state', 'active') == 'active'
    client['deprecated_grant'] = client['grant_type'] in DEPRECATED_GRANTS
    return client


def merge(current, wanted):
    """The client after applying the wanted fields to the current one, and the fields that change.

    Fields the user left out keep their current value, since the API's PUT replaces the whole client.
    Roles of a client that stops being client_credentials (and scopes of one that becomes it) are
    dropped unless given, because the API refuses them there.
    """
    merged = copy.deepcopy(current)
    merged.update(copy.deepcopy(wanted))
    if 'active' in wanted and not (current.get('state') == 'disabled' and not wanted['active']):
        merged['state'] = 'active' if wanted['active'] else 'inactive'
    known_grant = merged['grant_type'] in GRANT_TYPES
    if known_grant and merged['grant_type'] != 'client_credentials' and 'roles' not in wanted:
        merged['roles'] = []
    if merged['grant_type'] == 'client_credentials' and 'scopes' not in wanted:
        merged['scopes'] = []
    merged['deprecated_grant'] = merged['grant_type'] in DEPRECATED_GRANTS
    changed = [field for field in MANAGED_FIELDS
               if _comparable(field, current.get(field)) != _comparable(field, merged.get(field))]
    return merged, changed


def diff_view(client):
    """What --diff shows of a client: the managed fields and its id, never a secret."""
    if not client:
        return {}
    view = {field: client.get(field) for field in ('id',) + MANAGED_FIELDS if field in client}
    view['description'] = view.get('description') or ''
    if 'roles' in view:
        # Only the pairs: role_name/division_name are added to a result's roles later, and to one side only.
        view['roles'] = [dict(role_id=role.get('role_id'), division_id=role.get('division_id')) for role in view['roles'] or []]
    return view
