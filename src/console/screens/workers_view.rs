//! Drawing the Workers screen: the list from the page cache (on a phone: name, the ID's last
//! four, where they stand, the certificate) and the line under it for the selected worker.

use super::workers::{areas, State};
use super::{col, draw_table, note, title};
use crate::console::screen::{Env, View};
use crate::console::widgets::{
    cert_label, cert_style, dim, fit, id_tail, thousands, worker_status_label, worker_status_style,
};
use crate::i18n::Lang;
use crate::model::{mask_id, mask_phone, HealthCertificate};
use crate::store::views::Place;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

impl Widget for View<'_, State> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        draw(buf, area, self.state, self.env);
    }
}

fn draw(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let zh = l == Lang::Zh;
    let [table_area, detail_area] = areas(area);
    let total = s
        .index
        .as_ref()
        .map(|ix| ix.len())
        .or(env.ledger_size.map(|n| n as usize));
    let shown = if s.filter.is_empty() {
        String::new()
    } else {
        format!(
            "{} {} → {}",
            l.pick("筛选", "filter"),
            s.filter,
            thousands(s.len() as u64)
        )
    };
    let block = Block::bordered().title(title(&[
        l.pick("台账", "Workers").to_string(),
        total
            .map(|t| format!("{} {}", thousands(t as u64), l.pick("人", "people")))
            .unwrap_or_default(),
        shown,
    ]));
    if s.index.is_none() && s.exact.is_none() {
        return note(
            buf,
            table_area,
            block,
            l.pick("正在载入台账索引…", "loading the ledger index…"),
        );
    }
    if s.exact == Some(None) {
        return note(
            buf,
            table_area,
            block,
            l.pick("查无此证号", "no worker with this ID number"),
        );
    }
    if s.is_empty() {
        return note(
            buf,
            table_area,
            block,
            l.pick("没有符合筛选的工人", "no worker matches the filter"),
        );
    }
    let wide = area.width >= 110;
    let mut cols = vec![
        col(l.pick("姓名", "name"), Constraint::Length(8)),
        col(l.pick("身份证号", "ID number"), Constraint::Length(18)),
        col(l.pick("手机", "phone"), Constraint::Length(11)),
        col(l.pick("村", "village"), Constraint::Fill(1)),
        col(l.pick("企业", "employer"), Constraint::Fill(2)),
        col(l.pick("健康证明", "cert"), Constraint::Length(8)),
        // Narrow: whoever holds a seat shows it here instead of the status word.
        col(
            if wide {
                l.pick("状态", "status")
            } else {
                l.pick("状态/车·座", "status/bus")
            },
            Constraint::Length(if wide && zh { 6 } else { 12 }),
        ),
    ];
    // A phone in portrait: name, the ID's last four, where they stand, the certificate.
    let narrow = area.width < 60;
    if narrow {
        cols = vec![
            col(l.pick("姓名", "name"), Constraint::Length(8)),
            col(l.pick("尾号", "ID"), Constraint::Length(5)),
            col(l.pick("状态/车·座", "status/bus"), Constraint::Fill(1)),
            col(l.pick("健康证明", "cert"), Constraint::Length(8)),
        ];
    }
    if wide {
        cols.insert(3, col(l.pick("区县", "county"), Constraint::Length(6)));
        cols.push(col(
            l.pick("车辆·座位", "bus · seat"),
            Constraint::Length(12),
        ));
    }
    let validity = env.policy.cert_validity_days;
    let ix = s.index.as_deref();
    draw_table(buf, table_area, block, &cols, s.len(), &s.list, |i| {
        let id = s.id_at(i).unwrap_or(0);
        let line = if let Some(Some(w)) = &s.exact {
            Some(w)
        } else {
            s.cache.get(&id)
        };
        let mut cells = match line {
            Some(w) => {
                let cert = HealthCertificate {
                    issued: w.cert_issued,
                    valid_until: w.cert_valid_until,
                    issuer: String::new(),
                }
                .state_on(env.day, validity);
                let id_text = match &s.revealed {
                    Some((rid, full)) if *rid == w.id => {
                        Span::styled(full.clone(), Style::default().fg(Color::Red))
                    }
                    _ if narrow => {
                        Span::raw(w.id_number.as_deref().map(id_tail).unwrap_or_default())
                    }
                    _ => Span::raw(w.id_number.as_deref().map(mask_id).unwrap_or_default()),
                };
                vec![
                    Span::raw(w.name.clone()),
                    id_text,
                    Span::raw(mask_phone(&w.phone)),
                    Span::raw(w.village.clone()),
                    Span::raw(w.employer.clone()),
                    Span::styled(cert_label(cert, zh), cert_style(cert)),
                    Span::styled(
                        match (&w.place, wide) {
                            (Some(p), false) => place_cell(p),
                            _ => worker_status_label(w.status, zh).to_string(),
                        },
                        worker_status_style(w.status),
                    ),
                ]
            }
            None => {
                let row = s.row(i).unwrap_or(0);
                let (name, village, _) = ix.map(|x| x.fields(row)).unwrap_or_default();
                let employer = ix.map(|x| x.employer_name(row)).unwrap_or_default();
                vec![
                    Span::raw(name.to_string()),
                    Span::styled("…", dim()),
                    Span::styled("…", dim()),
                    Span::raw(village.to_string()),
                    Span::raw(employer.to_string()),
                    Span::styled("…", dim()),
                    Span::styled("…", dim()),
                ]
            }
        };
        if wide {
            cells.insert(
                3,
                Span::raw(line.map(|w| w.county.clone()).unwrap_or_default()),
            );
            cells.push(Span::raw(
                line.and_then(|w| w.place.as_ref())
                    .map(place_cell)
                    .unwrap_or_default(),
            ));
        }
        if narrow {
            let mut all: Vec<Option<Span>> = cells.into_iter().map(Some).collect();
            cells = [0, 1, 6, 5]
                .iter()
                .filter_map(|&k| all.get_mut(k).and_then(Option::take))
                .collect();
        }
        (cells, Style::default())
    });
    let detail = match s.selected_line() {
        Some(w) => {
            let until = HealthCertificate {
                issued: w.cert_issued,
                valid_until: w.cert_valid_until,
                issuer: String::new(),
            }
            .last_valid_day(validity);
            let place = w
                .place
                .as_ref()
                .map(|p| match l {
                    Lang::Zh => format!(
                        " · {} {} {}座（{}）",
                        w.status.label(l),
                        p.plate,
                        p.seat,
                        p.trip
                    ),
                    Lang::En => format!(
                        " · {} {} seat {} ({})",
                        w.status.label(l),
                        p.plate,
                        p.seat,
                        p.trip
                    ),
                })
                .unwrap_or_default();
            format!(
                " {}{place} · {} {} {} · {} {} {} {}",
                w.name,
                w.county,
                w.township,
                w.village,
                l.pick("证明", "cert"),
                w.cert_issuer,
                w.cert_issued
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into()),
                until.map(|d| format!("→ {d}")).unwrap_or_default()
            )
        }
        None => String::new(),
    };
    Paragraph::new(Line::from(Span::styled(
        fit(&detail, detail_area.width as usize),
        dim(),
    )))
    .render(detail_area, buf);
}

/// `陕G21005·14`: the bus and seat a worker holds.
fn place_cell(p: &Place) -> String {
    format!("{}·{}", p.plate, p.seat)
}
