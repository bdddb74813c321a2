"""Every fact about the Genesys Cloud API that the emulator enforces, in one place, each with its source.

Sources:
- SDK: the official Python SDK, PyPI purecloudplatformclientv2 269.0.0 (models/*.py: swagger_types,
  attribute_map, the allowed_values of enum setters, property docs). tests/emulator/test_sdk_fidelity.py checks
  every value and field below against it, so a belief that is wrong here fails a test instead of being shared with the modules.
- .NET SDK: the official .NET SDK's ApiUsageClientQuery and ApiUsageOrganizationQuery, which enumerate usage metrics
  and groupBy (the Python SDK does not); the Python SDK's ApiUsageRow has a field for each.
- Java SDK: the official Java SDK's docs of OrganizationPublicApiUsageQueryRequest (platform-client-v2 241.0.0),
  which enumerate the jobs API's metrics and groupBy (the Python SDK does not), and of UsageApi, which give the
  jobs' default page size.
- RFC 6749 section 3.1.2: a redirection endpoint URI is absolute and has no fragment.
- API errors: the published error codes (bad.request, not.found, cannot.delete.client, ...).
- Rate limits: Genesys' normalised 429 (developer forum, "Normalized Platform API 429 responses", November 2021).

The emulator never imports the collection's code: it must not agree with the modules by construction.
"""

import re
from urllib.parse import urlsplit

# OAuthClient.authorizedGrantType (SDK allowed_values).
GRANT_TYPES = ('CODE', 'TOKEN', 'SAML2-BEARER', 'PASSWORD', 'CLIENT-CREDENTIALS')
# OAuthClient.state (SDK allowed_values); only support can set 'disabled'.
CLIENT_STATES = ('active', 'disabled', 'inactive')
SETTABLE_STATES = ('active', 'inactive')
# OAuthAuthorization.state (SDK allowed_values): capitalised, unlike the client's.
AUTHORIZATION_STATES = ('Unauthorized', 'Requested', 'Authorized', 'Revoked')
# ApiUsageClientQuery.granularity (SDK allowed_values), metrics and groupBy (.NET SDK).
USAGE_GRANULARITIES = ('Day', 'Week', 'Month')
# metric -> the ApiUsageRow field that counts it
USAGE_METRICS = {'Status200': 'status200', 'Status300': 'status300', 'Status400': 'status400',
                 'Status500': 'status500', 'Status429': 'status429', 'Requests': 'requests'}
# groupBy -> the ApiUsageRow field that carries it
USAGE_GROUP_BY = {'OAuthClientId': 'clientId', 'OrganizationId': 'organizationId', 'TemplateUri': 'templateUri',
                  'HttpMethod': 'httpMethod'}
# ApiUsageQueryResult.queryStatus (SDK allowed_values).
USAGE_QUERY_STATUSES = ('Complete', 'Failed', 'Running')
# ApiUsageOrganizationQuery.groupBy (.NET SDK): the client query's dimensions and UserId.
USAGE_ORG_GROUP_BY = dict(USAGE_GROUP_BY, UserId='userId')

# The organisation's usage through the jobs API (POST /api/v2/usage/aggregates/query/jobs).
# OrganizationPublicApiUsageQueryRequest.interval (SDK property doc): "Start date cannot be more than a year ago.
# End date cannot be more than 90 days after the start."
USAGE_JOB_MAX_AGE_DAYS, USAGE_JOB_MAX_SPAN_DAYS = 365, 90
# OrganizationPublicApiUsageResultsResponse.queryStatus (SDK allowed_values).
USAGE_JOB_STATUSES = ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')
# metrics (Java SDK) -> the OrganizationPublicApiUsage field that counts it.
USAGE_JOB_METRICS = {'Requests': 'requestCount', 'Status200': 'status200', 'Status300': 'status300',
                     'Status400': 'status400', 'Status429': 'status429', 'Status500': 'status500'}
# groupBy (Java SDK) -> the OrganizationPublicApiUsage field that carries it (oauthClient: a DomainEntityRef).
USAGE_JOB_GROUP_BY = {'OauthClientId': 'oauthClient', 'OauthClientName': 'oauthClient', 'UserId': 'user',
                      'HttpMethod': 'httpMethod', 'TemplateUri': 'templateUri', 'Platform': 'platform'}
# OrganizationPublicApiUsage.httpMethod (SDK allowed_values), the values httpMethods may filter on.
USAGE_JOB_HTTP_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')
# UsageQuerySortBy.order (SDK allowed_values).
USAGE_JOB_SORT_ORDERS = ('Asc', 'Desc')
# GET .../jobs/{jobId}?pageSize: "Max is 1000" (SDK docstring), 100 when not given (Java SDK docs).
USAGE_JOB_PAGE_SIZE, USAGE_JOB_MAX_PAGE_SIZE = 100, 1000

