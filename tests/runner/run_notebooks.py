"""Execute notebooks headlessly with the blitz kernel, through the real Jupyter protocol (nbclient).

Usage: run_notebooks.py [--executed-dir DIR] [--timeout SECONDS] NOTEBOOK...

Each notebook runs in its own kernel, started in the notebook's folder (so `:dep blitz = { path = "../../crate" }`
resolves), cell by cell. The first failing cell stops it: a compile error, a panic (the patched kernel reports it as
the cell's error and keeps the earlier variables), an error returned with `?`
(evcxr only prints it on stderr, so any stderr output fails the cell), a cell that kills the process running the
code (an abort, a stack overflow, memory exhausted: evcxr starts a new one, without the variables), or an output
lacking a text the lesson expects (`metadata.blitz.expect`; `{language}` there means "written in the notebook's
language"). A cell marked `metadata.blitz.expect_error` (true, or a text the failure must contain) must fail
instead, and the notebook goes on after it: that is how a fixture shows what a learner's next cell still has.
A cell's `metadata.blitz.pause_before` (seconds) makes the runner wait that long before sending it, with the kernel
idle, as a learner reading the last output does (`cargo xtask bench` uses it); the pause is not counted in any time.
The run fails naming the notebook, the cell and the error. A file that is not a notebook (not readable, not UTF-8,
not JSON, not nbformat 4) fails with one line saying what is wrong, before any kernel starts.

Every notebook given is run, whatever happened to the ones before it. Exit status: 0 when all passed; 1 when any
failed, and the last line on stderr is `N of M notebooks failed: ...` naming them; 2 for wrong arguments (argparse).
With --executed-dir, executed copies (outputs filled) are written there; the notebooks themselves are never changed.
"""

import argparse
import json
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import run_sync

KERNEL = "blitz"


def first_line(text, width=300):
    text = text.strip()
    return text if len(text) <= width else text[:width] + " ..."


def drain_late_streams(client, cell, wait=0.4):
    """Collect what evcxr forwards after the cell's reply: its child process's stdout and stderr are relayed by
    threads, so a last printed line or an error can arrive after "idle". Each is added to the cell's outputs (stdout
    as printed text, stderr as an error the runner then fails on)."""
    late = {"stdout": [], "stderr": []}
    while True:
        try:
            msg = run_sync(client.kc.get_iopub_msg)(timeout=wait)
        except Exception:  # queue.Empty: nothing more arrived
            break
        content = msg.get("content", {})
        if msg.get("msg_type") == "stream" and content.get("name") in late:
            late[content["name"]].append(content.get("text", ""))
    for name, texts in late.items():
        if texts:
            cell.outputs.append(nbformat.v4.new_output("stream", name=name, text="".join(texts)))


def output_text(cell):
    """Everything a cell printed or showed, as text (HTML and SVG included as their source)."""
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(output["text"])
        for value in output.get("data", {}).values():
            parts.append(value if isinstance(value, str) else "".join(value))
        if output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])))
    return "".join(parts)


# The script each language's messages are written in: `<!-- expect: {language} -->` in a lesson checks that a
# cell's output (a message from blitz) is in the notebook's language, not in English.
SCRIPTS = {
    "ja": [(0x3040, 0x30FF)],                 # hiragana and katakana
    "ko": [(0xAC00, 0xD7AF)],                 # Hangul syllables
    "zh": [(0x4E00, 0x9FFF)],                 # CJK ideographs
    "zh-TW": [(0x4E00, 0x9FFF)],
}
LANGUAGE_EXPECTATION = "{language}"


def in_language(text, language):
    """Whether `text` is written in `language`: its script for ja/ko/zh/zh-TW; for en, no CJK script at all."""
    def has(ranges):
        return any(lo <= ord(c) <= hi for c in text for lo, hi in ranges)
    if language in SCRIPTS:
        return has(SCRIPTS[language])
    return not has([r for ranges in SCRIPTS.values() for r in ranges])


def expectation_met(expected, output, language):
    if expected == LANGUAGE_EXPECTATION:
        return in_language(output, language)
    return expected in output


