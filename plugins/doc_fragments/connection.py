# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every genesys.cloud module and the inventory plugin (genesys.cloud.connection);
    genesys.cloud.connection.modules adds what only modules have (the action group)."""

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
      - 'Where the API is, in this order: O(api_url) or O(region) given to the task (directly or through
        C(module_defaults)); when the task gives neither, E(GENESYSCLOUD_API_URL), then E(GENESYSCLOUD_REGION);
        without any of them, V(us-east-1). The environment is not read at all when the task gives either option,
        so a task that names a region never sends anything to E(GENESYSCLOUD_API_URL).'
      - The location and the login are chosen each on its own (see O(auth_client_id) for the login), so credentials
        or a token given to a task that names no location go to the location from the environment, or to
        V(us-east-1). Give O(region) or O(api_url) next to task-level credentials to pin where they go.
      - An empty value is refused, never taken for the default region.
    type: str
  api_url:
    description:
      - Full base URL of the API, overriding O(region), for a proxy or the local emulator
        (for example V(http://127.0.0.1:8080)).
      - The login URL is derived as the Genesys SDKs do it, C(api.) becomes C(login.) in the host name;
        a host without C(api.) serves the login itself.
      - If the task sets neither O(api_url) nor O(region), the environment variable E(GENESYSCLOUD_API_URL) is
        used; see O(region) for the whole rule.
      - An empty value is refused, never taken to mean O(region), so credentials are not sent to a host
        the task did not name.
      - A redirect is never followed to another origin (scheme, host or port), and on the same origin only for
        reads (up to 5); a write or a login answered with a redirect fails naming where it pointed, and nothing is
        sent there. Whatever the API answers, credentials, tokens and request bodies go only to the API's origin and the
        login's.
    type: str
  auth_client_id:
    description:
      - Id of the OAuth client (client credentials grant) the module logs in with.
      - If not set, the environment variable E(GENESYSCLOUD_OAUTHCLIENT_ID) is used, unless the task
        logs in with O(auth_token).
      - 'How the login is chosen: options given to the task (directly or through C(module_defaults)) come first.
        O(auth_token) there means a bearer token, whatever client credentials the environment holds;
        O(auth_client_id) or O(auth_client_secret) there means client credentials, the missing half taken from
        the environment. Giving both kinds in the task is an error. When the task gives none, the environment
        decides: E(GENESYSCLOUD_ACCESS_TOKEN) before E(GENESYSCLOUD_OAUTHCLIENT_ID) and
        E(GENESYSCLOUD_OAUTHCLIENT_SECRET).'
      - Empty login values are refused.
    type: str
  auth_client_secret:
    description:
      - Secret of O(auth_client_id).
      - If not set, the environment variable E(GENESYSCLOUD_OAUTHCLIENT_SECRET) is used.
    type: str
  auth_token:
    description:
      - A bearer token to use instead of logging in with O(auth_client_id) and O(auth_client_secret).
      - If not set, the environment variable E(GENESYSCLOUD_ACCESS_TOKEN) is used, unless the task gives
        O(auth_client_id) or O(auth_client_secret).
      - Given in the task, it wins over client credentials from the environment (such as those an AWX
        credential sets); see O(auth_client_id) for the whole rule.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API. Only set to V(false) against a test endpoint.
      - Honoured whatever the environment holds (E(REQUESTS_CA_BUNDLE) included).
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle file (or a folder of hashed certificates) to verify the API's certificate with,
        for example a corporate proxy's CA.
      - If not set, the environment variable E(GENESYSCLOUD_CA_PATH) is used; without either, the
        C(requests) defaults apply (its bundled CAs, or E(REQUESTS_CA_BUNDLE)).
      - Ignored when O(validate_certs=false).
    type: path
  timeout:
    description:
      - Most seconds one HTTP request may take, from sending it to its answer's last byte (a deadline for the whole
        answer, not for each read, so an answer that trickles in slowly cannot hold the task).
      - A request that misses it counts as a timeout, retried as O(max_retries) says.
    type: float
    default: 30
  max_retries:
    description:
      - How many times one request is sent again after HTTP 429 (rate limited), or after HTTP 502, 503, 504,
        a refused or dropped connection or a timeout, for requests that are safe to repeat (GET, PUT, DELETE).
      - Failures that cannot pass are never retried, they fail at once, for example an untrusted TLS
        certificate or http spoken to an https port.
      - The module waits for the C(Retry-After) the API sends, otherwise backs off exponentially.
      - V(0) disables retries.
    type: int
    default: 5
  max_retry_wait:
    description:
      - Most seconds one request may spend waiting between its retries, in total.
        A retry that would wait beyond it is not made and the module fails with the API's error, saying how long
        the API asked to wait (its C(Retry-After)).
    type: float
    default: 120
  id_lookup_wait:
    description:
      - Most seconds to keep asking for an OAuth client by id while the API answers 404 (in steps of
        0.25, 0.5, 1 and then 2 seconds).
      - Right after a client is created the API may not know its id for a moment, and the task after a create
        often reads or rotates the new client by id. Listings and lookups by name do not wait.
      - The cost is that an id that really does not exist is reported only after this wait.
        V(0) turns the waiting off.
    type: float
    default: 5
requirements:
  - requests >= 2.25
'''

    MODULES = r'''
notes:
  - 'Modules run on the host that talks to the API; use C(connection: local) or C(delegate_to: localhost).'
  - All modules are in the action group C(genesys.cloud.genesys), so the connection options can be set once
    with C(module_defaults) for C(group/genesys.cloud.genesys).
attributes:
  action_group:
    description: Use C(group/genesys.cloud.genesys) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - genesys.cloud.genesys
'''
