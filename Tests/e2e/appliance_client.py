"""A small, independent client for the appliance's wire protocol (DESIGN.md, "Wire protocol").

A frame is a 4-byte big-endian unsigned length N (1 <= N <= 65536), then N bytes of UTF-8 JSON holding one object.
One connection carries any number of request/response pairs, in order. This is written from the design text, not
from the Swift client, so the two implementations check each other.
"""
import json
import socket
import struct
import time

MAX_FRAME = 65536


class ProtocolFailure(AssertionError):
    """The appliance broke the framing (short read, bad length, not a JSON object)."""


def encode_frame(obj) -> bytes:
    body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if not 1 <= len(body) <= MAX_FRAME:
        raise ValueError(f"frame body of {len(body)} bytes is outside 1...{MAX_FRAME}")
    return struct.pack(">I", len(body)) + body


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(n - got)
        if not chunk:
            raise ProtocolFailure(f"connection closed after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(sock: socket.socket):
    (length,) = struct.unpack(">I", _recv_exact(sock, 4))
    if not 1 <= length <= MAX_FRAME:
        raise ProtocolFailure(f"response frame length {length} is outside 1...{MAX_FRAME}")
    body = _recv_exact(sock, length)
    obj = json.loads(body.decode("utf-8"))
    if not isinstance(obj, dict):
        raise ProtocolFailure(f"response frame is not a JSON object: {body[:200]!r}")
    return obj


class ApplianceClient:
    """One connection to the appliance's Unix socket; `request` sends one frame and reads one frame."""

    def __init__(self, path: str, timeout: float = 30.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)

    def request(self, obj):
        self.sock.sendall(encode_frame(obj))
        return read_frame(self.sock)

    def propose(self, proposal):
        return self.request({"type": "propose", "proposal": proposal})

    def status(self):
        return self.request({"type": "status"})

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def wait_until_accepting(path: str, timeout: float, alive=lambda: True) -> None:
    """Polls until a connection to `path` succeeds (or `alive()` turns false, or `timeout` passes)."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if not alive():
            raise AssertionError(f"the appliance exited before accepting on {path}")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(path)
                return
        except OSError as error:
            last_error = error
        time.sleep(0.05)
    raise AssertionError(f"the appliance did not accept on {path} within {timeout} s: {last_error}")
