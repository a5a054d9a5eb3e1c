"""A kernel template: one process imports the stack once, and every warm kernel is a fork of it.

A warm kernel used to start as its own ``python -m ipykernel_launcher`` and import pandas, SciPy,
statsmodels, Ibis, seaborn and salesnb (about 2 CPU-s each). Two kernels starting while the runner
validates the data asked for three cores' work of a two-core machine, and the first notebooks began
about 3.3 s into a 17 s pack. Now :class:`KernelPool` starts this module once per run (in the
notebooks' folder, with the run's environment): it imports the stack and then answers requests for
kernels by forking; the child becomes the ipykernel that ``ipykernel_launcher`` would have started
(same argv, environment and working folder), with the stack already in memory (shared
copy-on-write). A kernel replaced after a failed notebook, or recycled after ``max_uses``, starts in
a fraction of a second.

Lifetimes: the template ends when the runner closes its socket or dies (the socket reads end of
file); it then kills its kernels' process groups. A kernel is the leader of its own session (like
``start_new_session=True``), so the runner's interrupts and kills reach it and its children, never
the template; ipykernel's parent poller (``JPY_PARENT_PID`` = the template) ends a kernel whose
template is gone.

Linux only (:func:`available`): macOS forbids ``fork`` without ``exec`` once system frameworks are
loaded, and Windows has no ``fork``; elsewhere, or with ``SALESNB_FORK_KERNELS=0``, kernels start as
their own processes as before.

Protocol, one JSON object per line over a Unix socket pair: the runner sends ``{"id", "argv", "env",
"cwd"}``; the template answers ``{"id", "pid"}`` (or ``{"id", "error"}``) and, when a kernel ends,
``{"exited": pid, "code": exit code}``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

#: environment variable that turns the template off (``0``): every kernel its own process
ENV = "SALESNB_FORK_KERNELS"

#: modules the template imports besides the kernels' stack: the kernel application itself
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython")


class ForkServerError(RuntimeError):
    """The template could not start a kernel (it died, or is closed)."""


def available() -> bool:
    """Whether kernels are forked from a template here (Linux, and not turned off)."""
    return sys.platform.startswith("linux") and os.environ.get(ENV, "").strip().lower() not in (
        "0", "false", "no", "off")


# ------------------------------------------------------------------ the runner's side

class ForkedProcess:
    """The ``subprocess.Popen`` face of a forked kernel, for jupyter_client's provisioner."""

    stdin = stdout = stderr = None

    def __init__(self, server: ForkServer, pid: int) -> None:
        self.server, self.pid, self.returncode = server, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.exit_code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            self.server.wait_exit(self.pid, 0.05 if deadline is None else
                                  max(0.0, min(0.05, deadline - time.monotonic())))
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:  # never signal a pid the template has reaped (it may be reused)
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """The runner's handle on a template process: :meth:`spawn` a kernel, :meth:`close` it all.

    Started at once (the imports run in the background, in the template); :meth:`spawn` waits for
    them. Thread-safe: the pool's threads start kernels concurrently.
    """

    def __init__(self, *, cwd: str | os.PathLike, imports: tuple[str, ...]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno()),
                 json.dumps([*imports, *KERNEL_MODULES])],
                pass_fds=[theirs.fileno()], cwd=str(cwd), stdin=subprocess.DEVNULL)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours
        self._lock = threading.Lock()  # one writer at a time
        self._cond = threading.Condition()
        self._replies: dict[int, dict[str, Any]] = {}
        self._exits: dict[int, int] = {}
        self._next = 0
        self.closed = False  # closed by us, or the template ended
        self.closing = False  # closed by us: no kernel starts any more, by fork or otherwise
        self._reader = threading.Thread(target=self._read, name="salesnb-forkserver", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        buf = b""
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                buf += data
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    msg = json.loads(line)
                    with self._cond:
                        if "exited" in msg:
                            self._exits[int(msg["exited"])] = int(msg["code"])
                        else:
                            self._replies[int(msg["id"])] = msg
                        self._cond.notify_all()
        except OSError:  # the socket was closed under us (close())
            pass
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def spawn(self, argv: list[str], *, env: dict[str, str], cwd: str, timeout: float) -> ForkedProcess:
        """Fork a kernel running ``argv`` (``python -m ipykernel_launcher -f …``) in ``cwd`` with
        ``env``; waits (at most ``timeout`` s) for the template's imports. ``ForkServerError``
        when the template is gone or does not answer."""
        if list(argv[:3]) != [sys.executable, "-m", "ipykernel_launcher"]:
            raise ForkServerError(f"the kernel template could not start {argv[:3]}: it forks "
                                  "ipykernels of its own interpreter (python -m ipykernel_launcher) only")
        with self._cond:
            if self.closed:
                raise ForkServerError("the kernel template has ended")
            self._next += 1
            rid = self._next
        line = json.dumps({"id": rid, "argv": list(argv), "env": dict(env), "cwd": str(cwd)})
        try:
            with self._lock:
                self.sock.sendall(line.encode() + b"\n")
        except OSError as exc:
            raise ForkServerError(f"the kernel template has ended ({exc})") from exc
        deadline = time.monotonic() + timeout
        with self._cond:
            while rid not in self._replies:
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise ForkServerError("the kernel template ended before starting a kernel"
                                          if self.closed else
                                          f"the kernel template did not start a kernel in {timeout:.0f} s")
                self._cond.wait(left)
            reply = self._replies.pop(rid)
        if "error" in reply:
            raise ForkServerError(f"the kernel template could not start a kernel: {reply['error']}")
        return ForkedProcess(self, int(reply["pid"]))

    def exit_code(self, pid: int) -> int | None:
        """The exit code of a kernel that has ended, else None (-9 when the template died first:
        it kills its kernels as it ends)."""
        with self._cond:
            if pid in self._exits:
                return self._exits[pid]
            if not self.closed:
                return None
        import psutil

        try:  # the template is gone without telling: ask the OS (a zombie nobody reaps is gone)
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                return None
        except psutil.NoSuchProcess:
            pass
        except psutil.Error:
            return None
        return -signal.SIGKILL

    def wait_exit(self, pid: int, timeout: float) -> None:
        with self._cond:
            if pid not in self._exits and not self.closed:
                self._cond.wait(timeout)

    def alive(self) -> bool:
        return not self.closed and self.proc.poll() is None

    def close(self, *, wait: float = 10.0) -> None:
        """End the template: it kills the kernels it still has, then exits."""
        with self._cond:
            self.closed = self.closing = True
            self._cond.notify_all()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        try:
            self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(wait)


_PROVISIONER: list[type] = []


def _provisioner_class() -> type:
    """jupyter_client's local provisioner, launching through a template (made on first use, so
    that importing this module does not import jupyter_client)."""
    if _PROVISIONER:
        return _PROVISIONER[0]
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """Launches ``python -m ipykernel_launcher`` as a fork of the template; anything else, or
        a template that cannot, as its own process (LocalProvisioner's way)."""

        template: ForkServer | None = None
        timeout: float = 180.0

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            t = self.template
            if t is None:
                return await super().launch_kernel(cmd, **kwargs)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                proc = t.spawn(cmd, env=dict(kwargs.get("env") or os.environ), cwd=cwd,
                               timeout=self.timeout)
            except ForkServerError:  # another command, or a template that cannot
                if t.closing:  # the pool is closing: no kernel at all
                    raise
                return await super().launch_kernel(cmd, **kwargs)
            self.process, self.pid, self.pgid, self.cwd = proc, proc.pid, proc.pid, cwd
            return self.connection_info

    _PROVISIONER.append(ForkProvisioner)
    return ForkProvisioner


def attach(km, template: ForkServer, *, timeout: float) -> None:
    """Make the (unstarted) kernel manager ``km`` start its kernel as a fork of ``template``."""
    import uuid

    km.kernel_id = km.kernel_id or str(uuid.uuid4())
    prov = _provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    prov.template, prov.timeout = template, float(timeout)
    km.provisioner = prov


# ------------------------------------------------------------------ inside the template

def _child(req: dict[str, Any], *, ready_w: int, env_changes: dict[str, str | None]) -> None:
    """Become the kernel ``req`` asks for (runs in the forked child; never returns).

    Its environment is the one the runner gave, with the changes the template's imports made
    (e.g. joblib's ``KMP_INIT_AT_FORK``), as a kernel that imported the stack itself would have.
    """
    code = 1
    try:
        os.setsid()  # its own session and process group, as start_new_session=True gives
        os.write(ready_w, b"x")
        os.close(ready_w)
        signal.set_wakeup_fd(-1)
        # the signal dispositions a new Python process starts with (SIGPIPE stays ignored)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        for k, v in env_changes.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # end with the template
        argv = list(req["argv"])  # python -m ipykernel_launcher …: ForkServer.spawn sends no other
        from importlib.util import find_spec

        from ipykernel import kernelapp

        sys.argv = [find_spec("ipykernel_launcher").origin, *argv[3:]]
        # ipykernel read JPY_PARENT_PID when the template imported it: say it again
        kernelapp.launch_new_instance(argv=[*argv[3:], f"--IPKernelApp.parent_handle={os.getppid()}"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - say why on stderr, as a failed kernel start would
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(fd: int, imports: list[str]) -> None:
    """The template's loop: import ``imports``, then fork a kernel per request until end of file."""
    import gc
    import importlib
    import selectors

    # like ipykernel_launcher: the working folder is not on sys.path while the stack loads, and
    # charts go inline unless the environment says otherwise (ipykernel would set this itself, too
    # late for a matplotlib imported here)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    sock = socket.socket(fileno=fd)
    before = dict(os.environ)
    for name in imports:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optional part of the stack: the kernel will say so
            pass
    env_changes = {k: v for k, v in os.environ.items() if before.get(k) != v}
    env_changes.update({k: None for k in before if k not in os.environ})
    gc.collect()
    gc.freeze()  # the children share these pages: no collection of theirs touches them

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the runner's to handle
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    children: set[int] = set()
    buf = b""

    def send(msg: dict[str, Any]) -> None:
        try:
            sock.sendall(json.dumps(msg).encode() + b"\n")
        except OSError:
            pass

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            send({"exited": pid, "code": os.waitstatus_to_exitcode(status)})

    while True:
        for key, _ in sel.select():
            if key.fileobj == wake_r:
                try:
                    os.read(wake_r, 4096)
                except BlockingIOError:
                    pass
                reap()
                continue
            data = sock.recv(65536)
            if not data:  # the runner closed its end, or died: no kernel outlives it
                for pid in children:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                os._exit(0)
            buf += data
            *lines, buf = buf.split(b"\n")
            for line in lines:
                req = json.loads(line)
                ready_r, ready_w = os.pipe()
                try:
                    pid = os.fork()
                except OSError as exc:
                    os.close(ready_r)
                    os.close(ready_w)
                    send({"id": req["id"], "error": str(exc)})
                    continue
                if pid == 0:
                    sel.close()
                    sock.close()
                    os.close(wake_r)
                    os.close(wake_w)
                    os.close(ready_r)
                    _child(req, ready_w=ready_w, env_changes=env_changes)
                os.close(ready_w)
                os.read(ready_r, 1)  # the child leads its own group before anyone signals it
                os.close(ready_r)
                children.add(pid)
                send({"id": req["id"], "pid": pid})
        reap()


if __name__ == "__main__":
    serve(int(sys.argv[1]), json.loads(sys.argv[2]))
