"""A client for the emulator's test-only endpoints, and admin API calls for seeding test data."""

import requests

from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET


class EmulatorControl:
    """Drives an emulator from a test: its test-only endpoints, and admin API calls for seeding."""

    def __init__(self, url):
        self.url = url
        self.http = requests.Session()
        self._token = None

    def reset(self):
        self.http.post(self.url + '/__emulator/reset').raise_for_status()
        self._token = None

    def configure(self, **config):
        self.http.post(self.url + '/__emulator/config', json=config).raise_for_status()

    def fault(self, **spec):
        self.http.post(self.url + '/__emulator/faults', json=spec).raise_for_status()

    def expire_tokens(self):
        self.http.post(self.url + '/__emulator/tokens/expire').raise_for_status()

    def issued_secrets(self):
        """Every client secret and token the emulator handed out since its reset."""
        return self.http.get(self.url + '/__emulator/secrets').json()['secrets']

    def assert_no_secret_in(self, text):
        shown = [secret for secret in self.issued_secrets() if secret in text]
        assert not shown, 'output shows %d secret(s) or token(s)' % len(shown)

    def requests(self):
        return self.http.get(self.url + '/__emulator/requests').json()['requests']

    def all_requests(self):
        """Every request logged since the last reset, cleared or not."""
        return self.http.get(self.url + '/__emulator/requests', params=dict(all=1)).json()['requests']

    def add_raw_client(self, **fields):
        """Store a client unchecked, as one made through a newer API version would be."""
        response = self.http.post(self.url + '/__emulator/clients', json=fields)
        response.raise_for_status()
        return response.json()

    def clear_requests(self):
        self.http.delete(self.url + '/__emulator/requests').raise_for_status()

    def writes(self):
        """Logged API requests that could change something (token requests are not writes)."""
        return [r for r in self.requests() if r['method'] in ('POST', 'PUT', 'PATCH', 'DELETE') and r['path'] != '/oauth/token']

    def token(self, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET):
        response = self.http.post(self.url + '/oauth/token', auth=(client_id, client_secret),
                                  data=dict(grant_type='client_credentials'))
        response.raise_for_status()
        return response.json()['access_token']

    def api(self, method, path, **kwargs):
        """An admin API call; returns the response (not raised for status)."""
        if self._token is None:
            self._token = self.token()
        headers = dict(kwargs.pop('headers', {}), Authorization='Bearer ' + self._token)
        return self.http.request(method, self.url + path, headers=headers, **kwargs)

    def create_client(self, **body):
        body.setdefault('authorizedGrantType', 'CLIENT-CREDENTIALS')
        response = self.api('POST', '/api/v2/oauth/clients', json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def client_secret(self, client_id):
        """The current secret of a client, through the test-only endpoint: the API shows it only at create and rotation."""
        response = self.http.get('%s/__emulator/clients/%s/secret' % (self.url, client_id))
        response.raise_for_status()
        return response.json()['secret']

    def get_client(self, client_id):
        return self.api('GET', '/api/v2/oauth/clients/' + client_id)

    def clients_named(self, name):
        response = self.api('GET', '/api/v2/oauth/clients', params=dict(pageSize=100))
        return [c for c in response.json()['entities'] if c['name'] == name]
