//! Small drawing helpers shared by the screens: selection and scrolling of long lists, text cut
//! to a display width (Chinese characters take two columns), fill bars, colours, numbers.

use super::keymap::Cmd;
use crate::i18n::Lang;
use crate::model::{CertState, SeatStatus, TripStatus, WorkerStatus};
use ratatui::style::{Color, Modifier, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Selected row and first visible row of a list; kept in `update`, read by the views.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    /// Applies a movement command; returns whether it was one.
    pub fn apply(&mut self, cmd: Cmd, len: usize, height: usize) -> bool {
        let page = height.max(1);
        let last = len.saturating_sub(1);
        self.selected = match cmd {
            Cmd::Up => self.selected.saturating_sub(1),
            Cmd::Down => (self.selected + 1).min(last),
            Cmd::Top => 0,
            Cmd::Bottom => last,
            Cmd::PageUp => self.selected.saturating_sub(page),
            Cmd::PageDown => (self.selected + page).min(last),
            _ => return false,
        };
        self.clamp(len, height);
        true
    }

    /// Keeps the selection inside the list and on screen.
    pub fn clamp(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    /// The rows to draw: `offset..offset + height`, inside `len`.
    pub fn window(&self, len: usize, height: usize) -> std::ops::Range<usize> {
        let start = self.offset.min(len);
        start..(start + height).min(len)
    }
}

/// Cuts `s` to at most `width` display columns, ending in `…` when something was cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `fit`, then padded with spaces to exactly `width` columns (for hand-built lines).
pub fn pad(s: &str, width: usize) -> String {
    let mut t = fit(s, width);
    let w = t.width();
    t.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    t
}

/// Right-aligned to `width` columns.
pub fn rpad(s: &str, width: usize) -> String {
    let t = fit(s, width);
    let w = t.width();
    format!("{}{t}", " ".repeat(width.saturating_sub(w)))
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A horizontal bar of `width` cells for `value / max`, in eighths of a cell.
pub fn bar(value: u64, max: u64, width: usize) -> String {
    if max == 0 || width == 0 {
        return " ".repeat(width);
    }
    let eighths = ((value.min(max) as u128 * width as u128 * 8) / max as u128) as usize;
    let mut s = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PARTS[eighths % 8]);
    let w = s.width();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

pub fn cert_style(state: CertState) -> Style {
    Style::default().fg(match state {
        CertState::Valid => Color::Green,
        CertState::LastDay => Color::Yellow,
        CertState::Expired => Color::Red,
        CertState::Missing => Color::Magenta,
        CertState::NotYetValid => Color::Cyan,
    })
}

pub fn cert_label(state: CertState, zh: bool) -> &'static str {
    match (state, zh) {
        (CertState::Valid, true) => "有效",
        (CertState::LastDay, true) => "今日到期",
        (CertState::Expired, true) => "已过期",
        (CertState::Missing, true) => "无证明",
        (CertState::NotYetValid, true) => "未生效",
        (CertState::Valid, false) => "valid",
        (CertState::LastDay, false) => "last day",
        (CertState::Expired, false) => "expired",
        (CertState::Missing, false) => "missing",
        (CertState::NotYetValid, false) => "not yet",
    }
}

pub fn worker_status_label(s: WorkerStatus, zh: bool) -> &'static str {
    s.label(if zh { Lang::Zh } else { Lang::En })
}

pub fn worker_status_style(s: WorkerStatus) -> Style {
    match s {
        WorkerStatus::Registered => Style::default(),
        WorkerStatus::Planned => Style::default().fg(Color::Blue),
        WorkerStatus::Boarded | WorkerStatus::Departed => Style::default().fg(Color::Green),
        WorkerStatus::Arrived => Style::default().fg(Color::Cyan),
        WorkerStatus::Withdrawn | WorkerStatus::OtherMeans => Style::default().fg(Color::DarkGray),
        WorkerStatus::Refused => Style::default().fg(Color::Red),
        WorkerStatus::Standby => Style::default().fg(Color::Yellow),
    }
}

pub fn trip_status_label(s: TripStatus, zh: bool) -> &'static str {
    s.label(if zh { Lang::Zh } else { Lang::En })
}

pub fn trip_status_style(s: TripStatus) -> Style {
    match s {
        TripStatus::Planned => Style::default(),
        TripStatus::Boarding => Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD),
        TripStatus::Departed => Style::default().fg(Color::Green),
        TripStatus::Arrived => Style::default().fg(Color::Cyan),
        TripStatus::Cancelled => Style::default().fg(Color::DarkGray),
    }
}

