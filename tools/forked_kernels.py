"""Kernels that start in milliseconds: forked from a process that has imported their libraries.

Every chapter's kernel first imports the same libraries: ipykernel, NumPy, matplotlib, torch
and dlcourse take 2.4 s of CPU on a fast machine, 16 times in a build. So the build's
pre-execution (``tools/build_book.py``) starts one *template* process that imports them once
(``serve``), and executes the notebooks with a ``python3`` kernelspec whose command is this
file's ``launch``: a small process that asks the template to fork a kernel, hands it its own
standard streams, arguments, environment and folder, forwards signals to it (interrupt,
terminate) and exits with its exit status. For the Jupyter client the launcher *is* the kernel.
When a launcher dies, the template kills its kernel.

A forked kernel runs the same code on the same libraries as a started one: they are only
imported already. Libraries read some environment variables (and matplotlib a
``matplotlibrc`` in the folder) when imported, so the template forks a kernel only for the
environment and folder it was started with (but for what a Jupyter client sets for each
kernel); for any other, the launcher starts a kernel as usual. ``tests/test_forked_kernels.py``
executes a notebook both ways and compares the outputs. Linux only. (In ``ps``, a forked
kernel shows the template's command line.)

    python tools/forked_kernels.py serve SOCKET [VARIABLE ...]        # the template
    python tools/forked_kernels.py launch SOCKET -f CONNECTION_FILE   # one kernel
"""

from __future__ import annotations

import array
import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: What every chapter imports first; imported once by the template, not by each kernel.
PRELOAD = ("ipykernel.kernelapp", "numpy", "matplotlib.pyplot", "PIL.Image", "torch",
           "torch.nn.functional", "dlcourse", "dlcourse.checks", "dlcourse.widgets")  # fmt: skip
#: Signals the launcher passes on to its kernel.
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
#: What a Jupyter client sets for each kernel; read at run time, except JPY_PARENT_PID, which
#: ipykernel reads when imported: a forked kernel gets it as an argument.
_PER_KERNEL = ("JPY_PARENT_PID", "JPY_SESSION_NAME")
_INLINE = "module://matplotlib_inline.backend_inline"


def _as_imports_see(env, per_kernel=()) -> dict:
    """The environment a kernel's libraries see when imported (ipykernel sets MPLBACKEND)."""
    ignored = {*_PER_KERNEL, *per_kernel}
    return {"MPLBACKEND": _INLINE, **{k: v for k, v in env.items() if k not in ignored}}


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def _receive(conn: socket.socket, buffer: bytearray) -> dict | None:
    """The next newline-ended JSON message on ``conn``; None once it is closed."""
    while b"\n" not in buffer:
        chunk = conn.recv(1 << 16)
        if not chunk:
            return None
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line)


# -- the launcher: one per kernel, it imports nothing heavy -------------------------------------


