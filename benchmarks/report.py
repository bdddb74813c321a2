"""Turn the benchmark's measurements into a markdown table, the targets' verdicts, a plot and docs/performance.md."""

import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys

from contenders import FLOOR, INVENTORY, INVENTORY_PER_CLIENT, INVENTORY_USAGE, MODULE_ALONE, NOOP, ONE_TASK, SCENARIOS

PAGE_SIZE = 100  # the page size the modules and the alternatives ask for


def medians(measurements):
    """{(contender, scenario, size): {seconds, rss_mib, requests}}, the median of the rounds (requests: the last,
    they are the same every round)."""
    grouped = {}
    for item in measurements:
        grouped.setdefault((item['contender'], item['scenario'], item['size']), []).append(item)
    return {key: dict(seconds=statistics.median(i['seconds'] for i in items),
                      rss_mib=statistics.median(i['rss_mib'] for i in items),
                      requests=items[-1]['requests'], rounds=len(items))
            for key, items in grouped.items()}


def machine():
    model = 'unknown CPU'
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            model = next(line.split(':', 1)[1].strip() for line in handle if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    core = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible'), '--version'],
                          capture_output=True, text=True, check=False).stdout.splitlines()[:1]
    return '%s, %d cores, %s, Python %s, %s' % (
        model, os.cpu_count(), platform.platform(terse=True), platform.python_version(), (core or ['ansible-core ?'])[0])


def _noop_seconds(table):
    values = [row['seconds'] for (contender, _s, _n), row in table.items() if contender == NOOP]
    return statistics.median(values) if values else 0.0


def _endpoints(requests):
    return ', '.join('%s %d' % (key, count) for key, count in sorted(requests.items())) or 'none'


def markdown(table, settings):
    noop = _noop_seconds(table)
    lines = ['Emulator delay %.0f ms per request; median of %d rounds, contenders interleaved. '
             '"x floor" is the time over the Python floor\'s. Ansible\'s own floor (one no-op task): %.2f s.'
             % (settings['delay'] * 1000, settings['rounds'], noop), '']
    for scenario in SCENARIOS:
        rows = sorted((size, contender, row) for (contender, name, size), row in table.items()
                      if name == scenario and contender != NOOP)
        if not rows:
            continue
        lines += ['### %s' % scenario, '', '| N | contender | time (s) | x floor | requests | peak RSS (MiB) | requests by endpoint |',
                  '| ---: | --- | ---: | ---: | ---: | ---: | --- |']
        for size, contender, row in rows:
            floor = table.get((FLOOR, scenario, size))
            ratio = '%.1f' % (row['seconds'] / floor['seconds']) if floor else '-'  # the inventory has no floor
            lines.append('| %d | %s | %.2f | %s | %d | %.0f | %s |' % (
                size, contender, row['seconds'], ratio, sum(row['requests'].values()), row['rss_mib'],
                _endpoints(row['requests'])))
        lines.append('')
    return '\n'.join(lines)


def _count(requests, method, pattern):
    return sum(count for key, count in requests.items()
               if key.split(' ', 1)[0] == method and re.fullmatch(pattern, key.split(' ', 1)[1]))


