# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
name: oauth_clients
short_description: Genesys Cloud OAuth clients as an inventory
version_added: 0.2.0
description:
  - Makes every OAuth client of a Genesys Cloud organisation (or of several) an inventory host, for audits and
    for AWX / Automation Controller inventory sources.
  - The inventory file's name must end with V(oauth_clients.yml) or V(oauth_clients.yaml), and it must set
    O(plugin) to V(genesys.cloud.oauth_clients).
  - A host's name is the client's name (after O(host_name_prefix)). When a name is taken, by a client of the
    same name in this inventory source, the oldest client keeps it and a later one gets the first 8 characters
    of its id appended (C(billing-sync_5d3a1a0b)), so a new client never renames another.
  - 'Anyone who may create a client chooses its name, so a name Ansible would read as something else is never a
    host name as it is: C(all), C(ungrouped), C(localhost), C(127.0.0.1), C(::1); a name with C(,) C(:) C([)
    C(]) C(*) C(?) (host pattern syntax), starting with C(~) C(!) C(&) C(@), with spaces around it or a character
    that is not printable; the name of a group of this source (an organisation''s group, a group of O(groups), or
    one starting with C(genesys_grant_) or C(genesys_state_)). Such a client''s host name is its name with spaces
    around it removed, every one of those characters replaced by C(_), and the first 8 characters of its id
    appended (C(all_5d3a1a0b), C(a_1_3__5d3a1a0b) for C(a[1:3])), so it does not change from run to run. A client
    without a name is named by its id. Other names, spaces and any letters included, are kept as they are.'
  - 'Every host has C(ansible_connection: local) and these variables, never a secret:
    C(genesys_client), the client as M(genesys.cloud.oauth_client_info) returns it (C(deprecated_grant) is V(true)
    for a client of the implicit grant Genesys Cloud is retiring, C(extra) holds the fields the collection does not
    know, by their API names), its C(roles) each with C(role_name) and C(division_name) too (C(division_name) is
    V(null) for the division V(*), all divisions);
    C(genesys_org), the name of the organisation (O(org_name), or the C(name) of its O(orgs) entry; without either,
    the name Genesys Cloud gives the organisation of the login, from C(GET /api/v2/tokens/me)), when it has one;
    C(genesys_usage) with O(usage_days).'
  - 'Every host is in the groups C(genesys_grant_<grant type>) (such as C(genesys_grant_client_credentials)) and
    C(genesys_state_<state>) (such as C(genesys_state_active)), and in a group named after its organisation when
    it has a name. Group names are made safe as Ansible''s constructed groups are (C(emea-prod) becomes
    C(emea_prod)); an organisation named C(all) or C(ungrouped) fails the source, since Ansible has those groups.'
  - 'Each organisation costs one login and one walk of the client listing, plus one walk of the role and the
    division listings when a client has roles (for their names), and one C(GET /api/v2/tokens/me) when the file
    does not name it (O(org_name)). With O(usage_days), one usage query of the whole organisation, polled until it
    completes, however many clients it has (see O(usage_days)).'
  - Connection options are those of the modules, with the same environment variables (an AWX credential that
    sets E(GENESYSCLOUD_REGION), E(GENESYSCLOUD_OAUTHCLIENT_ID) and E(GENESYSCLOUD_OAUTHCLIENT_SECRET) works
    unchanged), resolved as the modules resolve them, options in the file before the environment. With O(orgs), each
    entry may set its own, and those it leaves out come from the top level, then the environment; the API location
    (O(region), O(api_url)) is taken whole from the first of these that sets either, so an entry's O(region) is never
    overridden by the top level's O(api_url) or E(GENESYSCLOUD_API_URL).
  - When requests to an organisation had to be retried (after HTTP 429 Too Many Requests, or 502, 503, 504 or a
    timeout), a warning says how many, how often, how many answers were 429 and the seconds waited, so the owner of
    a scheduled sync sees the rate budget getting tight before a sync fails (see O(max_retries)).
  - An option the plugin does not know fails the inventory source, so a misspelt option never goes unnoticed.
  - Every API answer is read type-checked; one that is malformed (a list where the API documents an object, a
    field of the wrong type) fails the source, naming the request and the field.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin, so that the file is read by it.
    type: str
    required: true
    choices: [genesys.cloud.oauth_clients]
  org_name:
    description:
      - A name for the organisation. Its hosts get it as C(genesys_org) and are put in a group of that name.
      - Without it, the name Genesys Cloud gives the organisation of the login is used (one request, C(GET
        /api/v2/tokens/me)). When the API does not tell it, the source warns and its hosts get no C(genesys_org)
        and no group of the organisation.
      - Not with O(orgs), whose entries have a C(name) each.
    type: str
  host_name_prefix:
    description:
      - Text put before every host name, such as V(prod_), to keep apart clients of the same name in
        organisations read by separate inventory files.
      - Not with O(orgs), whose entries may each have a C(host_name_prefix).
    type: str
    default: ''
  orgs:
    description:
      - Several organisations in one inventory source, each with a C(name) (its group, and C(genesys_org)),
        optionally a C(host_name_prefix), and any connection options (O(region), O(api_url), O(auth_client_id),
        O(auth_client_secret), O(auth_token), O(validate_certs), O(ca_path), O(timeout), O(max_retries),
        O(max_retry_wait), O(id_lookup_wait)).
      - A connection option an entry does not set comes from the top level of the file, then the environment.
        An entry that sets O(region) or O(api_url) takes neither from the top level nor from the environment.
      - Host names are unique across all the organisations, the first org's clients taking their names first.
    type: list
    elements: dict
  filters:
    description:
      - Only the clients that match every key given become hosts; the others cost nothing more.
      - C(name) is a list of shell-style patterns (V(billing-*)), matched case-sensitively; a client matching
        any of them passes.
      - C(grant_type) is a list of V(client_credentials), V(code), V(token), V(saml2_bearer), V(password).
      - C(state) is a list of V(active), V(inactive), V(disabled).
    type: dict
    default: {}
  usage_days:
    description:
      - Give every host C(genesys_usage), the client's API usage over the last this many days. It holds C(days)
        and the totals C(requests), C(status200), C(status300), C(status400), C(status429) and C(status500); a
        client that made no request has zeros.
      - Costs one usage query of the whole organisation (C(POST /api/v2/usage/query) with C(groupBy) C(OAuthClientId),
        as M(genesys.cloud.oauth_usage_query) without a client makes it), polled until it completes. That is a few
        requests, whatever the number of clients. C(-v) reports its polls and time.
      - When the login may not make that query (HTTP 403), the plugin warns once, naming the permission
        C(usage:organization:view), and reads each client's usage summary instead (as
        M(genesys.cloud.oauth_usage_query) with O(genesys.cloud.oauth_usage_query#module:summary=true) reads it),
        one summary and its polls per client, O(usage_concurrency) at a time.
      - A query or summary that fails fails the inventory source, so an audit never reads missing usage as no usage.
      - Without it, no usage is read.
    type: int
  usage_concurrency:
    description:
      - How many usage summaries run at the same time, when the organisation's usage query is refused and each
        client's summary is read instead (see O(usage_days)). Genesys Cloud rate-limits each client; more than a few
        at a time mostly earns HTTP 429 answers (which are waited for and retried, see O(max_retries)).
    type: int
    default: 4
  usage_wait_timeout:
    description: Most seconds to poll the usage query (or one usage summary) before failing.
    type: float
    default: 120
  usage_poll_interval:
    description: Seconds between two polls of the usage query (or of one usage summary).
    type: float
    default: 2
notes:
  - The cache holds the clients' facts (never a secret). A cache written with other O(orgs), O(filters),
    connection targets or O(usage_days) is not used. C(--flush-cache) renews it (an option of
    C(ansible-playbook), and of C(ansible-inventory) from ansible-core 2.19), and so does O(cache_timeout).
  - The names of O(keyed_groups) depend on the hosts' variables and are not known when hosts are named; give
    each a C(prefix) that client names do not start with, so that no host has a group's name.
  - A host's C(roles) are copied from the listing, so C(genesys_client.roles | map(attribute='division_id'))
    shows which divisions a client acts in.
  - To run modules against these hosts (C(ansible_connection=local)), Ansible needs a Python with C(requests)
    on the controller; set C(ansible_python_interpreter) for the group, or delegate to C(localhost).
'''

EXAMPLES = r'''
# Three inventory files, one after the other.

# prod.oauth_clients.yml: one organisation, credentials from the environment (GENESYSCLOUD_*), as an AWX
# credential of the collection's credential type injects them.
plugin: genesys.cloud.oauth_clients
org_name: prod
host_name_prefix: prod_

# audit.oauth_clients.yml: an audit as groups over the last 30 days of usage.
plugin: genesys.cloud.oauth_clients
region: eu-west-1
usage_days: 30
groups:
  unused: genesys_usage.requests == 0
  all_divisions: "'*' in genesys_client.roles | map(attribute='division_id')"
  long_lived_tokens: genesys_client.access_token_validity_seconds > 86400
  failing: genesys_usage.status400 + genesys_usage.status500 > genesys_usage.requests / 10
keyed_groups:
  - key: genesys_client.roles | map(attribute='role_name')
    prefix: role
compose:
  owner: genesys_client.created_by.name

# orgs.oauth_clients.yml: several organisations in one file, a group per org, cached for an hour.
plugin: genesys.cloud.oauth_clients
orgs:
  - name: emea_prod
    region: eu-west-1
    auth_client_id: 5d3a1a0b-6a7f-4a59-8a52-3f4b0d86a0e1
    auth_client_secret: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      ...
  - name: us_test
    host_name_prefix: test_
    region: us-east-1
    auth_token: "{{ lookup('ansible.builtin.env', 'US_TEST_TOKEN') }}"
filters:
  grant_type: [client_credentials]
  state: [active]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/genesys-inventory
cache_timeout: 3600
'''

import difflib
import os
import re
import traceback

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.inventory import (
    UsageRun, check_filters, check_usage_options, host_names, organization_name, read_org, reserved_group_problem)
from ansible_collections.genesys.cloud.plugins.module_utils._api.connection import (
    CONNECTION_ARGUMENT_SPEC, api_client_from_options, connection_params, layered)
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError, InputError, unexpected_failure
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import HAS_REQUESTS
from ansible_collections.genesys.cloud.plugins.module_utils._api.regions import base_urls

display = Display()

ORG_KEYS = ('name', 'host_name_prefix')
# Bumped when the cached data changes shape, so an older cache is read again rather than misread.
# 2: clients have deprecated_grant and extra. 3: an organisation without a name in the file has the one the API gives.
CACHE_FORMAT = 3


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'genesys.cloud.oauth_clients'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('oauth_clients.yml', 'oauth_clients.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        try:
            self._check_known(config)
            orgs = self._orgs(config)
            self._org_groups([org['name'] for org in orgs])
            check_filters(self.get_option('filters'))
            check_usage_options(self.get_option('usage_days'), self.get_option('usage_concurrency'),
                                self.get_option('usage_wait_timeout'), self.get_option('usage_poll_interval'))
            if not HAS_REQUESTS:
                raise InputError('the genesys.cloud.oauth_clients inventory plugin needs the Python library requests '
                                 'on the controller')
            data = self._cached_or_read(path, orgs, cache)
        except GenesysError as exc:
            raise AnsibleParserError('%s: %s' % (path, exc))
        except AnsibleParserError:
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught
            display.vvv(traceback.format_exc())
            raise AnsibleParserError('%s: %s' % (path, unexpected_failure(exc, 'the genesys.cloud.oauth_clients inventory')))
        self._populate(data)

    def _check_known(self, config):
        for key in config:
            if key not in self._options:
                close = difflib.get_close_matches(key, list(self._options), n=1)
                raise InputError('unknown option %r%s; see ansible-doc -t inventory genesys.cloud.oauth_clients'
                                 % (key, " (did you mean '%s'?)" % close[0] if close else ''))

    def _orgs(self, config):
        """The organisations to read: dict(name, prefix, params) each, connection options resolved."""
        top = {name: self._rendered(self.get_option(name)) for name in CONNECTION_ARGUMENT_SPEC if name in config}
        entries = self.get_option('orgs')
        if entries is None:
            return [dict(name=self.get_option('org_name'), prefix=self.get_option('host_name_prefix') or '',
                         params=connection_params(top, os.environ))]
        for option in ('org_name', 'host_name_prefix'):
            if option in config:
                raise InputError('%s cannot be set with orgs: give each orgs entry its own name or host_name_prefix'
                                 % option)
        if not entries:
            raise InputError('orgs is empty: list at least one organisation, or leave orgs out')
        orgs, seen = [], set()
        for index, entry in enumerate(entries):
            where = 'orgs[%d]' % index
            if not isinstance(entry, dict):
                raise InputError('%s must be a dictionary with a name and connection options' % where)
            unknown = sorted(set(entry) - set(ORG_KEYS) - set(CONNECTION_ARGUMENT_SPEC))
            if unknown:
                raise InputError('%s: unknown key %s; allowed: %s' % (
                    where, ', '.join(map(str, unknown)), ', '.join(ORG_KEYS + tuple(CONNECTION_ARGUMENT_SPEC))))
            name = entry.get('name')
            if not isinstance(name, str) or not name.strip():
                raise InputError('%s needs a name (its group and genesys_org)' % where)
            if name in seen:
                raise InputError('%s: the name %r is given to two organisations' % (where, name))
            seen.add(name)
            prefix = entry.get('host_name_prefix') or ''
            if not isinstance(prefix, str):
                raise InputError('%s.host_name_prefix must be a string' % where)
            # The entry's region or api_url replaces both of the file's (and the environment's).
            options = layered({key: self._rendered(value) for key, value in entry.items() if key not in ORG_KEYS}, top)
            orgs.append(dict(name=name, prefix=prefix,
                             params=connection_params(options, os.environ, where='%s (%s): ' % (where, name))))
        return orgs

    def _rendered(self, value):
        """A connection option's value as a task would give it to a module: a template rendered (lookups allowed),
        a vaulted value decrypted. Lists and dicts stay, for the type check to refuse."""
        if isinstance(value, str):
            return self.templar.template(value) if self.templar.is_template(value) else value
        if value is None or isinstance(value, (bool, int, float, list, dict)):
            return value
        return to_text(value)  # a vaulted value that is not a str on this ansible-core

    def _fingerprint(self, orgs):
        """What the cached data depends on (no secret): a cache written for other settings is not used."""
        return [CACHE_FORMAT, self.get_option('filters'), self.get_option('usage_days'),
                [[org['name'], org['prefix'], base_urls(org['params']['region'], org['params'].get('api_url'))[0],
                  org['params'].get('auth_client_id')] for org in orgs]]

    def _cached_or_read(self, path, orgs, cache):
        fingerprint = self._fingerprint(orgs)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache')
        if use_cache and cache:
            try:
                cached = self._cache[cache_key]
            except KeyError:
                cached = None
            if isinstance(cached, dict) and cached.get('fingerprint') == fingerprint:
                display.v('genesys.cloud.oauth_clients: %s from the cache, no request sent' % path)
                return cached
        data = dict(fingerprint=fingerprint, orgs=[self._read(org) for org in orgs])
        if use_cache:
            self._cache[cache_key] = data
        return data

    def _read(self, org):
        api = api_client_from_options(org['params'])
        label = 'org %r' % org['name'] if org['name'] else api.api_base
        usage = None
        if self.get_option('usage_days'):
            usage = UsageRun(api, self.get_option('usage_days'), self.get_option('usage_concurrency'),
                             self.get_option('usage_wait_timeout'), self.get_option('usage_poll_interval'))
        name = org['name']
        try:
            records, warnings = read_org(api, self.get_option('filters'), usage)
            if not name:
                name, warning = self._organization_name(api)
                warnings += [warning] if warning else []
        except GenesysError as exc:
            raise GenesysError('%s: %s' % (label, exc))
        for warning in warnings:
            display.warning('genesys.cloud.oauth_clients: %s: %s' % (label, warning))
        retried = api.retried.summary()
        if retried:  # a scheduled sync's owner sees the organisation's rate budget getting tight before a sync fails
            display.warning('genesys.cloud.oauth_clients: %s: %s' % (label, retried))
        display.v('genesys.cloud.oauth_clients: %s: %d clients' % (label, len(records)))
        if usage:
            display.v('genesys.cloud.oauth_clients: %s: %s' % (label, usage.report()))
        return dict(name=name, prefix=org['prefix'], records=records)

    def _organization_name(self, api):
        """The API's name of the organisation of a file without org_name: (name, None) or (None, a warning)."""
        name, warning = organization_name(api)
        if name and reserved_group_problem(self._sanitize_group_name(name), 'organisation', name):
            return None, ('the organisation is named %r, which would be a group Ansible reserves, so its hosts get no '
                          'genesys_org and no group of the organisation; give org_name' % name)
        return name, warning

    def _org_groups(self, names):
        """The group of each organisation (None for one without a name): its name made a safe group name, as the
        constructed groups are. Ansible's own all and ungrouped are refused, naming the option."""
        options = ['org_name'] if self.get_option('orgs') is None else ['orgs[%d].name' % index for index in range(len(names))]
        groups = [self._sanitize_group_name(name) if name else None for name in names]
        for group, option, name in zip(groups, options, names):
            problem = reserved_group_problem(group, option, name)
            if problem:
                raise InputError(problem)
        return groups

    def _populate(self, data):
        strict = self.get_option('strict')
        org_groups = self._org_groups([org['name'] for org in data['orgs']])
        # The groups known before the hosts are added: a client of such a name gets another host name (host_names).
        known_groups = set(filter(None, org_groups)) | {self._sanitize_group_name(name) for name in self.get_option('groups') or {}}
        names = host_names([(org['prefix'], org['records']) for org in data['orgs']], known_groups)
        for org, org_group, org_names in zip(data['orgs'], org_groups, names):
            if org_group:
                self.inventory.add_group(org_group)
            for record, host in sorted(zip(org['records'], org_names), key=lambda pair: pair[1]):
                self._add_client_host(host, record, org, org_group, strict)

    def _add_client_host(self, host, record, org, org_group, strict):
        client = record['client']
        self.inventory.add_host(host, group=org_group)
        self.inventory.set_variable(host, 'ansible_connection', 'local')
        host_vars = dict(genesys_client=client)
        if org['name']:
            host_vars['genesys_org'] = org['name']
        if record['usage'] is not None:
            host_vars['genesys_usage'] = record['usage']
        for name, value in host_vars.items():
            # Names and descriptions come from the API (and the file): never templated as if they were playbook text.
            self.inventory.set_variable(host, name, wrap_var(value))
        for kind, value in (('grant', client['grant_type']), ('state', client['state'])):
            # A grant type or state the collection does not know yet is named as the API spells it, made safe.
            group = 'genesys_%s_%s' % (kind, re.sub(r'[^a-z0-9_]', '_', (value or 'none').lower()))
            self.inventory.add_host(host, group=self.inventory.add_group(group))
        variables = self.inventory.get_host(host).get_vars()
        try:
            self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            raise AnsibleParserError('genesys.cloud.oauth_clients: host %s: %s' % (host, to_native(exc)))
