# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Delivering a newly issued client secret: to a file, an integration credential, and a test login.

Every requested delivery is tried, whatever failed before it; the caller always gets the secret back.
"""

from __future__ import annotations

import json
import os
import tempfile

from ._errors import GenesysError
from ._http_client import GenesysApiError
from ._integration_credential import store_in_credential

DELIVERIES = ('dest', 'integration_credential', 'verify')
DEST_FORMATS = ('secret', 'json', 'yaml')


class DeliveryFailed(GenesysError):
    """The secret WAS issued but a delivery failed; the result carries the new secret and what was done."""

    def __init__(self, message, result):
        super().__init__(message, **result)


def requested_deliveries(params):
    return [step for step in DELIVERIES if params.get(step)]


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