def targets(table):
    """Each target of issues 9 and 21 with its measured figures and a verdict (missing measurements are said so)."""
    noop, verdicts = _noop_seconds(table), []
    clients = r'/api/v2/oauth/clients'

    def verdict(name, ok, figures):
        verdicts.append('- %s %s: %s' % ('PASS' if ok else 'MISS', name, figures))

    row, floor = table.get((ONE_TASK, 'no-change', 100)), table.get((FLOOR, 'no-change', 100))
    if row and floor:
        allowed = 1 + 1 + math.ceil(101 / PAGE_SIZE)
        total = sum(row['requests'].values())
        limit = 2 * floor['seconds'] + noop
        verdict('no-change N=100 with oauth_clients', total <= allowed and row['seconds'] <= limit,
                '%d requests (at most %d), %.2f s (at most 2 x %.2f + %.2f = %.2f)'
                % (total, allowed, row['seconds'], floor['seconds'], noop, limit))
    small, big = table.get((MODULE_ALONE, 'no-change', 10)), table.get((MODULE_ALONE, 'no-change', 500))
    if big:
        walks = _count(big['requests'], 'GET', clients)
        pages = math.ceil(501 / PAGE_SIZE)
        growth = big['rss_mib'] - small['rss_mib'] if small else float('nan')
        # 500 clients are about 0.3 MB of JSON; as Python objects in the module and its result, a few MB.
        verdict('no-change N=500 with oauth_clients: one walk, memory flat beyond the client data',
                walks == pages and growth <= 25, '%d listing pages (one walk is %d); the module\'s peak RSS %.0f MiB at N=500 '
                'against %.0f MiB at N=10 (+%.1f MiB)' % (
                    walks, pages, big['rss_mib'], small['rss_mib'] if small else float('nan'), growth))
    for (contender, scenario, size), row in sorted(table.items()):
        if contender == 'loop by id, shared token':
            gets = _count(row['requests'], 'GET', clients + r'/\{clientId\}')
            logins = _count(row['requests'], 'POST', '/oauth/token')
            verdict('loop of oauth_client by client_id with a shared token, N=%d' % size,
                    gets == size and logins == 1 and sum(row['requests'].values()) == size + 1,
                    '%d GETs by id, %d login (the access_token task), %d requests in all'
                    % (gets, logins, sum(row['requests'].values())))
    row, floor = table.get((ONE_TASK, 'rotate', 10)), table.get((FLOOR, 'rotate', 10))
    if row and floor:
        logins = _count(row['requests'], 'POST', '/oauth/token')
        walks = _count(row['requests'], 'GET', clients)
        posts = _count(row['requests'], 'POST', clients + r'/\{clientId\}/secret')
        limit = 3 * floor['seconds'] + noop
        verdict('rotating 10 clients with the role', logins == 1 and walks == 1 and posts == 10
                and row['seconds'] <= limit, '%d login, %d listing page, %d rotations; %.2f s (at most 3 x %.2f + '
                '%.2f = %.2f)' % (logins, walks, posts, row['seconds'], floor['seconds'], noop, limit))
    for size in sorted({size for (contender, _s, size) in table if contender == INVENTORY_USAGE}):
        plain, usage = table.get((INVENTORY, 'inventory', size)), table.get((INVENTORY_USAGE, 'inventory', size))
        before = table.get((INVENTORY_PER_CLIENT, 'inventory', size))
        if not (plain and usage):
            continue
        usage_requests = sum(count for key, count in usage['requests'].items() if '/usage/' in key)
        total, plain_total = sum(usage['requests'].values()), sum(plain['requests'].values())
        figures = ('%d requests for the usage (at most 10), %d in all against %d without usage (at most 2 x %d = %d); '
                   '%.2f s against %.2f s without usage' % (usage_requests, total, plain_total, plain_total,
                                                            2 * plain_total, usage['seconds'], plain['seconds']))
        if before:
            figures += '; before (a summary per client): %d requests, %.2f s' % (
                sum(before['requests'].values()), before['seconds'])
        verdict('inventory with usage_days, N=%d: one query of the organisation' % size,
                usage_requests <= 10 and total <= 2 * plain_total, figures)
    return '\n'.join(verdicts) or '- no target could be checked with these sizes'


def plot(table, path):
    import matplotlib  # pylint: disable=import-outside-toplevel
    import matplotlib.lines  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    from matplotlib import pyplot  # pylint: disable=import-outside-toplevel
    scenarios = ('create', 'no-change', 'one-change', 'read', 'inventory')
    figure, axes = pyplot.subplots(2, len(scenarios), figsize=(4.2 * len(scenarios), 7.5), squeeze=False)
    contenders = sorted({contender for contender, _s, _n in table if contender != NOOP})
    colours = {contender: 'C%d' % index for index, contender in enumerate(contenders)}  # the same in every panel
    for column, scenario in enumerate(scenarios):
        for contender in contenders:
            points = sorted((size, row) for (name, which, size), row in table.items()
                            if name == contender and which == scenario)
            if not points:
                continue
            sizes = [size for size, _row in points]
            axes[0][column].plot(sizes, [row['seconds'] for _s, row in points], marker='o', label=contender,
                                 color=colours[contender])
            axes[1][column].plot(sizes, [max(sum(row['requests'].values()), 1) for _s, row in points], marker='o',
                                 label=contender, color=colours[contender])
        axes[0][column].set_title(scenario)
        for row_index, label in enumerate(('wall time (s)', 'HTTP requests')):
            axis = axes[row_index][column]
            axis.set_xscale('log')
            axis.set_yscale('log')
            axis.set_xlabel('clients (N)')
            axis.set_ylabel(label)
            axis.grid(True, which='both', alpha=0.3)
    handles = [matplotlib.lines.Line2D([], [], color=colours[name], marker='o', label=name) for name in contenders]
    figure.legend(handles=handles, loc='lower center', ncol=len(contenders), fontsize='small')
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    figure.savefig(path, dpi=110)


def write_reports(measurements, settings, out_dir, docs_path):
    """Write results.json, results.md and bench.png to out_dir and the table into docs_path (unless None); return
    the text."""
    os.makedirs(out_dir, exist_ok=True)
    table = medians(measurements)
    when = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    text = '%s\n\n## Targets\n\n%s\n' % (markdown(table, settings), targets(table))
    header = 'Measured %s on %s.\n\n' % (when, machine())
    with open(os.path.join(out_dir, 'results.json'), 'w', encoding='utf-8') as handle:
        json.dump(dict(settings=settings, measurements=measurements), handle, indent=1)
    with open(os.path.join(out_dir, 'results.md'), 'w', encoding='utf-8') as handle:
        handle.write('# Benchmark results\n\n' + header + text)
    plot(table, os.path.join(out_dir, 'bench.png'))
    if docs_path and os.path.exists(docs_path):
        with open(docs_path, encoding='utf-8') as handle:
            docs = handle.read()
        start, end = '<!-- bench:start -->', '<!-- bench:end -->'
        if start in docs and end in docs:
            docs = docs[:docs.index(start) + len(start)] + '\n' + header + text + docs[docs.index(end):]
            with open(docs_path, 'w', encoding='utf-8') as handle:
                handle.write(docs)
    return header + text
