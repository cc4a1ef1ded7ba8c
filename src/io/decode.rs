//! Text in: telling UTF-8 (with or without BOM) from GBK/GB18030, decoding as the file streams
//! by, and noting where each line break is so rows can be given their physical line.

use encoding_rs_io::DecodeReaderBytesBuilder;
use std::collections::VecDeque;
use std::io::{self, Cursor, Read};

/// The `--encoding` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    #[default]
    Auto,
    Utf8,
    /// GBK, read with the GB18030 decoder (a superset: nothing valid in GBK reads differently).
    Gbk,
}

/// What the file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Utf8,
    Utf8Bom,
    Utf16Bom,
    Gb18030,
}

impl Detected {
    pub fn as_str(self) -> &'static str {
        match self {
            Detected::Utf8 => "UTF-8",
            Detected::Utf8Bom => "UTF-8 (BOM)",
            Detected::Utf16Bom => "UTF-16",
            Detected::Gb18030 => "GBK",
        }
    }
}

/// How many bytes are inspected to tell UTF-8 from GBK. Chinese headers or the first names
/// settle it at once; an all-ASCII start is read as UTF-8 and any later GBK row is rejected
/// with a hint, never silently mis-decoded.
pub(super) const SNIFF: usize = 64 * 1024;

fn detect(prefix: &[u8], at_eof: bool) -> Detected {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return Detected::Utf8Bom;
    }
    if prefix.starts_with(b"\xFF\xFE") || prefix.starts_with(b"\xFE\xFF") {
        return Detected::Utf16Bom;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => Detected::Utf8,
        // A multi-byte character cut at the end of the sniffed block is still UTF-8.
        Err(e) if e.error_len().is_none() && !at_eof => Detected::Utf8,
        // Whole lines of Chinese read as UTF-8 before the first bad byte: a UTF-8 file with
        // one damaged (or pasted GBK) line, which is rejected at that line, not a GBK file.
        Err(e) if proven_utf8(&prefix[..e.valid_up_to()]) => Detected::Utf8,
        Err(_) => Detected::Gb18030,
    }
}

/// Whether the complete lines of `valid` (valid UTF-8) hold Chinese text as UTF-8: at least
/// two CJK characters and nothing a Chinese sheet would not hold. GBK bytes read as UTF-8 by
/// chance give Latin and Cyrillic letters, never whole lines of CJK.
fn proven_utf8(valid: &[u8]) -> bool {
    let Some(end) = memchr::memrchr2(b'\n', b'\r', valid) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&valid[..end]) else {
        return false;
    };
    let cjk = text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    cjk >= 2 && text.chars().all(super::csv_file::chinese_sheet_char)
}

/// Passes bytes through to the CSV parser and remembers where each line break is (LF, CRLF,
/// or a lone CR of old Mac exports), so that a record can be given the physical line it starts
/// on: the csv crate's own line count is off after blank lines and CRLF endings.
pub(super) struct LineCounter<R> {
    inner: R,
    pub(super) offset: u64,
    /// Offsets of line breaks not yet passed by the reader: the `\n`, or the lone `\r`.
    pub(super) newlines: VecDeque<u64>,
    /// A `\r` that ended the previous read: a break of its own unless a `\n` follows.
    pending_cr: Option<u64>,
    /// The source is exhausted.
    pub(super) eof: bool,
    /// Where the CSV quoting stands after the bytes read so far (as the csv crate parses it),
    /// so that a quote still open at the end of the file can be told from a last line that
    /// merely lacks its line break.
    quoting: Quoting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: closes it, unless another `"` follows.
    QuoteInQuoted,
}

impl Quoting {
    pub(super) fn after(self, b: u8) -> Quoting {
        match (self, b) {
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (Quoting::FieldStart, b'"') => Quoting::Quoted,
            (_, b',' | b'\r' | b'\n') => Quoting::FieldStart,
            _ => Quoting::Unquoted,
        }
    }
}

impl<R> LineCounter<R> {
    pub(super) fn new(inner: R) -> Self {
        LineCounter {
            inner,
            offset: 0,
            newlines: VecDeque::new(),
            pending_cr: None,
            eof: false,
            quoting: Quoting::FieldStart,
        }
    }

    pub(super) fn inner_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Whether the file ended inside a quoted field (meaningful once `eof` is set).
    pub(super) fn quote_left_open(&self) -> bool {
        self.quoting == Quoting::Quoted
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.eof |= n == 0 && !buf.is_empty();
        let bytes = &buf[..n];
        if let Some(cr) = self.pending_cr.take() {
            if bytes.first() != Some(&b'\n') {
                self.newlines.push_back(cr);
            }
        }
        for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
            let at = self.offset + i as u64;
            if bytes[i] == b'\n' {
                self.newlines.push_back(at);
            } else {
                match bytes.get(i + 1) {
                    Some(b'\n') => {}
                    Some(_) => self.newlines.push_back(at),
                    None => self.pending_cr = Some(at),
                }
            }
        }
        self.quoting = bytes.iter().fold(self.quoting, |q, &b| q.after(b));
        self.offset += n as u64;
        Ok(n)
    }
}

/// Line breaks inside a record's cells (a quoted field typed with Alt+Enter).
pub(super) fn breaks_in(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\r', b'\n', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

/// Sniffs the start of `input`, then returns what it is and a reader of its text as UTF-8.
pub(super) fn decode(
    mut input: Box<dyn Read + Send>,
    encoding: TextEncoding,
) -> io::Result<(Detected, Box<dyn Read + Send>)> {
    let mut prefix = Vec::with_capacity(SNIFF);
    (&mut input).take(SNIFF as u64).read_to_end(&mut prefix)?;
    let at_eof = prefix.len() < SNIFF;
    let detected = match encoding {
        TextEncoding::Auto => detect(&prefix, at_eof),
        TextEncoding::Utf8 if prefix.starts_with(b"\xEF\xBB\xBF") => Detected::Utf8Bom,
        TextEncoding::Utf8 => Detected::Utf8,
        TextEncoding::Gbk => Detected::Gb18030,
    };
    // A UTF-8 BOM before GBK text (Excel's "CSV UTF-8" re-saved by a GBK editor): under an
    // explicit --encoding gbk the BOM is dropped, not decoded as three garbled characters.
    let has_bom = prefix.starts_with(b"\xEF\xBB\xBF");
    let skip = match detected {
        Detected::Utf8Bom => 3,
        Detected::Gb18030 if has_bom => 3,
        _ => 0,
    };
    let mut rest: Box<dyn Read + Send> = Box::new(Cursor::new(prefix).chain(input));
    io::copy(&mut (&mut rest).take(skip), &mut io::sink())?;
    let source: Box<dyn Read + Send> = match detected {
        Detected::Utf8 | Detected::Utf8Bom => rest,
        // UTF-16 only ever arrives with a BOM; the decoder recognises it.
        Detected::Utf16Bom => Box::new(DecodeReaderBytesBuilder::new().build(rest)),
        Detected::Gb18030 => Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .bom_sniffing(false)
                .build(rest),
        ),
    };
    Ok((detected, source))
}