# What killing the process that runs a cell's code usually means, by the signal evcxr reports.
SIGNALS = {
    "SIGABRT": "an abort: std::process::abort(), a stack overflow, or memory that could not be allocated",
    "SIGKILL": "killed from outside, usually by the system when memory ran out",
    "SIGSEGV": "an invalid memory access (unsafe code or a stack overflow)",
    "SIGBUS": "an invalid memory access",
    "SIGILL": "an illegal instruction (often a failed check in unsafe code)",
    "SIGFPE": "an arithmetic fault",
}


def load(path):
    """The notebook at `path` as nbformat 4, or None and the one-line reason it cannot be run."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 text (byte {error.start}: {error.reason})"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        found = ", ".join(sorted(map(str, data))[:6]) if isinstance(data, dict) else type(data).__name__
        return None, f"not a Jupyter notebook: the JSON lacks \"nbformat\" or \"cells\" (found: {found or 'nothing'})"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat's own errors (ValidationError, conversions) vary by version
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        return None, f"not a valid nbformat 4 notebook: {first_line(message.splitlines()[0], 200)}"
    return nb, None


def cell_error(cell, error):
    """Why a cell failed, from nbclient's exception: the error evcxr reported, first when the process running the
    code died (the signal, what it usually means, and that the variables are gone)."""
    if isinstance(error, CellTimeoutError):
        return f"it ran longer than the timeout and was stopped: {first_line(str(error))}"
    if isinstance(error, DeadKernelError):
        return "the kernel itself died while running this cell (the Jupyter kernel process exited)"
    reported = " ".join(
        " ".join([o.get("evalue", "")] + list(o.get("traceback", [])))
        for o in cell.get("outputs", []) if o.get("output_type") == "error")
    reported = " ".join([getattr(error, "evalue", "") or "", reported])
    died = re.search(r"(?:Subprocess|Child process) terminated with status: "
                     r"(signal: \d+(?: \(SIG[A-Z0-9]+\))?(?: \(core dumped\))?|exit status: -?\d+)", reported)
    if died:
        status = died.group(1)
        signal = re.search(r"\b(SIG[A-Z]+)\b", status)
        meaning = SIGNALS.get(signal.group(1)) if signal else None
        return (f"the process running the code died in this cell ({status}"
                + (f": {meaning}" if meaning else "")
                + "). The kernel started a new one, without the variables defined so far.\n" + str(error).strip())
    # nbclient's text holds the reply's traceback, which evcxr leaves empty for its own errors (a caught panic):
    # the error it reported comes first then.
    text = str(error).strip()
    evalues = [o.get("evalue", "").strip() for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    first = next((e for e in evalues if e), "")
    return f"{first}\n{text}" if first and first not in text else text


def short_reason(cell, error):
    """The gist of a failure on one line: the error evcxr reported (a compile error's message, a panic), or the
    first line of the runner's own reason."""
    reported = [o.get("evalue", "") for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    first = error.splitlines()[0] if error else ""
    if first.startswith("An error occurred") and any(r.strip() for r in reported):
        first = next(r for r in reported if r.strip()).strip().splitlines()[0]
    return first_line(first, 160)


def expected_error(cell):
    """What a cell marked `metadata.blitz.expect_error` must fail with: "" for any failure, None if unmarked."""
    expect = cell.metadata.get("blitz", {}).get("expect_error")
    if expect is None or expect is False:
        return None
    return expect if isinstance(expect, str) else ""


def run(path, executed_dir, kernel=KERNEL, timings=None, timeout=1800):
    """Runs one notebook; True when it passed. Prints one `FAILED <path>: ...` on stderr otherwise."""
    nb, unreadable = load(path)
    if unreadable:
        print(f"FAILED {path}: {unreadable}", file=sys.stderr, flush=True)
        return False
    try:
        return run_cells(path, nb, executed_dir, kernel, timings, timeout)
    except Exception as error:  # the kernel did not start, or the runner met something it does not know
        print(f"FAILED {path}: the runner could not run it: {type(error).__name__}: "
              f"{first_line(str(error).strip().splitlines()[0] if str(error).strip() else '')}",
              file=sys.stderr, flush=True)
        return False


def run_cells(path, nb, executed_dir, kernel, timings, timeout):
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,  # the first cell may compile candle on a cold cache
        startup_timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.monotonic()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    failure = None
    cell_seconds = []
    expected_failures = 0
    with client.setup_kernel():
        kernel_up = time.monotonic() - started
        for index in code_cells:
            cell = nb.cells[index]
            expect_error = expected_error(cell)
            time.sleep(float(cell.metadata.get("blitz", {}).get("pause_before", 0)))
            t = time.monotonic()
            error = raised_error = None
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as raised:
                raised_error = raised
                error = cell_error(cell, raised)
            elapsed = time.monotonic() - t  # the cell as a learner waits for it, before the runner's own check
            if not isinstance(raised_error, DeadKernelError):
                # A failing cell's late stderr (a panic's message) belongs to it, not to the next cell.
                drain_late_streams(client, cell)
            if error is None:
                # evcxr reports an error returned with `?` only by printing it on stderr and replying "ok", so any
                # stderr output fails the cell (lessons print to stdout; the kernel's own progress goes elsewhere).
                stderr = "".join(o.get("text", "") for o in cell.get("outputs", [])
                                 if o.get("output_type") == "stream" and o.get("name") == "stderr")
                if stderr.strip():
                    error = "it returned an error (printed on stderr):\n" + stderr.strip()
            if expect_error is not None:
                if error is None:
                    failure = (index, cell, "it was expected to fail (metadata.blitz.expect_error), but it passed")
                    break
                if expect_error not in error:
                    failure = (index, cell, f"it failed, but without {expect_error!r} (metadata.blitz.expect_error):"
                               f"\n{error}")
                    break
                expected_failures += 1
                print(f"    cell {index:>3} failed as expected in {elapsed:6.1f} s: {short_reason(cell, error)}",
                      flush=True)
                continue
            if error is not None:
                failure = (index, cell, error)
                break
            language = nb.metadata.get("blitz", {}).get("lang", "en")
            missing = [e for e in cell.metadata.get("blitz", {}).get("expect", [])
                       if not expectation_met(e, output_text(cell), language)]
            if missing:
                failure = (index, cell, "its output lacks " + "; ".join(repr(m) for m in missing)
                           + "\noutput was:\n" + output_text(cell))
                break
            cell_seconds.append(elapsed)
            print(f"    cell {index:>3} ok in {cell_seconds[-1]:6.1f} s", flush=True)
    if timings is not None and failure is None:
        timings.append({
            "notebook": str(path),
            "kernel_start_s": kernel_up,
            "first_output_s": kernel_up + (cell_seconds[0] if cell_seconds else 0.0),
            "cells_s": cell_seconds,
            "whole_s": kernel_up + sum(cell_seconds),
        })
    if executed_dir is not None:
        out = pathlib.Path(executed_dir) / path.parent.name / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out)
    if failure is not None:
        index, cell, error = failure
        code = first_line(cell.source.splitlines()[0] if cell.source else "")
        print(f"FAILED {path}: cell {index} (`{code}`): {error}", file=sys.stderr, flush=True)
        return False
    as_expected = f" ({expected_failures} of them failed, as expected)" if expected_failures else ""
    print(f"  {path}: {len(code_cells)} code cells ok{as_expected} in {time.monotonic() - started:.1f} s",
          flush=True)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executed-dir")
    parser.add_argument("--kernel", default=KERNEL, help="kernelspec name (default: blitz)")
    parser.add_argument("--timings", help="write each notebook's timings (seconds) to this JSON file")
    parser.add_argument("--timeout", type=int, default=1800,
                        help="seconds a cell may run before it fails (default 1800: a cold cache compiles candle)")
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args()
    failed = []
    timings = []
    for i, path in enumerate(args.notebooks, 1):
        print(f"[{i}/{len(args.notebooks)}] {path}", flush=True)
        if not run(path.resolve(), args.executed_dir, args.kernel, timings, args.timeout):
            failed.append(path)
    if args.timings:
        pathlib.Path(args.timings).write_text(json.dumps(timings, indent=1))
    if failed:
        print(f"{len(failed)} of {len(args.notebooks)} notebooks failed: " + ", ".join(map(str, failed)),
              file=sys.stderr, flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
