//! A gzip layer read once, with checkpoints kept on the way, so that a
//! later read can start near the bytes it wants instead of at the first
//! byte (the zran approach). A checkpoint sits at the end of a deflate
//! block, at least `SPAN` of output after the previous one, and holds the
//! blob offset, the bits of a byte shared with the next block, the output
//! offset and the 32 KiB of output before it (what back-references may
//! reach). Each gzip member starts with a checkpoint of its own, so
//! layers of several members (eStargz) resume too.

use std::io::{self, Read};

use serde::{Deserialize, Serialize};

use super::inflate::{Inflater, Start};

/// Output between checkpoints: reading a file costs at most this much
/// inflating before its first byte, and the index is about 1 % of the layer.
pub const SPAN: u64 = 4 << 20;
/// Input between checkpoints as well: a layer that compresses a
/// thousandfold (a bomb of zeros) gets a checkpoint per 256 KiB of blob,
/// not per 4 MiB of output, and its index stays small.
pub const SPAN_IN: u64 = 256 << 10;
/// Deflate's window: how far back a back-reference may reach.
pub const WINDOW: usize = 32 * 1024;
/// Compressed bytes read from the source at a time.
const INPUT: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Blob offset of the first input byte wholly after the checkpoint.
    pub compressed: u64,
    /// Bits of the byte before `compressed` that belong after it (0–7).
    pub bits: u8,
    /// Output offset.
    pub uncompressed: u64,
    /// A gzip member starts here: read its header, no window needed.
    pub member: bool,
    /// The output before it (up to `WINDOW` bytes; empty at a member).
    pub window: Vec<u8>,
}

impl Checkpoint {
    /// Where a read resuming here starts in the blob.
    pub fn range_start(&self) -> u64 {
        self.compressed - u64::from(self.bits > 0)
    }
}

/// The last `WINDOW` bytes of output.
struct Ring {
    buf: Vec<u8>,
    pos: usize,
    full: bool,
}

impl Ring {
    fn new() -> Self {
        Ring {
            buf: vec![0; WINDOW],
            pos: 0,
            full: false,
        }
    }

    fn push(&mut self, mut data: &[u8]) {
        if data.len() >= WINDOW {
            data = &data[data.len() - WINDOW..];
        }
        let first = (WINDOW - self.pos).min(data.len());
        self.buf[self.pos..self.pos + first].copy_from_slice(&data[..first]);
        let rest = &data[first..];
        self.buf[..rest.len()].copy_from_slice(rest);
        let end = self.pos + data.len();
        self.full |= end >= WINDOW;
        self.pos = end % WINDOW;
    }

    fn clear(&mut self) {
        self.pos = 0;
        self.full = false;
    }

    fn contents(&self) -> Vec<u8> {
        if self.full {
            [&self.buf[self.pos..], &self.buf[..self.pos]].concat()
        } else {
            self.buf[..self.pos].to_vec()
        }
    }
}

/// Compressed input from a source, with the blob offset of what is next.
struct Input<R> {
    source: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Blob offset of `buf[start]`.
    offset: u64,
    eof: bool,
}

impl<R: Read> Input<R> {
    fn new(source: R, offset: u64) -> Self {
        Input {
            source,
            buf: vec![0; INPUT],
            start: 0,
            end: 0,
            offset,
            eof: false,
        }
    }

    /// The unread input, reading more when there is none; empty at the end.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end && !self.eof {
            let n = self.source.read(&mut self.buf)?;
            self.start = 0;
            self.end = n;
            self.eof = n == 0;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    /// Inflates the next input into `buf`, consuming what was read; the
    /// input ending here is an error (the stream is not finished).
    fn inflate(
        &mut self,
        inflater: &mut Inflater,
        buf: &mut [u8],
        by_block: bool,
    ) -> io::Result<super::inflate::Step> {
        let input = self.fill()?;
        if input.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the gzip data ends early",
            ));
        }
        let step = inflater.inflate(input, buf, by_block).map_err(corrupt)?;
        self.consume(step.read);
        Ok(step)
    }

    /// Skips `n` bytes (a gzip trailer); false if the input ends first.
    fn skip(&mut self, mut n: usize) -> io::Result<bool> {
        while n > 0 {
            let have = self.fill()?.len();
            if have == 0 {
                return Ok(false);
            }
            let take = have.min(n);
            self.consume(take);
            n -= take;
        }
        Ok(true)
    }
}

