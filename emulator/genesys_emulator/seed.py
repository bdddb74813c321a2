"""The organisation every emulator starts with (and returns to on reset). Ids are fixed so docs can name them."""

ADMIN_CLIENT_ID = 'emulator-admin'
ADMIN_CLIENT_SECRET = 'emulator-admin-secret'
ORGANIZATION_ID = '6f6b6c2e-0000-4000-8000-00000000e0e0'
ORGANIZATION_NAME = 'Emulator org'

HOME_DIVISION_ID = '0d1f0000-0000-4000-8000-000000000001'
DIVISIONS = [
    dict(id=HOME_DIVISION_ID, name='Home', homeDivision=True),
    dict(id='0d1f0000-0000-4000-8000-000000000002', name='Sales', homeDivision=False),
    dict(id='0d1f0000-0000-4000-8000-000000000003', name='Support', homeDivision=False),
]

ADMIN_ROLE_ID = 'a1e00000-0000-4000-8000-000000000001'
EMPLOYEE_ROLE_ID = 'a1e00000-0000-4000-8000-000000000002'
DEVELOPER_ROLE_ID = 'a1e00000-0000-4000-8000-000000000003'
SCIM_ROLE_ID = 'a1e00000-0000-4000-8000-000000000004'
ROLES = [
    dict(id=ADMIN_ROLE_ID, name='Master Admin', description='Full access'),
    dict(id=EMPLOYEE_ROLE_ID, name='Employee', description='Basic access'),
    dict(id=DEVELOPER_ROLE_ID, name='Developer', description='Manages integrations and OAuth clients'),
    dict(id=SCIM_ROLE_ID, name='SCIM Integration', description='Provisions users through SCIM'),
]
# Clients holding this role may have tokens valid up to SCIM_VALIDITY_MAX seconds.
SCIM_ROLE_IDS = {SCIM_ROLE_ID}

SCOPE_LANGUAGES = ('en-us', 'de-de')
# Scope id -> description by language (Accept-Language).
SCOPES = {
    'analytics': {'en-us': 'Manage analytics data', 'de-de': 'Analysedaten verwalten'},
    'analytics:readonly': {'en-us': 'View analytics data', 'de-de': 'Analysedaten anzeigen'},
    'authorization:readonly': {'en-us': 'View roles and permissions', 'de-de': 'Rollen und Berechtigungen anzeigen'},
    'conversations': {'en-us': 'Manage conversations', 'de-de': 'Unterhaltungen verwalten'},
    'conversations:readonly': {'en-us': 'View conversations', 'de-de': 'Unterhaltungen anzeigen'},
    'integrations': {'en-us': 'Manage integrations', 'de-de': 'Integrationen verwalten'},
    'integrations:readonly': {'en-us': 'View integrations', 'de-de': 'Integrationen anzeigen'},
    'oauth': {'en-us': 'Manage OAuth clients', 'de-de': 'OAuth-Clients verwalten'},
    'oauth:readonly': {'en-us': 'View OAuth clients', 'de-de': 'OAuth-Clients anzeigen'},
    'routing': {'en-us': 'Manage routing', 'de-de': 'Routing verwalten'},
    'routing:readonly': {'en-us': 'View routing', 'de-de': 'Routing anzeigen'},
    'users': {'en-us': 'Manage users', 'de-de': 'Benutzer verwalten'},
    'users:readonly': {'en-us': 'View users', 'de-de': 'Benutzer anzeigen'},
}

# Integration credential types and the fields each requires.
CREDENTIAL_TYPES = {
    'pureCloudOAuthClient': ('clientId', 'clientSecret'),
    'basicAuth': ('userName', 'password'),
    'userDefined': (),
}
