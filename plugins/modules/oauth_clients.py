#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_clients
short_description: Declare a whole set of Genesys Cloud OAuth clients in one task
version_added: 0.1.0
description:
  - Brings every client in O(clients) to its declared state in one module run, with one login, one walk of
    the client listing and the home division read at most once, and writes only where a client differs.
    A loop of M(genesys.cloud.oauth_client) tasks pays a module start, a login and a listing walk per item.
  - Each client is compared, normalised and changed by the same code as M(genesys.cloud.oauth_client), so both
    give the same result; lists compare as sets. Fields of a client this collection does not know (such as an IP
    allowlist set in the Genesys Cloud UI) are sent back unchanged by every write, the deactivation before a
    delete and the purge's included.
  - Each entry that declares a client of the implicit grant (V(token)) warns once, naming the client, that
    Genesys Cloud is retiring that grant (no new clients from March 2026, existing ones stop working in March
    2027) and that the authorization code grant with PKCE (V(code)) replaces it; an entry that deletes one does not.
  - A new client's secret, which the API shows only at the create, is delivered to a file and an integration
    credential as the entry asks, as M(genesys.cloud.oauth_client) does, and returned in the client's entry of
    RV(clients) only when the entry sets C(return_secret=true) (then use C(no_log) on the task) or no
    delivery kept it. An entry that would create a client with neither a delivery nor C(return_secret=true) fails
    before its create.
  - Every client is attempted, whatever fails before it; the results of all are returned, and the task fails
    naming the failed ones.
  - With O(purge=true), clients that no entry declares and whose name matches O(purge_filter) are deleted
    (made inactive first), never the client the module logs in with.
  - 'A purge never deletes a client that an entry names: by C(client_id), or by C(name), every client that
    carries that name however many do. Which clients the purge deletes is decided from the entries and the
    client listing before any write.'
  - When any entry fails (for example a name that several clients carry, or a C(client_id) that does not exist),
    the purge does not run at all; the task fails, and its message and RV(purge_skipped) say so.
  - A client found gone while it is being deleted (deleted meanwhile by someone else) is absent, as asked; it is
    reported C(changed) only when this run made it inactive first.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
attributes:
  check_mode:
    support: full
    description: Sends no write and reports exactly which clients would be created, updated and deleted.
  diff_mode:
    support: full
    description: Shows each changed client's managed fields before and after, never a secret.
options:
  clients:
    description:
      - The clients, each a dict with the options of M(genesys.cloud.oauth_client) (not the connection options), so
        C(state), C(client_id) or C(name), C(description), C(grant_type), C(access_token_validity_seconds),
        C(allow_scim_validity), C(redirect_uris), C(scopes), C(roles), C(active), and the secret deliveries
        C(dest), C(dest_format), C(backup), C(integration_credential), C(create_credential),
        C(take_over_credential), C(return_secret), with C(mode), C(owner) and C(group) for C(dest).
      - Every entry is checked before any request, with the rules of M(genesys.cloud.oauth_client) (one of
        C(client_id) and C(name) is required; each of C(roles) has C(role_id) or C(role), and C(division_id) or
        C(division) at most); an unknown key, a missing option or a bad value fails the task naming the entry.
      - Two entries may not declare the same client, nor give the same C(dest) or C(integration_credential).
    type: list
    elements: dict
    required: true
  defaults:
    description:
      - Settings every entry gets unless it sets its own, for example C(grant_type) or C(roles).
    type: dict
    default: {}
  purge:
    description:
      - Delete the clients that no entry declares and whose name matches O(purge_filter).
    type: bool
    default: false
  purge_filter:
    description:
      - A Python regular expression searched in each client's name, for example V(^team-a-) for a prefix.
        Required with O(purge=true), so a purge never reaches beyond the clients this task owns.
      - An empty or whitespace-only filter (for example from an unset variable) is refused before any request.
        So is a filter that matches the empty string, such as V(.*), V(^) or V(x?), which matches every name,
        unless O(purge_filter_matches_all=true).
      - A client whose name is not a string matches no filter.
    type: str
  purge_filter_matches_all:
    description:
      - Allow a O(purge_filter) that matches the empty string, and so every client name, for example V(.*);
        the purge then deletes every client that no entry declares (never the client the module logs in with).
      - Without it such a filter is refused before any request, since it is most often a mistake.
    type: bool
    default: false
    version_added: 0.2.0
notes:
  - The client the module logs in with is O(auth_client_id); with O(auth_token) the module asks the API whose token
    it is (C(GET /api/v2/tokens/me)), once a run and only when the purge would delete a client. When the API
    refuses to tell, the module warns once and the purge cannot spare that client, so keep it out of
    O(purge_filter).
