//! The weekly self-check's answers: one row per ISO week, replaced when changed.

use super::{sql, Store, StoreError};
use crate::calendar::Week;
use crate::selfcheck::{Answers, Checked};
use crate::timefmt::to_db;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// The weekly self-check's answers.
impl Store {
    /// Saves `answers` for `week`, replacing that week's earlier ones.
    pub fn save_self_check(&mut self, week: Week, answers: Answers, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO self_checks (week, answered_at, energy, closeness, accomplishment) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (week) DO UPDATE SET answered_at = excluded.answered_at, energy = excluded.energy,
                    closeness = excluded.closeness, accomplishment = excluded.accomplishment",
                params![week.to_string(), to_db(at), answers.energy, answers.closeness, answers.accomplishment],
            )
            .map_err(sql("save the self-check"))?;
        Ok(())
    }

    /// The answers for `week`, if given.
    pub fn self_check(&self, week: Week) -> Result<Option<Answers>, StoreError> {
        Ok(self.self_checks(week, week)?.pop().map(|c| c.answers))
    }

    /// Answered weeks from `from` to `to` (both included), oldest first. Rows that do not read
    /// back (edited by hand) are skipped.
    pub fn self_checks(&self, from: Week, to: Week) -> Result<Vec<Checked>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT week, energy, closeness, accomplishment FROM self_checks WHERE week >= ?1 AND week <= ?2 ORDER BY week")
            .map_err(sql("read the self-checks"))?;
        let rows = stmt
            .query_map(params![from.to_string(), to.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u8>(1)?, r.get::<_, u8>(2)?, r.get::<_, u8>(3)?)))
            .map_err(sql("read the self-checks"))?;
        let mut out = Vec::new();
        for row in rows {
            let (week, e, c, a) = row.map_err(sql("read a self-check"))?;
            if let (Ok(week), Ok(answers)) = (week.parse::<Week>(), Answers::new(e, c, a)) {
                out.push(Checked { week, answers });
            }
        }
        Ok(out)
    }

    /// As [`Store::self_checks`], with the answers other devices shared (`[devices]
    /// share_checkins`) for the weeks not answered here: for each such week, the last answer
    /// given anywhere. What was answered on this device stands.
    pub fn self_checks_with_devices(&self, from: Week, to: Week) -> Result<Vec<Checked>, StoreError> {
        let mut out = self.self_checks(from, to)?;
        if self.schema < 11 {
            return Ok(out);
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT week, energy, closeness, accomplishment FROM device_check WHERE week >= ?1 AND week <= ?2
                 ORDER BY week, answered_at DESC",
            )
            .map_err(sql("read other devices' check-ins"))?;
        let rows = stmt
            .query_map(params![from.to_string(), to.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u8>(1)?, r.get::<_, u8>(2)?, r.get::<_, u8>(3)?)))
            .map_err(sql("read other devices' check-ins"))?;
        for row in rows {
            let (week, e, c, a) = row.map_err(sql("read a check-in"))?;
            let (Ok(week), Ok(answers)) = (week.parse::<Week>(), Answers::new(e, c, a)) else { continue };
            // The first row of a week is its latest answer; one answered here stands.
            if !out.iter().any(|checked| checked.week == week) {
                out.push(Checked { week, answers });
            }
        }
        out.sort_by_key(|checked| checked.week);
        Ok(out)
    }
}
