# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bringing one OAuth client to the declared state (the logic of genesys.cloud.oauth_client)."""

from __future__ import annotations

from ._authorization_names import NameResolver, uses_names
from ._client_lookup import resolve_client
from ._client_model import (CLIENTS_PATH, HOME_DIVISION_PATH, client_path, diff_view, from_api,
                            grant_rule_error, merge, new_client, roles_need_home_division, to_request,
                            validate_params, wanted_from_params)
from ._errors import GenesysError
from ._http_client import GenesysApiError, require_field
from ._secret_delivery import DELIVERIES, deliver, dest_lock, dest_target, plan_delivery, requested_deliveries


class ClientStateError(GenesysError):
    """The declared state cannot be reached; the message says why. Raised before any write."""


def ensure_client(module):
    """Bring the client to params['state']; the module result (with a diff in --diff mode)."""
    params = module.params
    validate_params(params)
    names = NameResolver(module.api)
    if params['state'] == 'present':
        if uses_names(params.get('roles')):
            params = dict(params, roles=names.with_ids(params['roles']))  # before any write
        result = ensure_present(module.api, params, module.check_mode, module)
        names.with_names(result['client'].get('roles'))
    else:
        result = ensure_absent(module.api, params, module.check_mode)
    if not module._diff:  # pylint: disable=protected-access
        result.pop('diff')
    return result


def _result(changed, before, after, client):
    return dict(changed=changed, client=client, diff=dict(before=diff_view(before), after=diff_view(after)))


# ensure_* look the client up themselves unless the caller found it already (oauth_clients, from one listing walk).
LOOK_IT_UP = object()


def ensure_present(api, params, check_mode, module=None, current_api=LOOK_IT_UP, home_division_id=None):
    """home_division_id: a function that answers the home division's id (oauth_clients asks the API once)."""
    if current_api is LOOK_IT_UP:
        current_api = resolve_client(api, params.get('client_id'), params.get('name'))
    home = home_division_id or (lambda: require_field(api.get(HOME_DIVISION_PATH), 'id', 'GET', HOME_DIVISION_PATH))
    wanted = wanted_from_params(params, home() if roles_need_home_division(params.get('roles')) else None)

    if current_api is None:
        if params.get('client_id'):
            raise ClientStateError('no OAuth client has the id %r; to create a client give name and grant_type '
                                   'without client_id (the API chooses the id)' % params['client_id'])
        if 'grant_type' not in wanted:
            raise ClientStateError('no OAuth client is named %r; grant_type is required to create it' % params['name'])
        target = dest_target(params)
        with dest_lock(target):
            return _create(api, params, check_mode, module, new_client(wanted), target)

    current = from_api(current_api)
    merged, changed_fields = merge(current, wanted)
    problem = grant_rule_error(merged['grant_type'], merged['roles'], merged['scopes'])
    if problem:
        raise ClientStateError(problem)
    if not changed_fields:
        return _result(False, current, current, current)
    if check_mode:
        return _result(True, current, merged, merged)
    path = client_path(current['id'])
    answer = api.put(path, to_request(merged))
    require_field(answer, 'id', 'PUT', path)
    updated = from_api(answer)
    return _result(True, current, updated, updated)


def _create(api, params, check_mode, module, client, target):
    """POST the client and deliver its secret, the only one the API will ever show, everywhere asked."""
    steps = requested_deliveries(params)
    plan = plan_delivery(api, params, None, target) if steps else None  # every check before the POST
    if check_mode:
        result = _result(True, {}, client, client)
        if steps:
            result['deliveries'] = {step: 'would do' if step in steps else 'not requested' for step in DELIVERIES}
        return result
    created = api.post(CLIENTS_PATH, to_request(client))
    require_field(created, 'id', 'POST', CLIENTS_PATH)
    try:
        return _after_create(api, params, module, plan, steps, created)
    except GenesysError:
        raise
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # The secret of the new client exists only in this answer: a crash must hand it back, not lose it.
        raise GenesysError('OAuth client %s WAS created, then the module failed (%s: %s); its secret is in this '
                           'result as client.secret' % (created['id'], type(exc).__name__, exc), changed=True,
                           client=dict(id=created['id'], name=created.get('name'), secret=created.get('secret')))


def _after_create(api, params, module, plan, steps, created):
    client = from_api(created)
    client['secret'] = created.get('secret')
    result = _result(True, {}, client, client)
    if not steps or not client['secret']:
        return result
    headline = ('OAuth client %s WAS created; its secret, which the API shows only now, is in this result as '
                'client.secret.' % client['id'])
    try:
        delivered = deliver(module, api, params, plan, client['id'], client['secret'], client['date_created'], headline)
    except GenesysError as exc:
        exc.result = dict(result, changed=True, deliveries=exc.result.get('deliveries'),
                          **{key: exc.result[key] for key in ('dest', 'backup_file', 'credential_id') if key in exc.result})
        exc.changed = True
        raise
    result.update({key: delivered[key] for key in ('deliveries', 'dest', 'backup_file', 'credential_id') if key in delivered})
    return result


def ensure_absent(api, params, check_mode, current_api=LOOK_IT_UP):
    if current_api is LOOK_IT_UP:
        current_api = resolve_client(api, params.get('client_id'), params.get('name'))
    if current_api is None:
        return _result(False, {}, {}, {})
    current = from_api(current_api)
    if check_mode:
        return _result(True, current, {}, current)
    path = client_path(current['id'])
    inactive = None
    # The API refuses to delete an active client: make it inactive first, as the Terraform provider does.
    if current['state'] == 'active':
        api.put(path, to_request(dict(current, state='inactive')))
        inactive = dict(current, state='inactive', active=False)
    try:
        api.delete(path)
    except GenesysApiError as exc:
        if exc.status == 404:
            return _result(True, current, {}, current)  # gone already (a concurrent delete): absent as asked
        if inactive is None:
            raise
        raise GenesysError('OAuth client %s was made inactive (its tokens no longer work), then deleting it failed: %s'
                           % (current['id'], exc), changed=True, client=inactive, api_error=exc.as_dict(),
                           diff=dict(before=diff_view(current), after=diff_view(inactive)))
    return _result(True, current, {}, current)
