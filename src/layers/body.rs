//! A blob body as a blocking `Read`, for the decompressors and the tar
//! reader, which run on a blocking thread. A task pumps the body into a
//! channel a few chunks deep: memory stays bounded whatever the blob's
//! size, and a reader that stops early drops the channel, which stops the
//! pump. More bytes than the manifest said is an error, not a longer read.

use std::io::{self, Read};

use axum::body::Bytes;
use tokio::sync::mpsc;

/// Chunks in flight between the network and the reader.
const DEPTH: usize = 8;

pub struct BodyReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
    pump: tokio::task::AbortHandle,
}

/// Reads `response`'s body, refusing more than `limit` bytes.
pub fn reader(mut response: reqwest::Response, limit: u64) -> BodyReader {
    let (tx, rx) = mpsc::channel(DEPTH);
    let pump = tokio::spawn(async move {
        let mut seen = 0u64;
        loop {
            let item = match response.chunk().await {
                Ok(Some(chunk)) => {
                    seen += chunk.len() as u64;
                    if seen > limit {
                        Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("the blob is longer than the {limit} bytes its manifest gives"),
                        ))
                    } else {
                        Ok(chunk)
                    }
                }
                Ok(None) => break,
                Err(e) => Err(io::Error::other(format!("reading the blob failed: {e}"))),
            };
            let stop = item.is_err();
            if tx.send(item).await.is_err() || stop {
                break;
            }
        }
    });
    BodyReader {
        rx,
        current: Bytes::new(),
        pump: pump.abort_handle(),
    }
}

impl BodyReader {
    /// Stops the pump from outside: the reader then sees the body end,
    /// even while it waits on a registry that sends nothing.
    pub fn stopper(&self) -> tokio::task::AbortHandle {
        self.pump.clone()
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = self.current.slice(n..);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stopped_pump_ends_a_read_waiting_on_a_silent_registry() {
        // A server that sends three bytes of a hundred, then nothing.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/blob", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut conn, _) = listener.accept().await.unwrap();
            let mut head = [0u8; 1024];
            let _ = conn.read(&mut head).await;
            let _ = conn
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc")
                .await;
            std::future::pending::<()>().await;
        });
        let response = reqwest::get(&url).await.unwrap();
        let mut reader = reader(response, 100);
        let stop = reader.stopper();
        let reading = tokio::task::spawn_blocking(move || {
            let mut got = Vec::new();
            let _ = reader.read_to_end(&mut got);
            got
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!reading.is_finished(), "the reader waits for more");
        stop.abort();
        let got = tokio::time::timeout(std::time::Duration::from_secs(5), reading)
            .await
            .expect("the wait ends")
            .unwrap();
        assert_eq!(got, b"abc");
    }
}
