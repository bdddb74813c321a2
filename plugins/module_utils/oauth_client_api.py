# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding OAuth clients by id or exact name, shared by every module that targets a client."""

from __future__ import annotations

from .oauth_client import CLIENTS_PATH, client_path

# After a DELETE the API answers GET with this state for a while before it answers 404.
DELETED_STATE = 'deleted'


class ClientLookupError(Exception):
    """The client the user named cannot be picked: several share the name, or the id is unknown."""


def get_client(api, client_id):
    """The API client with this id, or None when it does not exist (or is being deleted)."""
    client = api.get_or_none(client_path(client_id))
    if client is None or client.get('state') == DELETED_STATE:
        return None
    return client


def list_clients(api):
    """Every client of the organisation, following the listing's pages."""
    return [client for client in api.paginate(CLIENTS_PATH) if client.get('state') != DELETED_STATE]


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
    matches = find_clients_by_name(api, name)
    if len(matches) > 1:
        raise ClientLookupError(
            '%d OAuth clients are named %r (ids: %s); name one of them with client_id'
            % (len(matches), name, ', '.join(sorted(client['id'] for client in matches))))
    return matches[0] if matches else None
