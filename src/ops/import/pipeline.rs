//! The two threads of an import: one reads and checks rows, the other writes them, with
//! chunks of rows going one way and emptied chunks coming back.

use super::file_error;
use crate::i18n::Lang;
use crate::io::{CsvFile, FileError, Next, Rejection, Row};
use crate::ops::{OpError, OpResult};
use std::sync::mpsc;

/// Reads and checks rows on a second thread while this one writes: on two cores the parse
/// and the SQLite inserts overlap instead of adding up. Written chunks go back to the reading
/// thread to be freed and refilled there: freeing a million rows' strings on the thread that
/// allocated them keeps the allocator off the writer's path.
/// Rows rejected by the parser or by `write` (which sees the ledger) go to `rejected`, in order.
pub(super) fn pipeline<T, P, W>(
    mut file: CsvFile,
    mut parse: P,
    rejected: &mut Vec<Rejection>,
    lang: Lang,
    mut write: W,
) -> OpResult<u64>
where
    T: Send,
    P: FnMut(&Row<'_>) -> Result<T, Rejection> + Send,
    W: FnMut(u64, &T) -> OpResult<Option<Rejection>>,
{
    const CHUNK: usize = 1024;
    type Chunk<T> = Vec<Result<(u64, T), Rejection>>;
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel::<Chunk<T>>(8);
        let (back_tx, back_rx) = mpsc::channel::<Chunk<T>>();
        let reader = std::thread::Builder::new().name("csv-reader".into());
        let reader = reader.spawn_scoped(s, move || -> Result<u64, FileError> {
            let mut read = 0;
            let fresh = |back: &mpsc::Receiver<Chunk<T>>| match back.try_recv() {
                Ok(mut done) => {
                    done.clear();
                    done
                }
                Err(_) => Vec::with_capacity(CHUNK),
            };
            let mut chunk = fresh(&back_rx);
            loop {
                let item = match file.next_row()? {
                    Next::End => break,
                    Next::Bad(r) => Err(r),
                    Next::Row(row) => parse(&row).map(|t| (row.line, t)),
                };
                read += 1;
                chunk.push(item);
                if chunk.len() == CHUNK {
                    let full = std::mem::replace(&mut chunk, fresh(&back_rx));
                    if tx.send(full).is_err() {
                        // The writer stopped on an error of its own; it reports that one.
                        return Ok(read);
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(chunk);
            }
            Ok(read)
        });
        let mut failed = None;
        'chunks: for chunk in rx.iter() {
            for item in &chunk {
                match item.as_ref().map(|(line, t)| write(*line, t)) {
                    Ok(Ok(None)) => {}
                    Ok(Ok(Some(r))) => rejected.push(r),
                    Err(r) => rejected.push(r.clone()),
                    Ok(Err(e)) => {
                        failed = Some(e);
                        break 'chunks;
                    }
                }
            }
            let _ = back_tx.send(chunk);
        }
        drop(rx);
        let read = reader
            .map_err(|e| {
                OpError::Failed(match lang {
                    Lang::Zh => format!("无法启动读取文件的线程：{e}"),
                    Lang::En => format!("cannot start the file reader: {e}"),
                })
            })?
            .join()
            .map_err(|_| {
                OpError::Failed(
                    lang.pick(
                        "读取文件的线程意外停止",
                        "the file reader stopped unexpectedly",
                    )
                    .into(),
                )
            })?;
        match failed {
            Some(e) => Err(e),
            None => read.map_err(|e| file_error(e, lang)),
        }
    })
}
