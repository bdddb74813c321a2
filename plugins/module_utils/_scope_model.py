# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""OAuth scopes and authorizations as modules return them."""

from __future__ import annotations

from ._client_model import GRANT_TYPES_FROM_API, entity_ref

SCOPES_PATH = '/api/v2/oauth/scopes'
AUTHORIZATIONS_PATH = '/api/v2/oauth/authorizations'


def scope_from_api(scope):
    return dict(id=scope.get('id'), description=scope.get('description'))


def authorization_from_api(authorization):
    client = authorization.get('client') or {}
    grant = client.get('authorizedGrantType')
    return dict(
        client=dict(id=client.get('id'), name=client.get('name'), description=client.get('description'),
                    grant_type=GRANT_TYPES_FROM_API.get(grant, grant), state=client.get('state')),
        scopes=sorted(authorization.get('scope') or []),
        roles=sorted(authorization.get('roles') or []),
        state=authorization.get('state'),
        pending=authorization.get('pending'),
        resource_owner=entity_ref(authorization.get('resourceOwner')),
        date_created=authorization.get('dateCreated'),
        date_modified=authorization.get('dateModified'),
        created_by=entity_ref(authorization.get('createdBy')),
        modified_by=entity_ref(authorization.get('modifiedBy')),
    )
