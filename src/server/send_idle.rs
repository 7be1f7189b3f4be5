//! A connection whose client accepts no bytes for `SEND_IDLE` ends. hyper
//! has no write timeout: a client that asks for a large download and then
//! reads nothing would hold its connection, its task and the download's
//! reader thread for ever. Here a write that makes no progress for that
//! long fails, hyper drops the connection, and the response body (with
//! whatever it holds) goes with it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// How long a client may accept no bytes of a response.
pub const SEND_IDLE: Duration = Duration::from_secs(30);

pub struct SendIdle<S> {
    inner: S,
    idle: Duration,
    /// Armed when a write is pending, disarmed when one makes progress.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> SendIdle<S> {
    pub fn new(inner: S, idle: Duration) -> Self {
        SendIdle {
            inner,
            idle,
            stalled: None,
        }
    }

    /// `Pending` from the socket arms the timer; past it, an error.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let idle = self.idle;
                let timer = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client accepted no bytes",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for SendIdle<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for SendIdle<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn a_peer_that_reads_nothing_is_cut_off_and_one_that_reads_is_not() {
        // A pipe of 64 KiB that nobody reads fills, then the write waits.
        let (ours, theirs) = tokio::io::duplex(64 << 10);
        let mut conn = SendIdle::new(ours, Duration::from_millis(100));
        let chunk = vec![7u8; 16 << 10];
        let started = std::time::Instant::now();
        let mut err = None;
        for _ in 0..100 {
            if let Err(e) = conn.write_all(&chunk).await {
                err = Some(e);
                break;
            }
        }
        assert_eq!(err.map(|e| e.kind()), Some(io::ErrorKind::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(5));
        // A reader that keeps taking bytes is never cut off.
        let (ours, mut reader) = tokio::io::duplex(64 << 10);
        let drain =
            tokio::spawn(async move { tokio::io::copy(&mut reader, &mut tokio::io::sink()).await });
        let mut conn = SendIdle::new(ours, Duration::from_millis(100));
        for _ in 0..100 {
            conn.write_all(&chunk).await.expect("a reading peer");
        }
        drop(conn);
        assert_eq!(drain.await.unwrap().unwrap(), 100 * chunk.len() as u64);
        // Kept open until here: a closed peer would fail the writes anyway.
        drop(theirs);
    }
}
