//! Bounded input: a spreadsheet row may not grow without end while it streams in. A row longer
//! than [`MAX_ROW`] is cut where it passes the limit and the rest of it is skipped (its line
//! breaks still pass, so every later line keeps its number); the reader is told where, and
//! rejects the row. A row still going after [`MAX_SKIP`] (`/dev/zero`, a binary file) stops
//! the file. Memory stays a few times [`MAX_ROW`], whatever arrives.

use super::decode::Quoting;
use std::collections::VecDeque;
use std::io::{self, Read};

/// Longest cell: no field of the ledger comes near it (a 60-character address is 180 bytes).
pub const MAX_CELL: usize = 1024;
/// Longest row (a line, or the lines of one row with quoted line breaks).
pub const MAX_ROW: u64 = 64 * 1024;
/// Bytes of one overlong row skipped before the file is given up as not a spreadsheet.
pub const MAX_SKIP: u64 = 16 << 20;
/// Bytes kept of each row's start, to quote it when it is cut.
const HEAD: usize = 240;

/// Where a row was cut: the offset in the passed-on text, and how it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub at: u64,
    /// The cut fell inside a quoted cell (a quote opened and perhaps never closed).
    pub quoted: bool,
    /// The first bytes of the row.
    pub head: Vec<u8>,
}

/// A row that never ended: carried inside the `io::Error` the reader returns.
#[derive(Debug, Clone)]
pub struct Overlong {
    pub head: Vec<u8>,
}

impl std::fmt::Display for Overlong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a row longer than {} MB", MAX_SKIP >> 20)
    }
}

impl std::error::Error for Overlong {}

pub(super) struct Bounded<R> {
    inner: R,
    /// Bytes passed on so far.
    emitted: u64,
    /// Quoting of the text as it arrives (skipped bytes included).
    quoting: Quoting,
    /// Bytes of the current row so far.
    row: u64,
    head: Vec<u8>,
    /// Skipping the rest of an overlong row; bytes skipped.
    skipping: Option<u64>,
    pub(super) cuts: VecDeque<Cut>,
}

impl<R> Bounded<R> {
    pub(super) fn new(inner: R) -> Self {
        Bounded {
            inner,
            emitted: 0,
            quoting: Quoting::FieldStart,
            row: 0,
            head: Vec::with_capacity(HEAD),
            skipping: None,
            cuts: VecDeque::new(),
        }
    }

    /// Keeps the start of the current row: `bytes` continue it from `row` bytes in.
    fn keep_head(&mut self, bytes: &[u8]) {
        if self.head.len() < HEAD {
            let room = HEAD - self.head.len();
            self.head.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }

    /// The common case: no quote in the block, not inside a quoted cell, not skipping, and no
    /// row past the limit. Every line break then ends a row. False when the slow path must run.
    fn fast(&mut self, bytes: &[u8]) -> bool {
        if self.skipping.is_some()
            || self.quoting == Quoting::Quoted
            || memchr::memchr(b'"', bytes).is_some()
        {
            return false;
        }
        let mut row = self.row;
        let mut start = 0;
        let mut last_break = None;
        for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
            if row + (i - start) as u64 > MAX_ROW {
                return false;
            }
            row = 0;
            start = i + 1;
            last_break = Some(i);
        }
        if row + (bytes.len() - start) as u64 > MAX_ROW {
            return false;
        }
        match last_break {
            Some(i) => {
                self.head.clear();
                self.keep_head(&bytes[i + 1..]);
                self.row = (bytes.len() - i - 1) as u64;
            }
            None => {
                self.keep_head(bytes);
                self.row += bytes.len() as u64;
            }
        }
        if let Some(&b) = bytes.last() {
            self.quoting = self.quoting.after(b);
        }
        true
    }

    /// Byte by byte: quoting followed, rows cut and skipped. Returns the bytes kept, moved to
    /// the front of `buf`.
    fn slow(&mut self, buf: &mut [u8], n: usize) -> io::Result<usize> {
        let mut w = 0;
        for i in 0..n {
            let b = buf[i];
            let before = self.quoting;
            self.quoting = before.after(b);
            let brk = b == b'\n' || b == b'\r';
            let ends_row = brk && before != Quoting::Quoted;
            if let Some(skipped) = self.skipping.as_mut() {
                *skipped += 1;
                if *skipped > MAX_SKIP {
                    return Err(io::Error::other(Overlong {
                        head: std::mem::take(&mut self.head),
                    }));
                }
                if brk {
                    buf[w] = b;
                    w += 1;
                }
                if ends_row {
                    self.skipping = None;
                    self.row = 0;
                    self.head.clear();
                }
                continue;
            }
            if ends_row {
                self.row = 0;
                self.head.clear();
            } else {
                self.row += 1;
                if self.row > MAX_ROW {
                    self.cuts.push_back(Cut {
                        at: self.emitted + w as u64,
                        quoted: before == Quoting::Quoted,
                        head: self.head.clone(),
                    });
                    // Close the quote for the parser: the row ends at the next line break.
                    if before == Quoting::Quoted {
                        buf[w] = b'"';
                        w += 1;
                    }
                    self.skipping = Some(1);
                    continue;
                }
                if self.head.len() < HEAD {
                    self.head.push(b);
                }
            }
            buf[w] = b;
            w += 1;
        }
        Ok(w)
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let kept = if self.fast(&buf[..n]) {
                n
            } else {
                self.slow(buf, n)?
            };
            self.emitted += kept as u64;
            // A block skipped whole is not the end of the file: read on.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(data: &[u8]) -> (Vec<u8>, Vec<Cut>) {
        let mut b = Bounded::new(io::Cursor::new(data.to_vec()));
        let mut out = Vec::new();
        b.read_to_end(&mut out).unwrap();
        (out, b.cuts.into_iter().collect())
    }

    #[test]
    fn ordinary_text_passes_untouched() {
        let text = "name,id\n张三,1\r\n\"李\n四\",2\n".repeat(1000);
        let (out, cuts) = through(text.as_bytes());
        assert_eq!(out, text.as_bytes());
        assert!(cuts.is_empty());
    }

    #[test]
    fn an_overlong_line_is_cut_and_the_next_line_kept() {
        let long = "A".repeat(200_000);
        let text = format!("a,b\n{long},x\nc,d\n");
        let (out, cuts) = through(text.as_bytes());
        assert_eq!(cuts.len(), 1);
        assert_eq!(cuts[0].at, 4 + MAX_ROW);
        assert!(!cuts[0].quoted);
        assert!(cuts[0].head.starts_with(b"AAAA"));
        let out = String::from_utf8(out).unwrap();
        assert!(out.ends_with("A\nc,d\n"), "{}", &out[out.len() - 20..]);
        assert_eq!(out.len() as u64, 4 + MAX_ROW + 5);
    }

    #[test]
    fn a_quote_left_open_is_closed_and_its_line_breaks_kept() {
        let swallowed = "行,1\n".repeat(30_000);
        let text = format!("a,b\n\"{swallowed}");
        let (out, cuts) = through(text.as_bytes());
        assert_eq!(cuts.len(), 1);
        assert!(cuts[0].quoted);
        let out = String::from_utf8(out).unwrap();
        // Every line break of the file is still there (line numbers hold).
        assert_eq!(out.matches('\n').count(), text.matches('\n').count());
        assert!(out.len() < 70_000 + 30_000);
    }

    #[test]
    fn a_row_that_never_ends_stops_the_file() {
        let mut b = Bounded::new(io::repeat(0));
        let e = io::copy(&mut b, &mut io::sink()).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<Overlong>()), "{e}");
    }
}
