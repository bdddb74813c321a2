# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Declaring a whole set of OAuth clients in one run (genesys.cloud.oauth_clients).

One login, one walk of the listing, the home division at most once, and writes only for real differences;
each client is brought to its state by the code oauth_client uses, so both behave alike.
"""

from __future__ import annotations

import re

from ._authorization_names import NameResolver, uses_names
from ._client_ensure import ensure_absent, ensure_present
from ._client_model import CLIENT_ARGUMENT_SPEC, HOME_DIVISION_PATH, validate_params
from ._entry_set import ClientListing, checked_entries, fail_naming_the_failed
from ._errors import GenesysError, InputError
from ._http_client import require_field
from ._secret_delivery import DELIVERY_ARGUMENT_SPEC, DEST_ATTRIBUTES_ARGUMENT_SPEC

# Each entry: oauth_client's options and deliveries, and the attributes of its own dest.
ENTRY_ARGUMENT_SPEC = dict(CLIENT_ARGUMENT_SPEC, **DEST_ATTRIBUTES_ARGUMENT_SPEC, **DELIVERY_ARGUMENT_SPEC)


def declared_clients(params):
    """Each entry over the defaults, checked like oauth_client's options; one InputError for all, before any request."""
    entries, problems = checked_entries(params, ENTRY_ARGUMENT_SPEC, validate_params)
    if params.get('purge'):
        try:
            re.compile(params.get('purge_filter') or '')
        except re.error as exc:
            problems.append('purge_filter is not a regular expression: %s' % exc)
    if problems:
        raise InputError('; '.join(problems))
    return entries


def _action(entry, result):
    if not result['changed']:
        return 'unchanged'
    if entry['state'] == 'absent':
        return 'deleted'
    return 'updated' if result['diff']['before'] else 'created'


def _entry_result(entry, result):
    client = result.get('client') or {}
    outcome = dict(name=client.get('name') or entry['name'], id=client.get('id') or entry['client_id'],
                   action=_action(entry, result), changed=result['changed'], diff=result['diff'])
    if client.get('secret'):
        outcome['secret'] = client['secret']  # a new client's secret: shown by the API only now
    outcome.update({key: result[key] for key in ('deliveries', 'dest', 'backup_file', 'credential_id') if key in result})
    return outcome


def _failed_result(entry, exc):
    client = exc.result.get('client') or {}
    outcome = dict(name=client.get('name') or entry['name'], id=client.get('id') or entry['client_id'],
                   action='failed', changed=bool(exc.changed), msg=str(exc),
                   diff=exc.result.get('diff') or dict(before={}, after={}))
    if client.get('secret'):
        outcome['secret'] = client['secret']
    outcome.update({key: exc.result[key] for key in ('deliveries', 'dest', 'credential_id', 'api_error')
                    if key in exc.result})
    return outcome


def ensure_client_set(module):
    """The whole run of oauth_clients: every client attempted, results for all, the task failing naming the failed."""
    api, params = module.api, module.params
    entries = declared_clients(params)
    names = NameResolver(api)
    # Every role and division name is resolved before the first write, each distinct name once.
    entries = [dict(entry, roles=names.with_ids(entry['roles'])) if entry['state'] == 'present'
               and uses_names(entry.get('roles')) else entry for entry in entries]
    listing = ClientListing(api)
    home = []

    def home_division_id():
        if not home:
            home.append(require_field(api.get(HOME_DIVISION_PATH), 'id', 'GET', HOME_DIVISION_PATH))
        return home[0]

    results, declared_ids = [], set()
    for entry in entries:
        result = None
        try:
            current = listing.find(entry['client_id'], entry['name'])
            if current:
                declared_ids.add(current['id'])
            if entry['state'] == 'present':
                result = ensure_present(api, entry, module.check_mode, module, current_api=current,
                                        home_division_id=home_division_id)
            else:
                result = ensure_absent(api, entry, module.check_mode, current_api=current)
            names.with_names((result.get('client') or {}).get('roles'))
            results.append(_entry_result(entry, result))
        except GenesysError as exc:
            results.append(_failed_result(entry, exc))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A bug after a create must not lose the secret the API showed this once: keep it in this entry.
            client = (result or {}).get('client') or {}
            results.append(_failed_result(entry, GenesysError(
                'failed unexpectedly (%s: %s); please report this as a bug of genesys.cloud' % (type(exc).__name__, exc),
                changed=bool(result and result.get('changed')), client=client)))
    if params['purge']:
        results += _purge(module, listing.clients, declared_ids, re.compile(params['purge_filter']))

    changed = any(outcome['changed'] for outcome in results)
    # Not 'results': Ansible takes that key for loop results and prints it even under no_log, secrets included.
    answer = dict(changed=changed, clients=results)
    if module._diff:  # pylint: disable=protected-access
        answer['diff'] = [dict(outcome['diff'], before_header=outcome['name'], after_header=outcome['name'])
                          for outcome in results if outcome['changed']]
    fail_naming_the_failed(answer, results, lambda outcome: outcome['name'] or outcome['id'])
    return answer


def _purge(module, listing, declared_ids, pattern):
    """Delete the clients whose name matches the filter and that no entry declares; never the login client."""
    outcomes = []
    for client in listing:
        if client['id'] in declared_ids or client['id'] == module.api.client_id or not pattern.search(client.get('name') or ''):
            continue
        entry = dict(state='absent', client_id=client['id'], name=client.get('name'))
        try:
            outcomes.append(_entry_result(entry, ensure_absent(module.api, entry, module.check_mode, current_api=client)))
        except GenesysError as exc:
            outcomes.append(_failed_result(entry, exc))
    return outcomes
