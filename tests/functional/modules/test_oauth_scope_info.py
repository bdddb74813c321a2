"""genesys.cloud.oauth_scope_info against the emulator."""


import pytest

from helpers import task


@pytest.mark.smoke
def test_scope_info_in_two_languages(playbook, control):
    run = playbook([task('en', 'oauth_scope_info'), task('de', 'oauth_scope_info', language='de-de'),
                    task('one', 'oauth_scope_info', scope_id='users:readonly', language='de-de'),
                    task('unknown', 'oauth_scope_info', scope_id='no:such'),
                    task('unknown must exist', 'oauth_scope_info', scope_id='no:such', fail_on_missing=True)],
                   check=True)
    english = {s['id']: s['description'] for s in run['en']['scopes']}
    german = {s['id']: s['description'] for s in run['de']['scopes']}
    assert english['users:readonly'] == 'View users' and german['users:readonly'] == 'Benutzer anzeigen'
    assert set(english) == set(german) and len(english) >= 10
    assert run['one']['scopes'] == [dict(id='users:readonly', description='Benutzer anzeigen')]
    assert run['unknown']['scopes'] == []
    assert run.status('unknown must exist') == 'failed' and 'no:such' in run['unknown must exist']['msg']
    scope_gets = [r for r in control.requests() if r['path'].startswith('/api/v2/oauth/scopes')]
    assert [r['path'] for r in scope_gets] == ['/api/v2/oauth/scopes'] * 2 + [
        '/api/v2/oauth/scopes/users%3Areadonly', '/api/v2/oauth/scopes/no%3Asuch', '/api/v2/oauth/scopes/no%3Asuch']
