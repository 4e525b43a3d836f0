#!/usr/bin/env python3
"""A Python `ssl` peer for openschannel's interop tests (standard library only).

Prints one status line per event on stdout (flushed), which the tests read:
  LISTENING <port>            (server) ready to accept
  HANDSHAKE <version>         handshake done
  RECEIVED <n> <sha256hex>    all application data received before the close
  PEER_CLOSE_NOTIFY           the peer's close_notify was read (recv returned b'')
  PEER_ABRUPT_CLOSE <error>   the peer ended without close_notify
  UNWRAPPED                   unwrap() finished: close_notify sent and the peer's received
  READY                       (client wait-close) the connection is up and idle

Server modes (our client connects):
  unwrap      send DATA, then unwrap() (close_notify, wait for the peer's)
  abrupt      send DATA, then shut the TCP connection down without close_notify
  echo        echo until the peer's close_notify, then unwrap()
  silent      read until the peer's close_notify, never answer it, linger 10 s
Client modes (against our server):
  echo        send DATA, read the echo, unwrap()
  wait-close  send "ping", read the echo, print READY, read until the server closes
  read-all    read until the server's close_notify, then unwrap()
"""
import argparse
import hashlib
import socket
import ssl
import sys
import time


def say(*parts):
    print(*parts, flush=True)


def context(purpose, args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if purpose == "server" else ssl.PROTOCOL_TLS_CLIENT)
    version = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}[args.tls]
    ctx.minimum_version = version
    ctx.maximum_version = version
    if purpose == "server":
        ctx.load_cert_chain(args.cert, args.key)
    else:
        ctx.load_verify_locations(args.ca)
    return ctx


def recv_all(s, until):
    """Reads until `until` bytes (or close_notify when None); returns (data, how)."""
    data = bytearray()
    while until is None or len(data) < until:
        try:
            chunk = s.recv(65536)
        except (ssl.SSLEOFError, ConnectionError, ssl.SSLError) as e:
            return bytes(data), "PEER_ABRUPT_CLOSE %s" % type(e).__name__
        if not chunk:
            return bytes(data), "PEER_CLOSE_NOTIFY"
        data += chunk
    return bytes(data), None


def report(data):
    say("RECEIVED", len(data), hashlib.sha256(data).hexdigest())


def server(args, payload):
    ctx = context("server", args)
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(args.deadline)
    say("LISTENING", lsock.getsockname()[1])
    raw, _ = lsock.accept()
    raw.settimeout(args.deadline)
    s = ctx.wrap_socket(raw, server_side=True, suppress_ragged_eofs=False)
    say("HANDSHAKE", s.version())
    if args.mode == "unwrap":
        s.sendall(payload)
        s.unwrap()
        say("UNWRAPPED")
    elif args.mode == "abrupt":
        s.sendall(payload)
        raw_fd = socket.socket(fileno=s.detach())
        raw_fd.shutdown(socket.SHUT_RDWR)
        raw_fd.close()
        say("ABRUPT_SENT")
    elif args.mode == "echo":
        data = bytearray()
        while True:
            try:
                chunk = s.recv(65536)
            except (ssl.SSLEOFError, ConnectionError, ssl.SSLError) as e:
                report(bytes(data))
                say("PEER_ABRUPT_CLOSE", type(e).__name__)
                return
            if not chunk:
                break
            data += chunk
            s.sendall(chunk)
        report(bytes(data))
        say("PEER_CLOSE_NOTIFY")
        s.unwrap()
        say("UNWRAPPED")
    elif args.mode == "silent":
        data, how = recv_all(s, None)
        say(how)
        time.sleep(10)


def client(args, payload):
    ctx = context("client", args)
    raw = socket.create_connection(("127.0.0.1", args.port), timeout=args.deadline)
    s = ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)
    say("HANDSHAKE", s.version())
    if args.mode == "echo":
        s.sendall(payload)
        data, how = recv_all(s, len(payload))
        report(data)
        if how:
            say(how)
            return
        s.unwrap()
        say("UNWRAPPED")
    elif args.mode == "wait-close":
        s.sendall(b"ping")
        data, how = recv_all(s, 4)
        say("READY")
        rest, how = recv_all(s, None)
        say(how)
        if how == "PEER_CLOSE_NOTIFY":
            s.unwrap()
            say("UNWRAPPED")
    elif args.mode == "read-all":
        data, how = recv_all(s, None)
        report(data)
        say(how)
        if how == "PEER_CLOSE_NOTIFY":
            s.unwrap()
            say("UNWRAPPED")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("mode")
    p.add_argument("--tls", choices=["1.2", "1.3"], default="1.3")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--ca")
    p.add_argument("--port", type=int)
    p.add_argument("--data", help="file whose bytes are sent")
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
