//! Layer listings and checkpoint indexes on disk, keyed by blob digest
//! (content never changes under one), bounded in bytes: the least
//! recently used go first. Like other digest-addressed content, an entry is
//! reached only through a manifest the user read with their own
//! credentials, and after a `HEAD` of the blob in that manifest's
//! repository (`Layers::present`).
//!
//! Per layer, `<hex>.list`: a first line describing the layer (JSON, padded
//! with spaces to `HEADER_LEN`, so it is written in place at the end), then
//! one entry per line (JSON); `<hex>.idx`: the checkpoints, binary.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::gzip_index::Checkpoint;
use super::listing::Entry;

/// What the first line of a listing says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    /// `gzip`, `zstd` or `tar`.
    pub compression: String,
    pub entries: u64,
    /// The uncompressed tar stream's length.
    pub bytes: u64,
    /// The blob's length.
    pub compressed: u64,
    /// The listing's own bytes on disk (0 in listings written before it
    /// was kept).
    #[serde(default)]
    pub listed: u64,
}

/// The first line's room: the description is written over it at the end.
const HEADER_LEN: usize = 256;

/// One entry as its line of a listing (with the newline).
pub fn encode(e: &Entry) -> io::Result<Vec<u8>> {
    let mut line = serde_json::to_vec(e)?;
    line.push(b'\n');
    Ok(line)
}

pub struct LayerCache {
    dir: PathBuf,
    max_bytes: u64,
}

fn name(hex: &str, ext: &str) -> String {
    format!("{hex}.{ext}")
}

impl LayerCache {
    /// Opens (or makes, mode 0700) the cache's folder, which must be
    /// Berth's own: owned by this process's user, readable by no one else.
    pub fn new(dir: PathBuf, max_bytes: u64) -> io::Result<Self> {
        make_private_dir(&dir)?;
        Ok(LayerCache { dir, max_bytes })
    }

    fn path(&self, hex: &str, ext: &str) -> PathBuf {
        self.dir.join(name(hex, ext))
    }

    /// A listing's writer: entries go to a temporary file that becomes the
    /// listing only when `finish` is called (a failed read leaves none).
    pub fn writer(&self, hex: &str) -> io::Result<ListingWriter> {
        let tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        let mut file = BufWriter::new(tmp);
        file.write_all(&[b' '; HEADER_LEN])?;
        file.write_all(b"\n")?;
        Ok(ListingWriter {
            file,
            checkpoints: Some(CheckpointFile(
                tempfile::NamedTempFile::new_in(&self.dir).map(BufWriter::new)?,
            )),
            list: self.path(hex, "list"),
            idx: self.path(hex, "idx"),
        })
    }

    /// The layer's description, if it is cached (and marks it used).
    pub fn info(&self, hex: &str) -> io::Result<Option<LayerInfo>> {
        let path = self.path(hex, "list");
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let _ = file.set_modified(SystemTime::now());
        let mut first = String::new();
        BufReader::new(file).read_line(&mut first)?;
        Ok(serde_json::from_str(&first).ok())
    }

    /// Every entry of a cached listing, in archive order, to `each`.
    pub fn entries(&self, hex: &str, mut each: impl FnMut(Entry)) -> io::Result<()> {
        let file = BufReader::new(File::open(self.path(hex, "list"))?);
        for line in file.lines().skip(1) {
            let entry: Entry = serde_json::from_str(&line?)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            each(entry);
        }
        Ok(())
    }

