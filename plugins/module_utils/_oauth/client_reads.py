# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding OAuth clients by id or exact name, shared by every module that targets a client."""

from __future__ import annotations

from .client_model import CLIENTS_PATH, client_path, from_api
from .._api.errors import GenesysError

# After a DELETE the API answers GET with this state for a while before it answers 404.
DELETED_STATE = 'deleted'


def get_client(api, client_id):
    """The API client with this id, or None when it does not exist (or is being deleted).

    A 404 is asked again for up to api.not_found_wait seconds (id_lookup_wait): right after a create the API
    may not know the id yet, and the task after a create often reads or rotates the new client.
    """
    client = api.get_or_none(client_path(client_id), not_found_wait=api.not_found_wait)
    if client is None or checked(client).get('state') == DELETED_STATE:
        return None
    return client


def list_clients(api):
    """Every client of the organisation, following the listing's pages."""
    return [client for client in map(checked, api.paginate(CLIENTS_PATH)) if client.get('state') != DELETED_STATE]


def checked(api_client):
    """The API client, once every field of it was read type-checked: the one door through which the modules and the
    inventory read clients, so a malformed one fails here naming the request and the field, before any write."""
    from_api(api_client)
    return api_client


def matches_filters(client, name=None, grant_type=None, state=None):
    """Whether a snake_case client matches every filter given (None: no filter)."""
    return ((name is None or client['name'] == name)
            and (grant_type is None or client['grant_type'] == grant_type)
            and (state is None or client['state'] == state))


def find_clients_by_name(api, name):
    return [client for client in list_clients(api) if client.get('name') == name]


def resolve_client(api, client_id=None, name=None):
    """The one API client named by client_id, else by exact name; None when there is none.

    Several clients with that name is an error naming their ids, since names are not unique.
    """
    if client_id:
        return get_client(api, client_id)
    return only_one(find_clients_by_name(api, name), name)


def only_one(matches, name):
    """The one client of those named name, None for none; several is an error naming their ids."""
    if len(matches) > 1:
        raise GenesysError(
            '%d OAuth clients are named %r (ids: %s); name one of them with client_id'
            % (len(matches), name, ', '.join(sorted(client['id'] for client in matches))))
    return matches[0] if matches else None


def clients_info(api, params):
    """The run of oauth_client_info: one client by id (one GET) or the filtered listing (one walk)."""
    if params['client_id']:
        found = [client for client in [get_client(api, params['client_id'])] if client]
    else:
        found = list_clients(api)
    clients = [client for client in map(from_api, found)
               if matches_filters(client, params['name'], params['grant_type'], params['state'])]
    if params['client_id'] and not clients and params['fail_on_missing']:
        raise GenesysError('no OAuth client has the id %r (with the filters given)' % params['client_id'], clients=[])
    return dict(changed=False, clients=clients)
