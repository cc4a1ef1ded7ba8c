//! Reading one spreadsheet export: encoding detection (UTF-8 with or without BOM, GBK/GB18030),
//! the header row mapped onto known columns, and rows tagged with the physical line they start on.

use super::bounds::{Bounded, Cut, Overlong, MAX_CELL, MAX_ROW};
use super::columns::{normalise_header, Column};
use super::decode::{breaks_in, decode, LineCounter};
pub use super::decode::{Detected, TextEncoding};
use super::Rejection;
use std::io::{self, Read};

type Source = LineCounter<Bounded<Box<dyn Read + Send>>>;

/// Why a record's bytes are not taken as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Undecodable {
    /// Bytes the file's encoding cannot read.
    Invalid,
    /// In a file read as GBK, bytes that are really UTF-8: they decode as GBK without a single
    /// error (王芳 reads as 鐜嬭姵), so only their being valid UTF-8 gives them away.
    Utf8InGbk,
}

/// Whether `text`, decoded from GB18030, came from bytes that are really a UTF-8 Chinese line:
/// non-ASCII, valid UTF-8, and reading as UTF-8 to CJK characters and punctuation only. The
/// decoder is one-to-one on valid input, so encoding back gives the file's bytes. Valid UTF-8
/// alone is not enough: about 3% of two-character GBK names happen to be valid UTF-8, but as
/// Latin or Cyrillic letters (lead 0xC2–0xDF, trail 0x80–0xBF), never as a run of CJK.
fn was_utf8(text: &str) -> bool {
    if text.is_ascii() {
        return false;
    }
    let (raw, _, _) = encoding_rs::GB18030.encode(text);
    std::str::from_utf8(&raw).is_ok_and(|utf8| utf8.chars().all(chinese_sheet_char))
}

/// Characters a Chinese spreadsheet's text is made of: ASCII, CJK, full-width forms, general
/// punctuation (“”…), and the middle dot of transliterated names (阿卜杜·热合曼).
pub(super) fn chinese_sheet_char(c: char) -> bool {
    matches!(c as u32,
        0..=0x7F | 0xB7 | 0x2000..=0x206F | 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF)
}

/// An open CSV file positioned after its header row.
pub struct CsvFile {
    name: String,
    rdr: csv::Reader<Source>,
    record: csv::ByteRecord,
    /// Newlines already passed (before the current record's end).
    lines_passed: u64,
    /// Line of the most recent record (for read errors).
    last_line: u64,
    /// The most recent record ran to the end of the file inside a quote left open.
    unclosed: bool,
    /// The most recent record was longer than the limit: cut there, the rest skipped.
    cut: Option<Cut>,
    encoding: Detected,
    /// What `--encoding` asked for, so a hint never suggests the choice just made.
    requested: TextEncoding,
    /// For each known column, its position in the record (None: the file lacks it).
    map: Vec<Option<usize>>,
    /// Position in the record → column index, for naming the field of an encoding error.
    columns: &'static [Column],
    header_len: usize,
    ignored: Vec<String>,
    /// Each known column's header as the file writes it (`身份证号码`, `ID Number`).
    headers: Vec<Option<String>>,
}

/// One data row, borrowed from the reader until the next call.
pub struct Row<'a> {
    pub line: u64,
    text: &'a str,
    record: &'a csv::ByteRecord,
    map: &'a [Option<usize>],
}

impl Row<'_> {
    /// The trimmed text of a column; "" when the file lacks the column or the row is short.
    pub fn get(&self, column: usize) -> &str {
        self.map
            .get(column)
            .copied()
            .flatten()
            .and_then(|i| self.record.range(i))
            .and_then(|r| self.text.get(r))
            .map(|s| s.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'))
            .unwrap_or("")
    }

    /// Whether the file has this column at all (absent columns leave stored values alone).
    pub fn has(&self, column: usize) -> bool {
        self.map.get(column).copied().flatten().is_some()
    }
}

/// A row typed by hand (the `register` command, a console form) instead of read from a file:
/// its cells, in the table's column order, go through the very checks a file's row does.
pub struct TypedRow {
    record: csv::ByteRecord,
    map: Vec<Option<usize>>,
}

impl TypedRow {
    /// `cells[i]` is column `i` of the table; every column counts as present.
    pub fn new(cells: &[&str]) -> TypedRow {
        TypedRow {
            record: cells.iter().collect(),
            map: (0..cells.len()).map(Some).collect(),
        }
    }

