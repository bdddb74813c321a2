"""The emulator's drip fault: an answer whose body arrives one byte at a time, as a slow or hostile proxy sends it."""

import json
import re
import socket
from urllib.parse import urlsplit

import requests

CLIENTS = '/api/v2/oauth/clients'


def test_a_dripped_answer_is_the_whole_answer_sent_a_byte_at_a_time(control):
    token = control.token()
    headers = {'Authorization': 'Bearer ' + token}
    plain = requests.get(control.url + CLIENTS, headers=headers).json()
    control.fault(method='GET', path=CLIENTS + '$', drip=0.001)
    dripped = requests.get(control.url + CLIENTS, headers=headers)
    assert dripped.status_code == 200 and dripped.json()['entities'] == plain['entities']
    # An injected error drips the same way, and the fault is used up after its count.
    control.fault(method='GET', path=CLIENTS + '$', status=503, drip=0.001)
    failed = requests.get(control.url + CLIENTS, headers=headers)
    assert failed.status_code == 503 and failed.json()['code'] == 'injected.fault'
    assert requests.get(control.url + CLIENTS, headers=headers).status_code == 200


def test_a_client_that_gives_up_mid_drip_leaves_the_emulator_serving(control):
    token = control.token()
    control.fault(method='GET', path=CLIENTS + '$', drip=0.05)
    parts = urlsplit(control.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(('GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n'
                      % (CLIENTS, parts.netloc, token)).encode())
        received = b''
        while b'\r\n\r\n' not in received:
            received += sock.recv(65536)
        head, body = received.split(b'\r\n\r\n', 1)
        length = int(re.search(rb'Content-Length: (\d+)', head).group(1))
        body += sock.recv(65536)
        # The headers came at once; the body is still coming, a byte at a time.
        assert head.startswith(b'HTTP/1.1 200') and 0 < len(body) < length
    again = requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer ' + token})
    assert again.status_code == 200 and json.loads(again.text)['entities']
    assert [(r['method'], r['path']) for r in control.requests()].count(('GET', CLIENTS)) == 2