fn corrupt(e: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Where checkpoints go as they are made: a file, not memory (a 10 GB
/// layer of zeros makes thousands, with a 32 KiB window each).
pub trait CheckpointSink {
    fn put(&mut self, checkpoint: Checkpoint) -> io::Result<()>;
}

impl CheckpointSink for Vec<Checkpoint> {
    fn put(&mut self, checkpoint: Checkpoint) -> io::Result<()> {
        self.push(checkpoint);
        Ok(())
    }
}

/// Decompresses a whole gzip blob as a `Read`, giving checkpoints to a
/// sink as it goes.
pub struct IndexingReader<R, S> {
    input: Input<R>,
    inflater: Inflater,
    ring: Ring,
    out: u64,
    /// Output and input offsets of the last checkpoint.
    last: Option<(u64, u64)>,
    sink: S,
    done: bool,
}

impl<R: Read, S: CheckpointSink> IndexingReader<R, S> {
    pub fn new(source: R, mut sink: S) -> io::Result<Self> {
        sink.put(Checkpoint {
            compressed: 0,
            bits: 0,
            uncompressed: 0,
            member: true,
            window: Vec::new(),
        })?;
        Ok(IndexingReader {
            input: Input::new(source, 0),
            inflater: Inflater::new(Start::Gzip).map_err(corrupt)?,
            ring: Ring::new(),
            out: 0,
            last: Some((0, 0)),
            sink,
            done: false,
        })
    }

    /// The sink, once the reading is done.
    pub fn into_sink(self) -> S {
        self.sink
    }

    /// Compressed bytes read so far.
    pub fn compressed(&self) -> u64 {
        self.input.offset
    }

    /// Output so far.
    pub fn uncompressed(&self) -> u64 {
        self.out
    }

    /// After a member's end: the next member, if the blob has one.
    fn next_member(&mut self) -> io::Result<()> {
        if self.input.fill()?.is_empty() {
            self.done = true;
            return Ok(());
        }
        self.inflater.reset().map_err(corrupt)?;
        self.ring.clear();
        // Spaced like the others: a blob of a million tiny members must
        // not make a million checkpoints.
        if self.due() {
            self.sink.put(Checkpoint {
                compressed: self.input.offset,
                bits: 0,
                uncompressed: self.out,
                member: true,
                window: Vec::new(),
            })?;
            self.last = Some((self.out, self.input.offset));
        }
        Ok(())
    }

    fn due(&self) -> bool {
        self.last.is_none_or(|(out, input)| {
            self.out - out >= SPAN && self.input.offset - input >= SPAN_IN
        })
    }
}

impl<R: Read, S: CheckpointSink> Read for IndexingReader<R, S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while !self.done {
            let step = self.input.inflate(&mut self.inflater, buf, true)?;
            self.ring.push(&buf[..step.written]);
            self.out += step.written as u64;
            if step.end {
                self.next_member()?;
            } else if step.block_end && self.due() {
                self.sink.put(Checkpoint {
                    compressed: self.input.offset,
                    bits: step.pending_bits,
                    uncompressed: self.out,
                    member: false,
                    window: self.ring.contents(),
                })?;
                self.last = Some((self.out, self.input.offset));
            }
            if step.written > 0 {
                return Ok(step.written);
            }
            if step.read == 0 && !step.end && !step.block_end {
                return Err(corrupt("inflate made no progress".into()));
            }
        }
        Ok(0)
    }
}

/// Decompresses from a checkpoint: `source` yields the blob from
/// `checkpoint.range_start()` on; the output starts at
/// `checkpoint.uncompressed`.
pub struct ResumedReader<R> {
    input: Input<R>,
    inflater: Inflater,
    /// Raw deflate until the member ends, then its trailer and the next.
    raw: bool,
    done: bool,
}

impl<R: Read> ResumedReader<R> {
    pub fn new(source: R, checkpoint: &Checkpoint) -> io::Result<Self> {
        let mut input = Input::new(source, checkpoint.range_start());
        if checkpoint.member {
            return Ok(ResumedReader {
                input,
                inflater: Inflater::new(Start::Gzip).map_err(corrupt)?,
                raw: false,
                done: false,
            });
        }
        let mut inflater = Inflater::new(Start::Raw).map_err(corrupt)?;
        if checkpoint.bits > 0 {
            let Some(&byte) = input.fill()?.first() else {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the blob ends before the checkpoint",
                ));
            };
            input.consume(1);
            inflater
                .prime(checkpoint.bits, byte >> (8 - checkpoint.bits))
                .map_err(corrupt)?;
        }
        inflater.set_window(&checkpoint.window).map_err(corrupt)?;
        Ok(ResumedReader {
            input,
            inflater,
            raw: true,
            done: false,
        })
    }
}

