"""The contenders of the benchmark: each turns (scenario, declared clients) into a command to time.

Every contender does the same job against the same emulator state; the collection's contenders are real
ansible-playbook runs, the alternatives are in alternatives/.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)

SCENARIOS = ('create', 'no-change', 'one-change', 'read', 'rotate', 'inventory')


def _client_options(declared):
    return dict(name=declared['name'], description=declared['description'], grant_type='client_credentials',
                access_token_validity_seconds=declared['access_token_validity_seconds'],
                roles=[dict(role_id=declared['role_id'])],
                return_secret=True)  # the new secrets in the result, as the alternatives have them


def _play(tasks, pre_tasks=None):
    return [dict(name='benchmark', hosts='localhost', connection='local', gather_facts=False,
                 tasks=(pre_tasks or []) + tasks)]


def _one_task_module(job):
    """(module, options) of the collection's one task for a declare or read scenario."""
    if job['scenario'] == 'read':
        return 'oauth_client_info', {}
    return 'oauth_clients', dict(clients=[_client_options(c) for c in job['clients']])


def one_task(job):
    """The collection's answer: one task for the whole set (oauth_client_info to read, the role to rotate)."""
    if job['scenario'] == 'rotate':
        entries = [dict(name=c['name'], dest=os.path.join(job['dest_dir'], c['name']), verify=False)
                   for c in job['clients']]
        return _play([{'name': 'rotate', 'ansible.builtin.include_role': {'name': 'genesys.cloud.rotate_client_secrets'},
                       'vars': {'rotate_client_secrets_clients': entries}}])
    module, options = _one_task_module(job)
    return _play([{'name': 'one task', 'genesys.cloud.' + module: options, 'no_log': True}])


def loop_of_oauth_client(job):
    """One module task per client in a loop, as most playbooks are written today."""
    if job['scenario'] == 'rotate':
        return _play([{'name': 'rotate', 'genesys.cloud.oauth_client_secret': dict(
            name='{{ item.name }}', dest=os.path.join(job['dest_dir'], '{{ item.name }}'), verify=False),
            'loop': job['clients'], 'loop_control': {'label': '{{ item.name }}'}, 'no_log': True}])
    options = {key: '{{ item.%s }}' % key for key in ('name', 'description')}
    options.update(grant_type='client_credentials', access_token_validity_seconds='{{ item.access_token_validity_seconds }}',
                   roles=[dict(role_id='{{ item.role_id }}')], return_secret=True)
    return _play([{'name': 'declare', 'genesys.cloud.oauth_client': options, 'loop': job['clients'],
                   'loop_control': {'label': '{{ item.name }}'}, 'no_log': True}])


def loop_by_id_with_token(job):
    """The loop again, by client_id, with one login per play (access_token) handed to every item.

    Its roles name their division: a role without one makes every task read the home division to compare.
    """
    options = dict(client_id='{{ item.id }}', name='{{ item.name }}', description='{{ item.description }}',
                   access_token_validity_seconds='{{ item.access_token_validity_seconds }}',
                   roles=[dict(role_id='{{ item.role_id }}', division_id=job['home_division_id'])])
    return _play(
        [{'name': 'declare', 'module_defaults': {'group/genesys.cloud.genesys': {'auth_token': '{{ login.access_token }}'}},
          'genesys.cloud.oauth_client': options, 'loop': job['clients'], 'loop_control': {'label': '{{ item.name }}'},
          'no_log': True}],
        pre_tasks=[{'name': 'log in once', 'genesys.cloud.access_token': {}, 'register': 'login', 'no_log': True}])


def ansible_noop(job):  # pylint: disable=unused-argument
    """Ansible's own floor: one task running one trivial module, no API at all."""
    return _play([{'name': 'no-op', 'ansible.builtin.ping': {}}])


ONE_TASK, MODULE_ALONE, FLOOR, NOOP = 'one task (oauth_clients)', 'its module alone', 'python floor', 'ansible no-op'

# The inventory scenario: ansible-inventory --list of every client, without usage, with usage_days (one query of
# the organisation), and with usage_days while the organisation's query is refused (403): a usage summary per
# client, as every usage_days run cost before the organisation's query. Each: (the inventory file's options, the
# emulator's configuration for the run). The polls wait 0.2 s rather than the default 2 s, so that the summaries
# of 500 clients take a minute rather than ten; the number of requests does not depend on it.
INVENTORY, INVENTORY_USAGE, INVENTORY_PER_CLIENT = (
    'inventory, no usage', 'inventory, usage_days', 'inventory, usage_days, a summary per client (before)')
