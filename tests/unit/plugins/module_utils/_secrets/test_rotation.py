"""Issue 17, promise 3 (files): rotation_reason sees a credential older than the client's last change."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._secrets.delivery import DeliveryPlan
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.rotation import rotation_reason


class Api:
    client_id = 'login'


def plan(modified):
    return DeliveryPlan(credential=dict(id='cred', name='actions', modifiedDate=modified), credential_client_id='c1')


@pytest.mark.parametrize('modified,client_changed,stale', [
    ('2026-05-01T10:00:00.000Z', '2026-05-01T10:00:05.000Z', True),    # written before the last rotation
    ('2026-05-01T10:00:05.100Z', '2026-05-01T10:00:05.000Z', False),   # written after it
    ('2026-05-01T10:00:05Z', '2026-05-01T10:00:05.900Z', False),      # the same second: no finer clock assumed
    ('2026-05-01T10:00:00.000Z', None, False),                         # the client's change is unknown
])
def test_a_credential_older_than_the_clients_last_change_is_rotated(modified, client_changed, stale):
    client = dict(id='c1', authorizedGrantType='TOKEN', dateModified=client_changed)
    reason = rotation_reason(Api(), dict(rotate='when_needed', integration_credential='actions'), client,
                             plan(modified), (None, None))
    assert bool(reason) is stale
    if stale:
        assert 'was last written before the client' in reason
