# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Genesys Cloud regions and how the API and login base URLs are derived from them."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from .errors import InputError

REGION_DOMAINS = {
    'us-east-1': 'mypurecloud.com',
    'us-east-2': 'use2.us-gov-pure.cloud',
    'us-west-2': 'usw2.pure.cloud',
    'ca-central-1': 'cac1.pure.cloud',
    'sa-east-1': 'sae1.pure.cloud',
    'mx-central-1': 'mxc1.pure.cloud',
    'eu-west-1': 'mypurecloud.ie',
    'eu-west-2': 'euw2.pure.cloud',
    'eu-central-1': 'mypurecloud.de',
    'eu-central-2': 'euc2.pure.cloud',
    'eusc-de-east-1': 'edee1.eusc-pure.cloud',
    'me-central-1': 'mec1.pure.cloud',
    'ap-south-1': 'aps1.pure.cloud',
    'ap-southeast-1': 'apse1.pure.cloud',
    'ap-southeast-2': 'mypurecloud.com.au',
    'ap-northeast-1': 'mypurecloud.jp',
    'ap-northeast-2': 'apne2.pure.cloud',
    'ap-northeast-3': 'apne3.pure.cloud',
}


class RegionError(InputError):
    """A region or api_url the collection cannot turn into base URLs."""


def region_domain(region):
    """Return the domain of a region given by name (us-east-1) or by domain (mypurecloud.com)."""
    value = (region or '').strip().lower()
    if value in REGION_DOMAINS:
        return REGION_DOMAINS[value]
    if value in REGION_DOMAINS.values():
        return value
    raise RegionError(
        'region must be one of the region names %s or their domains %s, got %r'
        % (', '.join(REGION_DOMAINS), ', '.join(REGION_DOMAINS.values()), region))


def login_url_for(api_url):
    """Derive the login base URL as the SDK does: api.<domain> -> login.<domain>, else the same base."""
    parts = urlsplit(api_url)
    host = parts.netloc
    if host.startswith('api.'):
        host = 'login.' + host[len('api.'):]
    return urlunsplit((parts.scheme, host, parts.path, '', ''))


def base_urls(region=None, api_url=None):
    """Return (api_base_url, login_base_url) for an api_url override or a region."""
    if api_url is not None:
        try:
            parts = urlsplit(api_url.strip())
            parts.port  # pylint: disable=pointless-statement  # a port that is not a number raises here
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname:
            raise RegionError('api_url must be an absolute http(s) URL such as https://api.mypurecloud.com, got %r' % api_url)
        api_base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip('/'), '', ''))
        return api_base, login_url_for(api_base)
    domain = region_domain('us-east-1' if region is None else region)
    return 'https://api.' + domain, 'https://login.' + domain