_USAGE = dict(usage_days=7, usage_poll_interval=0.2)
INVENTORIES = {
    INVENTORY: ({}, {}),
    INVENTORY_USAGE: (_USAGE, {}),
    INVENTORY_PER_CLIENT: (_USAGE, dict(org_usage_forbidden=True)),
}

# name -> the play it runs (None: not an ansible-playbook run)
CONTENDERS = {
    ONE_TASK: one_task,
    MODULE_ALONE: None,
    'loop of oauth_client': loop_of_oauth_client,
    'loop by id, shared token': loop_by_id_with_token,
    'uri playbook': None,
    FLOOR: None,
    NOOP: ansible_noop,
    INVENTORY: None,
    INVENTORY_USAGE: None,
    INVENTORY_PER_CLIENT: None,
}


def emulator_config(contender):
    """The emulator's configuration a contender runs with, beyond the benchmark's own (delay, rate limit)."""
    return INVENTORIES[contender][1] if contender in INVENTORIES else {}


def takes_part(contender, scenario, size, loop_max, uri_create_max):
    """Whether a contender runs this scenario at this size. Loops are slow (loop_max maps scenario -> largest N),
    and so is the uri playbook's create loop (about half a second a client: uri_create_max)."""
    if (contender in INVENTORIES) != (scenario == 'inventory'):
        return False  # the inventory scenario is the inventory contenders' alone
    if contender in INVENTORIES:
        return True
    if contender == NOOP:
        return scenario == 'read'  # measured once per round; it does not depend on the scenario
    if contender == MODULE_ALONE:
        return scenario != 'rotate'  # the collection's module without Ansible around it
    if contender == 'loop by id, shared token':
        return scenario == 'no-change' and size <= loop_max.get(scenario, 0)
    if contender == 'loop of oauth_client':
        return scenario != 'read' and size <= loop_max.get(scenario, 0)
    if contender == 'uri playbook' and scenario == 'create':
        return size <= uri_create_max
    return True


def command(contender, job, workdir, env):
    """The argv that runs contender on job, after writing what it needs into workdir."""
    job_file = os.path.join(workdir, 'job.json')
    with open(job_file, 'w', encoding='utf-8') as handle:
        json.dump(job, handle)
    if contender == FLOOR:
        return [sys.executable, os.path.join(HERE, 'alternatives', 'floor.py'), job_file]
    if contender in INVENTORIES:
        inventory_file = os.path.join(workdir, 'bench.oauth_clients.yml')
        with open(inventory_file, 'w', encoding='utf-8') as handle:
            json.dump(dict(INVENTORIES[contender][0], plugin='genesys.cloud.oauth_clients'), handle)
        return [os.path.join(BIN, 'ansible-inventory'), '-i', inventory_file, '--list']
    if contender == MODULE_ALONE:
        module, options = _one_task_module(job)
        args_file = os.path.join(workdir, 'args.json')
        with open(args_file, 'w', encoding='utf-8') as handle:
            json.dump(dict(ANSIBLE_MODULE_ARGS=options), handle)
        path = os.path.join(env['ANSIBLE_COLLECTIONS_PATH'], 'ansible_collections', 'genesys', 'cloud', 'plugins',
                            'modules', module + '.py')
        return [sys.executable, path, args_file]
    if contender == 'uri playbook':
        extra = dict(genesys_url=job['url'], genesys_client_id=env['GENESYSCLOUD_OAUTHCLIENT_ID'],
                     genesys_client_secret=env['GENESYSCLOUD_OAUTHCLIENT_SECRET'], scenario=job['scenario'],
                     declared=job['clients'], dest_dir=job['dest_dir'])
        with open(os.path.join(workdir, 'extra.json'), 'w', encoding='utf-8') as handle:
            json.dump(extra, handle)
        return [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-e', '@' + os.path.join(workdir, 'extra.json'),
                os.path.join(HERE, 'alternatives', 'uri_playbook.yml')]
    play_file = os.path.join(workdir, 'play.yml')
    with open(play_file, 'w', encoding='utf-8') as handle:
        json.dump(CONTENDERS[contender](job), handle)
    return [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', play_file]
