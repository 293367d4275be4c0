"""A real IMAP server on loopback: pymap with its in-memory backend, run as a subprocess.

    server = ImapServer().start()              # or ImapServer(cert=..., key=...) for STARTTLS
    await server.append(raw_bytes)             # APPEND to INBOX, as a mail arriving
    await server.unseen()                      # UIDs without \\Seen
    server.stop()

Login: demouser / demopass (pymap's dict backend). Each server starts with an empty INBOX.
"""
from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import aioimaplib

from tests.fakes.smtp import unused_port

USER, PASSWORD = "demouser", "demopass"


class ImapServer:
    def __init__(self, *, cert: Path | None = None, key: Path | None = None) -> None:
        self.cert, self.key = cert, key
        self.port = 0
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> ImapServer:
        self.port = unused_port()
        tls = ["--cert", str(self.cert), "--key", str(self.key)] if self.cert else []
        self._process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from pymap.main import main; sys.exit(main())",
             "--host", "127.0.0.1", "--port", str(self.port), *tls, "dict"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"pymap exited: {self._process.stderr.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("pymap did not start listening") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
            self._process.stderr.close()
            self._process = None

    async def _client(self) -> aioimaplib.IMAP4:
        client = aioimaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        await client.wait_hello_from_server()
        assert (await client.login(USER, PASSWORD)).result == "OK"
        assert (await client.select("INBOX")).result == "OK"
        return client

    async def append(self, raw: bytes) -> None:
        client = await self._client()
        try:
            response = await client.append(raw, mailbox="INBOX")
            assert response.result == "OK", response
        finally:
            await client.logout()

    async def mark_seen(self, uid: int) -> None:
        """As a person reading the mail in their mail client would."""
        client = await self._client()
        try:
            assert (await client.uid("store", str(uid), "+FLAGS", r"(\Seen)")).result == "OK"
        finally:
            await client.logout()

    async def unseen(self) -> list[int]:
        client = await self._client()
        try:
            response = await client.uid_search("UNSEEN", charset=None)
            return [int(n) for line in response.lines[:-1] for n in bytes(line).split() if n.isdigit()]
        finally:
            await client.logout()

    async def wait_unseen(self, count: int, timeout: float = 10) -> list[int]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found := await self.unseen()) != count:
            assert asyncio.get_running_loop().time() < deadline, f"unseen: {found}"
            await asyncio.sleep(0.1)
        return found
