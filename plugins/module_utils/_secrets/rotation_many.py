# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rotating the secrets of many clients in one run (genesys.cloud.oauth_client_secrets).

One login and one walk of the listing; each client is rotated by the code oauth_client_secret uses, so its
checks, policy, deliveries and failures are the same; the client the module logs in with goes last.
"""

from __future__ import annotations

from .._oauth.many_clients import (ClientListing, checked_entries, fail_naming_the_failed, refuse_two_entries_for_one_client,
                                   shared_delivery_problems)
from .._api.errors import GenesysError, InputError, unexpected_failure
from .._api.token_info import login_client_id
from .delivery import DELIVERY_RESULT_KEYS, DEST_ATTRIBUTES_ARGUMENT_SPEC
from .rotation import ROTATION_ARGUMENT_SPEC, ROTATION_RULES, SELF_ROTATION_UNGUARDED, check_rotation_params, rotate_client

ENTRY_ARGUMENT_SPEC = dict(ROTATION_ARGUMENT_SPEC, **DEST_ATTRIBUTES_ARGUMENT_SPEC)

# The keys of a rotation result an entry carries; secret only when one was issued.
RESULT_KEYS = ('reason', 'recovered', 'rotated_at', 'secret', 'api_error') + DELIVERY_RESULT_KEYS


def declared_rotations(params):
    """Each entry over the defaults, checked like oauth_client_secret's options; one InputError for all."""
    entries, problems = checked_entries(params, ENTRY_ARGUMENT_SPEC, ROTATION_RULES, check_rotation_params)
    problems += shared_delivery_problems(entries)
    if problems:
        raise InputError('; '.join(problems))
    return entries


def _outcome(entry, client, result, failure=None):
    outcome = dict(name=(client or {}).get('name') or entry.get('name'),
                   id=(client or {}).get('id') or result.get('client_id') or entry.get('client_id'),
                   changed=bool(failure.changed if failure else result.get('changed')))
    if failure:
        outcome.update(action='failed', msg=str(failure))
    else:
        outcome['action'] = 'rotated' if result['changed'] else 'unchanged'
    outcome.update({key: result[key] for key in RESULT_KEYS if key in result})
    return outcome


def rotate_secrets(module):
    """The whole run of oauth_client_secrets: every client attempted, the login client last, results for all."""
    api = module.api
    entries = declared_rotations(module.params)
    listing = ClientListing(api)
    found = []
    for entry in entries:
        try:
            found.append((entry, listing.find(entry['client_id'], entry['name'], read_missing_ids=True), None))
        except GenesysError as exc:  # several clients of that name
            found.append((entry, None, exc))
    refuse_two_entries_for_one_client(found, 'each rotation would kill the secret the one before delivered; give each '
                                             'client one entry. Nothing was rotated')
    # The login client last: rotating it first would leave nothing to log in with if its delivery failed.
    if any(client for _entry, client, _error in found):
        login_id = login_client_id(api, module.warn, SELF_ROTATION_UNGUARDED)
        found.sort(key=lambda item: bool(item[1] and item[1]['id'] == login_id))

    outcomes = []
    for entry, client, lookup_error in found:
        if client is None:
            failure = lookup_error or GenesysError('no OAuth client %r to rotate the secret of'
                                                   % (entry['client_id'] or entry['name']))
            outcomes.append(_outcome(entry, None, failure.result, failure))
            continue
        writes_before = len(api.changes)
        try:
            outcomes.append(_outcome(entry, client, rotate_client(module, entry, client)))
        except GenesysError as exc:
            outcomes.append(_outcome(entry, client, exc.result, exc))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # rotate_client keeps a secret it was given in its GenesysError; this is a bug outside that guard.
            outcomes.append(_outcome(entry, client, {}, unexpected_failure(exc, changed=len(api.changes) > writes_before)))
    # Not 'results': Ansible takes that key for loop results and prints it even under no_log, secrets included.
    answer = dict(changed=any(outcome['changed'] for outcome in outcomes), clients=outcomes)
    fail_naming_the_failed(answer, outcomes, lambda outcome: outcome['name'] or outcome['id'])
    return answer
