//! Why a row is refused as it is read: bytes the encoding cannot read, a quote left open, a
//! row or cell past its limit, cells past the header. Each names the line and field.

use super::*;
use crate::io::Reason;

impl CsvFile {
    pub(super) fn encoding_rejection(&self, line: u64, why: Undecodable) -> Rejection {
        let bad = (0..self.record.len()).find(|&i| {
            let f = self.record.get(i).unwrap_or_default();
            match (why, std::str::from_utf8(f)) {
                (Undecodable::Utf8InGbk, _) => !f.is_ascii(),
                (Undecodable::Invalid, Ok(s)) => s.contains('\u{FFFD}'),
                (Undecodable::Invalid, Err(_)) => true,
            }
        });
        let field = bad
            .and_then(|i| self.map.iter().position(|m| *m == Some(i)))
            .map(|c| self.columns[c].key)
            .unwrap_or("row");
        let value = bad
            .and_then(|i| self.record.get(i))
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .unwrap_or_default();
        let reason = match (why, self.encoding) {
            (Undecodable::Utf8InGbk, _) => Reason::Utf8InGbk,
            (_, Detected::Gb18030) => Reason::NotGbk,
            _ => Reason::NotUtf8,
        };
        Rejection::new(line, field, value, reason)
    }

    /// A quote opened in the record's last cell and never closed: that cell holds the rest of
    /// the file. Named at the quote's line and column, with the start of the cell only.
    pub(super) fn unclosed_quote(&self) -> Rejection {
        let last = self.record.len().saturating_sub(1);
        let before = self.record.range(last).map_or(0, |r| r.start);
        let line = self.last_line + breaks_in(&self.record.as_slice()[..before]);
        let cell = self.record.get(last).unwrap_or_default();
        // Lines from the quote's own to the end, a final line break ending the last of them.
        let swallowed =
            breaks_in(cell) + u64::from(!cell.ends_with(b"\n") && !cell.ends_with(b"\r"));
        let field = self
            .map
            .iter()
            .position(|m| *m == Some(last))
            .map_or("row", |c| self.columns[c].key);
        let text = String::from_utf8_lossy(cell);
        let first = text.lines().next().unwrap_or("");
        let mut value: String = first.chars().take(40).collect();
        if value.len() < text.len() {
            value.push('…');
        }
        Rejection::new(line, field, value, Reason::UnclosedQuote { swallowed })
    }

    /// The field of record position `i`, or `row` past the known columns.
    pub(super) fn field_at(&self, i: usize) -> &'static str {
        self.map
            .iter()
            .position(|m| *m == Some(i))
            .map_or("row", |c| self.columns[c].key)
    }

    /// A record cut at the row limit: named by its first overlong cell, else as a row.
    pub(super) fn cut_rejection(&self, line: u64, cut: &Cut) -> Rejection {
        let long = (0..self.record.len())
            .find(|&i| self.record.get(i).is_some_and(|f| f.len() > MAX_CELL));
        let (field, value) = match long {
            Some(i) => (
                self.field_at(i),
                excerpt(self.record.get(i).unwrap_or_default()),
            ),
            None => ("row", excerpt(&cut.head)),
        };
        let kb = MAX_ROW >> 10;
        let reason = if cut.quoted {
            Reason::QuotedRowTooLong { kb }
        } else {
            Reason::LineTooLong { kb }
        };
        Rejection::new(line, field, value, reason)
    }

    /// The first cell over [`MAX_CELL`] bytes: no value of the ledger is that long.
    pub(super) fn long_cell(&self, line: u64) -> Option<Rejection> {
        let i = (0..self.record.len())
            .find(|&i| self.record.get(i).is_some_and(|f| f.len() > MAX_CELL))?;
        let cell = self.record.get(i).unwrap_or_default();
        Some(Rejection::new(
            line,
            self.field_at(i),
            excerpt(cell),
            Reason::CellTooLong {
                kb: MAX_CELL >> 10,
                bytes: cell.len(),
            },
        ))
    }

    /// Cells past the last header with something in them: the row is shifted or malformed.
    pub(super) fn extra_cells(&self) -> Option<Rejection> {
        let extra: Vec<&[u8]> = self
            .record
            .iter()
            .skip(self.header_len)
            .filter(|f| !f.iter().all(|b| b.is_ascii_whitespace()))
            .collect();
        if extra.is_empty() {
            return None;
        }
        let value = extra
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect::<Vec<_>>()
            .join(",");
        Some(Rejection::new(
            self.last_line,
            "row",
            value,
            Reason::ExtraCells {
                cells: self.record.len(),
                header: self.header_len,
            },
        ))
    }
}

/// Characters of an overlong row or cell quoted back.
const EXCERPT_CHARS: usize = 60;

/// The first [`EXCERPT_CHARS`] characters of `bytes` (read leniently), `…` if there is more.
pub(super) fn excerpt(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if head.len() < bytes.len() || text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}
