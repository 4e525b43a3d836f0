#!/usr/bin/env python3
"""A tlslite-ng peer for openschannel's interop tests, scripted down to the record.

tlslite-ng lets a test do what polite TLS stacks never do: send data after close_notify, put
the last data and close_notify in one TCP segment, cut a record in half, or write one byte at
a time. Prints one status line per event on stdout (flushed):
  LISTENING <port>            (server) ready to accept
  HANDSHAKE <version>         handshake done
  RECEIVED <n> <sha256hex>    application data received
  PEER_CLOSE_NOTIFY           the peer's close_notify arrived
  PEER_ABRUPT_CLOSE           the peer ended without close_notify
  PEER_ALERT <description>    another alert arrived
  DATA_AFTER_OUR_CLOSE <n>    application data arrived after our close_notify
  SENT_HALF_RECORD <n>        (truncate) n bytes of a record were sent, then the socket closed

Server scenarios (our client connects):
  send-close          send DATA, then close_notify, then wait for the peer's
  echo                echo until the peer's close_notify (tlslite answers with its own)
  same-segment        DATA records and close_notify in one TCP write, then wait
  after-close-notify  DATA, close_notify, then more application data, in one TCP write
  truncate            send DATA, then half of one more record, then close the socket
Client scenarios (against our server):
  echo                send DATA, read the echo, close_notify, wait for the peer's
  read-all            read until the server's close_notify (tlslite answers with its own)
  truncate            send DATA, read the echo, then half a record, then close the socket
With --one-byte every byte of the connection, handshake included, goes in its own send().
"""
import argparse
import hashlib
import socket
import sys
import time

from tlslite.api import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey
from tlslite.constants import AlertDescription, AlertLevel, ContentType
from tlslite.errors import TLSAbruptCloseError
from tlslite.messages import Alert, ApplicationData

AFTER = b"DATA SENT AFTER CLOSE_NOTIFY: MUST NOT BE DELIVERED\n"


def say(*parts):
    print(*parts, flush=True)


class OneByteSocket:
    """A socket whose writes go out one byte per send() (TCP_NODELAY set)."""

    def __init__(self, sock):
        self._sock = sock

    def send(self, data):
        return self._sock.send(bytes(data[:1])) if data else 0

    def sendall(self, data):
        for i in range(len(data)):
            self._sock.sendall(bytes(data[i:i + 1]))

    def __getattr__(self, name):
        return getattr(self._sock, name)


def settings(args):
    s = HandshakeSettings()
    version = {"1.2": (3, 3), "1.3": (3, 4)}[args.tls]
    s.minVersion = version
    s.maxVersion = version
    return s


def send_close_notify(conn):
    for _ in conn._sendMsg(Alert().create(AlertDescription.close_notify, AlertLevel.warning)):
        pass


def send_app_data(conn, data):
    for _ in conn._sendMsg(ApplicationData().create(bytearray(data))):
        pass


def await_close_notify(conn):
    """After our close_notify: read records until the peer's alert or the end."""
    try:
        while True:
            result = None
            for result in conn._getMsg((ContentType.alert, ContentType.application_data)):
                pass
            if result.contentType == ContentType.alert:
                if result.description == AlertDescription.close_notify:
                    say("PEER_CLOSE_NOTIFY")
                else:
                    say("PEER_ALERT", result.description)
                return
            say("DATA_AFTER_OUR_CLOSE", len(result.write()))
    except TLSAbruptCloseError:
        say("PEER_ABRUPT_CLOSE")
    except OSError as e:
        say("PEER_ABRUPT_CLOSE", type(e).__name__)


def read_until_close(conn, echo):
    """Reads (and maybe echoes) until read() returns b'' (the peer's close_notify; tlslite
    answers it with its own) or the peer ends abruptly."""
    data = bytearray()
    try:
        while True:
            chunk = conn.read()
            if not chunk:
                break
            data += chunk
            if echo:
                conn.write(chunk)
    except TLSAbruptCloseError:
        say("RECEIVED", len(data), hashlib.sha256(data).hexdigest())
        say("PEER_ABRUPT_CLOSE")
        return
    say("RECEIVED", len(data), hashlib.sha256(data).hexdigest())
    say("PEER_CLOSE_NOTIFY")


def read_exactly(conn, n):
    data = bytearray()
    while len(data) < n:
        chunk = conn.read(max=n - len(data))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def send_half_record(conn, raw):
    conn.sock.flush()
    conn.sock.buffer_writes = True
    conn.write(b"Z" * 1000)
    record = b"".join(bytes(b) for b in conn.sock._write_queue)
    conn.sock._write_queue.clear()
    conn.sock.buffer_writes = False
    half = record[: len(record) // 2]
    raw.sendall(half)
    say("SENT_HALF_RECORD", len(half))
    time.sleep(0.2)
    raw.close()


def connected(args, raw):
    raw.settimeout(args.deadline)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = TLSConnection(OneByteSocket(raw) if args.one_byte else raw)
    conn.closeSocket = False
    return conn


def server(args, payload):
    chain = X509CertChain()
    chain.parsePemList(open(args.cert).read())
    key = parsePEMKey(open(args.key).read(), private=True)
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(args.deadline)
    say("LISTENING", lsock.getsockname()[1])
    raw, _ = lsock.accept()
    conn = connected(args, raw)
    conn.handshakeServer(certChain=chain, privateKey=key, settings=settings(args))
    say("HANDSHAKE", conn.getVersionName())
    mode = args.mode
    if mode == "send-close":
        conn.write(payload)
        send_close_notify(conn)
        await_close_notify(conn)
    elif mode == "echo":
        read_until_close(conn, echo=True)
    elif mode in ("same-segment", "after-close-notify"):
        conn.sock.buffer_writes = True
        conn.write(payload)
        send_close_notify(conn)
        if mode == "after-close-notify":
            send_app_data(conn, AFTER)
        conn.sock.flush()
        conn.sock.buffer_writes = False
        await_close_notify(conn)
    elif mode == "truncate":
        conn.write(payload)
        send_half_record(conn, raw)
        return
    raw.close()


def client(args, payload):
    raw = socket.create_connection(("127.0.0.1", args.port), timeout=args.deadline)
    conn = connected(args, raw)
    conn.handshakeClientCert(settings=settings(args), serverName="localhost")
    say("HANDSHAKE", conn.getVersionName())
    mode = args.mode
    if mode == "echo":
        conn.write(payload)
        data = read_exactly(conn, len(payload))
        say("RECEIVED", len(data), hashlib.sha256(data).hexdigest())
        send_close_notify(conn)
        await_close_notify(conn)
    elif mode == "read-all":
        read_until_close(conn, echo=False)
    elif mode == "truncate":
        conn.write(payload)
        data = read_exactly(conn, len(payload))
        say("RECEIVED", len(data), hashlib.sha256(data).hexdigest())
        send_half_record(conn, raw)
        return
    raw.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("mode")
    p.add_argument("--tls", choices=["1.2", "1.3"], default="1.3")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--port", type=int)
    p.add_argument("--data", help="file whose bytes are sent")
    p.add_argument("--one-byte", action="store_true")
    p.add_argument("--deadline", type=float, default=20.0)
    args = p.parse_args()
    payload = open(args.data, "rb").read() if args.data else b""
    try:
        (server if args.role == "server" else client)(args, payload)
    except Exception as e:  # one line for the test's failure message
        say("ERROR", type(e).__name__, e)
        sys.exit(1)


if __name__ == "__main__":
    main()
