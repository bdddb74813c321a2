"""The emulator and the modules checked against the official Genesys Python SDK, an oracle neither was built from.

A wrong belief about the API that both the emulator and the modules share cannot fail their other tests;
it fails here.
"""

import inspect
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth import client_model as _client_model
from ansible_collections.genesys.cloud.plugins.module_utils._oauth import scopes_and_authorizations as _scope_model
from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients import usage as _usage
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import Answer
from ansible_collections.genesys.cloud.plugins.module_utils._api import token_info as _token_info
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.integration_credentials import credential_body
from emulator_control import assert_rate_limited
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, api_facts
from genesys_emulator.seed import EMPLOYEE_ROLE_ID, HOME_DIVISION_ID, ORGANIZATION_NAME
from sdk_models import OUTDATED, deserialize, json_fields, request_body_problems, sdk, unknown_keys


def sdk_allowed_values(model_name, json_field):
    """The allowed_values list in the SDK's setter of an enum field."""
    instance = getattr(sdk(), model_name)()
    attr = {json: attr for attr, json in instance.attribute_map.items()}[json_field]
    source = inspect.getsource(getattr(type(instance), attr).fset)
    return tuple(re.search(r'allowed_values = \[(.*?)\]', source).group(1).replace('"', '').split(', '))


@pytest.mark.parametrize('model_name,field,ours', [
    ('OAuthClient', 'authorizedGrantType', api_facts.GRANT_TYPES),
    ('OAuthClientRequest', 'authorizedGrantType', api_facts.GRANT_TYPES),
    ('OAuthClient', 'state', api_facts.CLIENT_STATES),
    ('OAuthClientRequest', 'state', api_facts.CLIENT_STATES),
    ('OAuthAuthorization', 'state', api_facts.AUTHORIZATION_STATES),
    ('ApiUsageClientQuery', 'granularity', api_facts.USAGE_GRANULARITIES),
    ('ApiUsageQueryResult', 'queryStatus', api_facts.USAGE_QUERY_STATUSES),
    ('ApiUsageOrganizationQuery', 'granularity', api_facts.USAGE_GRANULARITIES),
    ('OrganizationPublicApiUsageQueryRequest', 'granularity', api_facts.USAGE_GRANULARITIES),
    ('OrganizationPublicApiUsageResultsResponse', 'queryStatus', api_facts.USAGE_JOB_STATUSES),
    ('OrganizationPublicApiUsage', 'httpMethod', api_facts.USAGE_JOB_HTTP_METHODS),
    ('UsageQuerySortBy', 'order', api_facts.USAGE_JOB_SORT_ORDERS),
])
def test_emulator_enums_are_the_sdk_enums(model_name, field, ours):
    assert sorted(ours) == sorted(sdk_allowed_values(model_name, field))


def test_module_enums_are_the_sdk_enums():
    assert sorted(_client_model.GRANT_TYPES.values()) == sorted(sdk_allowed_values('OAuthClient', 'authorizedGrantType'))
    assert sorted(_client_model.CLIENT_STATES) == sorted(sdk_allowed_values('OAuthClient', 'state'))
    assert sorted(_usage.GRANULARITIES) == sorted(sdk_allowed_values('ApiUsageClientQuery', 'granularity'))


def test_usage_metrics_and_dimensions_are_fields_of_a_usage_row():
    row = json_fields('ApiUsageRow')
    assert set(api_facts.USAGE_METRICS) == set(_usage.METRICS)
    assert set(api_facts.USAGE_GROUP_BY) == set(_usage.GROUP_BY)
    for field in list(api_facts.USAGE_METRICS.values()) + list(api_facts.USAGE_GROUP_BY.values()):
        assert row.get(field) in ('int', 'str'), field
    assert set(_usage.ROW_FIELDS) <= set(row)
    assert {metric.lower() for metric in _usage.METRICS} == set(_usage.COUNTERS) == set(api_facts.USAGE_METRICS.values())


