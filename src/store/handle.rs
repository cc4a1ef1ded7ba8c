//! The handles the rest of the program holds on the database: `Db` to read, `Tx` for the one
//! write transaction of a user action, `Snapshot` for reads that must see one moment.
//! Only the store can run SQL through them: their SQL methods are visible inside `store/` alone.

use super::Result;
use rusqlite::{CachedStatement, Connection, Params, Row, Statement, Transaction};
use std::ops::Deref;

/// A read handle on the store's connection. Store functions take `&Db`; a `Tx` or a
/// `Snapshot` hands one out too, so one function serves reads inside and outside a transaction.
///
/// Outside the store a handle only goes to the store's named queries:
/// ```
/// # fn f(store: &zhitong::store::Store) -> zhitong::store::Result<()> {
/// let (_max_id, _rows) = zhitong::store::views::ledger_fingerprint(&store.db())?;
/// # Ok(()) }
/// ```
/// and runs no SQL of its own:
/// ```compile_fail
/// # fn f(store: &zhitong::store::Store) -> zhitong::store::Result<()> {
/// store.db().execute("DELETE FROM audit", [])?;
/// # Ok(()) }
/// ```
/// nor does the connection behind it show:
/// ```compile_fail
/// # fn f(store: &zhitong::store::Store) -> zhitong::store::Result<()> {
/// store.conn.execute("DELETE FROM audit", [])?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy)]
pub struct Db<'a>(pub(in crate::store) &'a Connection);

/// The one write transaction of a user action (`Store::begin`): functions that change the
/// ledger take `&Tx`, so no write happens outside one. Dropped without `commit`, it rolls back.
pub struct Tx<'a> {
    db: Db<'a>,
    tx: Transaction<'a>,
}

/// A read transaction (`Store::snapshot`): every query through it sees the same database,
/// even while others write. It cannot be handed to a function that writes.
pub struct Snapshot<'a> {
    db: Db<'a>,
    _tx: Transaction<'a>,
}

impl<'a> Tx<'a> {
    pub(in crate::store) fn new(conn: &'a Connection, tx: Transaction<'a>) -> Self {
        Tx { db: Db(conn), tx }
    }

    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

impl<'a> Snapshot<'a> {
    pub(in crate::store) fn new(conn: &'a Connection, tx: Transaction<'a>) -> Self {
        Snapshot {
            db: Db(conn),
            _tx: tx,
        }
    }
}

impl<'a> Deref for Tx<'a> {
    type Target = Db<'a>;
    fn deref(&self) -> &Db<'a> {
        &self.db
    }
}

impl<'a> Deref for Snapshot<'a> {
    type Target = Db<'a>;
    fn deref(&self) -> &Db<'a> {
        &self.db
    }
}

/// The store's named queries over a connection of one's own (a test reading the file as
/// another terminal would). Opens no door into the store's own connection: none is handed out.
impl<'a> From<&'a Connection> for Db<'a> {
    fn from(c: &'a Connection) -> Self {
        Db(c)
    }
}

/// The SQL the store's functions run, each passed straight to the connection.
impl<'a> Db<'a> {
    pub(in crate::store) fn prepare_cached(
        &self,
        sql: &str,
    ) -> rusqlite::Result<CachedStatement<'a>> {
        self.0.prepare_cached(sql)
    }

    pub(in crate::store) fn prepare(&self, sql: &str) -> rusqlite::Result<Statement<'a>> {
        self.0.prepare(sql)
    }

    pub(in crate::store) fn execute<P: Params>(
        &self,
        sql: &str,
        params: P,
    ) -> rusqlite::Result<usize> {
        self.0.execute(sql, params)
    }

    pub(in crate::store) fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        self.0.execute_batch(sql)
    }

    pub(in crate::store) fn query_row<T, P, F>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.0.query_row(sql, params, f)
    }

    pub(in crate::store) fn last_insert_rowid(&self) -> i64 {
        self.0.last_insert_rowid()
    }

    /// Rows changed by the last statement, also by one that stopped on a conflict (OR FAIL).
    pub(in crate::store) fn changes(&self) -> u64 {
        self.0.changes()
    }

    pub(in crate::store) fn pragma_update<V: rusqlite::ToSql>(
        &self,
        schema: Option<&str>,
        name: &str,
        value: V,
    ) -> rusqlite::Result<()> {
        self.0.pragma_update(schema, name, value)
    }
}
