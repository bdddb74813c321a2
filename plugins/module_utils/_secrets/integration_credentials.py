# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Genesys integration credentials of type pureCloudOAuthClient: where data actions find a client's secret."""

from __future__ import annotations

from .._api.errors import GenesysError
from .._api.http_client import as_answer, entity_path, require_field

CREDENTIALS_PATH = '/api/v2/integrations/credentials'
OAUTH_CREDENTIAL_TYPE = 'pureCloudOAuthClient'


def find_credential(api, name_or_id):
    """The CredentialInfo whose id, else whose exact name, is name_or_id; None when there is none."""
    credentials = list(api.paginate(CREDENTIALS_PATH))
    by_id = [c for c in credentials if c.get('id') == name_or_id]
    matches = by_id or [c for c in credentials if c.get('name') == name_or_id]
    if len(matches) > 1:
        raise GenesysError('%d integration credentials are named %r (ids: %s); give the id instead'
                           % (len(matches), name_or_id, ', '.join(sorted(c['id'] for c in matches))))
    if not matches:
        return None
    kind = as_answer(matches[0]).object('type')  # read type-checked: a malformed answer names the field
    type_name = kind.text('name') if kind is not None else None
    if type_name != OAUTH_CREDENTIAL_TYPE:
        raise GenesysError('integration credential %r is of type %s, not %s'
                           % (name_or_id, type_name, OAUTH_CREDENTIAL_TYPE))
    return matches[0]


def credential_body(name, client_id, client_secret):
    return dict(name=name, type=dict(name=OAUTH_CREDENTIAL_TYPE),
                credentialFields=dict(clientId=client_id, clientSecret=client_secret))


def store_in_credential(api, credential, name, client_id, client_secret):
    """Update the credential (or create one called name when credential is None); returns its id."""
    if credential is None:
        created = api.post(CREDENTIALS_PATH, credential_body(name, client_id, client_secret))
        return require_field(created, 'id', 'POST', CREDENTIALS_PATH)
    api.put(entity_path(CREDENTIALS_PATH, credential['id']), credential_body(credential['name'], client_id, client_secret))
    return credential['id']