    /// The last checkpoint at or before `offset` of the output.
    pub fn checkpoint_before(&self, hex: &str, offset: u64) -> io::Result<Option<Checkpoint>> {
        let mut file = match File::open(self.path(hex, "idx")) {
            Ok(f) => BufReader::new(f),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut best = None;
        while let Some(cp) = read_checkpoint(&mut file)? {
            if cp.uncompressed > offset {
                break;
            }
            best = Some(cp);
        }
        Ok(best)
    }

    /// Deletes the least recently used layers until the cache fits. Only
    /// Berth's own files count and go (`<hex>.list` and `<hex>.idx`): a
    /// folder shared with anything else loses nothing else.
    pub fn evict(&self) -> io::Result<()> {
        // Per layer: when its listing was last used, and its bytes.
        let mut layers: std::collections::HashMap<String, (SystemTime, u64)> =
            std::collections::HashMap::new();
        for e in fs::read_dir(&self.dir)? {
            let e = e?;
            let Some((hex, ext)) = own_file(&e.file_name()) else {
                continue;
            };
            let meta = e.metadata()?;
            if !meta.is_file() {
                continue;
            }
            let layer = layers.entry(hex).or_insert((SystemTime::UNIX_EPOCH, 0));
            layer.1 += meta.len();
            if ext == "list" {
                layer.0 = meta.modified()?;
            }
        }
        let mut total: u64 = layers.values().map(|l| l.1).sum();
        let mut oldest_first: Vec<(SystemTime, u64, String)> =
            layers.into_iter().map(|(h, (t, n))| (t, n, h)).collect();
        oldest_first.sort();
        for (_, len, hex) in oldest_first {
            if total <= self.max_bytes {
                break;
            }
            // A listing and its index go together.
            let _ = fs::remove_file(self.path(&hex, "list"));
            let _ = fs::remove_file(self.path(&hex, "idx"));
            total = total.saturating_sub(len);
        }
        Ok(())
    }
}

/// `<64 hex digits>.list` or `.idx` → (hex, extension): the only files the
/// cache writes under a name of its own.
fn own_file(name: &std::ffi::OsStr) -> Option<(String, &'static str)> {
    let name = name.to_str()?;
    let (hex, ext) = name.rsplit_once('.')?;
    let ext = match ext {
        "list" => "list",
        "idx" => "idx",
        _ => return None,
    };
    let is_digest = hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    is_digest.then(|| (hex.to_string(), ext))
}

/// Makes `dir` (mode 0700) or checks the one there: a folder of another
/// user's is refused, and one that others can read is closed to them.
fn make_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::other("is not a folder"));
    }
    // A file made here is this process's user's: the folder must be too.
    let probe = tempfile::NamedTempFile::new_in(dir)?;
    if probe.as_file().metadata()?.uid() != meta.uid() {
        return Err(io::Error::other(
            "belongs to another user; give Berth a folder of its own",
        ));
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

pub struct ListingWriter {
    file: BufWriter<tempfile::NamedTempFile>,
    /// Taken by a gzip reader while it reads, given back before `finish`.
    pub checkpoints: Option<CheckpointFile>,
    list: PathBuf,
    idx: PathBuf,
}

/// Checkpoints written as they come.
pub struct CheckpointFile(BufWriter<tempfile::NamedTempFile>);

impl super::gzip_index::CheckpointSink for CheckpointFile {
    fn put(&mut self, checkpoint: Checkpoint) -> io::Result<()> {
        write_checkpoint(&mut self.0, &checkpoint)
    }
}

impl ListingWriter {
    pub fn entry(&mut self, e: &Entry) -> io::Result<()> {
        self.line(&encode(e)?)
    }

    /// An entry already encoded by `encode`.
    pub fn line(&mut self, line: &[u8]) -> io::Result<()> {
        self.file.write_all(line)
    }

    pub fn checkpoint(&mut self, cp: &Checkpoint) -> io::Result<()> {
        match &mut self.checkpoints {
            Some(f) => write_checkpoint(&mut f.0, cp),
            None => Err(io::Error::other("the checkpoint file is out")),
        }
    }

    /// Writes the description over the first line and moves both files
    /// into place: the listing is written once, never copied.
    pub fn finish(self, info: &LayerInfo) -> io::Result<()> {
        let mut list = self.file.into_inner().map_err(|e| e.into_error())?;
        let head = serde_json::to_vec(info)?;
        if head.len() > HEADER_LEN {
            return Err(io::Error::other("a layer's description is too long"));
        }
        list.as_file_mut().seek(SeekFrom::Start(0))?;
        list.as_file_mut().write_all(&head)?;
        match self.checkpoints {
            Some(f) => {
                let idx = f.0.into_inner().map_err(|e| e.into_error())?;
                idx.persist(&self.idx).map_err(|e| e.error)?;
            }
            // Not gzip: no checkpoints, and none from an older listing.
            None => {
                let _ = fs::remove_file(&self.idx);
            }
        }
        list.persist(&self.list).map_err(|e| e.error)?;
        Ok(())
    }
}

fn write_checkpoint(w: &mut impl Write, cp: &Checkpoint) -> io::Result<()> {
    w.write_all(&cp.compressed.to_le_bytes())?;
    w.write_all(&[cp.bits, u8::from(cp.member)])?;
    w.write_all(&cp.uncompressed.to_le_bytes())?;
    w.write_all(&(cp.window.len() as u32).to_le_bytes())?;
    w.write_all(&cp.window)
}

fn read_checkpoint(r: &mut impl Read) -> io::Result<Option<Checkpoint>> {
    let mut head = [0u8; 22];
    match r.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let u64_at = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().unwrap_or_default());
    let len = u32::from_le_bytes(head[18..22].try_into().unwrap_or_default()) as usize;
    if len > super::gzip_index::WINDOW {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a checkpoint window is too long",
        ));
    }
    let mut window = vec![0; len];
    r.read_exact(&mut window)?;
    Ok(Some(Checkpoint {
        compressed: u64_at(0),
        bits: head[8],
        member: head[9] != 0,
        uncompressed: u64_at(10),
        window,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::listing::Kind;

    fn entry(path: &str, offset: u64) -> Entry {
        Entry {
            path: path.into(),
            kind: Kind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: 3,
            mtime: 0,
            link: None,
            offset,
            whiteout: None,
            cut: false,
            crc: None,
        }
    }

    fn cp(at: u64) -> Checkpoint {
        Checkpoint {
            compressed: at / 2,
            bits: 3,
            uncompressed: at,
            member: at == 0,
            window: vec![7; if at == 0 { 0 } else { 100 }],
        }
    }

    #[test]
    fn a_listing_round_trips_and_finds_its_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let cache = LayerCache::new(dir.path().into(), 1 << 30).unwrap();
        assert_eq!(cache.info("ab").unwrap(), None);
        let mut w = cache.writer("ab").unwrap();
        for (i, p) in ["a", "b/c", "d"].iter().enumerate() {
            w.entry(&entry(p, i as u64 * 512)).unwrap();
        }
        for at in [0, 100, 200] {
            w.checkpoint(&cp(at)).unwrap();
        }
        let info = LayerInfo {
            compression: "gzip".into(),
            entries: 3,
            bytes: 2048,
            compressed: 900,
            listed: 0,
        };
        w.finish(&info).unwrap();
        assert_eq!(cache.info("ab").unwrap(), Some(info));
        let mut paths = Vec::new();
        cache.entries("ab", |e| paths.push(e.path)).unwrap();
        assert_eq!(paths, ["a", "b/c", "d"]);
        assert_eq!(cache.checkpoint_before("ab", 150).unwrap(), Some(cp(100)));
        assert_eq!(cache.checkpoint_before("ab", 5000).unwrap(), Some(cp(200)));
        assert_eq!(cache.checkpoint_before("ab", 0).unwrap(), Some(cp(0)));
    }

    const OLD: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const NEW: &str = "0000000000000000000000000000000000000000000000000000000000000002";

    #[test]
    fn the_least_recently_used_go_first() {
        let dir = tempfile::tempdir().unwrap();
        // Files that are not the cache's, older than any listing.
        for foreign in ["berth.db", "secret.key", "notes.list", "ab.idx"] {
            std::fs::write(dir.path().join(foreign), vec![1u8; 4000]).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        let cache = LayerCache::new(dir.path().into(), 1000).unwrap();
        for hex in [OLD, NEW] {
            let mut w = cache.writer(hex).unwrap();
            w.entry(&entry(&"x".repeat(500), 0)).unwrap();
            w.finish(&LayerInfo {
                compression: "tar".into(),
                entries: 1,
                bytes: 1,
                compressed: 1,
                listed: 0,
            })
            .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        cache.evict().unwrap();
        assert_eq!(cache.info(OLD).unwrap(), None, "the older listing went");
        assert!(cache.info(NEW).unwrap().is_some(), "the newer one stays");
        for foreign in ["berth.db", "secret.key", "notes.list", "ab.idx"] {
            assert!(
                dir.path().join(foreign).exists(),
                "{foreign} is not the cache's"
            );
        }
    }

    #[test]
    fn the_folder_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("a/layers");
        LayerCache::new(made.clone(), 1000).unwrap();
        let mode = std::fs::metadata(&made).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let open = dir.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        LayerCache::new(open.clone(), 1000).unwrap();
        let mode = std::fs::metadata(&open).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "closed to others");
    }
}
