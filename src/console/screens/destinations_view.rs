//! Drawing the Destinations screen: the employer table with its pipeline counts, and one
//! employer's card with its buses and workers when drilled into.

use super::destinations::{drill_layout, split_panes, Drill, State};
use super::{col, draw_table, note, num, title, title_within};
use crate::console::keymap::{Cmd, Scope};
use crate::console::screen::{Env, View};
use crate::console::widgets::{
    cert_label, cert_style, dim, fit, thousands, trip_status_label, trip_status_style,
    worker_status_label, worker_status_style,
};
use crate::model::{mask_phone, HealthCertificate};
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
    let zh = env.lang == crate::i18n::Lang::Zh;
    let l = env.lang;
    if let Some(d) = &s.drill {
        return draw_drill(buf, area, env, d);
    }
    let block = Block::bordered()
        .title_bottom(super::changes::bottom_line(
            &s.changes,
            |c| {
                c.employer.is_some()
                    && c.employer.as_deref() == s.selected().map(|r| r.name.as_str())
            },
            l.pick("企业", "employer"),
            l,
        ))
        .title(title_within(
            area.width,
            &[
                l.pick("目的地", "Destinations").to_string(),
                s.rows
                    .as_ref()
                    .map(|r| format!("{} / {}", s.shown.len(), r.len()))
                    .unwrap_or_default(),
                s.sort.label(zh).to_string(),
                if s.filter.is_empty() {
                    String::new()
                } else {
                    format!("{} {}", l.pick("筛选", "filter"), s.filter)
                },
                format!("{} {}", l.pick("可发日", "eligible on"), env.day),
            ],
        ));
    let Some(rows) = &s.rows else {
        return note(
            buf,
            area,
            block,
            l.pick("正在统计各企业人数…", "counting workers per employer…"),
        );
    };
    if s.shown.is_empty() {
        let text = if rows.is_empty() {
            l.pick(
                "还没有企业：import employers 导入",
                "no employers yet: import employers",
            )
        } else {
            l.pick("没有符合筛选的企业", "no employer matches the filter")
        };
        return note(buf, area, block, text);
    }
    let wide = area.width >= 110;
    let mut cols = vec![
        col(
            l.pick("省/市", "province/city"),
            Constraint::Length(if wide { 16 } else { 10 }),
        ),
        col(l.pick("企业", "employer"), Constraint::Fill(1)),
        num(l.pick("需求", "want"), 5),
        num(l.pick("登记", "reg."), 6),
        num(l.pick("可发", "elig."), 6),
        num(l.pick("已排", "plan."), 6),
        num(l.pick("登车", "brd."), 5),
        num(l.pick("发车", "dep."), 5),
        num(l.pick("到达", "arr."), 5),
    ];
    if !wide {
        cols.remove(2);
    }
    draw_table(buf, area, block, &cols, s.shown.len(), &s.list, |i| {
        let r = &rows[s.shown[i]];
        let place = if wide {
            format!("{} {}", r.province, r.city)
        } else {
            r.city.clone()
        };
        let flagged = super::changes::flagged(&s.changes, |c| {
            c.employer.as_deref() == Some(r.name.as_str())
        });
        let mut cells = vec![
            Span::raw(place),
            if flagged {
                Span::styled(format!("⚠ {}", r.name), Style::default().fg(Color::Yellow))
            } else {
                Span::raw(r.name.clone())
            },
            Span::raw(thousands(r.expected)),
            Span::raw(thousands(r.registered)),
            Span::styled(thousands(r.eligible), Style::default().fg(Color::Green)),
            Span::styled(thousands(r.planned), Style::default().fg(Color::Blue)),
            Span::raw(thousands(r.boarded)),
            Span::raw(thousands(r.departed)),
            Span::styled(thousands(r.arrived), Style::default().fg(Color::Cyan)),
        ];
        if !wide {
            cells.remove(2);
        }
        let behind = r.expected > 0 && r.registered < r.expected;
        (
            cells,
            if behind {
                Style::default()
            } else {
                dim().patch(Style::default().fg(Color::Reset))
            },
        )
    });
}

