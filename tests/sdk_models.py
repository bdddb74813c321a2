"""The official Genesys Python SDK (purecloudplatformclientv2, a test dependency) as the oracle of API facts.

Neither the emulator nor the collection is written from it: the tests check both against it.
"""

import functools
import re

# Which SDK request model each API write takes, by (method, template URI as the emulator logs it).
REQUEST_MODEL_OF = {
    ('POST', '/api/v2/oauth/clients'): 'OAuthClientRequest',
    ('PUT', '/api/v2/oauth/clients/{clientId}'): 'OAuthClientRequest',
    ('POST', '/api/v2/oauth/clients/{clientId}/usage/query'): 'ApiUsageClientQuery',
    ('POST', '/api/v2/usage/query'): 'ApiUsageOrganizationQuery',
    ('POST', '/api/v2/usage/aggregates/query/jobs'): 'OrganizationPublicApiUsageQueryRequest',
    ('POST', '/api/v2/integrations/credentials'): 'Credential',
    ('PUT', '/api/v2/integrations/credentials/{credentialId}'): 'Credential',
}
OUTDATED = 'outdated_sdk_version'


@functools.lru_cache(maxsize=None)
def sdk():
    import PureCloudPlatformClientV2  # pylint: disable=import-outside-toplevel  # slow: only when asked
    return PureCloudPlatformClientV2


def model(name):
    """A fresh instance of an SDK model class."""
    return getattr(sdk(), name)()


def json_fields(name):
    """JSON field name -> swagger type of an SDK model."""
    instance = model(name)
    return {instance.attribute_map[attr]: kind for attr, kind in instance.swagger_types.items()}


def enum_accepts(model_name, json_field, value):
    """Whether the SDK's enum setter knows value (it turns an unknown one into 'outdated_sdk_version')."""
    instance = model(model_name)
    attr = {json: attr for attr, json in instance.attribute_map.items()}[json_field]
    setattr(instance, attr, value)
    return getattr(instance, attr) != OUTDATED


def unknown_keys(model_name, body, where=''):
    """Keys of body, nested models included, that the SDK model does not have."""
    if not isinstance(body, dict):
        return []
    fields = json_fields(model_name)
    unknown = []
    for key, value in body.items():
        if key not in fields:
            unknown.append(where + key)
            continue
        kind = fields[key]
        inner = re.match(r'^list\[(\w+)\]$', kind)
        if inner and hasattr(sdk(), inner.group(1)) and isinstance(value, list):
            for index, item in enumerate(value):
                unknown += unknown_keys(inner.group(1), item, '%s%s[%d].' % (where, key, index))
        elif hasattr(sdk(), kind):
            unknown += unknown_keys(kind, value, '%s%s.' % (where, key))
    return unknown


def deserialize(model_name, body):
    """The body as the SDK reads it into model_name (raises when it cannot)."""
    client = sdk().api_client.ApiClient()
    return client._ApiClient__deserialize(body, model_name)  # pylint: disable=protected-access


def request_body_problems(log, added_client_fields=()):
    """For every logged write with a body: unknown keys, or a failure of the SDK to read it into its model.

    added_client_fields: the client fields the emulated API has added since the SDK (the emulator's config
    added_client_fields), accepted at the top level of an OAuthClientRequest body, and nowhere else."""
    problems = []
    for entry in log:
        model_name = REQUEST_MODEL_OF.get((entry['method'], entry.get('template_uri')))
        if model_name is None or entry.get('body') is None:
            continue
        unknown = unknown_keys(model_name, entry['body'])
        if model_name == 'OAuthClientRequest':
            unknown = [key for key in unknown if key not in added_client_fields]
        if unknown:
            problems.append('%s %s sent %s, unknown to the SDK model %s' % (entry['method'], entry['path'],
                                                                            ', '.join(unknown), model_name))
        try:
            deserialize(model_name, entry['body'])
        except Exception as exc:  # pylint: disable=broad-exception-caught
            problems.append('%s %s: the SDK cannot read the body as %s (%s)'
                            % (entry['method'], entry['path'], model_name, exc))
    return problems
