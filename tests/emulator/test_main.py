"""The emulator's command line (__main__.py): every setting is an option, as the guide lists them."""

import pytest

from genesys_emulator.__main__ import parse_options


def test_the_command_line_sets_every_setting_dicts_as_json(capsys):
    _args, config = parse_options(['--strict', 'true', '--added-client-fields', '{"allowedIpAddresses": "list[str]"}',
                                   '--added-enum-values', '{"state": ["suspended"]}'])
    assert config['strict'] is True and config['added_client_fields'] == dict(allowedIpAddresses='list[str]')
    assert config['added_enum_values'] == dict(state=['suspended'])
    for bad in ('[1]', '{"allowedIpAddresses": "ip"}'):
        with pytest.raises(SystemExit):
            parse_options(['--added-client-fields', bad])
    assert 'added-client-fields' in capsys.readouterr().err
