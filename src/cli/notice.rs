//! `zhitong export notice --date D [--province P] [--format csv|html|json] [--out FILE|-]
//! [--force] [--reveal]` (the advance notice to the destination provinces) and
//! `zhitong notice-sent --date D --province P --to TEXT [--json]` (recording that it went out).

use super::export::{out_target, write_out};
use super::*;
use crate::ops::notice::{self, NoticeFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoticeFormatArg {
    Csv,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// Departure day, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// Only this destination province (浙江省 or 浙江)
    #[arg(long, value_name = "PROVINCE")]
    pub province: Option<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: NoticeFormatArg,
    /// Output file (`-` for stdout) [default: stdout]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file (never the database or a symlink)
    #[arg(long)]
    pub force: bool,
    /// Passenger lists with names, full ID numbers and phones (audited)
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct NoticeSentArgs {
    /// Departure day the notice covers, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// Destination province (浙江省 or 浙江)
    #[arg(long, value_name = "PROVINCE")]
    pub province: String,
    /// Whom it went to: an office, a liaison, a chat group
    #[arg(long, value_name = "TEXT")]
    pub to: String,
    #[arg(long)]
    pub json: bool,
}

fn date_arg(text: &str, lang: crate::i18n::Lang) -> OpResult<chrono::NaiveDate> {
    crate::model::parse_date(text).map_err(|e| super::date_usage(e, lang))
}

pub fn export(ctx: &mut Ctx, a: &NoticeArgs) -> OpResult<Exit> {
    let date = date_arg(&a.date, ctx.lang)?;
    let format = match a.format {
        NoticeFormatArg::Csv => NoticeFormat::Csv,
        NoticeFormatArg::Html => NoticeFormat::Html,
        NoticeFormatArg::Json => NoticeFormat::Json,
    };
    // Checked before the notice is built: a refused file costs nothing, not even a reveal.
    let out = out_target(ctx, a.out.as_deref(), a.force)?;
    let lang = super::stats::paper_lang();
    let bytes = notice::export_notice(ctx, date, a.province.as_deref(), format, a.reveal, lang)?;
    write_out(ctx, &out, &bytes)
}

pub fn sent(ctx: &mut Ctx, a: &NoticeSentArgs) -> OpResult<Exit> {
    let date = date_arg(&a.date, ctx.lang)?;
    let n = notice::notice_sent(ctx, date, &a.province, &a.to)?;
    if a.json {
        let text = serde_json::to_string(&n).map_err(|e| OpError::Failed(e.to_string()))?;
        println!("{text}");
        return Ok(Exit::Ok);
    }
    let time = crate::clock::paper_text(&n.at);
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已记录：{} 开往{}的车辆抵达预告已于 {time} 发给 {}（操作员 {}）",
                n.date, n.province, n.to, n.operator
            ),
            Lang::En => format!(
                "recorded: the advance notice for {}, {}, went to {} at {time} ({})",
                n.province, n.date, n.to, n.operator
            ),
        }
    );
    Ok(Exit::Ok)
}
