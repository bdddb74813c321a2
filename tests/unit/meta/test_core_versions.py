"""The supported ansible-core releases are named in tests/core_versions.txt, and the metadata agrees with it."""

import os
import re

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def read(path):
    with open(os.path.join(REPO, path), encoding='utf-8') as handle:
        return handle.read()


def core_versions():
    return [line.split('#')[0].strip() for line in read('tests/core_versions.txt').splitlines() if line.split('#')[0].strip()]


def test_versions_are_release_series_oldest_first():
    series = [version for version in core_versions() if version != 'newest']
    assert series and all(re.fullmatch(r'2\.\d+', version) for version in series)
    assert series == sorted(series, key=lambda version: int(version.split('.')[1]))


def test_requires_ansible_names_the_oldest_tested_release():
    requires = yaml.safe_load(read('meta/runtime.yml'))['requires_ansible']
    assert requires == '>=%s.0' % core_versions()[0]


def test_test_requirements_floor_is_the_oldest_tested_release():
    floors = re.findall(r'^ansible-core>=([0-9.]+)', read('tests/requirements.txt'), re.MULTILINE)
    assert floors == [core_versions()[0]]