impl<R: Read> Read for ResumedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while !self.done {
            let step = self.input.inflate(&mut self.inflater, buf, false)?;
            if step.end {
                // Raw data leaves the member's 8-byte trailer unread.
                let trailer_read = !self.raw || self.input.skip(8)?;
                if !trailer_read || self.input.fill()?.is_empty() {
                    self.done = true;
                } else {
                    self.inflater = Inflater::new(Start::Gzip).map_err(corrupt)?;
                    self.raw = false;
                }
            }
            if step.written > 0 {
                return Ok(step.written);
            }
            if step.read == 0 && !step.end {
                return Err(corrupt("inflate made no progress".into()));
            }
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Data that compresses somewhat, like a real layer: words and noise.
    fn sample(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed;
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if x.is_multiple_of(3) {
                out.extend_from_slice(b"the quick brown fox ");
            } else {
                out.extend_from_slice(&x.to_le_bytes()[..(x % 8) as usize]);
            }
        }
        out.truncate(len);
        out
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn index(blob: &[u8]) -> (Vec<u8>, Vec<Checkpoint>) {
        let mut r = IndexingReader::new(blob, Vec::new()).unwrap();
        let mut out = Vec::new();
        // Small reads: checkpoints must not depend on the caller's buffer.
        let mut buf = [0u8; 1000];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(r.compressed(), blob.len() as u64);
        (out, r.into_sink())
    }

    fn resume_all(blob: &[u8], data: &[u8], checkpoints: &[Checkpoint]) {
        for cp in checkpoints {
            let from = &blob[cp.range_start() as usize..];
            let mut r = ResumedReader::new(from, cp).unwrap();
            let mut rest = Vec::new();
            r.read_to_end(&mut rest).unwrap();
            assert_eq!(
                rest.len(),
                data.len() - cp.uncompressed as usize,
                "from {}",
                cp.uncompressed
            );
            assert!(
                rest == data[cp.uncompressed as usize..],
                "from {}",
                cp.uncompressed
            );
        }
    }

    #[test]
    fn every_checkpoint_resumes_to_the_same_bytes() {
        let data = sample(19 << 20, 7);
        let blob = gzip(&data);
        let (out, checkpoints) = index(&blob);
        assert!(out == data);
        assert!(checkpoints.len() >= 4, "{}", checkpoints.len());
        assert!(
            checkpoints.iter().any(|c| c.bits > 0),
            "a checkpoint inside a byte"
        );
        for w in checkpoints.windows(2) {
            assert!(w[1].uncompressed - w[0].uncompressed >= SPAN || w[0].uncompressed == 0);
        }
        resume_all(&blob, &data, &checkpoints);
    }

    #[test]
    fn several_members_are_read_and_resumed_across() {
        let (a, b) = (sample(6 << 20, 1), sample(5 << 20, 2));
        let blob = [gzip(&a), gzip(&b)].concat();
        let data = [a, b].concat();
        let (out, checkpoints) = index(&blob);
        assert!(out == data);
        // The second member starts 2 MiB after a checkpoint: too close for
        // one of its own. Reads from before it go on across it.
        assert!(checkpoints[0].member);
        for w in checkpoints.windows(2) {
            assert!(w[1].uncompressed - w[0].uncompressed >= SPAN);
        }
        resume_all(&blob, &data, &checkpoints);
    }

    #[test]
    fn a_bomb_of_zeros_keeps_a_small_index() {
        let zeros = vec![0u8; 64 << 20];
        let blob = gzip(&zeros);
        let (out, checkpoints) = index(&blob);
        assert_eq!(out.len(), zeros.len());
        // 16 by output alone; the blob is under SPAN_IN.
        assert_eq!(checkpoints.len(), 1, "{}", blob.len());
    }

    #[test]
    fn a_truncated_or_corrupt_blob_is_an_error_not_a_hang() {
        let blob = gzip(&sample(1 << 20, 3));
        let mut r = IndexingReader::new(&blob[..blob.len() / 2], Vec::new()).unwrap();
        assert!(io::copy(&mut r, &mut io::sink()).is_err());
        let mut bad = blob.clone();
        bad[100..200].fill(0xff);
        let mut r = IndexingReader::new(&bad[..], Vec::new()).unwrap();
        assert!(io::copy(&mut r, &mut io::sink()).is_err());
        let mut r = IndexingReader::new(&b"not gzip at all"[..], Vec::new()).unwrap();
        assert!(io::copy(&mut r, &mut io::sink()).is_err());
    }
}
