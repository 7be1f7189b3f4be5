//! A layer's files, read from its uncompressed tar stream in one pass:
//! each entry's path, type, mode, owner, size, time, link target and where
//! its content starts in the stream (so it can be read again from a
//! checkpoint). Entries go to a sink as they come: a layer of a million
//! files is never held whole.

use std::io::{self, Read};

use serde::{Deserialize, Serialize};

/// The longest path kept; longer ones (a nesting bomb) are cut, and say so.
pub const MAX_PATH: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Char,
    Block,
    Fifo,
    Other,
}

/// What an entry is to the layers below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Whiteout {
    /// `.wh.NAME`: NAME (this path, without the prefix) is deleted.
    Delete,
    /// `.wh..wh..opq`: everything below the directory is deleted.
    Opaque,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Without a leading `./` or `/`, and no trailing `/`; bytes that are
    /// not UTF-8 are written `\xNN`. A whiteout's path is the one it
    /// deletes (or, opaque, the directory it empties).
    pub path: String,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Where the content starts in the uncompressed stream.
    pub offset: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whiteout: Option<Whiteout>,
    /// The path was longer than `MAX_PATH` and is cut.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
    /// CRC-32 of a regular file's content (up to `HASH_MAX` bytes, not
    /// sparse): two tags' versions of a file compare without reading them
    /// again, even when a reproducible build gave both the same time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crc: Option<u32>,
}

/// Files larger than this are compared by their metadata only.
pub const HASH_MAX: u64 = 64 << 20;

/// Names as text: UTF-8 as is, any other byte as `\xNN`.
pub fn text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// `./a/b/`, `/a/b` and `a//b` are all `a/b`; `.` parts go, `..` stays
/// (shown, never followed).
pub fn clean(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

fn kind_of(t: tar::EntryType) -> Kind {
    use tar::EntryType as T;
    match t {
        // A GNU sparse file's content is stored as chunks plus a map: its
        // bytes cannot be read from one offset, so it is not a plain file.
        T::Regular | T::Continuous => Kind::File,
        T::Directory => Kind::Dir,
        T::Symlink => Kind::Symlink,
        T::Link => Kind::Hardlink,
        T::Char => Kind::Char,
        T::Block => Kind::Block,
        T::Fifo => Kind::Fifo,
        _ => Kind::Other,
    }
}

/// Splits off a whiteout prefix from the last part of a clean path.
fn whiteout_of(path: &str) -> (String, Option<Whiteout>) {
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", path),
    };
    let join = |n: &str| {
        if dir.is_empty() {
            n.to_string()
        } else if n.is_empty() {
            dir.to_string()
        } else {
            format!("{dir}/{n}")
        }
    };
    if name == ".wh..wh..opq" {
        (join(""), Some(Whiteout::Opaque))
    } else if let Some(target) = name.strip_prefix(".wh.") {
        (join(target), Some(Whiteout::Delete))
    } else {
        (path.to_string(), None)
    }
}

/// What a listing saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub entries: u64,
    /// The uncompressed stream's length.
    pub bytes: u64,
}

/// Reads the tar stream `stream`, giving each entry to `sink`.
pub fn list(
    stream: impl Read,
    mut sink: impl FnMut(Entry) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut counted = Counting {
        inner: stream,
        read: 0,
    };
    let mut summary = Summary::default();
    {
        let mut archive = tar::Archive::new(&mut counted);
        for entry in archive.entries()? {
            let mut entry = entry?;
            let raw = entry.path_bytes();
            let cut = raw.len() > MAX_PATH;
            let path = clean(&text(&raw[..raw.len().min(MAX_PATH)]));
            let (path, whiteout) = whiteout_of(&path);
            let header = entry.header();
            let link = entry
                .link_name_bytes()
                .map(|l| text(&l[..l.len().min(MAX_PATH)]));
            let kind = kind_of(header.entry_type());
            let (mode, uid, gid) = (
                header.mode().unwrap_or(0),
                header.uid().unwrap_or(0),
                header.gid().unwrap_or(0),
            );
            let mtime = header.mtime().map(|t| t as i64).unwrap_or(0);
            let (size, offset) = (entry.size(), entry.raw_file_position());
            // The archive reads past the content anyway: hashing it costs
            // the CRC alone.
            let crc = if kind == Kind::File && size <= HASH_MAX {
                let mut hasher = crc32fast::Hasher::new();
                let mut buf = [0u8; 32 << 10];
                loop {
                    let n = entry.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                }
                Some(hasher.finalize())
            } else {
                None
            };
            sink(Entry {
                path,
                kind,
                mode,
                uid,
                gid,
                size,
                mtime,
                link,
                offset,
                whiteout,
                cut,
                crc,
            })?;
            summary.entries += 1;
        }
    }
    // Whatever follows the archive's end (padding) is still the stream's.
    io::copy(&mut counted, &mut io::sink())?;
    summary.bytes = counted.read;
    Ok(summary)
}

struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer() -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut dir = tar::Header::new_gnu();
        dir.set_entry_type(tar::EntryType::Directory);
        dir.set_mode(0o755);
        dir.set_size(0);
        b.append_data(&mut dir, "./etc/", &[][..]).unwrap();
        let mut f = tar::Header::new_gnu();
        f.set_mode(0o644);
        f.set_uid(1000);
        f.set_mtime(1_700_000_000);
        f.set_size(12);
        b.append_data(&mut f, "./etc/os-release", &b"ID=berth\nV=1"[..])
            .unwrap();
        let mut l = tar::Header::new_gnu();
        l.set_entry_type(tar::EntryType::Symlink);
        l.set_size(0);
        b.append_link(&mut l, "etc/link", "os-release").unwrap();
        let mut w = tar::Header::new_gnu();
        w.set_size(0);
        b.append_data(&mut w, "usr/.wh.old", &[][..]).unwrap();
        let mut o = tar::Header::new_gnu();
        o.set_size(0);
        b.append_data(&mut o, "var/cache/.wh..wh..opq", &[][..])
            .unwrap();
        let long = format!("deep/{}", "d/".repeat(200)) + "file";
        let mut deep = tar::Header::new_gnu();
        deep.set_size(1);
        b.append_data(&mut deep, &long, &b"x"[..]).unwrap();
        b.into_inner().unwrap()
    }

    #[test]
    fn entries_come_with_types_owners_offsets_and_whiteouts() {
        let data = layer();
        let mut seen = Vec::new();
        let summary = list(&data[..], |e| {
            seen.push(e);
            Ok(())
        })
        .unwrap();
        assert_eq!(summary.entries, 6);
        assert_eq!(summary.bytes, data.len() as u64);
        let paths: Vec<&str> = seen.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            &paths[..5],
            ["etc", "etc/os-release", "etc/link", "usr/old", "var/cache"]
        );
        let os = &seen[1];
        assert_eq!(
            (os.kind, os.mode, os.uid, os.size, os.mtime),
            (Kind::File, 0o644, 1000, 12, 1_700_000_000)
        );
        let at = os.offset as usize;
        assert_eq!(&data[at..at + 12], b"ID=berth\nV=1");
        assert_eq!(os.crc, Some(crc32fast::hash(b"ID=berth\nV=1")));
        assert_eq!(seen[2].crc, None, "a link has no content of its own");
        assert_eq!(seen[2].kind, Kind::Symlink);
        assert_eq!(seen[2].link.as_deref(), Some("os-release"));
        assert_eq!(seen[3].whiteout, Some(Whiteout::Delete));
        assert_eq!(seen[4].whiteout, Some(Whiteout::Opaque));
        assert!(seen[5].path.ends_with("d/file"), "a long name, read whole");
    }

    #[test]
    fn names_that_are_not_utf8_and_dot_dot_are_kept_visible() {
        assert_eq!(text(b"caf\xe9/x"), "caf\\xe9/x");
        assert_eq!(clean("./a//b/./c/"), "a/b/c");
        assert_eq!(clean("/../etc/passwd"), "../etc/passwd");
    }

    #[test]
    fn a_broken_archive_is_an_error() {
        let mut data = layer();
        data.truncate(700);
        let r = list(&data[..], |_| Ok(()));
        assert!(r.is_err());
    }
}
