# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bringing one OAuth client to the declared state (the logic of genesys.cloud.oauth_client)."""

from __future__ import annotations

from .api import GenesysApiError
from .oauth_client import (CLIENTS_PATH, HOME_DIVISION_PATH, client_path, diff_view, from_api,
                           grant_rule_error, merge, new_client, roles_need_home_division, to_request,
                           wanted_from_params)
from .oauth_client_api import ClientLookupError, resolve_client


class ClientStateError(Exception):
    """The declared state cannot be reached; the message says why. Raised before any write."""


def _home_division_id(api, params):
    if roles_need_home_division(params.get('roles')):
        return api.get(HOME_DIVISION_PATH)['id']
    return None


def _result(changed, before, after, client):
    return dict(changed=changed, client=client, diff=dict(before=diff_view(before), after=diff_view(after)))


def ensure_present(api, params, check_mode):
    try:
        current_api = resolve_client(api, params.get('client_id'), params.get('name'))
    except ClientLookupError as exc:
        raise ClientStateError(str(exc))
    wanted = wanted_from_params(params, _home_division_id(api, params))

    if current_api is None:
        if params.get('client_id'):
            raise ClientStateError('no OAuth client has the id %r; to create a client give name and grant_type '
                                   'without client_id (the API chooses the id)' % params['client_id'])
        if 'grant_type' not in wanted:
            raise ClientStateError('no OAuth client is named %r; grant_type is required to create it' % params['name'])
        client = new_client(wanted)
        if check_mode:
            return _result(True, {}, client, client)
        created = api.post(CLIENTS_PATH, to_request(client))
        client = from_api(created)
        # The only time a secret is returned: the caller must be able to store it.
        client['secret'] = created.get('secret')
        return _result(True, {}, client, client)

    current = from_api(current_api)
    merged, changed_fields = merge(current, wanted)
    problem = grant_rule_error(merged['grant_type'], merged['roles'], merged['scopes'])
    if problem:
        raise ClientStateError(problem)
    if not changed_fields:
        return _result(False, current, current, current)
    if check_mode:
        return _result(True, current, merged, merged)
    updated = from_api(api.put(client_path(current['id']), to_request(merged)))
    return _result(True, current, updated, updated)


def ensure_absent(api, params, check_mode):
    try:
        current_api = resolve_client(api, params.get('client_id'), params.get('name'))
    except ClientLookupError as exc:
        raise ClientStateError(str(exc))
    if current_api is None:
        return _result(False, {}, {}, {})
    current = from_api(current_api)
    if not check_mode:
        path = client_path(current['id'])
        # The API refuses to delete an active client: make it inactive first, as the Terraform provider does.
        if current['state'] == 'active':
            api.put(path, to_request(dict(current, state='inactive')))
        try:
            api.delete(path)
        except GenesysApiError as exc:
            # Gone already (a concurrent delete): absent is what was asked for.
            if exc.status != 404:
                raise
    return _result(True, current, {}, current)
