"""Start evcxr_jupyter in a build folder kept between kernels, so that blitz is not recompiled in every new kernel.

Usage (from the kernelspec): start_kernel.py SLOTS_DIR EVCXR_JUPYTER --control_file CONNECTION_FILE

evcxr builds each notebook in a folder of its own. By default that folder is temporary, and blitz, a path dependency
that evcxr's `:cache` never keeps, is compiled again in every new kernel (about 4 s). With `EVCXR_TMPDIR` the folder
is kept, but two kernels must never share one. So this picks the first free "slot" folder under SLOTS_DIR, holds an
exclusive lock on it for the kernel's whole life (the lock is inherited by evcxr_jupyter, which replaces this process),
and falls back to a temporary folder when every slot is busy.

Written in Python because Jupyter, which starts kernels, already needs it; it holds no logic beyond the lock.
"""

import fcntl
import os
import sys

SLOTS = 8


def take_slot(slots_dir):
    """The first slot folder whose lock is free, locked; None when all are busy."""
    os.makedirs(slots_dir, exist_ok=True)
    for n in range(SLOTS):
        fd = os.open(os.path.join(slots_dir, f"slot-{n}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        os.set_inheritable(fd, True)
        folder = os.path.join(slots_dir, f"slot-{n}")
        os.makedirs(folder, exist_ok=True)
        return folder
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: start_kernel.py SLOTS_DIR EVCXR_JUPYTER [ARGS...]")
    slots_dir, program, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    folder = take_slot(slots_dir)
    if folder is not None:
        os.environ["EVCXR_TMPDIR"] = folder
    else:
        print(f"blitz kernel: all {SLOTS} build folders in {slots_dir} are in use; "
              "this kernel builds in a temporary folder (slower start)", file=sys.stderr)
    try:
        os.execv(program, [program, *args])
    except OSError as error:
        sys.exit(f"blitz kernel: cannot start {program}: {error}. Run `cargo xtask setup` to install it.")


if __name__ == "__main__":
    main()