def test_the_organisation_usage_dimensions_and_counters_are_fields_of_its_answers():
    row, job_entity = json_fields('ApiUsageRow'), json_fields('OrganizationPublicApiUsage')
    assert set(api_facts.USAGE_ORG_GROUP_BY) == set(api_facts.USAGE_GROUP_BY) | {'UserId'}
    assert all(row.get(field) == 'str' for field in api_facts.USAGE_ORG_GROUP_BY.values())
    assert set(api_facts.USAGE_JOB_METRICS) == set(api_facts.USAGE_METRICS)
    assert all(job_entity.get(field) == 'int' for field in api_facts.USAGE_JOB_METRICS.values())
    assert set(api_facts.USAGE_JOB_GROUP_BY.values()) <= set(job_entity)
    assert job_entity['oauthClient'] == 'DomainEntityRef' and job_entity['date'] == 'date'


def test_the_jobs_api_limits_are_the_documented_ones():
    doc = getattr(sdk(), 'OrganizationPublicApiUsageQueryRequest').interval.__doc__
    assert 'Start date cannot be more than a year ago' in doc and 'End date cannot be more than 90 days after the start' in doc
    assert (api_facts.USAGE_JOB_MAX_AGE_DAYS, api_facts.USAGE_JOB_MAX_SPAN_DAYS) == (365, 90)
    assert 'Page size of the results. Max is 1000.' in sdk().UsageApi.get_usage_aggregates_query_job.__doc__
    assert api_facts.USAGE_JOB_MAX_PAGE_SIZE == 1000
    assert {'page_size', 'after'} <= set(inspect.getsource(sdk().UsageApi.get_usage_aggregates_query_job).split("'"))


@pytest.mark.parametrize('model_name', sorted(api_facts.REQUEST_MODELS))
def test_strict_mode_knows_the_request_models_as_the_sdk_declares_them(model_name):
    assert api_facts.REQUEST_MODELS[model_name] == json_fields(model_name)


@pytest.mark.parametrize('model_name', sorted(api_facts.RESPONSE_MODELS))
def test_response_fields_exist_in_the_sdk(model_name):
    assert set(api_facts.RESPONSE_MODELS[model_name]) <= set(json_fields(model_name))


def test_validity_bounds_are_the_documented_ones():
    doc = getattr(sdk(), 'OAuthClientRequest').access_token_validity_seconds.__doc__
    assert 'between 5mins and 48hrs' in doc and 'default of 24 hours' in doc
    assert (api_facts.VALIDITY_MIN, api_facts.VALIDITY_MAX, api_facts.DEFAULT_VALIDITY) == (5 * 60, 48 * 3600, 24 * 3600)
    assert (_client_model.VALIDITY_MIN, _client_model.VALIDITY_MAX) == (api_facts.VALIDITY_MIN, api_facts.VALIDITY_MAX)


class Recorder(Answer):
    """An API answer that records every key read from it, to learn which API fields a converter uses (converters
    read answers through Answer's typed readers, which read with get)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


@pytest.mark.parametrize('convert,model_name', [
    (_client_model.from_api, 'OAuthClient'),
    (_scope_model.scope_from_api, 'OAuthScope'),
    (_scope_model.authorization_from_api, 'OAuthAuthorization'),
])
def test_the_modules_read_only_fields_the_sdk_models_have(convert, model_name):
    body = Recorder(id='an-id')  # the one field a converter may require
    convert(body)
    assert body.read and body.read <= set(json_fields(model_name))


def test_the_modules_write_only_fields_the_sdk_request_models_have():
    client = dict(name='x', grant_type='client_credentials', description='d', access_token_validity_seconds=600,
                  redirect_uris=['https://a/cb'], scopes=[], roles=[dict(role_id='r', division_id='*')], state='active',
                  date_to_delete='2030-01-01T00:00:00Z')
    body = _client_model.to_request(client)
    assert set(body) == set(json_fields('OAuthClientRequest')) - {'roleIds'}
    assert unknown_keys('OAuthClientRequest', body) == []
    assert unknown_keys('Credential', credential_body('c', 'id', 'secret')) == []
    query = _usage.query_body(dict(interval='a/b', granularity='Day', metrics=['Requests'], group_by=['HttpMethod']))
    assert set(query) == set(json_fields('ApiUsageClientQuery'))


def test_the_modules_know_every_field_of_the_sdk_client_and_send_back_only_the_others():
    """A field of the SDK's OAuthClient is known (a read-only one is never sent); any other is one the API added."""
    assert sorted(_client_model.KNOWN_API_FIELDS) == sorted(json_fields('OAuthClient'))
    live = dict(id='c1', name='cc', authorizedGrantType='CLIENT-CREDENTIALS', state='active', secret='s',
                dateCreated='2026-01-01T00:00:00Z', createdBy=dict(id='u'), selfUri='/api/v2/oauth/clients/c1',
                roleIds=['r'], allowedIpAddresses=['10.0.0.0/8'], ipPolicy=dict(mode='allow'), retired=None)
    client = _client_model.from_api(live)
    assert client['extra'] == dict(allowedIpAddresses=['10.0.0.0/8'], ipPolicy=dict(mode='allow'), retired=None)
    body = _client_model.to_request(client)
    assert unknown_keys('OAuthClientRequest', body) == ['allowedIpAddresses', 'ipPolicy']


