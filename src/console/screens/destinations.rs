//! Destinations: every employer with its province/city and pipeline counts (expected,
//! registered, eligible on the day, planned, boarded, departed, arrived); Enter drills into one
//! employer's card, its buses and its workers.

use super::{col, contains, draw_table, note, num, table_height, title, title_within};
use crate::console::action::{ChangeNote, Load, Reply, Request};
use crate::console::keymap::{Cmd, Scope};
use crate::console::screen::{Effect, Env, ScreenState, View};
use crate::console::widgets::{
    cert_label, cert_style, dim, fit, thousands, trip_status_label, trip_status_style,
    worker_status_label, worker_status_style, ListState,
};
use crate::model::{mask_phone, HealthCertificate};
use crate::store::views::{DestinationRow, EmployerCard, EmployerTrip, WorkerLine};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Place,
    Name,
    Registered,
    Eligible,
    Planned,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Place => Sort::Name,
            Sort::Name => Sort::Registered,
            Sort::Registered => Sort::Eligible,
            Sort::Eligible => Sort::Planned,
            Sort::Planned => Sort::Place,
        }
    }
    fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Sort::Place, true) => "按省市",
            (Sort::Name, true) => "按名称",
            (Sort::Registered, true) => "按登记",
            (Sort::Eligible, true) => "按可发",
            (Sort::Planned, true) => "按已排",
            (Sort::Place, false) => "by place",
            (Sort::Name, false) => "by name",
            (Sort::Registered, false) => "by registered",
            (Sort::Eligible, false) => "by eligible",
            (Sort::Planned, false) => "by planned",
        }
    }
}

#[derive(Debug, Default)]
pub struct Drill {
    pub id: i64,
    pub card: Option<Box<EmployerCard>>,
    pub trips: Vec<EmployerTrip>,
    pub workers: Vec<WorkerLine>,
    pub loaded: bool,
    /// false: the buses pane has the keys; true: the workers pane.
    pub on_workers: bool,
    pub trips_list: ListState,
    pub workers_list: ListState,
}

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    pub rows: Option<Vec<DestinationRow>>,
    /// Indexes into `rows` after filter and sort.
    pub shown: Vec<usize>,
    pub filter: String,
    pub sort: Sort,
    pub list: ListState,
    pub drill: Option<Drill>,
    /// Changes after planning (an employer's gate or expected count, beyond expected).
    pub changes: Vec<ChangeNote>,
}

impl State {
    fn refresh_shown(&mut self, env: &Env<'_>) {
        let Some(rows) = &self.rows else { return };
        let needle = self.filter.to_lowercase();
        let mut shown: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                let r = &rows[i];
                contains(&r.name, &needle)
                    || contains(&r.province, &needle)
                    || contains(&r.city, &needle)
            })
            .collect();
        match self.sort {
            Sort::Place => {}
            Sort::Name => shown.sort_by(|&a, &b| rows[a].name.cmp(&rows[b].name)),
            Sort::Registered => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].registered)),
            Sort::Eligible => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].eligible)),
            Sort::Planned => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].planned)),
        }
        self.shown = shown;
        self.list.clamp(self.shown.len(), table_height(env.body));
    }

    pub fn selected(&self) -> Option<&DestinationRow> {
        let i = *self.shown.get(self.list.selected)?;
        self.rows.as_ref()?.get(i)
    }

    fn drill_heights(env: &Env<'_>) -> (usize, usize) {
        let [_, panes] = drill_layout(env.body);
        let [a, b] = split_panes(panes);
        (table_height(a), table_height(b))
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let mut out = vec![
            Effect::Send(Request::Load(Load::Destinations { day: env.day })),
            Effect::Send(Request::Load(Load::Changes)),
        ];
        if let Some(d) = &self.drill {
            out.push(Effect::Send(Request::Load(Load::Employer { id: d.id })));
        }
        out
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        if let Some(d) = &mut self.drill {
            let (th, wh) = State::drill_heights(env);
            return match cmd {
                Cmd::Back => {
                    self.drill = None;
                    Some(vec![])
                }
                Cmd::Focus => {
                    d.on_workers = !d.on_workers;
                    Some(vec![])
                }
                _ if d.on_workers => d
                    .workers_list
                    .apply(cmd, d.workers.len(), wh)
                    .then(Vec::new),
                _ => d.trips_list.apply(cmd, d.trips.len(), th).then(Vec::new),
            };
        }
        match cmd {
            Cmd::Open => {
                let id = self.selected()?.employer_id;
                self.drill = Some(Drill {
                    id,
                    ..Default::default()
                });
                Some(vec![Effect::Send(Request::Load(Load::Employer { id }))])
            }
            Cmd::Sort => {
                self.sort = self.sort.next();
                self.refresh_shown(env);
                self.list.selected = 0;
                Some(vec![Effect::Flash(
                    self.sort
                        .label(env.lang == crate::i18n::Lang::Zh)
                        .to_string(),
                )])
            }
            _ => self
                .list
                .apply(cmd, self.shown.len(), table_height(env.body))
                .then(Vec::new),
        }
    }

    fn filter(&mut self, text: &str, env: &Env<'_>) -> Vec<Effect> {
        self.filter = text.to_string();
        self.list.selected = 0;
        self.refresh_shown(env);
        vec![]
    }

    fn filter_text(&self) -> String {
        self.filter.clone()
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        match r {
            Reply::Changes(notes) => self.changes = notes.clone(),
            Reply::Destinations { day, rows } if *day == env.day => {
                self.day = Some(*day);
                self.rows = Some(rows.clone());
                self.refresh_shown(env);
            }
            Reply::Employer {
                id,
                card,
                trips,
                workers,
            } => {
                if let Some(d) = self.drill.as_mut().filter(|d| d.id == *id) {
                    d.card = card.clone();
                    d.trips = trips.clone();
                    d.workers = workers.clone();
                    d.loaded = true;
                    let (th, wh) = State::drill_heights(env);
                    d.trips_list.clamp(d.trips.len(), th);
                    d.workers_list.clamp(d.workers.len(), wh);
                }
            }
            _ => {}
        }
        vec![]
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.list.clamp(self.shown.len(), table_height(env.body));
        vec![]
    }
}

fn drill_layout(body: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(body)
}

fn split_panes(area: Rect) -> [Rect; 2] {
    if area.width >= 100 {
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(area)
    } else {
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(area)
    }
}

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
