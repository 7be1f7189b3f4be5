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
}

/// Reads `response`'s body, refusing more than `limit` bytes.
pub fn reader(mut response: reqwest::Response, limit: u64) -> BodyReader {
    let (tx, rx) = mpsc::channel(DEPTH);
    tokio::spawn(async move {
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