# OAuthClientRequest.accessTokenValiditySeconds: "between 5mins and 48hrs", 24 hours when omitted (SDK property
# doc). SCIM clients up to 38880000 (450 days): Genesys' OAuth client docs, not in the SDK (so not checked there).
VALIDITY_MIN, VALIDITY_MAX, SCIM_VALIDITY_MAX = 300, 172800, 38880000
DEFAULT_VALIDITY = 86400

# Request bodies as the SDK models declare them (JSON name -> swagger type), for strict mode.
REQUEST_MODELS = {
    'OAuthClientRequest': {
        'name': 'str', 'accessTokenValiditySeconds': 'int', 'description': 'str', 'registeredRedirectUri': 'list[str]',
        'roleIds': 'list[str]', 'authorizedGrantType': 'str', 'scope': 'list[str]',
        'roleDivisions': 'list[RoleDivision]', 'state': 'str', 'dateToDelete': 'datetime',
    },
    'RoleDivision': {'roleId': 'str', 'divisionId': 'str'},
    'ApiUsageClientQuery': {'interval': 'str', 'granularity': 'str', 'metrics': 'list[str]', 'groupBy': 'list[str]'},
    'ApiUsageOrganizationQuery': {'interval': 'str', 'granularity': 'str', 'metrics': 'list[str]',
                                  'groupBy': 'list[str]'},
    'OrganizationPublicApiUsageQueryRequest': {
        'interval': 'str', 'granularity': 'str', 'sortBy': 'list[UsageQuerySortBy]', 'metrics': 'list[str]',
        'templateUris': 'list[str]', 'httpMethods': 'list[str]', 'platforms': 'list[str]', 'groupBy': 'list[str]',
        'userIds': 'list[str]', 'oauthClientIds': 'list[str]',
    },
    'UsageQuerySortBy': {'fieldName': 'str', 'order': 'str'},
    'Credential': {'id': 'str', 'name': 'str', 'type': 'CredentialType', 'credentialFields': 'dict(str, str)',
                   'selfUri': 'str'},
    'CredentialType': {'id': 'str', 'name': 'str', 'properties': 'object', 'displayOrder': 'list[str]',
                       'required': 'list[str]'},
}
# Enum fields of request models: null is refused there (the SDKs crash on a null enum).
REQUEST_ENUM_FIELDS = {('OAuthClientRequest', 'authorizedGrantType'), ('OAuthClientRequest', 'state'),
                       ('ApiUsageClientQuery', 'granularity'), ('ApiUsageOrganizationQuery', 'granularity'),
                       ('OrganizationPublicApiUsageQueryRequest', 'granularity'), ('UsageQuerySortBy', 'order')}

# The fields of a client that tokens/me tells of the token's client (OrgOAuthClient: an OAuthClient without description,
# validity, redirect URIs, secret, roleIds and selfUri, but with the organization it belongs to).
TOKEN_CLIENT_FIELDS = ('id', 'name', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'authorizedGrantType',
                       'scope', 'roleDivisions', 'state', 'dateToDelete')
# tokens/me requires no permission (the SDK's docs of getTokensMe); config tokens_me makes it answer without the
# token's client ('no_client') or refuse with 403 ('forbidden'), to test what the modules do when it will not tell.
TOKENS_ME_ANSWERS = ('client', 'no_client', 'forbidden')

# Response models the emulator answers with, by the fields it may send (JSON names), checked against the SDK.
RESPONSE_MODELS = {
    'OAuthClient': ('id', 'name', 'accessTokenValiditySeconds', 'description', 'registeredRedirectUri', 'secret',
                    'roleIds', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'authorizedGrantType',
                    'scope', 'roleDivisions', 'state', 'dateToDelete', 'selfUri'),
    'OAuthClientEntityListing': ('entities', 'pageSize', 'pageNumber', 'total', 'firstUri', 'selfUri', 'nextUri',
                                 'previousUri', 'lastUri', 'pageCount'),
    'OAuthScope': ('id', 'description', 'selfUri'),
    'OAuthScopeListing': ('total', 'entities', 'selfUri'),
    'OAuthAuthorization': ('client', 'scope', 'roles', 'resourceOwner', 'dateCreated', 'dateModified', 'state',
                           'pending', 'selfUri'),
    'OAuthAuthorizationListing': ('total', 'entities', 'selfUri'),
    'UsageExecutionResult': ('executionId', 'resultsUri'),
    'ApiUsageQueryResult': ('results', 'queryStatus', 'cursors'),
    'ApiUsageRow': ('clientId', 'clientName', 'organizationId', 'userId', 'templateUri', 'httpMethod', 'status200',
                    'status300', 'status400', 'status500', 'status429', 'requests', 'date'),
    'OrganizationUsageQueryResponse': ('id', 'resultsUri', 'selfUri'),
    'OrganizationPublicApiUsageResultsResponse': ('queryStatus', 'errorBody', 'nextUri', 'entities', 'selfUri'),
    'OrganizationPublicApiUsage': ('date', 'platform', 'httpMethod', 'templateUri', 'requestCount', 'status200',
                                   'status300', 'status400', 'status429', 'status500', 'oauthClient'),
    'DomainEntityRef': ('id', 'name', 'selfUri'),
    'CredentialInfo': ('id', 'name', 'createdDate', 'modifiedDate', 'type', 'selfUri'),
    'Credential': ('id', 'name', 'type', 'credentialFields', 'selfUri'),
    'DomainOrganizationRole': ('id', 'name', 'description', 'selfUri'),
    'AuthzDivision': ('id', 'name', 'homeDivision', 'selfUri'),
    'OrganizationRoleEntityListing': ('entities', 'pageSize', 'pageNumber', 'total', 'firstUri', 'selfUri', 'nextUri',
                                      'previousUri', 'lastUri', 'pageCount'),
    # GET /api/v2/tokens/me. Its client is under OAuthClient, not camelCase (the SDK's attribute_map).
    'TokenInfo': ('organization', 'homeOrganization', 'OAuthClient'),
    'OrgOAuthClient': TOKEN_CLIENT_FIELDS + ('organization',),
}

