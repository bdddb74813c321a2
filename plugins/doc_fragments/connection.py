# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every genesys.cloud module (genesys.cloud.connection)."""

    DOCUMENTATION = r'''
options:
  region:
    description:
      - The Genesys Cloud region of the organisation, by name (V(us-east-1), V(eu-west-1), ...)
        or by its domain (V(mypurecloud.ie)).
      - The API is then C(https://api.<domain>) and the login C(https://login.<domain>).
      - 'Region names: V(us-east-1), V(us-east-2), V(us-west-2), V(ca-central-1), V(sa-east-1), V(mx-central-1),
        V(eu-west-1), V(eu-west-2), V(eu-central-1), V(eu-central-2), V(eusc-de-east-1), V(me-central-1),
        V(ap-south-1), V(ap-southeast-1), V(ap-southeast-2), V(ap-northeast-1), V(ap-northeast-2), V(ap-northeast-3).'
      - Ignored when O(api_url) is set.
      - If not set, the environment variable E(GENESYSCLOUD_REGION) is used.
    type: str
    default: us-east-1
  api_url:
    description:
      - Full base URL of the API, overriding O(region), for a proxy or the local emulator
        (for example V(http://127.0.0.1:8080)).
      - The login URL is derived as the Genesys SDKs do it, C(api.) becomes C(login.) in the host name;
        a host without C(api.) serves the login itself.
      - If not set, the environment variable E(GENESYSCLOUD_API_URL) is used.
    type: str
  auth_client_id:
    description:
      - Id of the OAuth client (client credentials grant) the module logs in with.
      - If not set, the environment variable E(GENESYSCLOUD_OAUTHCLIENT_ID) is used.
      - Mutually exclusive with O(auth_token).
    type: str
  auth_client_secret:
    description:
      - Secret of O(auth_client_id).
      - If not set, the environment variable E(GENESYSCLOUD_OAUTHCLIENT_SECRET) is used.
    type: str
  auth_token:
    description:
      - A bearer token to use instead of logging in with O(auth_client_id) and O(auth_client_secret).
      - If not set, the environment variable E(GENESYSCLOUD_ACCESS_TOKEN) is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API. Only set to V(false) against a test endpoint.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP request before giving up on it.
    type: float
    default: 30
  max_retries:
    description:
      - How many times one request is sent again after HTTP 429 (rate limited), or after HTTP 502, 503, 504
        or a connection error for requests that are safe to repeat (GET, PUT, DELETE).
      - The module waits for the C(Retry-After) the API sends, otherwise backs off exponentially.
      - V(0) disables retries.
    type: int
    default: 5
  max_retry_wait:
    description:
      - Most seconds one request may spend waiting between its retries, in total.
        A retry that would wait beyond it is not made and the module fails with the API's error.
    type: float
    default: 120
notes:
  - 'Modules run on the host that talks to the API; use C(connection: local) or C(delegate_to: localhost).'
  - All modules are in the action group C(genesys.cloud.genesys), so the connection options can be set once
    with C(module_defaults) for C(group/genesys.cloud.genesys).
requirements:
  - requests >= 2.25
'''
