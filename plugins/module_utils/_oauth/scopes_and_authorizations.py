# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""OAuth scopes and authorizations as modules return them."""

from __future__ import annotations

from .client_model import GRANT_TYPES_FROM_API, entity_ref
from .._api.http_client import as_answer

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
