//! `AsyncTlsStream` over tokio TCP: clean close vs truncation, the shutdown procedure through
//! `AsyncWriteExt::shutdown`, and cancellation safety of reads and writes.

use openschannel_test_support as common;

use std::time::Duration;

use common::{client_credentials, pattern, server_credentials, KeyKind};
use openschannel::stream::AsyncTlsStream;
use openschannel::{Protocols, StreamOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn pair(
    protocols: Protocols,
) -> (
    AsyncTlsStream<TcpStream>,
    tokio::task::JoinHandle<AsyncTlsStream<TcpStream>>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let s = server_credentials(KeyKind::EcdsaP256, protocols);
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        AsyncTlsStream::accept(&s, tcp).await.unwrap()
    });
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    let tcp = TcpStream::connect(addr).await.unwrap();
    (
        AsyncTlsStream::connect(&c, "localhost", tcp).await.unwrap(),
        server,
    )
}

#[tokio::test]
async fn clean_close_both_ways_through_async_shutdown() {
    for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
        let (mut client, server) = pair(protocols).await;
        let mut server = server.await.unwrap();
        let server = tokio::spawn(async move {
            let mut got = Vec::new();
            server.read_to_end(&mut got).await.unwrap(); // Ok(0): the client's close_notify
            assert!(server.peer_closed());
            // TLS 1.2 already answered inside read; shutdown completes the procedure.
            server.shutdown().await.unwrap();
            got
        });
        client.write_all(&pattern(200_000, 1)).await.unwrap();
        client.shutdown().await.unwrap(); // sends, then waits for the server's close_notify
        assert!(client.peer_closed());
        assert_eq!(server.await.unwrap(), pattern(200_000, 1));
    }
}

#[tokio::test]
async fn truncation_is_unexpected_eof() {
    let (mut client, server) = pair(Protocols::TLS13_ONLY).await;
    let mut server = server.await.unwrap();
    server.write_all(b"partial").await.unwrap();
    server.flush().await.unwrap();
    server.get_mut().shutdown().await.unwrap(); // TCP FIN, no close_notify
    let mut got = Vec::new();
    let e = client.read_to_end(&mut got).await.unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    assert_eq!(got, b"partial");
}

#[tokio::test]
async fn shutdown_times_out_on_a_silent_peer() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let stream = AsyncTlsStream::accept(&s, tcp).await.unwrap();
        let _ = rx.await; // silent
        drop(stream);
    });
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let options = StreamOptions {
        shutdown_timeout: Some(Duration::from_millis(200)),
        ..Default::default()
    };
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut client = AsyncTlsStream::connect_with(&c, "localhost", tcp, options)
        .await
        .unwrap();
    let e = client.shutdown().await.unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
    tx.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_reads_and_writes_lose_and_duplicate_nothing() {
    // A small in-memory pipe: writes block when 2 KiB are in flight, reads when none are.
    let (a, b) = tokio::io::duplex(2048);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let server = tokio::spawn(async move { AsyncTlsStream::accept(&s, b).await.unwrap() });
    let mut client = AsyncTlsStream::connect(&c, "localhost", a).await.unwrap();
    let mut server = server.await.unwrap();

    let data = pattern(1 << 20, 9);
    let expected = data.clone();
    // Every write races a 1 ms timeout and is retried from where the accepted bytes end; the
    // writer pauses now and then so that the reader's reads time out too.
    let writer = tokio::spawn(async move {
        let (mut sent, mut cancelled, mut writes) = (0, 0, 0u32);
        while sent < data.len() {
            let end = (sent + 20_000).min(data.len());
            match tokio::time::timeout(Duration::from_millis(1), server.write(&data[sent..end]))
                .await
            {
                Ok(r) => sent += r.unwrap(),
                Err(_) => cancelled += 1,
            }
            writes += 1;
            if writes % 8 == 0 {
                tokio::time::sleep(Duration::from_millis(4)).await;
            }
        }
        server.shutdown_send().await.unwrap();
        cancelled
    });
    let (mut got, mut buf, mut cancelled_reads, mut reads) = (Vec::new(), vec![0u8; 5000], 0, 0u32);
    loop {
        match tokio::time::timeout(Duration::from_millis(1), client.read(&mut buf)).await {
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Ok(Err(e)) => panic!("{e}"),
            Err(_) => cancelled_reads += 1,
        }
        reads += 1;
        if reads % 16 == 0 {
            // Back-pressure: the pipe fills and the writer's writes stall.
            tokio::time::sleep(Duration::from_millis(4)).await;
        }
    }
    let cancelled_writes = writer.await.unwrap();
    assert!(cancelled_reads > 0, "the test must cancel reads");
    assert!(cancelled_writes > 0, "the test must cancel writes");
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "every byte exactly once, in order");
}
