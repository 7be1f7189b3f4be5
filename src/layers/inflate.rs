//! zlib's inflate, for the two things flate2 does not expose: stopping at
//! the end of each deflate block (where a checkpoint can be placed), and
//! starting in the middle of a stream (priming the bits of a partial byte,
//! and the 32 KiB window as a dictionary). The implementation is
//! libz-rs-sys, zlib in Rust behind zlib's C API; every unsafe call of this
//! crate's layer reading is in this file.

use std::ffi::{c_int, CStr};

use libz_rs_sys as z;

/// What the stream starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// A gzip header (a layer from its first byte).
    Gzip,
    /// Raw deflate data (resuming at a checkpoint).
    Raw,
}

/// One call's worth of progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Input bytes consumed and output bytes written.
    pub read: usize,
    pub written: usize,
    /// The stream (a gzip member, or the raw deflate data) ended.
    pub end: bool,
    /// Stopped at the end of a deflate block that is not the last one: a
    /// place for a checkpoint.
    pub block_end: bool,
    /// Bits of the last input byte read that belong to the next block.
    pub pending_bits: u8,
}

pub struct Inflater {
    // Boxed: zlib's state points back at the stream, so it must not move.
    strm: Box<z::z_stream>,
}

// SAFETY: the stream and its state are owned by this value alone and are
// only touched through `&mut self`.
unsafe impl Send for Inflater {}

fn failed(what: &str, rc: c_int, strm: &z::z_stream) -> String {
    let msg = if strm.msg.is_null() {
        String::new()
    } else {
        // SAFETY: zlib sets `msg` to a static NUL-terminated string or null.
        unsafe { CStr::from_ptr(strm.msg) }
            .to_string_lossy()
            .into_owned()
    };
    format!(
        "{what} failed ({rc}{}{msg})",
        if msg.is_empty() { "" } else { ": " }
    )
}

impl Inflater {
    pub fn new(start: Start) -> Result<Self, String> {
        let mut strm = Box::new(z::z_stream::default());
        let window_bits = match start {
            Start::Gzip => 15 + 16,
            Start::Raw => -15,
        };
        // SAFETY: a default z_stream has its allocator set and no input
        // or output; the version and size are zlib's own.
        let rc = unsafe {
            z::inflateInit2_(
                &mut *strm,
                window_bits,
                z::zlibVersion(),
                std::mem::size_of::<z::z_stream>() as c_int,
            )
        };
        if rc != z::Z_OK {
            return Err(failed("starting inflate", rc, &strm));
        }
        Ok(Inflater { strm })
    }

    /// Inflates from `input` into `output`. With `by_block`, stops at the
    /// end of every deflate block as well.
    pub fn inflate(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        by_block: bool,
    ) -> Result<Step, String> {
        let in_len = input.len().min(u32::MAX as usize);
        let out_len = output.len().min(u32::MAX as usize);
        let s = &mut *self.strm;
        s.next_in = input.as_ptr();
        s.avail_in = in_len as u32;
        s.next_out = output.as_mut_ptr();
        s.avail_out = out_len as u32;
        let flush = if by_block { z::Z_BLOCK } else { z::Z_NO_FLUSH };
        // SAFETY: next_in/avail_in and next_out/avail_out describe the two
        // slices, which outlive the call; the stream was initialised.
        let rc = unsafe { z::inflate(s, flush) };
        let step = Step {
            read: in_len - s.avail_in as usize,
            written: out_len - s.avail_out as usize,
            end: rc == z::Z_STREAM_END,
            block_end: s.data_type & 128 != 0 && s.data_type & 64 == 0,
            pending_bits: (s.data_type & 7) as u8,
        };
        // No pointer into the caller's slices outlives the call.
        s.next_in = std::ptr::null();
        s.avail_in = 0;
        s.next_out = std::ptr::null_mut();
        s.avail_out = 0;
        match rc {
            z::Z_OK | z::Z_STREAM_END | z::Z_BUF_ERROR => Ok(step),
            z::Z_NEED_DICT => Err("the data needs a preset dictionary".into()),
            rc => Err(failed("inflate", rc, s)),
        }
    }

    /// Feeds the low `bits` bits of `value` before the next input byte
    /// (a checkpoint that falls inside a byte).
    pub fn prime(&mut self, bits: u8, value: u8) -> Result<(), String> {
        // SAFETY: an initialised stream.
        let rc = unsafe { z::inflatePrime(&mut *self.strm, c_int::from(bits), c_int::from(value)) };
        if rc == z::Z_OK {
            Ok(())
        } else {
            Err(failed("priming inflate", rc, &self.strm))
        }
    }

    /// The output that came before the resume point, which back-references
    /// may reach (raw streams only).
    pub fn set_window(&mut self, window: &[u8]) -> Result<(), String> {
        // SAFETY: an initialised raw stream; the pointer and length describe
        // `window`, which zlib copies.
        let rc = unsafe {
            z::inflateSetDictionary(
                &mut *self.strm,
                window.as_ptr(),
                window.len().min(u32::MAX as usize) as u32,
            )
        };
        if rc == z::Z_OK {
            Ok(())
        } else {
            Err(failed("setting the inflate window", rc, &self.strm))
        }
    }

    /// Ready for the next gzip member, header and all.
    pub fn reset(&mut self) -> Result<(), String> {
        // SAFETY: an initialised stream.
        let rc = unsafe { z::inflateReset(&mut *self.strm) };
        if rc == z::Z_OK {
            Ok(())
        } else {
            Err(failed("resetting inflate", rc, &self.strm))
        }
    }
}

impl Drop for Inflater {
    fn drop(&mut self) {
        // SAFETY: an initialised stream, ended once.
        unsafe {
            z::inflateEnd(&mut *self.strm);
        }
    }
}