seealso:
  - module: genesys.cloud.oauth_client
'''

EXAMPLES = r'''
- name: Team A's clients, exactly these
  genesys.cloud.oauth_clients:
    defaults:
      grant_type: client_credentials
      access_token_validity_seconds: 3600
    clients:
      - name: team-a-billing
        roles: [{role_id: 3e1bbbd2-5b4f-4a5b-9c3e-59a2c43de6d8}]
        dest: /etc/team-a/billing.json
        dest_format: json
      - name: team-a-reports
        roles: [{role_id: 9a7f5c1e-8d2b-4c1a-bf0e-2b5f3c8d1e44, division_id: '*'}]
        integration_credential: team-a-reports
        create_credential: true
      - name: team-a-wallboard
        grant_type: code
        redirect_uris: [https://wallboard.example.com/callback]
        scopes: [analytics:readonly]
        dest: /etc/team-a/wallboard.secret
    purge: true
    purge_filter: ^team-a-
  register: team_a   # no secret in it: each new client's secret goes to its dest or credential

- name: What changed
  ansible.builtin.debug:
    msg: "{{ team_a.clients | rejectattr('action', 'equalto', 'unchanged') | map(attribute='name') }}"
'''

RETURN = r'''
clients:
  description:
    - One entry per declared client, then one per purged client, in that order.
    - Named C(clients), not C(results), because Ansible takes a C(results) key for the results of a loop and shows
      it even with C(no_log), which would print new secrets.
  returned: always, when the entries were valid
  type: list
  elements: dict
  contains:
    name:
      description: Name of the client.
      type: str
    id:
      description: Id of the client (none for a client that check mode would create).
      type: str
    action:
      description:
        - V(created), V(updated), V(deleted), V(unchanged) or V(failed).
        - A purged client that someone else deleted meanwhile is V(unchanged) (absent, as asked, with nothing
          written by this run), or V(deleted) when this run had made it inactive first.
      type: str
    changed:
      description: Whether anything was changed for this client (a failed one may have been, for example created).
      type: bool
    diff:
      description: The managed fields before and after (C(before), C(after)), never a secret.
      type: dict
    secret:
      description: The secret of a client this run created, when its entry set C(return_secret=true) or no delivery
        kept it. Not in check mode.
      type: str
    msg:
      description: Why the client failed.
      type: str
    recovered:
      description: For a created client, whether the answer to its create was lost, so it was found by name and its
        secret rotated at once (see M(genesys.cloud.oauth_client)).
      type: bool
      version_added: 0.2.0
    deliveries:
      description: For a created client whose entry asked for deliveries, C(done), C(failed) or C(not requested) each.
      type: dict
    dest:
      description: The file a created client's secret was written to.
      type: str
    credential_id:
      description: Id of the integration credential updated or created for a created client.
      type: str
    api_error:
      description: The API error of a failed client.
      type: dict
purge_skipped:
  description:
    - Why the purge did not run although O(purge=true) asked for it; the entries that failed are named. The task
      fails with this text at the end of its message.
  returned: when O(purge=true) and an entry failed
  type: str
  sample: the purge did not run, since 1 declared client(s) failed (team-a-x); it runs once every entry succeeds
  version_added: 0.2.0
api_retries:
  description:
    - The retries of the task's requests, after HTTP 429 Too Many Requests (rate limited) or a failure that may pass
      (HTTP 502, 503, 504, a dropped connection, a timeout); see O(max_retries) and O(max_retry_wait).
    - Counts that grow from run to run tell that the organisation's rate budget is getting tight, before a run fails.
  returned: always
  type: dict
  contains:
    requests:
      description: How many requests were sent again, once or more.
      type: int
      sample: 2
    retries:
      description: How many times requests were sent again, in all.
      type: int
      sample: 3
    rate_limited:
      description: How many answers were HTTP 429 Too Many Requests, a last one that ended the task included.
      type: int
      sample: 3
    seconds_waited:
      description: Seconds waited before the retries, in all.
      type: float
      sample: 3.0
'''

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.ensure_many import ensure_client_set
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.many_clients import ENTRIES_ARGUMENT_SPEC
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule


def argument_spec():
    return dict(
        ENTRIES_ARGUMENT_SPEC,
        purge=dict(type='bool', default=False),
        purge_filter=dict(type='str'),
        purge_filter_matches_all=dict(type='bool', default=False),
    )


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_if=[('purge', True, ('purge_filter',))])
    module.run(lambda: ensure_client_set(module=module))


if __name__ == '__main__':
    main()
