//! A tokio echo server on `AsyncTlsStream`, with a self-test client.
//!
//! `cargo run -p openschannel --example tokio_echo_server` starts the server on 127.0.0.1,
//! runs three concurrent clients against it (each: send, read the echo, shutdown) and exits.
//! With `-- serve ADDR` it only serves (try `openssl s_client -connect ADDR`).

use openschannel::stream::AsyncTlsStream;
use openschannel::{Certificate, Credentials, PrivateKey, ServerValidation};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn serve_one(creds: Credentials, tcp: TcpStream) -> std::io::Result<()> {
    let peer = tcp.peer_addr()?;
    let mut tls = AsyncTlsStream::accept(&creds, tcp).await?;
    let mut buf = vec![0u8; 16384];
    loop {
        // Ok(0) only after the client's close_notify; truncation is an UnexpectedEof error.
        let n = tls.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        tls.write_all(&buf[..n]).await?;
    }
    tls.shutdown().await?; // the Schannel shutdown procedure, answered by the peer
    println!("server: {peer} closed cleanly");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = rcgen::KeyPair::generate()?;
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])?.self_signed(&key)?;
    let cert = Certificate::from_der(cert.der().to_vec());
    let server_creds = Credentials::server(
        vec![cert.clone()],
        PrivateKey::from_der(&key.serialize_der())?,
    )
    .build()?;

    let args: Vec<String> = std::env::args().collect();
    let addr = match args.get(1).map(String::as_str) {
        Some("serve") => args
            .get(2)
            .cloned()
            .unwrap_or_else(|| "127.0.0.1:8443".into()),
        _ => "127.0.0.1:0".into(),
    };
    let listener = TcpListener::bind(&addr).await?;
    let local = listener.local_addr()?;
    println!("server: listening on {local}");
    let serve_forever = args.get(1).map(String::as_str) == Some("serve");
    let accept_loop = tokio::spawn({
        let creds = server_creds.clone();
        async move {
            let mut handled = 0;
            while serve_forever || handled < 3 {
                let (tcp, _) = listener.accept().await?;
                handled += 1;
                let creds = creds.clone();
                tokio::spawn(async move {
                    if let Err(e) = serve_one(creds, tcp).await {
                        eprintln!("server: connection ended with {e}");
                    }
                });
            }
            Ok::<_, std::io::Error>(())
        }
    });
    if serve_forever {
        accept_loop.await??;
        return Ok(());
    }

    let client_creds = Credentials::client()
        .validation(ServerValidation::Roots(vec![cert]))
        .build()?;
    let clients: Vec<_> = (0..3)
        .map(|i| {
            let creds = client_creds.clone();
            tokio::spawn(async move {
                let tcp = TcpStream::connect(local).await?;
                let mut tls = AsyncTlsStream::connect(&creds, "localhost", tcp).await?;
                let msg = format!("hello #{i}");
                tls.write_all(msg.as_bytes()).await?;
                let mut echo = vec![0u8; msg.len()];
                tls.read_exact(&mut echo).await?;
                assert_eq!(echo, msg.as_bytes());
                tls.shutdown().await?; // send close_notify, wait for the server's
                println!("client {i}: echoed and closed cleanly");
                Ok::<_, std::io::Error>(())
            })
        })
        .collect();
    for c in clients {
        c.await??;
    }
    accept_loop.await??;
    Ok(())
}