    pub fn row(&self) -> Row<'_> {
        Row {
            line: 1,
            // Built from `&str` cells: always whole UTF-8.
            text: std::str::from_utf8(self.record.as_slice()).unwrap_or(""),
            record: &self.record,
            map: &self.map,
        }
    }
}

/// The reader's answer for the next row.
pub enum Next<'a> {
    Row(Row<'a>),
    /// A row that cannot even be read as text (wrong encoding) or has cells past the header.
    Bad(Rejection),
    End,
}

impl CsvFile {
    pub fn open(
        path: &std::path::Path,
        encoding: TextEncoding,
        columns: &'static [Column],
    ) -> Result<CsvFile, FileError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let file = std::fs::File::open(path).map_err(|source| FileError::Open {
            file: name.clone(),
            source,
        })?;
        Self::from_reader(&name, Box::new(file), encoding, columns)
    }

    /// Reads the header from any byte stream (a file, generated demo data, a test buffer).
    pub fn from_reader(
        name: &str,
        input: Box<dyn Read + Send>,
        encoding: TextEncoding,
        columns: &'static [Column],
    ) -> Result<CsvFile, FileError> {
        let (detected, source) = decode(input, encoding).map_err(|source| FileError::Open {
            file: name.to_string(),
            source,
        })?;
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(LineCounter::new(Bounded::new(source)));
        let mut file = CsvFile {
            name: name.to_string(),
            rdr,
            record: csv::ByteRecord::new(),
            lines_passed: 0,
            last_line: 1,
            unclosed: false,
            cut: None,
            encoding: detected,
            requested: encoding,
            map: vec![None; columns.len()],
            columns,
            header_len: 0,
            ignored: Vec::new(),
            headers: Vec::new(),
        };
        file.read_header()?;
        Ok(file)
    }

    fn read_header(&mut self) -> Result<(), FileError> {
        let line = loop {
            if !self.read_record()? {
                return Err(FileError::Empty {
                    file: self.name.clone(),
                });
            }
            if !self.record_is_blank() || self.cut.is_some() {
                break self.last_line;
            }
        };
        if let Some(cut) = &self.cut {
            return Err(FileError::HeaderTooLong {
                file: self.name.clone(),
                line,
                excerpt: excerpt(&cut.head),
            });
        }
        let text = match self.record_text() {
            Ok(t) => t.to_string(),
            Err(_) => {
                return Err(FileError::HeaderEncoding {
                    file: self.name.clone(),
                    line,
                    encoding: self.encoding.as_str(),
                    hint: match self.requested {
                        TextEncoding::Auto => "--encoding gbk or utf-8",
                        TextEncoding::Utf8 => "--encoding gbk",
                        TextEncoding::Gbk => "--encoding utf-8",
                    },
                })
            }
        };
        let mut seen: Vec<Option<String>> = vec![None; self.columns.len()];
        self.header_len = self.record.len();
        for i in 0..self.record.len() {
            let header = self
                .record
                .range(i)
                .and_then(|r| text.get(r))
                .unwrap_or("")
                .trim()
                .to_string();
            let key = normalise_header(&header);
            if key.is_empty() {
                continue;
            }
            match self.columns.iter().position(|c| c.matches(&key)) {
                Some(c) => {
                    if let Some(first) = &seen[c] {
                        return Err(FileError::DuplicateColumn {
                            file: self.name.clone(),
                            line,
                            header,
                            first: first.clone(),
                        });
                    }
                    seen[c] = Some(header);
                    self.map[c] = Some(i);
                }
                None => self.ignored.push(excerpt(header.as_bytes())),
            }
        }
        let missing: Vec<(&'static str, &'static str)> = self
            .columns
            .iter()
            .zip(&self.map)
            .filter(|(c, m)| c.required && m.is_none())
            .map(|(c, _)| (c.zh, c.key))
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                file: self.name.clone(),
                line,
                missing,
            });
        }
        self.headers = seen;
        Ok(())
    }

    /// Reads the next record and works out the line it starts on.
    fn read_record(&mut self) -> Result<bool, FileError> {
        let more = match self.rdr.read_byte_record(&mut self.record) {
            Ok(more) => more,
            Err(e) => return Err(self.read_error(e)),
        };
        if !more {
            return Ok(false);
        }
        let end = self.rdr.position().byte();
        let counter = self.rdr.get_mut();
        self.cut = None;
        let cuts = &mut counter.inner_mut().cuts;
        while cuts.front().is_some_and(|c| c.at < end) {
            self.cut = cuts.pop_front();
        }
        // A record cut off by the end of the file (an unclosed quote) has no terminator: a
        // break just before the end is then part of its last cell.
        let cut_off = counter.eof && end == counter.offset;
        self.unclosed = cut_off && counter.quote_left_open();
        let mut ends_with_newline = false;
        while let Some(&q) = counter.newlines.front() {
            if q >= end {
                break;
            }
            ends_with_newline = q + 1 == end && !cut_off;
            self.lines_passed += 1;
            counter.newlines.pop_front();
        }
        // The last line the record touches, less the newlines inside its quoted fields.
        let last = self.lines_passed + 1 - u64::from(ends_with_newline);
        let inner = breaks_in(self.record.as_slice());
        self.last_line = last.saturating_sub(inner).max(1);
        Ok(true)
    }

    /// A row that never ended names its line; anything else is a read error.
    fn read_error(&mut self, e: csv::Error) -> FileError {
        let never_ends = match e.kind() {
            csv::ErrorKind::Io(io) => io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<Overlong>())
                .cloned(),
            _ => None,
        };
        match never_ends {
            Some(o) => {
                // Line breaks before the row that no record has taken yet (blank lines).
                let pending = self.rdr.get_mut().newlines.len() as u64;
                FileError::NeverEnds {
                    file: self.name.clone(),
                    line: self.lines_passed + 1 + pending,
                    excerpt: excerpt(&o.head),
                }
            }
            None => FileError::Read {
                file: self.name.clone(),
                line: self.last_line,
                source: io::Error::other(e),
            },
        }
    }

    fn record_is_blank(&self) -> bool {
        self.record
            .iter()
            .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
    }

    /// The record's fields as one text, if it decoded cleanly.
    fn record_text(&self) -> Result<&str, Undecodable> {
        let text = std::str::from_utf8(self.record.as_slice()).map_err(|_| Undecodable::Invalid)?;
        // The GB18030 decoder turns bytes it cannot read into U+FFFD.
        if self.encoding == Detected::Gb18030 && text.contains('\u{FFFD}') {
            return Err(Undecodable::Invalid);
        }
        if self.encoding == Detected::Gb18030 && was_utf8(text) {
            return Err(Undecodable::Utf8InGbk);
        }
        // Each cell must be text on its own, not only the cells run together.
        let cells_whole = (0..self.record.len())
            .filter_map(|i| self.record.range(i))
            .all(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        cells_whole.then_some(text).ok_or(Undecodable::Invalid)
    }

    /// The next non-blank row.
    pub fn next_row(&mut self) -> Result<Next<'_>, FileError> {
        loop {
            if !self.read_record()? {
                return Ok(Next::End);
            }
            if !self.record_is_blank() || self.cut.is_some() {
                break;
            }
        }
        let line = self.last_line;
        if self.unclosed {
            return Ok(Next::Bad(self.unclosed_quote()));
        }
        if let Some(cut) = &self.cut {
            return Ok(Next::Bad(self.cut_rejection(line, cut)));
        }
        if let Some(long) = self.long_cell(line) {
            return Ok(Next::Bad(long));
        }
        let text = match self.record_text() {
            Ok(text) => text,
            Err(why) => return Ok(Next::Bad(self.encoding_rejection(line, why))),
        };
        if let Some(extra) = self.extra_cells() {
            return Ok(Next::Bad(extra));
        }
        Ok(Next::Row(Row {
            line,
            text,
            record: &self.record,
            map: &self.map,
        }))
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn encoding(&self) -> Detected {
        self.encoding
    }
    /// Header cells that name no known column (序号, 备注 …): left out, shown to the user.
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignored
    }
    /// Each column key the file has (`id_number`) with its header as the file writes it, so
    /// that a report names the column the officer sees (`身份证号`).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        self.columns
            .iter()
            .zip(&self.headers)
            .filter_map(|(c, h)| Some((c.key, h.clone()?)))
            .collect()
    }
    /// Whether the file has this column at all.
    pub fn has(&self, column: usize) -> bool {
        self.map.get(column).copied().flatten().is_some()
    }
}

mod error;
mod rejections;

pub use self::error::FileError;

use self::rejections::excerpt;

#[cfg(test)]
mod tests;