pub fn seat_status_label(s: SeatStatus, zh: bool) -> &'static str {
    s.label(if zh { Lang::Zh } else { Lang::En })
}

pub fn seat_status_style(s: SeatStatus) -> Style {
    Style::default().fg(match s {
        SeatStatus::Planned => Color::Blue,
        SeatStatus::Recheck => Color::Magenta,
        SeatStatus::Boarded => Color::Green,
        SeatStatus::Refused => Color::Red,
        SeatStatus::NoShow => Color::DarkGray,
    })
}

pub fn selected_style() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn header_style() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

/// Employers riding one bus with their passenger counts, fitted to `width` columns without
/// ever cutting a count: `舜宇光电 12 · 富士康 5`; names are shortened when the line is too
/// long, and when even that does not fit, the first employer and `+N` for the others
/// (`舜宇… 12 +1`).
pub fn employer_counts(list: &[(String, u32)], width: usize) -> String {
    const SEP: &str = " · ";
    let full = list
        .iter()
        .map(|(e, n)| format!("{e} {n}"))
        .collect::<Vec<_>>()
        .join(SEP);
    if full.width() <= width || list.is_empty() {
        return full;
    }
    // Every name shortened alike, each keeping at least three characters and its ellipsis.
    let fixed: usize = list
        .iter()
        .map(|(_, n)| n.to_string().len() + 1)
        .sum::<usize>()
        + SEP.width() * (list.len() - 1);
    let per_name = width.saturating_sub(fixed) / list.len();
    if list.len() > 1 && per_name >= 7 {
        return list
            .iter()
            .map(|(e, n)| format!("{} {n}", fit(e, per_name)))
            .collect::<Vec<_>>()
            .join(SEP);
    }
    let (first, n) = &list[0];
    let more = if list.len() > 1 {
        format!(" +{}", list.len() - 1)
    } else {
        String::new()
    };
    let tail = format!(" {n}{more}");
    match width.checked_sub(tail.width()) {
        Some(room) if room >= 2 => format!("{}{tail}", fit(first, room)),
        _ => tail.trim_start().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_display_width_not_chars() {
        assert_eq!(fit("欧阳秀英", 8), "欧阳秀英");
        assert_eq!(fit("欧阳秀英", 7), "欧阳秀…");
        assert_eq!(fit("欧阳秀英", 6), "欧阳…");
        assert_eq!(fit("宁波舜宇光电有限公司", 1), "…");
        assert_eq!(pad("张伟", 6), "张伟  ");
        assert_eq!(pad("张伟", 3).width(), 3);
        assert_eq!(rpad("12", 4), "  12");
    }

    #[test]
    fn list_keeps_selection_visible() {
        let mut l = ListState::default();
        l.apply(Cmd::PageDown, 100, 10);
        assert_eq!((l.selected, l.offset), (10, 1));
        l.apply(Cmd::Bottom, 100, 10);
        assert_eq!((l.selected, l.offset), (99, 90));
        assert_eq!(l.window(100, 10), 90..100);
        l.apply(Cmd::Top, 100, 10);
        assert_eq!((l.selected, l.offset), (0, 0));
        // The list shrinks under the selection (a filter): selection follows.
        l.selected = 50;
        l.clamp(5, 10);
        assert_eq!((l.selected, l.offset), (4, 0));
        l.apply(Cmd::Down, 0, 10);
        assert_eq!(l.window(0, 10), 0..0);
    }

    #[test]
    fn numbers_and_bars() {
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(186), "186");
        assert_eq!(bar(1, 2, 4), "██  ");
        assert_eq!(bar(0, 0, 3), "   ");
        assert_eq!(bar(9, 8, 2), "██");
    }

    #[test]
    fn employer_counts_shorten_names_never_counts() {
        let two = vec![
            ("宁波舜宇光电有限公司".to_string(), 12),
            ("太原富士康科技工业园".to_string(), 5),
        ];
        assert_eq!(
            employer_counts(&two, 80),
            "宁波舜宇光电有限公司 12 · 太原富士康科技工业园 5"
        );
        assert_eq!(employer_counts(&two, 30), "宁波舜宇光… 12 · 太原富士康… 5");
        // Too narrow for both: the first, its count and how many more.
        assert_eq!(employer_counts(&two, 16), "宁波舜宇… 12 +1");
        assert_eq!(employer_counts(&two, 6), "12 +1");
        assert_eq!(employer_counts(&two[..1], 10), "宁波舜… 12");
        for w in 0..60 {
            let shown = employer_counts(&two, w);
            assert!(shown.contains("12"), "{w}: {shown}");
        }
    }
}
