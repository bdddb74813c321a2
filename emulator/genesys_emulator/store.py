"""The emulator's in-memory organisation: OAuth clients, roles, divisions, tokens, with the API's rules.

Methods raise ApiError with the status and code the real API answers with; server.py turns it into
a Genesys error body.
"""

import secrets
import threading
import time
import uuid
from datetime import datetime, timezone

from . import seed
from .api_facts import (AUTHORIZATION_STATES, CLIENT_STATES, DEFAULT_VALIDITY, GRANT_TYPES, SCIM_VALIDITY_MAX,
                        SETTABLE_STATES, TOKEN_CLIENT_FIELDS, TOKENS_ME_ANSWERS, VALIDITY_MAX, VALIDITY_MIN,
                        redirect_uri_problem, type_problem)

CLIENTS_PATH = '/api/v2/oauth/clients'


class ApiError(Exception):
    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def bad_request(message, code='bad.request'):
    return ApiError(400, code, message)


def not_found(what, entity_id):
    return ApiError(404, 'not.found', 'Unable to find %s with id %s' % (what, entity_id))


class Clock:
    """ISO-8601 timestamps that strictly increase, so dateModified always moves on change."""

    def __init__(self):
        self._last = 0.0

    def now_iso(self):
        now = max(time.time(), self._last + 0.001)
        self._last = now
        return datetime.fromtimestamp(now, timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (int(now * 1000) % 1000)


class Store:
    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()
        self.clock = Clock()
        self.reset()

    def reset(self):
        with self.lock:
            self.clients = {}
            self.tokens = {}
            # Every secret and token handed out since the reset, so tests can check no output shows one.
            self.issued_secrets = [seed.ADMIN_CLIENT_SECRET]
            # id -> remaining GETs that still answer with state 'deleted'
            self.deleted = {}
            # id -> remaining GETs by id that still answer 404 right after the create
            self.create_lag = {}
            self.authorizations = {}
            self.credentials = {}
            self.roles = {role['id']: dict(role) for role in seed.ROLES}
            self.divisions = {division['id']: dict(division) for division in seed.DIVISIONS}
            self._add_client(dict(
                id=seed.ADMIN_CLIENT_ID, secret=seed.ADMIN_CLIENT_SECRET, name='Emulator admin',
                description='Seeded admin client of the Genesys Cloud API emulator',
                authorizedGrantType='CLIENT-CREDENTIALS', accessTokenValiditySeconds=DEFAULT_VALIDITY,
                registeredRedirectUri=[], scope=[], state='active',
                roleDivisions=[dict(roleId=seed.ADMIN_ROLE_ID, divisionId='*')]), None)

    # --- tokens -------------------------------------------------------------------------------

    def issue_token(self, client_id, client_secret):
        with self.lock:
            client = self.clients.get(client_id)
            if client is None or not secrets.compare_digest(client['secret'], client_secret or ''):
                raise ApiError(401, 'invalid_client', 'client not found or wrong secret')
            if client['state'] != 'active':
                raise ApiError(401, 'invalid_client', 'client is %s' % client['state'])
            if client['authorizedGrantType'] != 'CLIENT-CREDENTIALS':
                raise ApiError(400, 'unauthorized_client', 'client is not allowed the client_credentials grant')
            token = self._new_secret(24)
            ttl = int(self.config['token_ttl'])
            self.tokens[token] = dict(client_id=client_id, expires_at=time.time() + ttl)
            return dict(access_token=token, token_type='bearer', expires_in=ttl)

    def _new_secret(self, size=32):
        value = secrets.token_urlsafe(size)
        self.issued_secrets.append(value)
        return value

    def client_for_token(self, token):
        """The client id a bearer token belongs to; ApiError 401 when missing, unknown or expired."""
        with self.lock:
            if not token:
                raise ApiError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.')
            entry = self.tokens.get(token)
            if entry is None:
                raise ApiError(401, 'bad.credentials', 'Invalid login credentials.')
            if time.time() >= entry['expires_at']:
                raise ApiError(401, 'bad.credentials', 'Invalid login credentials: the token has expired.')
            return entry['client_id']

    def expire_tokens(self):
        with self.lock:
            for entry in self.tokens.values():
                entry['expires_at'] = 0
            return len(self.tokens)

    def token_info(self, client_id):
        """GET /api/v2/tokens/me of a token of client_id (the caller): a TokenInfo. The emulator issues client-credentials
        tokens only, so the token's client is an OAuth client of the emulated organisation."""
        answer = self.config.get('tokens_me') or 'client'
        if answer not in TOKENS_ME_ANSWERS:
            raise ApiError(500, 'internal.server.error', 'config tokens_me must be one of %s' % ', '.join(TOKENS_ME_ANSWERS))
        if answer == 'forbidden':
            raise ApiError(403, 'missing.permissions', 'Unable to perform the requested action. You are not allowed '
                                                       'to read the OAuth client of this token.')
        organization = dict(id=seed.ORGANIZATION_ID, name=seed.ORGANIZATION_NAME)
        info = dict(organization=organization, homeOrganization=dict(organization))
        if answer == 'client':
            with self.lock:
                client = self.clients.get(client_id)
                if client is None:  # deleting or deactivating a client revokes its tokens first
                    raise ApiError(401, 'bad.credentials', 'Invalid login credentials.')
                info['OAuthClient'] = dict({key: client[key] for key in TOKEN_CLIENT_FIELDS if client.get(key) is not None},
                                           organization=dict(organization))
        return info

    def revoke_client_tokens(self, client_id):
        for token in [t for t, entry in self.tokens.items() if entry['client_id'] == client_id]:
            del self.tokens[token]

    # --- clients ------------------------------------------------------------------------------

    def _add_client(self, client, caller):
        now = self.clock.now_iso()
        ref = self._caller_ref(caller)
        client.update(dateCreated=now, dateModified=now, createdBy=ref, modifiedBy=ref,
                      selfUri='%s/%s' % (CLIENTS_PATH, client['id']))
        self.clients[client['id']] = client
        return client

    @staticmethod
    def _caller_ref(caller):
        if not caller:
            return None
        return dict(id=caller, selfUri='%s/%s' % (CLIENTS_PATH, caller))

    def _known(self, field, values):
        """An enum's values, plus those the emulated API has added since the SDK (config added_enum_values)."""
        return tuple(values) + tuple((self.config.get('added_enum_values') or {}).get(field) or ())

    def _added_fields(self):
        """The fields of clients the emulated API has added since the SDK (config added_client_fields): name -> type."""
        return dict(self.config.get('added_client_fields') or {})

    def check_body(self, model, body):
        """Strict mode: a field the request model does not have, or a value of the wrong type, is a 400. The fields
        the emulated API has added to clients (added_client_fields) are fields of OAuthClientRequest here."""
        if self.config.get('strict'):
            problem = type_problem(model, body, added=self._added_fields() if model == 'OAuthClientRequest' else None)
            if problem:
                raise bad_request(problem + '.')

    def _validate(self, body):
        if not isinstance(body, dict):
            raise bad_request('The request body must be a JSON object.')
        self.check_body('OAuthClientRequest', body)
        name = body.get('name')
        if not isinstance(name, str) or not name.strip():
            raise bad_request('name is required and must be a non-empty string.', 'invalid.value')
        grant = body.get('authorizedGrantType')
        grant_types = self._known('authorizedGrantType', GRANT_TYPES)
        if grant not in grant_types:
            raise bad_request('authorizedGrantType is required and must be one of %s; got %r.'
                              % (', '.join(grant_types), grant), 'invalid.value')
        for field in ('registeredRedirectUri', 'scope', 'roleDivisions', 'roleIds'):
            if body.get(field) is not None and not isinstance(body[field], list):
                raise bad_request('%s must be a list.' % field, 'invalid.value')
        for uri in body.get('registeredRedirectUri') or []:
            problem = redirect_uri_problem(uri)
            if problem:
                raise bad_request(problem, 'invalid.value')
        roles = body.get('roleDivisions') or []
        scopes = body.get('scope') or []
        if grant == 'CLIENT-CREDENTIALS' and scopes:
            raise bad_request('Scopes are not allowed for clients with the CLIENT-CREDENTIALS grant; use roles.',
                              'invalid.value')
        if grant != 'CLIENT-CREDENTIALS' and roles:
            raise bad_request('Roles are only allowed for clients with the CLIENT-CREDENTIALS grant.', 'invalid.value')
        unknown_scopes = sorted(set(s for s in scopes if s not in seed.SCOPES))
        if unknown_scopes:
            raise bad_request('Unknown scopes: %s.' % ', '.join(map(str, unknown_scopes)), 'invalid.value')
        for pair in roles:
            if not isinstance(pair, dict) or not pair.get('roleId'):
                raise bad_request('Each roleDivision needs a roleId.', 'invalid.value')
            if pair['roleId'] not in self.roles:
                raise bad_request('Role ids not found: %s.' % pair['roleId'], 'invalid.value')
            division = pair.get('divisionId')
            if division is not None and division != '*' and division not in self.divisions:
                raise bad_request('Division ids not found: %s.' % division, 'invalid.value')
        validity = body.get('accessTokenValiditySeconds', DEFAULT_VALIDITY)
        scim = any(pair['roleId'] in seed.SCIM_ROLE_IDS for pair in roles)
        maximum = SCIM_VALIDITY_MAX if scim else VALIDITY_MAX
        if isinstance(validity, bool) or not isinstance(validity, int) or not VALIDITY_MIN <= validity <= maximum:
            raise bad_request('accessTokenValiditySeconds must be an integer from %d to %d; got %r.'
                              % (VALIDITY_MIN, maximum, validity), 'invalid.value')
        state = body.get('state')
        if state is not None and state not in self._known('state', CLIENT_STATES):
            raise bad_request('state must be one of active, inactive; got %r.' % (state,), 'invalid.value')

    def _fields_from(self, body):
        """The client's fields from a create or a full-replace update: a field the body leaves out is gone, the added
        fields (added_client_fields) included."""
        return dict(
            {name: body.get(name) for name in self._added_fields()},
            name=body['name'],
            description=body.get('description'),
            authorizedGrantType=body['authorizedGrantType'],
            accessTokenValiditySeconds=body.get('accessTokenValiditySeconds', DEFAULT_VALIDITY),
            registeredRedirectUri=list(body.get('registeredRedirectUri') or []),
            scope=list(body.get('scope') or []),
            roleDivisions=[dict(roleId=pair['roleId'], divisionId=pair.get('divisionId') or seed.HOME_DIVISION_ID)
                           for pair in body.get('roleDivisions') or []],
            dateToDelete=body.get('dateToDelete'),
        )

    @staticmethod
    def _public(client, with_secret=False):
        """What the API answers for a client. Since mid-2025 the secret only in the answers to the create and
        to a regeneration (with_secret); never in GET, the listing or PUT."""
        return {key: value for key, value in client.items()
                if value is not None and (with_secret or key != 'secret')}

    def client_secret(self, client_id):
        """Test-only: the current secret of a client, which the API itself never shows again."""
        with self.lock:
            if client_id not in self.clients:
                raise not_found('OAuth client', client_id)
            return self.clients[client_id]['secret']

    def list_clients(self):
        with self.lock:
            return [self._public(client) for client in self.clients.values()]

    def client_names(self):
        """Client id -> name, for usage rows that name their clients."""
        with self.lock:
            return {client_id: client.get('name') for client_id, client in self.clients.items()}

    def get_client(self, client_id):
        with self.lock:
            if self.create_lag.get(client_id):
                self.create_lag[client_id] -= 1
                raise not_found('OAuth client', client_id)
            if client_id in self.deleted:
                if self.deleted[client_id] > 0:
                    self.deleted[client_id] -= 1
                    return dict(id=client_id, state='deleted', selfUri='%s/%s' % (CLIENTS_PATH, client_id))
            client = self.clients.get(client_id)
            if client is None:
                raise not_found('OAuth client', client_id)
            return self._public(client)

    def create_client(self, body, caller):
        with self.lock:
            self._validate(body)
            state = body.get('state') or 'active'
            if state not in SETTABLE_STATES:
                raise bad_request('state of a new client must be active or inactive; got %r.' % state, 'invalid.value')
            client = self._fields_from(body)
            client.update(id=str(uuid.uuid4()), secret=self._new_secret(), state=state)
            self.create_lag[client['id']] = int(self.config['create_lag_reads'])
            return self._public(self._add_client(client, caller), with_secret=True)

    def add_raw_client(self, fields):
        """Test-only: store a client as given, unchecked, as one made through a newer API would be."""
        with self.lock:
            client = dict(fields)
            client.setdefault('id', str(uuid.uuid4()))
            client.setdefault('secret', self._new_secret())
            client.setdefault('state', 'active')
            return self._public(self._add_client(client, None), with_secret=True)

    def update_client(self, client_id, body, caller):
        with self.lock:
            client = self.clients.get(client_id)
            if client is None:
                raise not_found('OAuth client', client_id)
            self._validate(body)
            state = body.get('state') or client['state']
            if state == 'disabled' and client['state'] != 'disabled':
                raise bad_request('Only Genesys support can disable a client.', 'invalid.value')
            if client['state'] == 'disabled' and state != 'disabled':
                raise bad_request('This client was disabled by Genesys support; contact them to enable it.',
                                  'client.disabled')
            client.update(self._fields_from(body))
            client.update(state=state, dateModified=self.clock.now_iso(), modifiedBy=self._caller_ref(caller))
            if state != 'active':
                self.revoke_client_tokens(client_id)
            return self._public(client)

    def delete_client(self, client_id):
        with self.lock:
            client = self.clients.get(client_id)
            if client is None:
                raise not_found('OAuth client', client_id)
            if client['state'] == 'active':
                raise bad_request('Clients must be marked as inactive to be eligible for deletion', 'cannot.delete.client')
            del self.clients[client_id]
            self.revoke_client_tokens(client_id)
            self.deleted[client_id] = int(self.config['deleted_visible_reads'])

    def regenerate_secret(self, client_id, caller):
        with self.lock:
            client = self.clients.get(client_id)
            if client is None:
                raise not_found('OAuth client', client_id)
            client.update(secret=self._new_secret(), dateModified=self.clock.now_iso(),
                          modifiedBy=self._caller_ref(caller))
            # The old secret stops working at once, and so do the tokens issued with it.
            self.revoke_client_tokens(client_id)
            return self._public(client, with_secret=True)

    # --- authorization ------------------------------------------------------------------------

    def home_division(self):
        return dict(self.divisions[seed.HOME_DIVISION_ID], selfUri='/api/v2/authorization/divisions/' + seed.HOME_DIVISION_ID)

    def list_divisions(self):
        return [dict(d, selfUri='/api/v2/authorization/divisions/' + d['id']) for d in self.divisions.values()]

    def add_named(self, kind, fields):
        """Test-only: add a role or a division (names need not be unique here, to test ambiguity)."""
        with self.lock:
            entity = dict(fields, id=fields.get('id') or str(uuid.uuid4()))
            (self.roles if kind == 'roles' else self.divisions)[entity['id']] = entity
            return entity

    def get_named(self, kind, entity_id):
        """One role or division by id (GET /api/v2/authorization/roles/{roleId}, .../divisions/{divisionId})."""
        with self.lock:
            entity = (self.roles if kind == 'roles' else self.divisions).get(entity_id)
            if entity is None:
                raise not_found('role' if kind == 'roles' else 'division', entity_id)
            return dict(entity, selfUri='/api/v2/authorization/%s/%s' % (kind, entity_id))

    def list_roles(self):
        return [dict(r, selfUri='/api/v2/authorization/roles/' + r['id']) for r in self.roles.values()]

    # --- scopes and authorizations ------------------------------------------------------------

    @staticmethod
    def scope_language(accept_language):
        """The first language of an Accept-Language header that the emulator has, else en-us."""
        for part in (accept_language or '').split(','):
            language = part.split(';')[0].strip().lower()
            if language in seed.SCOPE_LANGUAGES:
                return language
            for known in seed.SCOPE_LANGUAGES:
                if language and known.split('-', maxsplit=1)[0] == language:
                    return known
        return 'en-us'

    def scope(self, scope_id, accept_language):
        if scope_id not in seed.SCOPES:
            raise not_found('OAuth scope', scope_id)
        return dict(id=scope_id, description=seed.SCOPES[scope_id][self.scope_language(accept_language)],
                    selfUri='/api/v2/oauth/scopes/' + scope_id)

    def list_scopes(self, accept_language):
        entities = [self.scope(scope_id, accept_language) for scope_id in sorted(seed.SCOPES)]
        return dict(total=len(entities), entities=entities, selfUri='/api/v2/oauth/scopes')

    def add_authorization(self, spec):
        """Test-only: record that a resource owner authorized (or requested, revoked) a client."""
        with self.lock:
            client = self.clients.get(spec.get('clientId'))
            if client is None:
                raise not_found('OAuth client', spec.get('clientId'))
            state = spec.get('state', 'Authorized')
            if state not in AUTHORIZATION_STATES:
                raise bad_request('state must be Unauthorized, Requested, Authorized or Revoked.', 'invalid.value')
            now = self.clock.now_iso()
            self.authorizations[client['id']] = dict(
                scope=list(spec.get('scope') or client.get('scope') or []), roles=list(spec.get('roles') or []),
                state=state, pending=bool(spec.get('pending', state == 'Requested')),
                resourceOwner=dict(id=spec.get('resourceOwnerId', 'emulator-user'), selfUri='/api/v2/users/emulator-user'),
                dateCreated=now, dateModified=now)
            return self.authorization(client['id'], None)

    def authorization(self, client_id, accept_language):  # pylint: disable=unused-argument
        with self.lock:
            entry = self.authorizations.get(client_id)
            client = self.clients.get(client_id)
            if entry is None or client is None:
                raise not_found('OAuth authorization for client', client_id)
            fields = ('id', 'name', 'description', 'authorizedGrantType', 'state', 'selfUri')
            summary = {key: client[key] for key in fields if client.get(key) is not None}
            return dict(entry, client=summary, selfUri='/api/v2/oauth/authorizations/' + client_id)

    def list_authorizations(self, accept_language):
        with self.lock:
            ids = [client_id for client_id in self.authorizations if client_id in self.clients]
        entities = [self.authorization(client_id, accept_language) for client_id in ids]
        return dict(total=len(entities), entities=entities, selfUri='/api/v2/oauth/authorizations')

    # --- integration credentials --------------------------------------------------------------

    def _validate_credential(self, body):
        if not isinstance(body, dict):
            raise bad_request('The request body must be a JSON object.')
        self.check_body('Credential', body)
        if not isinstance(body.get('name'), str) or not body['name'].strip():
            raise bad_request('name is required and must be a non-empty string.', 'invalid.value')
        type_name = (body.get('type') or {}).get('name') if isinstance(body.get('type'), dict) else None
        if type_name not in seed.CREDENTIAL_TYPES:
            raise bad_request('type.name must be one of %s; got %r.' % (', '.join(seed.CREDENTIAL_TYPES), type_name),
                              'invalid.value')
        fields = body.get('credentialFields') or {}
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise bad_request('credentialFields must map names to strings.', 'invalid.value')
        missing = [field for field in seed.CREDENTIAL_TYPES[type_name] if not fields.get(field)]
        if missing:
            raise bad_request('credentialFields of a %s credential need %s.' % (type_name, ', '.join(missing)),
                              'invalid.value')
        return type_name, dict(fields)

    def _credential_info(self, credential):
        return dict(id=credential['id'], name=credential['name'], createdDate=credential['createdDate'],
                    modifiedDate=credential['modifiedDate'], type=dict(name=credential['type']),
                    selfUri='/api/v2/integrations/credentials/' + credential['id'])

    def list_credentials(self):
        with self.lock:
            return [self._credential_info(c) for c in self.credentials.values()]

    def get_credential(self, credential_id):
        """A credential with its fields, except secret ones, which the API never shows.

        A Credential, as the SDK's model of this answer has it: no createdDate or modifiedDate, which only the
        listing and the answers to writes (CredentialInfo) carry.
        """
        with self.lock:
            credential = self.credentials.get(credential_id)
            if credential is None:
                raise not_found('credential', credential_id)
            fields = {k: v for k, v in credential['fields'].items() if 'secret' not in k.lower()}
            info = self._credential_info(credential)
            return dict(id=info['id'], name=info['name'], type=info['type'], credentialFields=fields,
                        selfUri=info['selfUri'])

    def credential_fields(self, credential_id):
        """Test-only: every field, secrets included."""
        with self.lock:
            if credential_id not in self.credentials:
                raise not_found('credential', credential_id)
            return dict(self.credentials[credential_id]['fields'])

    def create_credential(self, body):
        with self.lock:
            type_name, fields = self._validate_credential(body)
            now = self.clock.now_iso()
            credential = dict(id=str(uuid.uuid4()), name=body['name'], type=type_name, fields=fields,
                              createdDate=now, modifiedDate=now)
            self.credentials[credential['id']] = credential
            return self._credential_info(credential)

    def update_credential(self, credential_id, body):
        with self.lock:
            credential = self.credentials.get(credential_id)
            if credential is None:
                raise not_found('credential', credential_id)
            type_name, fields = self._validate_credential(body)
            credential.update(name=body['name'], type=type_name, fields=fields, modifiedDate=self.clock.now_iso())
            return self._credential_info(credential)

    def delete_credential(self, credential_id):
        with self.lock:
            if self.credentials.pop(credential_id, None) is None:
                raise not_found('credential', credential_id)
