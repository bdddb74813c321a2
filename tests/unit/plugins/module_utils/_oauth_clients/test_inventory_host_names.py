"""Issue 17, case 19: host names from API text (client names that are no usable host name get a stable rename)."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.inventory import host_names, reserved_group_problem, usable_host_name


def record(client_id, name, created=None):
    return dict(client=dict(id=client_id, name=name, date_created=created), usage=None)


@pytest.mark.parametrize('name', ['all', 'ungrouped', 'localhost', '127.0.0.1', '::1', '', ' x', 'x ', 'a,b', 'a:b',
                                  'a[1]', 'a*', 'a?', '~a', '!a', '&a', '@a', 'a\nb', 'a\u00a0b', 'genesys_state_active',
                                  'genesys_grant_new_grant', 'prod'])
def test_names_that_cannot_be_host_names_as_they_are(name):
    assert not usable_host_name(name, {'prod'})


@pytest.mark.parametrize('name', ['Emulator admin', 'billing-sync', 'a.b', 'a!b', 'a~b', 'a@b', 'Müller', 'ALL',
                                  'Localhost', 'genesys', 'genesys_sync', 'prod2', '10.0.0.1'])
def test_names_kept_as_they_are(name):
    assert usable_host_name(name, {'prod'})


def test_reserved_and_pattern_names_get_a_stable_rename():
    records = [record('aaaaaaaa-1', 'all'), record('bbbbbbbb-2', ' a[1:3] '), record('cccccccc-3', '\t'),
               record('dddddddd-4', 'prod'), record('eeeeeeee-5', 'ok')]
    expected = ['all_aaaaaaaa', 'a_1_3__bbbbbbbb', 'cccccccc-3', 'prod_dddddddd', 'ok']
    assert host_names([('', records)], {'prod'}) == [expected]
    # The rename depends on the client alone: another client of the same name gets its own id, neither moves.
    records.append(record('ffffffff-6', 'all'))
    assert host_names([('', records)], {'prod'}) == [expected + ['all_ffffffff']]
    # The prefix counts: prod_all is a name like any other.
    assert host_names([('prod_', records[:1])]) == [['prod_all']]
    # A name taken by a client's own name makes the renamed one fall back to the whole id.
    taken = [record('11111111-a', 'all_22222222', '1'), record('22222222-b', 'all', '2')]
    assert host_names([('', taken)]) == [['all_22222222', 'all_22222222-b']]


def test_an_org_named_as_a_reserved_group_is_a_problem():
    assert reserved_group_problem('all', 'org_name', 'all') == (
        "org_name 'all' would be the group all, which Ansible reserves (all, ungrouped); choose another name")
    assert reserved_group_problem('ungrouped', 'orgs[1].name', 'ungrouped').startswith("orgs[1].name 'ungrouped'")
    assert reserved_group_problem('prod', 'org_name', 'prod') is None
    assert reserved_group_problem(None, 'org_name', None) is None
