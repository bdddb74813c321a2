# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rotating a client secret so that the new secret always reaches somewhere (genesys.cloud.oauth_client_secret).

Everything that can be checked is checked before the rotation; after it, every delivery is tried
(_secret_delivery), and whatever fails, the caller gets the new secret back with what was and was not done.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from ._client_lookup import resolve_client
from ._client_model import client_path
from ._errors import GenesysError
from ._http_client import GenesysApiError
from ._integration_credential import find_credential
from ._secret_delivery import DELIVERIES, deliver


class RotationRefused(GenesysError):
    """The rotation was not attempted: the message says why. Nothing was written."""


class RotationFailed(GenesysError):
    """The rotation request itself failed; the message says whether the secret may have changed."""


def rotate_secret(api, params, check_mode, backup_local):
    """The whole run of oauth_client_secret: check, rotate, deliver; the module result."""
    client, credential = plan_rotation(api, params)
    if check_mode:
        return dict(changed=True, client_id=client['id'],
                    deliveries={step: 'would do' if params.get(step) else 'not requested' for step in DELIVERIES})
    secret, rotated_at = rotate(api, client['id'])
    try:
        return deliver(api, params, client, credential, secret, rotated_at, backup_local)
    except GenesysError:
        raise
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # A crash after the rotation must not lose the only copy of the new secret.
        raise GenesysError('The secret of OAuth client %s WAS rotated at %s, then the module failed (%s). The new '
                           'secret is in this result as secret.' % (client['id'], rotated_at, type(exc).__name__),
                           changed=True, client_id=client['id'], secret=secret, rotated_at=rotated_at)


def plan_rotation(api, params):
    """Read-only checks before the rotation; returns the target client and the credential to update."""
    client = resolve_client(api, params.get('client_id'), params.get('name'))
    if client is None:
        raise RotationRefused('no OAuth client %r to rotate the secret of' % (params.get('client_id') or params.get('name')))
    if client['id'] == params.get('auth_client_id') and not params.get('allow_self_rotation'):
        raise RotationRefused('client %s is the client this module logs in with; rotating its secret breaks every '
                              'other user of it. Set allow_self_rotation=true if that is what you want' % client['id'])
    if params.get('verify') and client.get('authorizedGrantType') != 'CLIENT-CREDENTIALS':
        raise RotationRefused('verify=true needs a client_credentials client; %s is %s'
                              % (client['id'], client.get('authorizedGrantType')))
    dest = params.get('dest')
    if dest:
        directory = os.path.dirname(os.path.abspath(dest))
        if os.path.isdir(dest) or not os.path.isdir(directory) or not os.access(directory, os.W_OK):
            raise RotationRefused('dest %s must be a file in an existing, writable directory' % dest)
    credential = None
    if params.get('integration_credential'):
        credential = find_credential(api, params['integration_credential'])
        if credential is None and not params.get('create_credential'):
            raise RotationRefused('no integration credential %r; set create_credential=true to create it'
                                  % params['integration_credential'])
    return client, credential


def rotate(api, client_id):
    """POST the rotation; returns (secret, rotated_at). RotationFailed says whether it may have happened."""
    try:
        rotated = api.post(client_path(client_id) + '/secret')
    except GenesysApiError as exc:
        if exc.status is None:
            raise RotationFailed('the secret of client %s may or may not have been rotated (%s); check whether the '
                                 'old secret still works before trying again' % (client_id, exc),
                                 client_id=client_id, api_error=exc.as_dict())
        raise RotationFailed('the secret of client %s was NOT rotated: %s' % (client_id, exc),
                             client_id=client_id, api_error=exc.as_dict())
    if not isinstance(rotated, dict) or not rotated.get('secret'):
        raise RotationFailed('the secret of client %s WAS rotated, but the answer carries no new secret: the old '
                             'secret no longer works and the new one is unknown; rotate again' % client_id,
                             changed=True, client_id=client_id)
    rotated_at = rotated.get('dateModified') or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    return rotated['secret'], rotated_at
