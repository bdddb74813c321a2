# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""OAuth scopes and authorizations as modules return them, and the runs of oauth_scope_info and oauth_authorization_info."""

from __future__ import annotations

from .client_model import GRANT_TYPES_FROM_API, entity_ref
from .._api.http_client import as_answer
from .._api.info_reads import language_headers, read_result

SCOPES_PATH = '/api/v2/oauth/scopes'
AUTHORIZATIONS_PATH = '/api/v2/oauth/authorizations'


def scope_from_api(scope):
    """An OAuthScope as modules return it; fields read type-checked (see Answer)."""
    scope = as_answer(scope)
    return dict(id=scope.text('id'), description=scope.text('description'))


def authorization_from_api(authorization):
    """An OAuthAuthorization as modules return it; fields read type-checked (see Answer)."""
    authorization = as_answer(authorization)
    client = authorization.object('client') or as_answer({})
    grant = client.text('authorizedGrantType')
    return dict(
        client=dict(id=client.text('id'), name=client.text('name'), description=client.text('description'),
                    grant_type=GRANT_TYPES_FROM_API.get(grant, grant), state=client.text('state')),
        scopes=sorted(authorization.strings('scope')),
        roles=sorted(authorization.strings('roles')),
        state=authorization.text('state'),
        pending=authorization.flag('pending'),
        resource_owner=entity_ref(authorization.object('resourceOwner')),
        date_created=authorization.text('dateCreated'),
        date_modified=authorization.text('dateModified'),
        created_by=entity_ref(authorization.object('createdBy')),
        modified_by=entity_ref(authorization.object('modifiedBy')),
    )


def scopes_info(api, params):
    """The run of oauth_scope_info: every scope, or the one of scope_id, described in params['language']."""
    return read_result(api, collection_path=SCOPES_PATH, entity_id=params['scope_id'],
                       fail_on_missing=params['fail_on_missing'], result_key='scopes', convert=scope_from_api,
                       missing_message='no OAuth scope has the id %r', headers=language_headers(params['language']),
                       page_size=None)


def authorizations_info(api, params):
    """The run of oauth_authorization_info: every authorization of the resource owner, or the one of client_id."""
    return read_result(api, collection_path=AUTHORIZATIONS_PATH, entity_id=params['client_id'],
                       fail_on_missing=params['fail_on_missing'], result_key='authorizations',
                       convert=authorization_from_api, missing_message='no OAuth authorization exists for the client %r',
                       headers=language_headers(params['language']), page_size=None)
