//! A file's content as a page can show it: text by line when it reads as
//! text, else a hex dump; and a mode as `ls -l` writes it.

use super::listing::Kind;

/// Text shown up to this many bytes; more is for the download.
pub const TEXT_MAX: u64 = 1 << 20;
/// A binary file's hex dump covers this many bytes.
pub const HEX_MAX: usize = 64 << 10;

/// The lines of `bytes` if they read as text: UTF-8 (a character cut at the
/// end of a partial read is allowed) with no NUL byte.
pub fn text_lines(bytes: &[u8], partial: bool) -> Option<Vec<String>> {
    if bytes.contains(&0) {
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        // Only a character cut by the read's end, at most 3 bytes.
        Err(e) if partial && e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Some(Vec::new());
    }
    Some(
        text.split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect(),
    )
}

/// `hexdump -C`: offset, 16 bytes in two groups, and the printable ones.
pub fn hex_dump(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, row)| {
            let mut line = format!("{:08x} ", i * 16);
            for j in 0..16 {
                if j == 8 {
                    line.push(' ');
                }
                match row.get(j) {
                    Some(b) => line.push_str(&format!(" {b:02x}")),
                    None => line.push_str("   "),
                }
            }
            line.push_str("  |");
            line.extend(row.iter().map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    b as char
                } else {
                    '.'
                }
            }));
            line.push('|');
            line
        })
        .collect()
}

/// `-rwxr-xr-x`, with setuid, setgid and sticky bits as `ls` shows them.
pub fn mode_string(kind: Kind, mode: u32) -> String {
    let first = match kind {
        Kind::Dir => 'd',
        Kind::Symlink => 'l',
        Kind::Char => 'c',
        Kind::Block => 'b',
        Kind::Fifo => 'p',
        Kind::File | Kind::Hardlink | Kind::Other => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(first);
    for (shift, special, lower, upper) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let exec = bits & 1 != 0;
        s.push(match (mode & special != 0, exec) {
            (true, true) => lower,
            (true, false) => upper,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_utf8_without_nul() {
        assert_eq!(
            text_lines(b"a\r\nb\n", false).unwrap(),
            vec!["a".to_string(), "b".to_string()]
        );
        assert_eq!(text_lines(b"", false).unwrap(), Vec::<String>::new());
        assert!(text_lines(b"a\0b", false).is_none());
        assert!(text_lines(b"\xff\xfe", false).is_none());
        // "é" cut after its first byte by a partial read.
        assert_eq!(text_lines(b"caf\xc3", true).unwrap(), vec!["caf"]);
        assert!(text_lines(b"caf\xc3", false).is_none());
    }

    #[test]
    fn hex_dump_reads_like_hexdump_c() {
        let lines = hex_dump(b"Hello, world!\n\x00\x01\x02");
        assert_eq!(
            lines,
            vec![
                "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 01  |Hello, world!...|",
                "00000010  02                                                |.|",
            ]
        );
    }

    #[test]
    fn modes_read_like_ls() {
        assert_eq!(mode_string(Kind::File, 0o755), "-rwxr-xr-x");
        assert_eq!(mode_string(Kind::Dir, 0o1777), "drwxrwxrwt");
        assert_eq!(mode_string(Kind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_string(Kind::File, 0o2644), "-rw-r-Sr--");
        assert_eq!(mode_string(Kind::Symlink, 0o777), "lrwxrwxrwx");
    }
}
