#!/usr/bin/env python3
"""A hostile tlslite-ng peer for openschannel's hostile-peer tests (tests/hostile.rs).

Builds on tlslite_peer.py (same directory) and adds what a real TLS stack can do that our raw
sockets cannot: encrypted alerts at any point, and data after close_notify from a client.
Prints one status line per event on stdout (flushed):
  LISTENING <port>            (server) ready to accept
  LOCAL <addr>:<port>         (client) our address, to find the server's log line
  HANDSHAKE <version>         handshake done
  RECEIVED <n> <sha256hex>    application data received
  SENT_ALERT <level> <desc>   the alert went out (encrypted after the handshake)
  PEER_CLOSE_NOTIFY           the peer's close_notify arrived
  PEER_ALERT <level> <desc>   the peer's alert arrived (decrypted with the traffic keys)
  PEER_EOF / PEER_RESET       the peer closed TCP without an alert / the connection was reset

Client scenarios (against `openschannel server`, echo mode):
  alert            send DATA, read the echo, send the alert (--alert, --level), close
  close-then-data  send DATA, read the echo, then close_notify and more application data in
                   one TCP write; wait for the peer's close_notify
  bad-tag          send DATA, read the echo, then a record with its last tag byte flipped
                   followed at once by more records (unread by the peer when it fails); read
                   the peer's alert
  bad-keyupdate    (TLS 1.3) a KeyUpdate with request value 2; read the peer's alert
  renegotiate      (TLS 1.2) a ClientHello under the traffic keys; read the peer's answer
Server scenarios (our client connects):
  alert            send DATA, then the alert, then close the socket
"""
import argparse
import hashlib
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tlslite.api import X509CertChain, parsePEMKey  # noqa: E402
from tlslite.constants import ContentType, HandshakeType  # noqa: E402
from tlslite.errors import TLSAbruptCloseError, TLSRemoteAlert  # noqa: E402
from tlslite.messages import Alert, KeyUpdate, Message  # noqa: E402

import tlslite_peer as base  # noqa: E402


def send_alert(conn, description, level):
    for _ in conn._sendMsg(Alert().create(description, level)):
        pass
    base.say("SENT_ALERT", level, description)


def read_peer_alert(conn):
    """Reads until the peer's alert (or the end of the connection) and reports it."""
    try:
        while True:
            conn.read()
    except TLSRemoteAlert as alert:
        base.say("PEER_ALERT", alert.level, alert.description)
    except TLSAbruptCloseError:
        base.say("PEER_EOF")
    except ConnectionResetError:
        base.say("PEER_RESET")


def send_tampered(conn, raw):
    """One application-data record with its last byte (the tag's) flipped, followed in the
    same TCP write by 64 KiB of further records the peer will never read."""
    conn.sock.flush()
    conn.sock.buffer_writes = True
    base.send_app_data(conn, b"tampered")
    record = bytearray(b"".join(bytes(b) for b in conn.sock._write_queue))
    conn.sock._write_queue.clear()
    conn.sock.buffer_writes = False
    record[-1] ^= 1
    filler = b"\x17\x03\x03\x40\x00" + b"\x00" * 0x4000
    raw.sendall(bytes(record) + filler * 4)


def send_message(conn, typ, body):
    for _ in conn._sendMsg(Message(typ, bytearray(body))):
        pass


def client(args, payload):
    raw = socket.create_connection(("127.0.0.1", args.port), timeout=args.deadline)
    base.say("LOCAL %s:%d" % raw.getsockname()[:2])
    conn = base.connected(args, raw)
    conn.handshakeClientCert(settings=base.settings(args), serverName="localhost")
    base.say("HANDSHAKE", conn.getVersionName())
    conn.write(payload)
    data = base.read_exactly(conn, len(payload))
    base.say("RECEIVED", len(data), hashlib.sha256(data).hexdigest())
    if args.mode == "alert":
        send_alert(conn, args.alert, args.level)
        time.sleep(0.2)
    elif args.mode == "bad-tag":
        send_tampered(conn, raw)
        read_peer_alert(conn)
    elif args.mode == "bad-keyupdate":
        for _ in conn._sendMsg(KeyUpdate().create(2)):
            pass
        read_peer_alert(conn)
    elif args.mode == "renegotiate":
        # A ClientHello header and the start of its body: declined before it is parsed.
        send_message(conn, ContentType.handshake, [HandshakeType.client_hello, 0, 0, 4, 3, 3, 0, 0])
        read_peer_alert(conn)
    elif args.mode == "close-then-data":
        conn.sock.buffer_writes = True
        base.send_close_notify(conn)
        base.send_app_data(conn, base.AFTER)
        conn.sock.flush()
        conn.sock.buffer_writes = False
        base.await_close_notify(conn)
    else:
        raise ValueError("unknown client scenario " + args.mode)
    raw.close()


def server(args, payload):
    chain = X509CertChain()
    chain.parsePemList(open(args.cert).read())
    key = parsePEMKey(open(args.key).read(), private=True)
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(args.deadline)
    base.say("LISTENING", lsock.getsockname()[1])
    raw, _ = lsock.accept()
    conn = base.connected(args, raw)
    conn.handshakeServer(certChain=chain, privateKey=key, settings=base.settings(args))
    base.say("HANDSHAKE", conn.getVersionName())
    if args.mode == "alert":
        conn.write(payload)
        send_alert(conn, args.alert, args.level)
        time.sleep(0.5)
    else:
        raise ValueError("unknown server scenario " + args.mode)
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
    p.add_argument("--alert", type=int, default=80, help="alert description")
    p.add_argument("--level", type=int, default=2, help="1 warning, 2 fatal")
    p.add_argument("--deadline", type=float, default=20.0)
    args = p.parse_args()
    args.one_byte = False
    payload = open(args.data, "rb").read() if args.data else b""
    try:
        (server if args.role == "server" else client)(args, payload)
    except Exception as e:  # one line for the test's failure message
        base.say("ERROR", type(e).__name__, e)
        sys.exit(1)


if __name__ == "__main__":
    main()