fn draw_drill(buf: &mut Buffer, area: Rect, env: &Env<'_>, d: &Drill) {
    let l = env.lang;
    let zh = l == crate::i18n::Lang::Zh;
    let [card_area, panes] = drill_layout(area);
    let [trips_area, workers_area] = split_panes(panes);
    let card_block = Block::bordered().title(format!(
        " {} — {} {} ",
        l.pick("企业", "Employer"),
        env.keymap.shown(Scope::Destinations, Cmd::Back),
        l.pick("返回", "back")
    ));
    let Some(c) = &d.card else {
        let text = if d.loaded {
            l.pick("该企业已不存在", "this employer no longer exists")
        } else {
            l.pick("读取中…", "loading…")
        };
        return note(buf, area, card_block, text);
    };
    let w = card_area.width.saturating_sub(2) as usize;
    let yes_no = |b: bool| {
        if b {
            l.pick("互认", "recognised")
        } else {
            l.pick("不互认", "not recognised")
        }
    };
    let lines = vec![
        Line::from(Span::styled(
            fit(&c.name, w),
            Style::default().fg(Color::Yellow),
        )),
        Line::from(fit(&format!("{} {} {}", c.province, c.city, c.address), w)),
        Line::from(fit(
            &format!(
                "{} {} {} · {} {} · {} {} km · {} {}",
                l.pick("联系人", "contact"),
                c.contact,
                mask_phone(&c.contact_phone),
                l.pick("需求", "expected"),
                c.expected,
                l.pick("距离", "distance"),
                c.distance_km,
                l.pick("健康证明", "certificate"),
                yes_no(c.mutual_recognition)
            ),
            w,
        )),
    ];
    let inner = card_block.inner(card_area);
    card_block.render(card_area, buf);
    Paragraph::new(lines).render(inner, buf);

    let focus = |on: bool| {
        if on {
            Style::default().fg(Color::Cyan)
        } else {
            Style::default()
        }
    };
    let tb = Block::bordered()
        .border_style(focus(!d.on_workers))
        .title(title(&[
            l.pick("车辆", "Buses").to_string(),
            d.trips.len().to_string(),
            format!(
                "{} {}",
                env.keymap.shown(Scope::Destinations, Cmd::Focus),
                l.pick("切换", "switch")
            ),
        ]));
    if d.trips.is_empty() {
        note(
            buf,
            trips_area,
            tb,
            l.pick("尚未编排车辆", "no bus planned yet"),
        );
    } else {
        let cols = [
            col(l.pick("日期", "date"), Constraint::Length(5)),
            col(l.pick("车牌", "plate"), Constraint::Length(9)),
            col(l.pick("状态", "status"), Constraint::Length(6)),
            num(l.pick("人数", "pax"), 4),
            col(l.pick("批次", "batch"), Constraint::Fill(1)),
        ];
        draw_table(
            buf,
            trips_area,
            tb,
            &cols,
            d.trips.len(),
            &d.trips_list,
            |i| {
                let t = &d.trips[i];
                (
                    vec![
                        Span::raw(t.date.format("%m-%d").to_string()),
                        Span::raw(t.plate.clone()),
                        Span::styled(trip_status_label(t.status, zh), trip_status_style(t.status)),
                        Span::raw(t.passengers.to_string()),
                        Span::raw(t.batch_code.clone()),
                    ],
                    Style::default(),
                )
            },
        );
    }
    let wb = Block::bordered()
        .border_style(focus(d.on_workers))
        .title(title(&[
            l.pick("工人", "Workers").to_string(),
            d.workers.len().to_string(),
        ]));
    if d.workers.is_empty() {
        return note(
            buf,
            workers_area,
            wb,
            l.pick(
                "台账中没有该企业的工人",
                "no worker of this employer in the ledger",
            ),
        );
    }
    let cols = [
        col(l.pick("姓名", "name"), Constraint::Length(8)),
        col(l.pick("村", "village"), Constraint::Fill(1)),
        col(l.pick("健康证明", "certificate"), Constraint::Length(8)),
        col(l.pick("状态", "status"), Constraint::Length(8)),
    ];
    let validity = env.policy.cert_validity_days;
    draw_table(
        buf,
        workers_area,
        wb,
        &cols,
        d.workers.len(),
        &d.workers_list,
        |i| {
            let w = &d.workers[i];
            let cert = HealthCertificate {
                issued: w.cert_issued,
                valid_until: w.cert_valid_until,
                issuer: String::new(),
            }
            .state_on(env.day, validity);
            (
                vec![
                    Span::raw(w.name.clone()),
                    Span::raw(w.village.clone()),
                    Span::styled(cert_label(cert, zh), cert_style(cert)),
                    Span::styled(
                        worker_status_label(w.status, zh),
                        worker_status_style(w.status),
                    ),
                ],
                Style::default(),
            )
        },
    );
}
