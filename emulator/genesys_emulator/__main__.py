"""Run the emulator on http://127.0.0.1:8080, the address the guides use.

From a checkout: ``make emulator``, or ``PYTHONPATH=emulator python3 -m genesys_emulator``.
From an installed collection (nothing but the tarball): ``python3 <collection>/emulator/genesys_emulator``, where
``ansible-galaxy collection list genesys.cloud`` shows <collection>'s folder.
Options: [--host 127.0.0.1] [--port 8080, 0 for any free port] [--url-file F] [--page-size N] ...
"""

import argparse
import json
import os
import signal
import sys

if not __package__:
    # Run as a folder (python3 .../emulator/genesys_emulator): import the package from beside this file.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = 'genesys_emulator'  # pylint: disable=redefined-builtin

from .api_facts import added_fields_problem  # noqa: E402  pylint: disable=wrong-import-position
from .seed import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET  # noqa: E402  pylint: disable=wrong-import-position
from .server import DEFAULT_CONFIG, Emulator  # noqa: E402  pylint: disable=wrong-import-position

DEFAULT_PORT = 8080


def _boolean(text):
    if text.lower() in ('1', 'true', 'yes', 'on'):
        return True
    if text.lower() in ('0', 'false', 'no', 'off'):
        return False
    raise argparse.ArgumentTypeError('expected true or false, got %r' % text)


def _json_object(text):
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError('expected a JSON object: %s' % exc)
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError('expected a JSON object, got %r' % text)
    return value


def parse_options(argv=None):
    """(the command line's options, the emulator's config from them)."""
    parser = argparse.ArgumentParser(prog='genesys_emulator', description='Local Genesys Cloud API emulator')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=DEFAULT_PORT,
                        help='port to listen on (default %d, the one the guides use; 0: any free port)' % DEFAULT_PORT)
    parser.add_argument('--url-file', help='write the base URL to this file once listening')
    parser.add_argument('--tls-cert', help='serve https with this certificate (PEM)')
    parser.add_argument('--tls-key', help='the private key of --tls-cert (PEM)')
    # Every setting of DEFAULT_CONFIG is an option; a dict one takes JSON (--added-client-fields '{"f": "list[str]"}').
    settings = {key: value for key, value in DEFAULT_CONFIG.items() if not isinstance(value, list)}
    for key, value in settings.items():
        kind = _boolean if isinstance(value, bool) else _json_object if isinstance(value, dict) else type(value)
        parser.add_argument('--' + key.replace('_', '-'), type=kind, default=value, dest=key)
    args = parser.parse_args(argv)
    config = {key: getattr(args, key) for key in settings}
    problem = added_fields_problem(config['added_client_fields'])
    if problem:
        parser.error(problem)
    return args, config


def main(argv=None):
    args, config = parse_options(argv)
    emulator = Emulator(args.host, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key, **config)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.url_file:
        with open(args.url_file, 'w', encoding='utf-8') as handle:
            handle.write(emulator.url + '\n')
    print('Genesys Cloud API emulator listening on %s (admin client %s / %s). To use it, in another shell:\n'
          'export GENESYSCLOUD_API_URL=%s\n'
          'export GENESYSCLOUD_OAUTHCLIENT_ID=%s\n'
          'export GENESYSCLOUD_OAUTHCLIENT_SECRET=%s'
          % (emulator.url, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, emulator.url, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
          flush=True)
    try:
        emulator.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        emulator.httpd.server_close()


if __name__ == '__main__':
    main()
