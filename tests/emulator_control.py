"""A client for the emulator's test-only endpoints, and admin API calls for seeding test data."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET

CREDENTIALS = '/api/v2/integrations/credentials'


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

    def config(self):
        """The emulator's settings now (DEFAULT_CONFIG as changed by configure and the command line)."""
        response = self.http.get(self.url + '/__emulator/config')
        response.raise_for_status()
        return response.json()

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

    def login_status(self, client_id, secret):
        """The HTTP status of a client-credentials login of client_id with secret right now."""
        return self.http.post(self.url + '/oauth/token', auth=(client_id, secret),
                              data={'grant_type': 'client_credentials'}, timeout=10).status_code

    def logs_in(self, client_id, secret):
        """Whether client_id can log in with secret right now."""
        return self.login_status(client_id, secret) == 200

    def secret_posts(self):
        """Logged rotations: POSTs to a client's /secret."""
        return [r for r in self.requests() if r['method'] == 'POST' and r['path'].endswith('/secret')]

    def create_credential(self, name, client_id, client_secret):
        """An OAuth client integration credential holding client_id and client_secret, made through the API."""
        response = self.api('POST', CREDENTIALS, json=dict(
            name=name, type=dict(name='pureCloudOAuthClient'),
            credentialFields=dict(clientId=client_id, clientSecret=client_secret)))
        assert response.status_code == 200, response.text
        return response.json()

    def credential_fields(self, credential_id):
        """The fields a credential holds, secret included, through the test-only endpoint: the API never shows it."""
        response = self.http.get('%s/__emulator/credentials/%s/fields' % (self.url, credential_id))
        response.raise_for_status()
        return response.json()

    def get_client(self, client_id):
        return self.api('GET', '/api/v2/oauth/clients/' + client_id)

    def clients_named(self, name):
        response = self.api('GET', '/api/v2/oauth/clients', params=dict(pageSize=100))
        return [c for c in response.json()['entities'] if c['name'] == name]

    def client_names(self):
        """The sorted names of every client in the org (up to 100)."""
        return sorted(c['name'] for c in self.api('GET', '/api/v2/oauth/clients', params=dict(pageSize=100)).json()['entities'])


def assert_error(response, status, code):
    """The response is a Genesys error body with this status and code, a message and the correlation id."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body['status'] == status and body['code'] == code and body['message']
    assert body['contextId'] == response.headers['ININ-Correlation-Id']
    return body


def assert_rate_limited(response, wait=None):
    """The response is the 429 Genesys sends since 2021: exactly the normalised body, its message asking for the wait
    its Retry-After header gives (wait seconds, when given), contextId the correlation id. Returns the body."""
    body = assert_error(response, 429, 'too.many.requests.retry.after')
    retry_after = response.headers['Retry-After']
    assert wait is None or retry_after == str(wait), retry_after
    assert body == dict(message='Rate limit exceeded the maximum. Retry the request in [%s] seconds' % retry_after,
                        code='too.many.requests.retry.after', status=429, contextId=body['contextId'], details=[],
                        errors=[]), body
    return body


class Listener:
    """A loopback HTTP server for tests of where requests go: it records every request it gets (method, path,
    headers, body) and answers with answer(handler) -> (status, headers, payload), payload bytes or JSON-able.
    With no answer it is a decoy: 200 with an empty JSON object. forward_to() makes it a proxy in front of another
    server (the emulator), whose answer function may answer some requests itself (a redirect elsewhere)."""

    def __init__(self, answer=None):
        self.log = []
        self.answer = answer or (lambda handler: (200, {}, {}))
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # pylint: disable=arguments-differ
                pass

            def _any(self):
                length = int(self.headers.get('Content-Length') or 0)
                self.body = self.rfile.read(length) if length else b''
                listener.log.append(dict(method=self.command, path=self.path, headers=dict(self.headers),
                                         body=self.body.decode('utf-8', 'replace')))
                status, headers, payload = listener.answer(self)
                if not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in dict({'Content-Type': 'application/json'}, **headers).items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any  # pylint: disable=invalid-name

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @staticmethod
    def forward_to(url, own_answer=lambda handler: None):
        """An answer function relaying each request to url, unless own_answer(handler) answers it."""
        def answer(handler):
            own = own_answer(handler)
            if own is not None:
                return own
            headers = {name: value for name, value in handler.headers.items() if name.lower() not in ('host', 'content-length')}
            relayed = requests.request(handler.command, url + handler.path, headers=headers, data=handler.body,
                                       allow_redirects=False, timeout=30)
            kept = {name: value for name, value in relayed.headers.items()
                    if name.lower() in ('content-type', 'retry-after', 'location', 'inin-correlation-id')}
            return relayed.status_code, kept, relayed.content
        return answer

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
