"""The floor: a minimal Python `requests` script making only the requests the job needs.

    python floor.py JOB_FILE      (JOB_FILE: JSON with url, client_id, client_secret, scenario, clients, dest_dir)

It does what the other contenders do, with none of their checks: log in, walk the listing, read the home
division when a client's roles need it, then write only the differences (or rotate and write the secrets).
"""

import json
import os
import sys

import requests


def walk(session, url):
    clients, uri = [], '/api/v2/oauth/clients?pageSize=100'
    while uri:
        page = session.get(uri if uri.startswith('http') else url + uri).json()
        clients += page['entities']
        uri = page.get('nextUri') if page['entities'] else None
    return clients


def body_of(declared, home):
    return dict(name=declared['name'], description=declared['description'], authorizedGrantType='CLIENT-CREDENTIALS',
                accessTokenValiditySeconds=declared['access_token_validity_seconds'], registeredRedirectUri=[],
                scope=[], roleDivisions=[dict(roleId=declared['role_id'], divisionId=home)])


def differs(current, wanted):
    return (current.get('description') or '') != wanted['description'] \
        or current.get('accessTokenValiditySeconds') != wanted['accessTokenValiditySeconds'] \
        or sorted((r['roleId'], r['divisionId']) for r in current.get('roleDivisions') or []) \
        != sorted((r['roleId'], r['divisionId']) for r in wanted['roleDivisions'])


def main():
    with open(sys.argv[1], encoding='utf-8') as handle:
        job = json.load(handle)
    url, session = job['url'], requests.Session()
    token = session.post(url + '/oauth/token', auth=(job['client_id'], job['client_secret']),
                         data=dict(grant_type='client_credentials')).json()['access_token']
    session.headers['Authorization'] = 'Bearer ' + token
    listing = walk(session, url)
    by_name = {client['name']: client for client in listing}
    if job['scenario'] == 'rotate':
        for declared in job['clients']:
            client_id = by_name[declared['name']]['id']
            secret = session.post('%s/api/v2/oauth/clients/%s/secret' % (url, client_id)).json()['secret']
            handle = os.open(os.path.join(job['dest_dir'], declared['name']), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, 'w') as stream:
                stream.write(secret + '\n')
    elif job['scenario'] != 'read':
        home = session.get(url + '/api/v2/authorization/divisions/home').json()['id']
        for declared in job['clients']:
            wanted, current = body_of(declared, home), by_name.get(declared['name'])
            if current is None:
                session.post(url + '/api/v2/oauth/clients', json=wanted).raise_for_status()
            elif differs(current, wanted):
                session.put('%s/api/v2/oauth/clients/%s' % (url, current['id']), json=wanted).raise_for_status()
    print(len(listing))


if __name__ == '__main__':
    main()
