//! A blocking TLS server and client over 127.0.0.1 with `TlsStream`: the client sends a line,
//! the server echoes it, the client runs the shutdown procedure and the server sees a clean
//! close (`Ok(0)`), then closes its side.
//!
//! Run: `cargo run -p openschannel --example blocking_loopback`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use openschannel::{Certificate, Credentials, PrivateKey, ServerValidation, TlsStream};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A self-signed certificate for "localhost" (a real server loads its own PEM files with
    // Certificate::pem_chain and PrivateKey::from_pem).
    let key = rcgen::KeyPair::generate()?;
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])?.self_signed(&key)?;
    let server_creds = Credentials::server(
        vec![Certificate::from_der(cert.der().to_vec())],
        PrivateKey::from_der(&key.serialize_der())?,
    )
    .build()?;
    let client_creds = Credentials::client()
        .validation(ServerValidation::Roots(vec![Certificate::from_der(
            cert.der().to_vec(),
        )]))
        .build()?;

    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = std::thread::spawn(move || -> std::io::Result<()> {
        let (tcp, _) = listener.accept()?;
        let mut tls = TlsStream::accept(&server_creds, tcp)?;
        let mut line = String::new();
        BufReader::new(&mut tls).read_line(&mut line)?;
        tls.write_all(format!("echo: {line}").as_bytes())?;
        // Read to the client's close_notify: Ok(0) means a clean close, never truncation.
        let mut rest = Vec::new();
        tls.read_to_end(&mut rest)?;
        println!("server: client closed cleanly ({} more bytes)", rest.len());
        tls.shutdown() // our close_notify; the client is waiting for it
    });

    let mut tls = TlsStream::connect(&client_creds, "localhost", TcpStream::connect(addr)?)?;
    println!(
        "client: {} {}",
        tls.protocol().map_or("?", |p| p.name()),
        tls.cipher_suite().and_then(|s| s.name()).unwrap_or("?")
    );
    tls.write_all(b"hello over openschannel\n")?;
    let mut reply = String::new();
    BufReader::new(&mut tls).read_line(&mut reply)?;
    print!("client: {reply}");
    // The shutdown procedure, then wait for the server's close_notify.
    tls.shutdown()?;
    println!("client: closed cleanly in both directions");
    server.join().expect("server thread")?;
    Ok(())
}