def test_the_body_check_accepts_exactly_the_added_client_fields():
    body = dict(name='cc', authorizedGrantType='CLIENT-CREDENTIALS', allowedIpAddresses=['10.0.0.0/8'],
                roleDivisions=[dict(roleId='r', allowedIpAddresses=[])])
    log = [dict(method='PUT', path='/api/v2/oauth/clients/c1', template_uri='/api/v2/oauth/clients/{clientId}', body=body),
           dict(method='POST', path='/api/v2/integrations/credentials', template_uri='/api/v2/integrations/credentials',
                body=dict(name='c', allowedIpAddresses=[]))]
    assert request_body_problems(log, ['allowedIpAddresses']) == [
        'PUT /api/v2/oauth/clients/c1 sent roleDivisions[0].allowedIpAddresses, unknown to the SDK model OAuthClientRequest',
        'POST /api/v2/integrations/credentials sent allowedIpAddresses, unknown to the SDK model Credential']
    assert 'sent allowedIpAddresses, roleDivisions[0]' in request_body_problems(log)[0]
    assert api_facts.type_problem('OAuthClientRequest', body, added=dict(allowedIpAddresses='list[str]')) == (
        'Unrecognized field "roleDivisions[0].allowedIpAddresses" (RoleDivision does not have it)')


@pytest.fixture
def sdk_client(emulator):
    """The SDK's own ApiClient, logged in to the emulator as its admin client."""
    api_client = sdk().api_client.ApiClient(host=emulator.url)
    api_client.get_client_credentials_token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)
    return api_client


@pytest.fixture
def oauth_api(sdk_client):
    return sdk().OAuthApi(sdk_client)


def test_the_official_sdk_works_against_the_emulator(emulator, oauth_api):
    emulator.config['strict'] = True
    request = sdk().OAuthClientRequest()
    request.name = 'sdk-made'
    request.authorized_grant_type = 'CLIENT-CREDENTIALS'
    request.access_token_validity_seconds = 3600
    division = sdk().RoleDivision()
    division.role_id = EMPLOYEE_ROLE_ID
    request.role_divisions = [division]
    created = oauth_api.post_oauth_clients(request)
    assert created.id and created.secret and created.state == 'active'
    assert created.authorized_grant_type == 'CLIENT-CREDENTIALS'
    assert created.role_divisions[0].division_id == HOME_DIVISION_ID

    read = oauth_api.get_oauth_client(created.id)
    assert read.name == 'sdk-made' and read.access_token_validity_seconds == 3600
    listing = oauth_api.get_oauth_clients()
    assert created.id in [client.id for client in listing.entities] and listing.total == 2

    request.state = 'inactive'
    request.description = 'updated by the SDK'
    updated = oauth_api.put_oauth_client(created.id, request)
    assert updated.state == 'inactive' and updated.description == 'updated by the SDK'

    rotated = oauth_api.post_oauth_client_secret(created.id)
    assert rotated.secret and rotated.secret != created.secret

    query = sdk().ApiUsageClientQuery()
    query.interval = '2020-01-01T00:00:00Z/2030-01-01T00:00:00Z'
    query.metrics = ['Requests']
    execution = oauth_api.post_oauth_client_usage_query(ADMIN_CLIENT_ID, query)
    assert execution.execution_id
    statuses = [oauth_api.get_oauth_client_usage_query_result(execution.execution_id, ADMIN_CLIENT_ID).query_status
                for _poll in range(3)]
    assert statuses == ['Running', 'Running', 'Complete']

    scopes = oauth_api.get_oauth_scopes()
    assert scopes.total == len(scopes.entities) > 0 and scopes.entities[0].description
    assert oauth_api.get_oauth_scope('users').id == 'users'

    oauth_api.delete_oauth_client(created.id)
    with pytest.raises(sdk().rest.ApiException) as caught:
        oauth_api.get_oauth_client('no-such-client')
    assert caught.value.status == 404


