# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rotating a client secret so that the new secret always reaches somewhere (genesys.cloud.oauth_client_secret).

Everything that can be checked is checked before the rotation; after it, every delivery is tried,
and whatever fails, the caller gets the new secret back together with what was and was not done.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone

from .api import GenesysApiError
from .integration_credential import CredentialLookupError, find_credential, store_in_credential
from .oauth_client import client_path
from .oauth_client_api import ClientLookupError, resolve_client

DELIVERIES = ('dest', 'integration_credential', 'verify')
DEST_FORMATS = ('secret', 'json', 'yaml')


class RotationRefused(Exception):
    """The rotation was not attempted: the message says why. Nothing was written."""


class RotationFailed(Exception):
    """The rotation request itself failed; the message says whether the secret may have changed."""


class DeliveryFailed(Exception):
    """The secret WAS rotated but a delivery failed; result carries the new secret and what was done."""

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


def requested_deliveries(params):
    return [step for step in DELIVERIES if params.get(step)]


def plan_rotation(api, params):
    """Read-only checks before the rotation; returns the target client and the credential to update."""
    try:
        client = resolve_client(api, params.get('client_id'), params.get('name'))
    except ClientLookupError as exc:
        raise RotationRefused(str(exc))
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
        try:
            credential = find_credential(api, params['integration_credential'])
        except CredentialLookupError as exc:
            raise RotationRefused(str(exc))
        if credential is None and not params.get('create_credential'):
            raise RotationRefused('no integration credential %r; set create_credential=true to create it'
                                  % params['integration_credential'])
    return client, credential


def secret_document(dest_format, client_id, secret, rotated_at):
    if dest_format == 'secret':
        return secret + '\n'
    document = dict(client_id=client_id, client_secret=secret, rotated_at=rotated_at)
    if dest_format == 'json':
        return json.dumps(document, indent=2) + '\n'
    # JSON strings are valid YAML scalars: no YAML library needed on the host.
    return ''.join('%s: %s\n' % (key, json.dumps(value)) for key, value in document.items())


def write_atomically(path, content):
    """Write a 0600 file via a temporary file in the same directory and a rename: never a partial file."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix='.%s.' % os.path.basename(path), suffix='.tmp')
    try:
        with os.fdopen(handle, 'w', encoding='utf-8') as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def rotate(api, client_id):
    """POST the rotation; returns (secret, rotated_at). RotationFailed says whether it may have happened."""
    try:
        rotated = api.post(client_path(client_id) + '/secret')
    except GenesysApiError as exc:
        if exc.status is None:
            raise RotationFailed('the secret of client %s may or may not have been rotated (%s); check whether the '
                                 'old secret still works before trying again' % (client_id, exc))
        raise RotationFailed('the secret of client %s was NOT rotated: %s' % (client_id, exc))
    rotated_at = rotated.get('dateModified') or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    return rotated['secret'], rotated_at


def _describe(exc):
    return str(exc) if isinstance(exc, (GenesysApiError, OSError, ValueError)) else '%s: %s' % (type(exc).__name__, exc)


def deliver(api, params, client, credential, secret, rotated_at, backup_local):
    """Every requested delivery in order, each tried even when an earlier one failed."""
    result = dict(changed=True, client_id=client['id'], secret=secret, rotated_at=rotated_at,
                  deliveries={step: ('pending' if params.get(step) else 'not requested') for step in DELIVERIES})
    if client['id'] == api.client_id:
        api.use_credentials(client['id'], secret)  # the old secret is dead: later requests log in with the new one
    failures = []
    for step in requested_deliveries(params):
        try:
            if step == 'dest':
                if params.get('backup') and os.path.exists(params['dest']):
                    result['backup_file'] = backup_local(params['dest'])
                write_atomically(params['dest'], secret_document(params['dest_format'], client['id'], secret, rotated_at))
                result['dest'] = params['dest']
            elif step == 'integration_credential':
                result['credential_id'] = store_in_credential(api, credential, params['integration_credential'],
                                                              client['id'], secret)
            else:
                api.for_credentials(client['id'], secret).login()
            result['deliveries'][step] = 'done'
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # Whatever went wrong, the new secret must still reach the caller.
            result['deliveries'][step] = 'failed'
            failures.append('%s failed: %s' % (step, _describe(exc).replace(secret, '********')))
    if failures:
        done = [step for step, state in result['deliveries'].items() if state == 'done']
        raise DeliveryFailed(
            'The secret of OAuth client %s WAS rotated at %s; the old secret no longer works. %s. Delivered: %s. '
            'The new secret is in this result as secret (register it; use no_log) so a rescue block can finish '
            'the delivery.' % (client['id'], rotated_at, '; '.join(failures), ', '.join(done) or 'nothing'), result)
    return result
