"""The emulator's integration credentials as the SDK models them: the times only where CredentialInfo has them."""

from sdk_models import json_fields  # pylint: disable=import-error

CREDENTIALS = '/api/v2/integrations/credentials'


def test_a_credential_read_by_id_has_no_times_and_the_listing_and_writes_have_them(control):
    body = dict(name='actions', type=dict(name='pureCloudOAuthClient'), credentialFields=dict(clientId='abc', clientSecret='s1'))
    created = control.api('POST', CREDENTIALS, json=body).json()
    read = control.api('GET', CREDENTIALS + '/' + created['id']).json()
    assert set(read) <= set(json_fields('Credential')) and 'modifiedDate' not in read
    assert read['credentialFields'] == dict(clientId='abc')
    listed = control.api('GET', CREDENTIALS).json()['entities'][0]
    updated = control.api('PUT', CREDENTIALS + '/' + created['id'], json=body).json()
    for answer in (created, listed, updated):
        assert set(answer) <= set(json_fields('CredentialInfo')) and answer['modifiedDate']
    assert listed['modifiedDate'] == created['modifiedDate'] < updated['modifiedDate']
