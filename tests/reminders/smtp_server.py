"""A real SMTP server for the crash tests: aiosmtpd on a free local port, in this process.

It keeps every message it receives, and can be told to hold back its reply to the first
message whose subject matches: it has the whole message by then, as a real server has
when the client is still waiting for the 250 that ends DATA (docs/reminders.md,
"Exactly once, and what a crash can still do").
"""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import AsyncMessage


@dataclass(frozen=True)
class Received:
    """One message as the server took it in: its envelope and the headers that matter."""

    subject: str
    message_id: str
    to: tuple[str, ...]
    envelope_to: tuple[str, ...]


class RecordingHandler(AsyncMessage):
    """Records each message, then stalls on the first one whose subject contains `stall_on`
    until `release` is set (or `stall_seconds` pass, so a broken test cannot hang)."""

    def __init__(self, stall_on: str, stall_seconds: float = 60.0) -> None:
        super().__init__()
        self.stall_on = stall_on
        self.stall_seconds = stall_seconds
        self.received: list[Received] = []
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_message(self, message: Message) -> None:
        # Decoded: a subject with non-ASCII characters comes as RFC 2047 encoded words.
        subject = " ".join(str(make_header(decode_header(message.get("Subject", "")))).split())
        record = Received(
            subject=subject,
            message_id=str(message.get("Message-ID", "")).strip(),
            to=tuple(address for _name, address in getaddresses(message.get_all("To", []))),
            envelope_to=tuple(str(message.get("X-RcptTo", "")).split(", ")),
        )
        with self._lock:
            self.received.append(record)
            stall = self.stall_on in subject and not self.stalled.is_set()
            if stall:
                self.stalled.set()
        if stall:
            # Polls rather than blocks: the event loop keeps serving other connections
            # (the redelivered batch) while this one waits for its 250.
            loop = asyncio.get_running_loop()
            give_up = loop.time() + self.stall_seconds
            while not self.release.is_set() and loop.time() < give_up:
                await asyncio.sleep(0.05)

    def messages(self, subject_part: str) -> list[Received]:
        with self._lock:
            return [record for record in self.received if subject_part in record.subject]


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd's Controller cannot bind port 0 and report it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(handler: RecordingHandler) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