# The error body of every 4xx/5xx (the SDK's ErrorBody model).
ERROR_BODY_FIELDS = ('message', 'code', 'status', 'messageWithParams', 'messageParams', 'contextId', 'details',
                     'errors')

# Every 429 as Genesys has normalised it since November 2021 (Genesys developer forum, "Normalized Platform API 429
# responses"; the API documentation's "Rate limits"): a Retry-After header in seconds, ININ-Correlation-Id, and an
# error body of exactly these ErrorBody fields (SDK), with this code, the wait in brackets in its message, contextId the
# correlation id, details and errors empty. The API definition still lists the older code too.many.requests.
RATE_LIMIT_CODE = 'too.many.requests.retry.after'
RATE_LIMIT_MESSAGE = 'Rate limit exceeded the maximum. Retry the request in [%s] seconds'
RATE_LIMIT_BODY_FIELDS = ('message', 'code', 'status', 'contextId', 'details', 'errors')


def redirect_uri_problem(uri):
    """RFC 6749 3.1.2: absolute (a scheme, then a host or a path), no fragment; no whitespace in a URI at all."""
    try:
        parts = urlsplit(uri) if isinstance(uri, str) else None
    except ValueError:
        parts = None
    if not parts or not re.match(r'^[A-Za-z][A-Za-z0-9+.-]*$', parts.scheme) or re.search(r'\s', uri) \
            or parts.fragment or uri.endswith('#') or not (parts.netloc or parts.path):
        return 'Invalid redirect URI: %r.' % (uri,)
    return None


_JSON_TYPES = {'str': str, 'int': int, 'bool': bool, 'datetime': str, 'object': dict}


def added_fields_problem(added):
    """Why a map of added fields (JSON name -> swagger type: str, int, bool, datetime, object, list[...]) is not one the
    emulator can check, or None. A field the SDK model has already cannot be added."""
    if not isinstance(added, dict):
        return 'added_client_fields must map field names to types, such as {"allowedIpAddresses": "list[str]"}'
    for name, kind in added.items():
        if name in REQUEST_MODELS['OAuthClientRequest'] or name in RESPONSE_MODELS['OAuthClient']:
            return 'added_client_fields: %s is a field of the SDK\'s OAuthClient already' % name
        item = kind[5:-1] if isinstance(kind, str) and kind.startswith('list[') and kind.endswith(']') else kind
        if item not in _JSON_TYPES:
            return 'added_client_fields: the type of %s must be one of %s or list[...] of one, got %r' % (
                name, ', '.join(_JSON_TYPES), kind)
    return None


def type_problem(model, body, where='', added=None):
    """Why body does not fit the request model (an unknown field, a wrong type), or None. Strict mode's check.

    added: fields (JSON name -> swagger type) the emulated API has added to this model since the SDK."""
    if not isinstance(body, dict):
        return '%s must be a JSON object' % (where or 'The request body')
    fields = dict(REQUEST_MODELS[model], **(added or {}))
    for key, value in body.items():
        name = where + key
        if key not in fields:
            return 'Unrecognized field "%s" (%s does not have it)' % (name, model)
        if value is None:
            if (model, key) in REQUEST_ENUM_FIELDS:
                return '%s must not be null' % name
            continue
        problem = _value_problem(fields[key], value, name)
        if problem:
            return problem
    return None


def _value_problem(swagger_type, value, name):
    if swagger_type.startswith('list['):
        if not isinstance(value, list):
            return '%s must be a list' % name
        item_type = swagger_type[5:-1]
        for index, item in enumerate(value):
            problem = _value_problem(item_type, item, '%s[%d]' % (name, index))
            if problem:
                return problem
        return None
    if swagger_type.startswith('dict('):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return '%s must map names to strings' % name
        return None
    if swagger_type in REQUEST_MODELS:
        return type_problem(swagger_type, value, name + '.')
    expected = _JSON_TYPES[swagger_type]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        return '%s must be of type %s' % (name, swagger_type)
    return None
