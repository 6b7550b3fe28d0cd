"""Execute notebooks headlessly with the blitz kernel, through the real Jupyter protocol (nbclient).

Usage: run_notebooks.py [--executed-dir DIR] NOTEBOOK...

Each notebook runs in its own kernel, started in the notebook's folder (so `:dep blitz = { path = "../../crate" }`
resolves), cell by cell. The first failing cell stops it: a compile error, a panic (the kernel sets
`:preserve_vars_on_panic 0`), an error returned with `?` (evcxr only prints it on stderr, so any stderr output fails
the cell), or an output lacking a text the lesson expects (`metadata.blitz.expect`; `{language}` there means
"written in the notebook's language"). The run fails naming the
notebook, the cell and the error. With --executed-dir, executed copies (outputs filled) are written there; the
notebooks themselves are never changed.
"""

import argparse
import json
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbclient.util import run_sync

KERNEL = "blitz"


def first_line(text, width=300):
    text = text.strip()
    return text if len(text) <= width else text[:width] + " ..."


def drain_late_stderr(client, cell, wait=0.4):
    """Collect stderr that evcxr forwards after the cell's reply (its child process's stderr is relayed by a
    thread, so an error printed there can arrive after "idle"); it is added to the cell's outputs."""
    late = []
    while True:
        try:
            msg = run_sync(client.kc.get_iopub_msg)(timeout=wait)
        except Exception:  # queue.Empty: nothing more arrived
            break
        content = msg.get("content", {})
        if msg.get("msg_type") == "stream" and content.get("name") == "stderr":
            late.append(content.get("text", ""))
    if late:
        cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text="".join(late)))


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


def run(path, executed_dir, kernel=KERNEL, timings=None):
    nb = nbformat.read(path, as_version=4)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        print(f"FAILED {path}: not a valid nbformat 4 notebook: {error.message}", file=sys.stderr)
        return False
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=1800,  # the first cell may compile candle on a cold cache
        startup_timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.monotonic()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    failure = None
    cell_seconds = []
    with client.setup_kernel():
        kernel_up = time.monotonic() - started
        for index in code_cells:
            cell = nb.cells[index]
            t = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as error:
                failure = (index, cell, error)
                break
            elapsed = time.monotonic() - t  # the cell as a learner waits for it, before the runner's own check
            drain_late_stderr(client, cell)
            # evcxr reports an error returned with `?` only by printing it on stderr and replying "ok", so any
            # stderr output fails the cell (lessons print to stdout; the kernel's own progress goes elsewhere).
            stderr = "".join(o.get("text", "") for o in cell.get("outputs", [])
                             if o.get("output_type") == "stream" and o.get("name") == "stderr")
            if stderr.strip():
                failure = (index, cell, "it returned an error (printed on stderr):\n" + stderr.strip())
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
        print(f"FAILED {path}: cell {index} (`{code}`):\n{error}", file=sys.stderr)
        return False
    print(f"  {path}: {len(code_cells)} code cells ok in {time.monotonic() - started:.1f} s", flush=True)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executed-dir")
    parser.add_argument("--kernel", default=KERNEL, help="kernelspec name (default: blitz)")
    parser.add_argument("--timings", help="write each notebook's timings (seconds) to this JSON file")
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args()
    failed = []
    timings = []
    for i, path in enumerate(args.notebooks, 1):
        print(f"[{i}/{len(args.notebooks)}] {path}", flush=True)
        if not run(path.resolve(), args.executed_dir, args.kernel, timings):
            failed.append(path)
    if args.timings:
        pathlib.Path(args.timings).write_text(json.dumps(timings, indent=1))
    if failed:
        print(f"{len(failed)} of {len(args.notebooks)} notebooks failed: " + ", ".join(map(str, failed)), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
