import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api.regions import REGION_DOMAINS, RegionError, base_urls

# Every region of shared/genesys-oauth-api.md.
FACTS = {
    'us-east-1': 'mypurecloud.com', 'us-east-2': 'use2.us-gov-pure.cloud', 'us-west-2': 'usw2.pure.cloud',
    'ca-central-1': 'cac1.pure.cloud', 'sa-east-1': 'sae1.pure.cloud', 'mx-central-1': 'mxc1.pure.cloud',
    'eu-west-1': 'mypurecloud.ie', 'eu-west-2': 'euw2.pure.cloud', 'eu-central-1': 'mypurecloud.de',
    'eu-central-2': 'euc2.pure.cloud', 'eusc-de-east-1': 'edee1.eusc-pure.cloud', 'me-central-1': 'mec1.pure.cloud',
    'ap-south-1': 'aps1.pure.cloud', 'ap-southeast-1': 'apse1.pure.cloud', 'ap-southeast-2': 'mypurecloud.com.au',
    'ap-northeast-1': 'mypurecloud.jp', 'ap-northeast-2': 'apne2.pure.cloud', 'ap-northeast-3': 'apne3.pure.cloud',
}


def test_every_region_of_the_api_facts():
    assert REGION_DOMAINS == FACTS


@pytest.mark.parametrize('region', ['eu-west-1', 'mypurecloud.ie', ' EU-WEST-1 '])
def test_region_by_name_or_domain(region):
    assert base_urls(region) == ('https://api.mypurecloud.ie', 'https://login.mypurecloud.ie')


def test_default_region_is_us_east_1():
    assert base_urls(None) == ('https://api.mypurecloud.com', 'https://login.mypurecloud.com')


def test_api_url_overrides_region_and_derives_login():
    assert base_urls('eu-west-1', 'https://api.usw2.pure.cloud/') == (
        'https://api.usw2.pure.cloud', 'https://login.usw2.pure.cloud')
    assert base_urls(None, 'http://127.0.0.1:8080') == ('http://127.0.0.1:8080', 'http://127.0.0.1:8080')
    assert base_urls(None, 'https://proxy.example.com/genesys/') == (
        'https://proxy.example.com/genesys', 'https://proxy.example.com/genesys')


@pytest.mark.parametrize('region,api_url', [('mars-1', None), (None, 'ftp://x'), (None, 'api.mypurecloud.com')])
def test_bad_region_or_url(region, api_url):
    with pytest.raises(RegionError) as caught:
        base_urls(region, api_url)
    assert ('us-east-1' in str(caught.value)) if region else ('api_url' in str(caught.value))