def launch(path: str, args: list[str]) -> int:
    """Have the template at ``path`` fork a kernel for ``args``; wait for it; its status."""
    conn, buffer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM), bytearray()
    try:
        conn.connect(path)
        request = json.dumps({"argv": args, "env": dict(os.environ), "cwd": os.getcwd()})
        streams = array.array("i", [0, 1, 2])
        conn.sendmsg([request.encode() + b"\n"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, streams)])
        reply = _receive(conn, buffer)
    except OSError as exc:
        reply = {"refused": f"no template ({exc})"}
    if reply is None or "pid" not in reply:  # this process becomes a kernel started as usual
        print(f"forked_kernels: a kernel started anew: {reply}", file=sys.stderr)
        conn.close()
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *args])

    def forward(signum: int, _frame) -> None:
        with contextlib.suppress(ProcessLookupError):  # it may have just ended
            os.kill(reply["pid"], signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    status = _receive(conn, buffer)  # a forwarded signal does not interrupt it (PEP 475)
    return 1 if status is None else status["status"]


# -- the template: one per build ----------------------------------------------------------------


class _Template:
    """Forks kernels on request and tells each launcher when its kernel ended."""

    def __init__(self, path: str, per_kernel: list[str]) -> None:
        self.per_kernel = per_kernel
        self.expected = {"env": _as_imports_see(os.environ, per_kernel), "cwd": os.getcwd()}
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)  # the socket appears once the template is ready
        self.listener.listen(16)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.kernels: dict[int, socket.socket] = {}  # kernel pid -> its launcher's connection

    def serve(self) -> None:
        parent = os.getppid()
        try:
            while os.getppid() == parent:  # a template whose build was killed ends too
                for key, _ in self.selector.select(timeout=0.05):
                    if key.fileobj is self.listener:
                        conn, _ = self.listener.accept()
                        try:
                            self.fork(conn)
                        except Exception as exc:  # its launcher then starts a kernel itself
                            print(f"forked_kernels: no kernel forked: {exc!r}", file=sys.stderr)
                            conn.close()
                    else:
                        self.launcher_gone(key.fileobj, key.data)
                self.collect_ended()
        finally:
            for pid in self.kernels:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def fork(self, conn: socket.socket) -> None:
        """Fork the kernel asked for on ``conn``, or refuse it (another environment)."""
        message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        buffer = bytearray(message)
        request = _receive(conn, buffer)
        seen = {"env": _as_imports_see(request["env"], self.per_kernel), "cwd": request["cwd"]}
        if seen != self.expected or len(fds) != 3:
            env, expected = seen["env"], self.expected["env"]
            differ = sorted(k for k in {*env, *expected} if env.get(k) != expected.get(k))
            _send(conn, {"refused": f"environment variables {differ} or folder differ"})
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        pid = os.fork()
        if pid == 0:
            self.listener.close()
            for other in self.kernels.values():
                other.close()
            conn.close()
            _become_kernel(request, fds)
        for fd in fds:
            os.close(fd)
        self.kernels[pid] = conn
        self.selector.register(conn, selectors.EVENT_READ, pid)
        _send(conn, {"pid": pid})

    def launcher_gone(self, conn: socket.socket, pid: int) -> None:
        """The launcher only ever closes its end: so ends its kernel."""
        self.selector.unregister(conn)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def collect_ended(self) -> None:
        while self.kernels:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            conn = self.kernels.pop(pid)
            with contextlib.suppress(OSError):
                _send(conn, {"status": os.waitstatus_to_exitcode(status)})
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(conn)
            conn.close()


def _become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: the kernel the launcher asked for, on its streams; never returns."""
    status = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        for signum in (*FORWARDED, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        gc.unfreeze()  # as in a started kernel, every object is collectable again
        os.environ.clear()
        os.environ.update(request["env"])
        import ipykernel_launcher
        from ipykernel import kernelapp

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        if "JPY_PARENT_PID" in os.environ:
            sys.argv.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
        kernelapp.launch_new_instance()
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def serve(path: str, per_kernel: list[str]) -> None:
    """Import :data:`PRELOAD`, then fork kernels on request at the socket ``path``.

    Kernels may differ from the template's environment in ``per_kernel`` variables (besides
    what a Jupyter client sets): ones that no library reads when imported.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # as a kernel's
    os.environ.setdefault("MPLBACKEND", _INLINE)  # as ipykernel sets it, before any import
    for name in PRELOAD:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()  # collections here would write to every object's page, copying it in each kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _Template(path, per_kernel).serve()


# -- for the build ------------------------------------------------------------------------------


@contextlib.contextmanager
def forked_kernels(folder: Path, *, per_kernel: tuple[str, ...] = (), timeout: float = 600):
    """While inside, Jupyter clients of this process start ``python3`` kernels by forking.

    The template runs in ``folder`` (the notebooks' folder) with this process's environment;
    a kernel's may differ in the ``per_kernel`` variables (see :func:`serve`).
    Yields whether kernels are forked: not off Linux, nor if the template is not ready within
    ``timeout`` seconds (kernels then start as usual).
    """
    if sys.platform != "linux":
        yield False
        return
    with tempfile.TemporaryDirectory(prefix="dlcourse-kernels-") as tmp:
        path, spec = os.path.join(tmp, "template.sock"), Path(tmp, "kernels", "python3")
        here = os.path.abspath(__file__)
        spec.mkdir(parents=True)
        argv = [sys.executable, here, "launch", path, "-f", "{connection_file}"]
        kernel = {"argv": argv, "display_name": "Python 3 (ipykernel)", "language": "python"}
        (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
        saved = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [tmp, saved]))
        command = [sys.executable, here, "serve", path, *per_kernel]
        template = subprocess.Popen(command, cwd=folder)
        try:
            deadline = time.monotonic() + timeout
            while not os.path.exists(path) and template.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            yield os.path.exists(path)
        finally:
            template.terminate()
            template.wait()
            if saved is None:
                del os.environ["JUPYTER_PATH"]
            else:
                os.environ["JUPYTER_PATH"] = saved


if __name__ == "__main__":
    command, socket_path, *rest = sys.argv[1:]
    if command == "serve":
        serve(socket_path, rest)
    elif command == "launch":
        sys.exit(launch(socket_path, rest))
    else:
        sys.exit(f"unknown command {command!r}: use serve or launch")
