"""What parity.py and bench.py share: running a command and measuring it, subsets of a split, the
Swift binary's feature option, and writing a section of RESULTS.md."""
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(BENCH, 'notebook_reference.py')
RESULTS = os.path.join(BENCH, 'RESULTS.md')


class Run:
    """One finished process: wall seconds, CPU seconds (user + system), peak RSS in MiB, output."""

    def __init__(self, command, wall, cpu, peak_mib, stdout, stderr):
        self.command, self.wall, self.cpu, self.peak_mib = command, wall, cpu, peak_mib
        self.stdout, self.stderr = stdout, stderr

    def json(self):
        """The last JSON line the command printed (the reference's measurements)."""
        lines = [line for line in self.stdout.splitlines() if line.startswith('{')]
        return json.loads(lines[-1])

    def number(self, pattern):
        """The first number captured by `pattern` in stdout or stderr (the Swift tool's timing notes)."""
        match = re.search(pattern, self.stdout + self.stderr)
        if not match:
            sys.exit(f'no "{pattern}" in the output of {" ".join(self.command)}:\n{self.stderr[-2000:]}')
        return float(match.group(1))


COMMANDS = []
# With a folder set, every run's output is recorded there; with REUSE too, a command already run with
# the same arguments is not run again and its recorded output is used (parity.py --reuse; never timings).
RECORD_FOLDER = None
REUSE = False


def invocation():
    return ' '.join([os.path.relpath(sys.executable)] + [os.path.relpath(sys.argv[0])] + sys.argv[1:])


def measured(command, env=None):
    """Runs `command` as a child of a fresh wait4, so peak RSS and CPU are this command's alone."""
    shown = ' '.join(f'{k}={v}' for k, v in (env or {}).items()) + (' ' if env else '') + ' '.join(command)
    print('  $ ' + shown, file=sys.stderr, flush=True)
    COMMANDS.append(shown)
    record = None
    if RECORD_FOLDER:
        record = os.path.join(RECORD_FOLDER, hashlib.sha1(shown.encode()).hexdigest() + '.json')
        if REUSE and os.path.exists(record):
            return Run(command, **json.load(open(record)))
    environment = None if env is None else {**os.environ, **env}
    start = time.perf_counter()
    stdout_path, stderr_path = os.path.join(BENCH, '.work', 'stdout'), os.path.join(BENCH, '.work', 'stderr')
    with open(stdout_path, 'w') as out, open(stderr_path, 'w') as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stdout, stderr = open(stdout_path).read(), open(stderr_path).read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f'failed: {" ".join(command)}\n{stderr[-3000:]}')
    # ru_maxrss is in KiB on Linux; for a process with children it is the largest of them.
    result = Run(command, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout, stderr)
    if record:
        os.makedirs(RECORD_FOLDER, exist_ok=True)
        json.dump({'wall': wall, 'cpu': result.cpu, 'peak_mib': result.peak_mib, 'stdout': stdout, 'stderr': stderr},
                  open(record, 'w'))
    return result


def subset(split, count, folder):
    """A split holding the first `count` usable rows of `split` (markup copied, Images linked)."""
    sys.path.insert(0, BENCH)
    from notebook_reference import read_markup
    rows = [row for row in read_markup(split) if row[2] is not None and row[1] is not None
            and os.path.exists(os.path.join(split, 'Images', row[0]))]
    if len(rows) < count:
        return None
    os.makedirs(folder, exist_ok=True)
    write_markup(os.path.join(folder, 'markup.csv'), [(row, split) for row in rows[:count]], folder)
    return folder


def combined(parts, folder):
    """A split of all rows of several splits; images linked under a per-part prefix."""
    sys.path.insert(0, BENCH)
    from notebook_reference import read_markup
    os.makedirs(os.path.join(folder, 'Images'), exist_ok=True)
    lines = []
    for index, split in enumerate(parts):
        for path, code, corners in read_markup(split):
            if corners is None or code is None:
                continue
            name = f'{index}-{path}'
            link = os.path.join(folder, 'Images', name)
            if not os.path.lexists(link):
                os.symlink(os.path.abspath(os.path.join(split, 'Images', path)), link)
            lines.append(','.join([name, code] + [repr(float(v)) for v in corners.reshape(-1)] + ['ean13']))
    with open(os.path.join(folder, 'markup.csv'), 'w') as markup:
        markup.write('\n'.join(lines) + '\n')
    return folder


def write_markup(path, rows_with_split, folder):
    images = os.path.join(folder, 'Images')
    if os.path.lexists(images):
        os.remove(images)
    os.symlink(os.path.abspath(os.path.join(rows_with_split[0][1], 'Images')), images)
    lines = [','.join([p, code] + [repr(float(v)) for v in corners.reshape(-1)] + ['ean13'])
             for (p, code, corners), _ in rows_with_split]
    with open(path, 'w') as markup:
        markup.write('\n'.join(lines) + '\n')


def feature_options(binary):
    """`--features notebook` when the binary has that option (the notebook's settings once the
    default moves on), nothing while the default is still the notebook's."""
    text = subprocess.run([binary, 'train', '--help'], capture_output=True, text=True).stdout
    return ['--features', 'notebook'] if re.search(r'--features\b', text) else []


def machine():
    memory = next((line.split()[1] for line in open('/proc/meminfo') if line.startswith('MemTotal')), '?')
    model = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')), '?')
    return (f'{os.cpu_count()} cores (`nproc`), {int(memory) / 1024 / 1024:.1f} GiB memory, {model}; '
            f'load average at the start {os.getloadavg()[0]:.1f}')


def write_section(name, text):
    """Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in RESULTS.md, with
    every command that was run after it."""
    unique = list(dict.fromkeys(COMMANDS))
    text += ('\n<details><summary>Every command run (' + str(len(COMMANDS)) + ' runs, ' + str(len(unique))
             + ' distinct)</summary>\n\n```sh\n' + '\n'.join(unique) + '\n```\n</details>\n')
    begin, end = f'<!-- {name}:begin -->', f'<!-- {name}:end -->'
    document = open(RESULTS).read() if os.path.exists(RESULTS) else f'{begin}\n{end}\n'
    if begin not in document:
        document += f'\n{begin}\n{end}\n'
    head, rest = document.split(begin, 1)
    _, tail = rest.split(end, 1)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    with open(RESULTS + '.tmp', 'w') as out:
        out.write(f'{head}{begin}\n_Written by the script on {stamp}._\n\n{text.strip()}\n{end}{tail}')
    os.replace(RESULTS + '.tmp', RESULTS)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |', '|' + ' --- |' * len(header)]
    lines += ['| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows]
    return '\n'.join(lines)


def have(tool):
    return shutil.which(tool) is not None