def _polled(poll, ended):
    """The answers of poll() until ended(answer), at most 10."""
    answers = [poll()]
    while not ended(answers[-1]) and len(answers) < 10:
        answers.append(poll())
    return answers


def test_the_official_sdk_reads_the_organisation_usage_from_the_emulator(emulator, control, sdk_client):
    """Both organisation-wide APIs, in strict mode, through the SDK's UsageApi: bodies it builds are accepted, and
    every answer, raw, has only fields of its model, reads into it, and holds only enum values it knows."""
    emulator.config['strict'] = True
    usage = sdk().UsageApi(sdk_client)
    query = sdk().ApiUsageOrganizationQuery()
    query.interval = '2020-01-01T00:00:00Z/2100-01-01T00:00:00Z'
    query.group_by = ['OAuthClientId']
    query.granularity = 'Week'
    execution = usage.post_usage_query(query)
    results = _polled(lambda: usage.get_usage_query_execution_id_results(execution.execution_id),
                      lambda answer: answer.query_status != 'Running')
    assert [answer.query_status for answer in results] == ['Running', 'Running', 'Complete']
    assert results[-1].results[0].client_id == ADMIN_CLIENT_ID and results[-1].results[0].client_name == 'Emulator admin'
    assert results[-1].results[0].requests >= 3

    job_query = sdk().OrganizationPublicApiUsageQueryRequest()
    now = datetime.now(timezone.utc)
    job_query.interval = '%s/%s' % ((now - timedelta(days=1)).isoformat(), (now + timedelta(days=1)).isoformat())
    job_query.group_by = ['OauthClientId', 'HttpMethod', 'TemplateUri']
    sort = sdk().UsageQuerySortBy()
    sort.field_name, sort.order = 'templateUri', 'Asc'
    job_query.sort_by = [sort]
    job = usage.post_usage_aggregates_query_jobs(job_query)
    statuses = _polled(lambda: usage.get_usage_aggregates_query_job(job.id, page_size=2),
                       lambda answer: answer.query_status not in ('Queued', 'Running'))
    assert [answer.query_status for answer in statuses] == ['Queued', 'Running', 'Succeeded']
    pages = [statuses[-1]]
    while pages[-1].next_uri:
        cursor = parse_qs(urlsplit(pages[-1].next_uri).query)['after'][0]
        pages.append(usage.get_usage_aggregates_query_job(job.id, page_size=2, after=cursor))
    entities = [entity for page in pages for entity in page.entities]
    assert len(pages) > 1 and all(len(page.entities) <= 2 for page in pages)
    assert [entity.template_uri for entity in entities] == sorted(entity.template_uri for entity in entities)
    assert all(entity.oauth_client.id == ADMIN_CLIENT_ID and entity.request_count > 0 for entity in entities)

    raw = control.api('GET', '/api/v2/usage/query/%s/results' % execution.execution_id).json()
    answers = [('UsageExecutionResult', control.api('POST', '/api/v2/usage/query', json=dict(interval=query.interval)).json()),
               ('ApiUsageQueryResult', raw),
               ('OrganizationUsageQueryResponse', control.api('POST', '/api/v2/usage/aggregates/query/jobs', json=dict(
                   interval=job_query.interval)).json()),
               ('OrganizationPublicApiUsageResultsResponse',
                control.api('GET', '/api/v2/usage/aggregates/query/jobs/' + job.id, params=dict(pageSize=1)).json())]
    for model_name, body in answers:
        assert unknown_keys(model_name, body) == [], model_name
        assert OUTDATED not in repr(deserialize(model_name, body).to_dict()), model_name


