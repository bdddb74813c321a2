# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who a run is: the OAuth client and the organisation its token belongs to (GET /api/v2/tokens/me), asked at most
once per ApiClient.

A client-credentials login names its client itself, so only a token given as it is (auth_token) has to be asked
about. The SDK documents no permission for tokens/me; an answer that refuses (403) or names no client leaves the
login client unknown, and what guards it works as it did before: the caller is told so once.
"""

from __future__ import annotations

import weakref

from .errors import GenesysApiError

TOKEN_INFO_PATH = '/api/v2/tokens/me'
# TokenInfo's field for the token's client as the API spells it (the SDK's attribute_map): not camelCase.
TOKEN_CLIENT_FIELD = 'OAuthClient'

# What each ApiClient was told, so a run asks once however many guards need it (an ApiClient is one run's login).
_TOLD = weakref.WeakKeyDictionary()


class TokenInfo:
    """What tokens/me told of a token: its client's id and its organisation's name (None where it did not tell), and
    refused, the GenesysApiError of a refusal (403)."""

    def __init__(self, client_id=None, organization_name=None, refused=None):
        self.client_id = client_id
        self.organization_name = organization_name
        self.refused = refused
        self.warned = False

    def why_not(self, what):
        """Why the API did not tell what (a field of TokenInfo, 'OAuth client' or 'organization'), for a message."""
        if self.refused is not None:
            return 'the API refused to tell whose the token is (%s)' % self.refused
        return 'the answer to GET %s names no %s' % (TOKEN_INFO_PATH, what)


def token_info(api):
    """What the API tells of the token api sends: GET /api/v2/tokens/me the first time, then what it answered.

    A refusal (403) is a TokenInfo that tells nothing; any other failure is raised.
    """
    told = _TOLD.get(api)
    if told is None:
        told = _ask(api)
        _TOLD[api] = told
    return told


def _ask(api):
    try:
        answer = api.get(TOKEN_INFO_PATH)
    except GenesysApiError as exc:
        if exc.status != 403:
            raise
        return TokenInfo(refused=exc)
    client = answer.object(TOKEN_CLIENT_FIELD)
    organization = answer.object('organization')
    return TokenInfo(client_id=client.text('id') if client else None,
                     organization_name=organization.text('name') if organization else None)


def login_client_id(api, warn, unguarded):
    """The id of the OAuth client the run logs in as, or None when the API does not tell.

    Client credentials name it, with no request; a token is asked about (token_info). When the answer names no
    client, warn(message) is called once per run, saying why and what is unguarded then (unguarded: 'the purge ...').
    """
    if api.client_id:
        return api.client_id
    told = token_info(api)
    if told.client_id is None and not told.warned:
        told.warned = True
        warn('%s, so the OAuth client this task runs as is unknown: %s. A login with auth_client_id and '
             'auth_client_secret names its client' % (told.why_not('OAuth client'), unguarded))
    return told.client_id
