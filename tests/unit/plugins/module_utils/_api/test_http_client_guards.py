"""The HTTP client against answers the real API should not give: a scripted server on loopback plays them."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import (
    ApiClient, GenesysApiError, RetryPolicy, entity_path)
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError

LIST = '/api/v2/things'


class ScriptedServer:
    """Answers each path (with its query) from a script of (status, JSON body); logs what it was asked."""

    def __init__(self):
        self.script = {}
        self.log = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # pylint: disable=arguments-differ
                pass

            def do_GET(self):  # pylint: disable=invalid-name
                server.log.append(dict(path=self.path, authorization=self.headers.get('Authorization')))
                status, body = server.script.get(self.path, (404, dict(message='not scripted', code='not.found')))
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET  # pylint: disable=invalid-name

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def page(self, path, ids, **extra):
        self.script[path] = (200, dict(entities=[dict(id=i) for i in ids], **extra))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted():
    server = ScriptedServer()
    yield server
    server.stop()


def client(url, **kwargs):
    """An ApiClient whose sleeps are recorded and move a fake clock, not slept."""
    sleeps = []
    api = ApiClient(url, url, access_token='tok', timeout=5, sleep=sleeps.append, clock=lambda: sum(sleeps), **kwargs)
    api.sleeps = sleeps
    return api


def walk(api, **kwargs):
    return [entity['id'] for entity in api.paginate(LIST, page_size=2, **kwargs)]


def test_an_empty_page_ends_the_walk_even_with_a_next_uri(scripted):
    scripted.page(LIST + '?pageSize=2', ['a', 'b'], nextUri=LIST + '?p=2')
    scripted.page(LIST + '?p=2', [], nextUri=LIST + '?p=3')
    scripted.page(LIST + '?p=3', ['never'])
    assert walk(client(scripted.url)) == ['a', 'b']
    assert [entry['path'] for entry in scripted.log] == [LIST + '?pageSize=2', LIST + '?p=2']


def test_the_last_page_by_page_count_ends_the_walk(scripted):
    scripted.page(LIST + '?pageSize=2', ['a'], nextUri=LIST + '?p=2', pageNumber=1, pageCount=2)
    scripted.page(LIST + '?p=2', ['b'], nextUri=LIST + '?p=3', pageNumber=2, pageCount=2)
    scripted.page(LIST + '?p=3', ['never'])
    assert walk(client(scripted.url)) == ['a', 'b']
    assert len(scripted.log) == 2


def test_entities_met_twice_are_returned_once(scripted):
    # A client created during the walk shifts the pages: the last of page 1 is the first of page 2.
    scripted.page(LIST + '?pageSize=2', ['a', 'b'], nextUri=LIST + '?p=2')
    scripted.page(LIST + '?p=2', ['b', 'c'])
    assert walk(client(scripted.url)) == ['a', 'b', 'c']


def test_a_paging_loop_ends_with_a_clear_error_at_the_page_limit(scripted):
    for number in range(1, 6):
        scripted.page(LIST + ('?pageSize=2' if number == 1 else '?p=%d' % number), ['id%d' % number],
                      nextUri=LIST + '?p=%d' % (number + 1))
    with pytest.raises(GenesysApiError) as caught:
        walk(client(scripted.url), max_pages=3)
    assert 'more than 3 pages' in str(caught.value)
    assert len(scripted.log) == 3


def test_a_repeated_next_uri_ends_the_walk(scripted):
    scripted.page(LIST + '?pageSize=2', ['a'], nextUri=LIST + '?p=2')
    scripted.page(LIST + '?p=2', ['b'], nextUri=LIST + '?p=2')
    assert walk(client(scripted.url)) == ['a', 'b']
    assert len(scripted.log) == 2


def test_next_uri_on_another_origin_is_not_followed_with_the_token(scripted):
    other = ScriptedServer()
    try:
        other.page(LIST + '?p=2', ['stolen'])
        scripted.page(LIST + '?pageSize=2', ['a'], nextUri=other.url + LIST + '?p=2')
        with pytest.raises(GenesysApiError) as caught:
            walk(client(scripted.url))
        assert "not on the API's own origin" in str(caught.value)
        assert other.log == []
    finally:
        other.stop()


def test_next_uri_absolute_on_the_same_origin_is_followed(scripted):
    scripted.page(LIST + '?pageSize=2', ['a'], nextUri=scripted.url.replace('127.0.0.1', '127.0.0.1') + LIST + '?p=2')
    scripted.page(LIST + '?p=2', ['b'])
    assert walk(client(scripted.url)) == ['a', 'b']


@pytest.mark.parametrize('body,expected', [
    ('<html>maintenance</html>', 'no access_token'),
    ({'token_type': 'bearer'}, 'no access_token'),
    ('null', 'no access_token'),
])
def test_a_login_answer_without_a_token_is_a_clear_error(scripted, body, expected):
    scripted.script['/oauth/token'] = (200, body)
    api = ApiClient(scripted.url, scripted.url, client_id='id', client_secret='s', timeout=5)
    with pytest.raises(GenesysApiError) as caught:
        api.get(LIST)
    assert expected in str(caught.value)


def test_ids_are_one_path_segment_and_dot_segments_are_refused():
    assert entity_path('/api/v2/oauth/clients', 'a/b') == '/api/v2/oauth/clients/a%2Fb'
    assert entity_path('/api/v2/oauth/clients', '...') == '/api/v2/oauth/clients/...'
    for dots in ('.', '..'):
        with pytest.raises(GenesysError):
            entity_path('/api/v2/oauth/clients', dots)


def test_a_get_by_id_rides_out_404_for_the_wait_given(scripted):
    api = client(scripted.url)
    assert api.get_or_none('/api/v2/things/new', not_found_wait=3) is None
    assert api.sleeps == [0.25, 0.5, 1.0, 1.25]  # capped exponential, cut to end at the wait
    assert len(scripted.log) == len(api.sleeps) + 1
    scripted.log.clear()
    assert client(scripted.url).get_or_none('/api/v2/things/new') is None
    assert len(scripted.log) == 1


def test_writes_that_succeeded_are_recorded(scripted):
    scripted.script['/api/v2/things'] = (200, dict(id='x'))
    api = client(scripted.url)
    api.get(LIST)
    api.post(LIST)
    api.post(LIST, changes=False)
    assert api.changes == ['POST ' + LIST]


def serve_once(answer):
    """A TCP server on loopback that answers every connection with these bytes, then closes it."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)

    def loop():
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            connection.recv(4096)
            connection.sendall(answer)
            connection.close()

    threading.Thread(target=loop, daemon=True).start()
    return listener


def test_a_server_that_does_not_speak_http_is_not_retried():
    # A TLS alert (handshake failure): what a TLS port says to a plain HTTP request.
    listener = serve_once(b'\x15\x03\x01\x00\x02\x02\x28')
    try:
        api = client('http://127.0.0.1:%d' % listener.getsockname()[1], retry=RetryPolicy(max_retries=5))
        with pytest.raises(GenesysApiError) as caught:
            api.get(LIST)
        assert 'did not answer in HTTP' in str(caught.value)
        assert api.sleeps == [] and caught.value.retries == 0
    finally:
        listener.close()


def test_a_refused_connection_is_retried():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    api = client('http://127.0.0.1:%d' % port, retry=RetryPolicy(max_retries=2, backoff_base=0.01))
    with pytest.raises(GenesysApiError) as caught:
        api.get(LIST)
    assert caught.value.retries == 2 and len(api.sleeps) == 2


def test_a_header_that_cannot_be_encoded_fails_at_once(scripted):
    api = client(scripted.url)
    with pytest.raises(GenesysApiError) as caught:
        api.get(LIST, headers={'Accept-Language': 'ü-日本'})
    assert 'latin-1' in str(caught.value) and api.sleeps == []