def test_every_emulator_answer_reads_into_its_sdk_model_with_known_enum_values(emulator, control):
    client = control.create_client(name='c', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.http.post(emulator.url + '/__emulator/authorizations', json=dict(clientId=client['id']))
    answers = [
        ('OAuthClient', control.get_client(client['id']).json()),
        ('OAuthClientEntityListing', control.api('GET', '/api/v2/oauth/clients').json()),
        ('OAuthScopeListing', control.api('GET', '/api/v2/oauth/scopes').json()),
        ('OAuthAuthorizationListing', control.api('GET', '/api/v2/oauth/authorizations').json()),
        ('UsageExecutionResult', control.api('GET', '/api/v2/oauth/clients/%s/usage/summary' % client['id']).json()),
    ]
    for model_name, body in answers:
        assert unknown_keys(model_name, body) == [], model_name
        read = deserialize(model_name, body)
        assert OUTDATED not in repr(read.to_dict()), model_name
    error = control.api('GET', '/api/v2/oauth/clients/nope').json()
    assert set(error) <= set(json_fields('ErrorBody')) and set(api_facts.ERROR_BODY_FIELDS) <= set(error)


def test_every_429_is_the_normalised_error_body_the_sdk_reads(control):
    """Rate limited by the emulator's budget or by an injected fault, a 429 is the one Genesys sends since 2021."""
    control.fault(method='GET', path='/usage/summary$', status=429, retry_after=3)
    throttled = [control.api('GET', '/api/v2/oauth/clients/emulator-admin/usage/summary')]
    control.configure(rate_limit=1, rate_limit_window=30)
    throttled += [control.api('GET', '/api/v2/oauth/scopes'), control.api('GET', '/api/v2/oauth/scopes')]
    for response in (throttled[0], throttled[2]):
        body = assert_rate_limited(response)
        assert tuple(body) == api_facts.RATE_LIMIT_BODY_FIELDS and unknown_keys('ErrorBody', body) == []
        read = deserialize('ErrorBody', body)
        assert (read.status, read.code, read.context_id) == (429, api_facts.RATE_LIMIT_CODE, body['contextId'])
        assert read.details == [] and read.errors == []


def test_the_sdk_reads_a_role_and_a_division_by_id_as_the_modules_check_ids(emulator, control):
    """The modules check role and division ids before they write them (GET .../roles/{id}, .../divisions/{id})."""
    api_client = sdk().api_client.ApiClient(host=emulator.url)
    api_client.get_client_credentials_token(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)
    authorization = sdk().AuthorizationApi(api_client)
    assert authorization.get_authorization_role(EMPLOYEE_ROLE_ID).name == 'Employee'
    assert authorization.get_authorization_division(HOME_DIVISION_ID).home_division is True
    for model_name, path in (('DomainOrganizationRole', '/api/v2/authorization/roles/' + EMPLOYEE_ROLE_ID),
                             ('AuthzDivision', '/api/v2/authorization/divisions/' + HOME_DIVISION_ID)):
        assert unknown_keys(model_name, control.api('GET', path).json()) == [], model_name
    for call in (authorization.get_authorization_role, authorization.get_authorization_division):
        with pytest.raises(sdk().rest.ApiException) as caught:
            call('no-such-id')
        assert caught.value.status == 404


def test_tokens_me_is_read_by_the_sdk_and_by_the_modules_with_the_fields_it_has(emulator, control):
    """TokenInfo names its client OAuthClient on the wire (not camelCase): the SDK reads nothing from oAuthClient."""
    token_info = json_fields('TokenInfo')
    assert token_info[_token_info.TOKEN_CLIENT_FIELD] == 'OrgOAuthClient' and 'oAuthClient' not in token_info
    assert token_info['organization'] == 'NamedEntity' and set(json_fields('NamedEntity')) == {'id', 'name'}
    assert json_fields('OrgOAuthClient')['id'] == 'str'
    assert set(api_facts.TOKEN_CLIENT_FIELDS) | {'organization'} == set(json_fields('OrgOAuthClient'))
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    api_client = sdk().api_client.ApiClient(host=emulator.url)
    api_client.get_client_credentials_token(robot['id'], robot['secret'])
    info = sdk().TokensApi(api_client).get_tokens_me()
    assert info.o_auth_client.id == robot['id'] and info.o_auth_client.organization.name == ORGANIZATION_NAME
    assert info.organization.name == info.home_organization.name == ORGANIZATION_NAME
    assert OUTDATED not in repr(info.to_dict())
    assert unknown_keys('TokenInfo', control.api('GET', _token_info.TOKEN_INFO_PATH).json()) == []
    with pytest.raises(sdk().rest.ApiException) as caught:
        sdk().TokensApi(sdk().api_client.ApiClient(host=emulator.url, header_name='Authorization',
                                                   header_value='Bearer nope')).get_tokens_me()
    assert caught.value.status == 401
