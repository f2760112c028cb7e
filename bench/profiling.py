"""Sampling profiles of running servers under load with py-spy (`bench.load --profile DIR`).

py-spy attaches to a process from outside and samples its Python stacks, so the servers run as
they are shipped. Each profile is written as collapsed stacks (`<name>.txt`, one "frame;frame
count" line per stack: speedscope.app and flamegraph.pl read it), and the functions that were on
the stack most often are printed.
"""

import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SAMPLES_PER_SECOND = 50


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: make install-dev (it is in requirements-dev.in)")
    return found


@contextmanager
def sampling(processes: dict[str, int], folder: Path) -> Iterator[dict[str, Path]]:
    """Sample each named process (name -> pid) while the block runs."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {name: folder / f"{name}.txt" for name in processes}
    recorders = [
        subprocess.Popen(
            [
                py_spy(),
                "record",
                "--pid",
                str(pid),
                "--rate",
                str(SAMPLES_PER_SECOND),
                "--format",
                "raw",
                "--output",
                str(outputs[name]),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in processes.items()
    ]
    try:
        yield outputs
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        for recorder in recorders:
            recorder.wait(timeout=60)


def frame_name(frame: str) -> str:
    """'function (path/to/module.py:12)' -> 'function (module.py)'."""
    function, _, where = frame.partition(" (")
    if not where:
        return function
    return f"{function} ({where.rstrip(')').split(':')[0].rsplit('/', 1)[-1]})"


def on_stack_shares(path: Path) -> tuple[int, Counter[str]]:
    """Samples in all, and for each function the samples in which it was on the stack."""
    total, shares = 0, Counter[str]()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        shares.update(dict.fromkeys({frame_name(f) for f in stack.split(";")}, samples))
    return total, shares


def print_top(path: Path, count: int = 15, skip_under: float = 0.75) -> None:
    """The functions most often on the stack, below the server's own request loop (functions on
    the stack in more than `skip_under` of the samples say nothing)."""
    total, shares = on_stack_shares(path)
    if not total:
        print(f"    {path.name}: no samples")
        return
    print(f"    {path.name}: {total} samples; share of samples with the function on the stack")
    shown = [(name, n) for name, n in shares.most_common() if n / total < skip_under][:count]
    for name, samples in shown:
        print(f"      {100 * samples / total:5.1f} %  {name}")
