//! What reports read (the stored scores of complete responses, the report rollups, the
//! drop-off funnel), and the bulk writes of the rollups: their rebuild and the loading of
//! complete responses.

use std::collections::BTreeMap;

use super::batch::{Batch, RunBatch};
use super::rollups::{completed_sql, update_rollups, ROLLUP_CHUNK};
use super::scores::{push_scores, ScoreRecord, SCORE_COLUMNS};
use super::surveys::zone_of_definition;
use super::{to_json, Backend, Store, StoreError};
use crate::domain::report::{FlaggedCounts, ReportTallies, ScoredResponse};
use crate::domain::scoring::RespondentScores;
use crate::domain::tally::{rollup_keys, split_rollup_cut, Tally};

/// Which complete responses a report covers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportFilter {
    /// Survey version ids; empty means every version.
    pub versions: Vec<i64>,
    /// Completion time bounds, Unix milliseconds, `from` inclusive, `to` exclusive.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only respondents who chose this option of this segment question.
    pub segment: Option<(String, String)>,
    /// The zone whose local days the rollups are read by (the survey's).
    pub zone: crate::domain::zone::SurveyZone,
    /// Count flagged responses in the tallies too (they are always counted as flagged).
    pub include_flagged: bool,
}

impl ReportFilter {
    /// Whether a score row within the time bounds passes the version and group filters.
    pub fn admits(&self, row: &ScoredResponse) -> bool {
        let version_ok = self.versions.is_empty() || self.versions.contains(&row.version_id);
        let segment_ok = self
            .segment
            .as_ref()
            .is_none_or(|(key, option)| row.scores.segments.get(key) == Some(option));
        version_ok && segment_ok
    }
}

/// Where a paged read of score rows stopped: the last row's (completed_at, respondent_id).
pub type RowCursor = (i64, i64);

/// A survey version as the report's version picker shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct VersionSummary {
    pub id: i64,
    pub version: i64,
    pub published_at: Option<i64>,
    pub completed: i64,
}

/// The cuts of the flagged responses' rollup rows of everyone and of the base (the group
/// cut to): `"!1"` … `"!7"` and `"!1tenure:a"` … (`split_rollup_cut`).
fn flagged_cuts(base: &str) -> Vec<String> {
    let mut cuts: Vec<String> = (1..=7)
        .flat_map(|flags| [format!("!{flags}"), format!("!{flags}{base}")])
        .collect();
    cuts.sort();
    cuts.dedup();
    cuts
}

/// The local days (first, last) a filter's time bounds cover (unbounded: i64's ends).
fn report_days(filter: &ReportFilter) -> (i64, i64) {
    let from_day = filter.from_ms.map_or(i64::MIN, |ms| filter.zone.day_of(ms));
    let to_day = filter
        .to_ms
        .map_or(i64::MAX, |ms| filter.zone.day_of(ms - 1));
    (from_day, to_day)
}

/// The rollup cut of the filter's base: "" for everyone, "question:option" for a group.
fn base_cut(filter: &ReportFilter) -> String {
    filter
        .segment
        .as_ref()
        .map(|(k, o)| format!("{k}:{o}"))
        .unwrap_or_default()
}

/// `$first, $first+1, …` for `n` arguments.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rollup rows a report reads, as an SQL condition on `cut` and its arguments (from
/// `$4` on): everyone, the base (the group cut to) and the compared segment's groups;
/// when flagged responses are counted in, their rows of the same (`split_rollup_cut`).
/// Group keys of one question sort between "key:" and "key;" (';' follows ':'). Profile
/// rows (`db::profiles`) match none of these: their cut has '=' where a key would start.
fn wanted_cuts(base: &str, segment: Option<&str>, include_flagged: bool) -> (String, Vec<String>) {
    let mut exact = vec![String::new(), base.to_string()];
    let mut ranges: Vec<(String, String)> = Vec::new();
    let group_range = |prefix: &str, k: &str| (format!("{prefix}{k}:"), format!("{prefix}{k};"));
    if let Some(k) = segment {
        ranges.push(group_range("", k));
    }
    if include_flagged {
        exact.extend(flagged_cuts(base));
        if let Some(k) = segment {
            ranges.extend((1..=7).map(|flags| group_range(&format!("!{flags}"), k)));
        }
    }
    exact.sort();
    exact.dedup();
    let mut args = exact;
    let mut conditions = vec![format!("cut IN ({})", placeholders(4, args.len()))];
    for (lo, hi) in ranges {
        let i = 4 + args.len();
        conditions.push(format!("(cut >= ${i} AND cut < ${})", i + 1));
        args.extend([lo, hi]);
    }
    (conditions.join(" OR "), args)
}

impl Store {
    /// At most `limit` score rows after `after`, oldest first, of which those the filter
    /// admits are returned, with where to continue (`None`: nothing is left).
    /// Exports and direct counts read a survey this way, with bounded memory.
    pub async fn report_rows_page(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
        after: Option<RowCursor>,
        limit: usize,
    ) -> Result<(Vec<ScoredResponse>, Option<RowCursor>), StoreError> {
        let sql = format!(
            "SELECT {SCORE_COLUMNS} FROM respondent_scores
             WHERE survey_id = $1 AND completed_at >= $2 AND completed_at < $3
               AND (completed_at > $4 OR (completed_at = $4 AND respondent_id > $5))
             ORDER BY completed_at, respondent_id LIMIT $6"
        );
        let (after_at, after_id) = after.unwrap_or((i64::MIN, i64::MIN));
        let records: Vec<ScoreRecord> = on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql)
                .bind(survey_id)
                .bind(filter.from_ms.unwrap_or(i64::MIN))
                .bind(filter.to_ms.unwrap_or(i64::MAX))
                .bind(after_at)
                .bind(after_id)
                .bind(limit as i64)
                .fetch_all(pool)
                .await?
        });
        let full = records.len() == limit;
        let mut rows = Vec::with_capacity(records.len());
        let mut last = None;
        for record in records {
            let (_, row) = record.into_response()?;
            last = Some((row.completed_at, row.respondent_id));
            if filter.admits(&row) {
                rows.push(row);
            }
        }
        Ok((rows, last.filter(|_| full)))
    }

    /// The stored answers of the given respondents, by respondent.
    pub async fn answers_of(
        &self,
        respondent_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<(String, String)>>, StoreError> {
        let mut by_respondent: std::collections::HashMap<i64, Vec<(String, String)>> =
            Default::default();
        // Bounded statements: SQLite takes at most 32,766 parameters.
        for ids in respondent_ids.chunks(1000) {
            let placeholders = (1..=ids.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT respondent_id, question_key, value FROM answers
                 WHERE respondent_id IN ({placeholders})"
            );
            let rows: Vec<(i64, String, String)> = on_pool!(self.read(), |pool| {
                let mut query = sqlx::query_as(&sql);
                for id in ids {
                    query = query.bind(id);
                }
                query.fetch_all(pool).await?
            });
            for (id, key, value) in rows {
                by_respondent.entry(id).or_default().push((key, value));
            }
        }
        Ok(by_respondent)
    }

    /// Report tallies from the rollups: everyone the filter selects (`all`, `by_day`), the
    /// groups of `segment` if given, and the completed count of everyone (for the funnel).
    /// `same_item_set` says which versions' α sums belong to the report's item set.
    /// A filter with both a group cut and a segment comparison is not covered by the
    /// rollups (they are kept per single group): read the score rows for that.
    pub async fn report_tallies(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
        segment: Option<&str>,
        same_item_set: impl Fn(i64) -> bool,
    ) -> Result<(ReportTallies, u64), StoreError> {
        let (from_day, to_day) = report_days(filter);
        let base = base_cut(filter);
        let (cuts, args) = wanted_cuts(&base, segment, filter.include_flagged);
        let sql = format!(
            "SELECT version_id, day, cut, tally FROM report_rollups
             WHERE survey_id = $1 AND day >= $2 AND day <= $3 AND ({cuts})"
        );
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self.read(), |pool| {
            let mut query = sqlx::query_as(&sql)
                .bind(survey_id)
                .bind(from_day)
                .bind(to_day);
            for arg in &args {
                query = query.bind(arg);
            }
            query.fetch_all(pool).await?
        });
        let mut tallies = ReportTallies::default();
        let mut everyone = 0;
        for (version, day, cut, json) in rows {
            if !(filter.versions.is_empty() || filter.versions.contains(&version)) {
                continue;
            }
            // Flagged responses' rows (`split_rollup_cut`) are read only when the filter
            // counts them in (otherwise `flagged_counts` counts them); a collation that
            // sorted one into a group's range does not change that.
            let (flags, cut) = split_rollup_cut(&cut);
            if !(flags.is_clean() || filter.include_flagged) {
                continue;
            }
            let in_segment =
                segment.is_some_and(|k| cut.starts_with(k) && cut[k.len()..].starts_with(':'));
            if !(cut.is_empty() || cut == base || in_segment) {
                continue;
            }
            let tally: Tally = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("rollup: {e}")))?;
            if cut.is_empty() {
                everyone += tally.responses.n;
            }
            if cut == base {
                tallies.flagged.add(flags, tally.responses.n);
                tallies.all.merge(&tally);
                tallies.by_day.entry(day).or_default().merge(&tally);
                tallies.reliability.add(&tally, same_item_set(version));
            }
            if let Some(option) = segment
                .and_then(|k| cut.strip_prefix(k))
                .and_then(|rest| rest.strip_prefix(':'))
            {
                tallies
                    .by_segment
                    .entry(option.to_string())
                    .or_default()
                    .merge(&tally);
            }
        }
        if !filter.include_flagged {
            let counts = self
                .cut_counts(survey_id, (from_day, to_day), &flagged_cuts(&base))
                .await?;
            for (version, cut, responses) in counts {
                if !(filter.versions.is_empty() || filter.versions.contains(&version)) {
                    continue;
                }
                let (flags, cut) = split_rollup_cut(&cut);
                everyone += if cut.is_empty() { responses } else { 0 };
                if cut == base {
                    tallies.flagged.add(flags, responses);
                }
            }
        }
        Ok((tallies, everyone))
    }

    /// Responses per version and cut among `cuts`, counted in the database: the sum of the
    /// rows' `responses` over the days (a row per version and cut instead of a row per day,
    /// and no tally to parse). Used for the flagged responses a report leaves out, and for
    /// the counts a weighted report needs besides its profile tallies.
    async fn cut_counts(
        &self,
        survey_id: i64,
        (from_day, to_day): (i64, i64),
        cuts: &[String],
    ) -> Result<Vec<(i64, String, u64)>, StoreError> {
        let responses = match self.backend() {
            Backend::Sqlite => "json_extract(tally, '$.responses')",
            Backend::Postgres => "(tally::json ->> 'responses')::bigint",
        };
        let sql = format!(
            "SELECT version_id, cut, CAST(COALESCE(SUM({responses}), 0) AS BIGINT) FROM report_rollups
             WHERE survey_id = $1 AND day >= $2 AND day <= $3 AND cut IN ({})
             GROUP BY version_id, cut",
            placeholders(4, cuts.len())
        );
        let rows: Vec<(i64, String, i64)> = on_pool!(self.read(), |pool| {
            let mut query = sqlx::query_as(&sql)
                .bind(survey_id)
                .bind(from_day)
                .bind(to_day);
            for cut in cuts {
                query = query.bind(cut);
            }
            query.fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(version, cut, n)| (version, cut, n.max(0) as u64))
            .collect())
    }

    /// Complete responses of everyone the filter's period and versions select (flagged or
    /// not: the funnel's "completed"), and the flagged responses of its base (everyone, or
    /// the group it is cut to): what a report computed from other tallies (weighted, from
    /// profile rows) still needs from the rollups, counted in the database.
    pub async fn report_counts(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
    ) -> Result<(u64, FlaggedCounts), StoreError> {
        let days = report_days(filter);
        let base = base_cut(filter);
        let mut cuts = flagged_cuts(&base);
        cuts.push(String::new());
        cuts.push(base.clone());
        cuts.sort();
        cuts.dedup();
        let (mut everyone, mut flagged) = (0, FlaggedCounts::default());
        for (version, cut, responses) in self.cut_counts(survey_id, days, &cuts).await? {
            if !(filter.versions.is_empty() || filter.versions.contains(&version)) {
                continue;
            }
            let (flags, cut) = split_rollup_cut(&cut);
            if cut.is_empty() {
                everyone += responses;
            }
            if cut == base {
                flagged.add(flags, responses);
            }
        }
        Ok((everyone, flagged))
    }

    /// Respondents who started (in the filter's period and versions) but have not
    /// finished, by the page they are on: the drop-off. Reads only partial respondents.
    pub async fn partial_by_page(
        &self,
        survey_id: i64,
        filter: &ReportFilter,
    ) -> Result<Vec<u64>, StoreError> {
        let groups: Vec<(i64, i64, i64)> = on_pool!(self.read(), |pool| {
            sqlx::query_as(
                "SELECT version_id, current_page, COUNT(*) FROM respondents
                 WHERE survey_id = $1 AND completed_at IS NULL AND started_at >= $2 AND started_at < $3
                 GROUP BY version_id, current_page",
            )
            .bind(survey_id)
            .bind(filter.from_ms.unwrap_or(i64::MIN))
            .bind(filter.to_ms.unwrap_or(i64::MAX))
            .fetch_all(pool)
            .await?
        });
        let mut stopped: Vec<u64> = Vec::new();
        for (version, page, n) in groups {
            if !(filter.versions.is_empty() || filter.versions.contains(&version)) {
                continue;
            }
            let page = page.max(0) as usize;
            if stopped.len() <= page {
                stopped.resize(page + 1, 0);
            }
            stopped[page] += n.max(0) as u64;
        }
        Ok(stopped)
    }

    /// A survey's versions, newest first, with their complete responses.
    pub async fn versions(&self, survey_id: i64) -> Result<Vec<VersionSummary>, StoreError> {
        let sql = format!(
            "SELECT v.id, v.version, v.published_at, {} AS completed FROM survey_versions v
             WHERE v.survey_id = $1 ORDER BY v.version DESC",
            completed_sql("v")
        );
        Ok(on_pool!(self.read(), |pool| {
            sqlx::query_as(&sql).bind(survey_id).fetch_all(pool).await?
        }))
    }
}

impl Store {
    /// Rebuilds every report rollup from the stored score rows, if a migration asked for it
    /// (the rollups' format changed). One transaction: the task row is claimed (deleted)
    /// first, so a second instance starting at the same time waits for it and finds the
    /// task done; a failure leaves the task and the old rows for the next start.
    pub(super) async fn rebuild_rollups_if_asked(&self) -> Result<(), StoreError> {
        let backend = self.backend();
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query("DELETE FROM maintenance WHERE task = 'rebuild_rollups'")
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed == 0 {
                tx.commit().await?;
                return Ok(());
            }
            let zones: BTreeMap<i64, crate::domain::zone::SurveyZone> =
                sqlx::query_as::<_, (i64, String)>("SELECT id, definition FROM survey_versions")
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(id, json)| Ok((id, zone_of_definition(&json)?)))
                    .collect::<Result<_, StoreError>>()?;
            // Streamed: memory holds the rollups being built, not every score row.
            let sql = format!("SELECT {SCORE_COLUMNS} FROM respondent_scores");
            let mut records = sqlx::query_as::<_, ScoreRecord>(&sql).fetch(&mut *tx);
            let mut rollups: BTreeMap<(i64, i64, i64, String), Tally> = BTreeMap::new();
            while let Some(record) = futures_util::TryStreamExt::try_next(&mut records).await? {
                let (survey_id, row) = record.into_response()?;
                let zone = zones.get(&row.version_id).cloned().unwrap_or_default();
                for (day, cut) in rollup_keys(row.completed_at, &zone, &row.scores) {
                    rollups
                        .entry((survey_id, row.version_id, day, cut))
                        .or_default()
                        .add(&row.scores);
                }
            }
            drop(records);
            sqlx::query("DELETE FROM report_rollups")
                .execute(&mut *tx)
                .await?;
            let mut batch = Batch::default();
            for ((survey_id, version_id, day, cut), tally) in &rollups {
                batch.push(
                    "INSERT INTO report_rollups (survey_id, version_id, day, cut, tally) VALUES ($1, $2, $3, $4, $5)",
                    vec![(*survey_id).into(), (*version_id).into(), (*day).into(), cut.as_str().into(), to_json(tally).into()],
                );
                if batch.len() >= ROLLUP_CHUNK {
                    tx.run_batch(std::mem::take(&mut batch)).await?;
                }
            }
            tx.run_batch(batch).await?;
            tx.commit().await?;
            tracing::info!(
                rows = rollups.len(),
                ?backend,
                "report rollups rebuilt from the score rows"
            );
        });
        Ok(())
    }
}

/// A complete response loaded in bulk (demo population, benchmarks, imports).
#[derive(Clone, Debug)]
pub struct CompleteResponse {
    pub token_hash: String,
    pub locale: String,
    pub completed_at: i64,
    /// Index of the last page (where a resumed respondent would land: the thank-you page).
    pub last_page: i64,
    pub answers: Vec<(String, String)>,
    pub scores: RespondentScores,
}

impl Store {
    /// Stores complete responses in one transaction: all of them or none.
    pub async fn insert_complete_responses(
        &self,
        survey_id: i64,
        version_id: i64,
        zone: &crate::domain::zone::SurveyZone,
        responses: &[CompleteResponse],
    ) -> Result<(), StoreError> {
        // The rollup deltas of the whole batch, applied once per (day, group).
        let mut deltas: BTreeMap<(i64, String), Tally> = BTreeMap::new();
        for r in responses {
            for key in rollup_keys(r.completed_at, zone, &r.scores) {
                deltas.entry(key).or_default().add(&r.scores);
            }
        }
        on_pool!(self.write(), |pool| {
            let mut tx = pool.begin().await?;
            for r in responses {
                let (respondent_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO respondents (survey_id, version_id, token_hash, locale, current_page, started_at, updated_at, completed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING id",
                )
                .bind(survey_id)
                .bind(version_id)
                .bind(&r.token_hash)
                .bind(&r.locale)
                .bind(r.last_page)
                .bind(r.completed_at)
                .fetch_one(&mut *tx)
                .await?;
                let mut batch = Batch::default();
                for (key, value) in &r.answers {
                    batch.push(
                        "INSERT INTO answers (respondent_id, question_key, value) VALUES ($1, $2, $3)",
                        vec![respondent_id.into(), key.as_str().into(), value.as_str().into()],
                    );
                }
                push_scores(
                    &mut batch,
                    (respondent_id, survey_id, version_id),
                    // Imported: no time spent answering, not in the speeder median.
                    (r.completed_at, None),
                    &r.locale,
                    &r.scores,
                );
                tx.run_batch(batch).await?;
            }
            let mut updates = Batch::default();
            update_rollups(
                &mut *tx,
                (survey_id, version_id),
                deltas.keys(),
                &mut updates,
                |t, key| {
                    if let Some(delta) = deltas.get(key) {
                        t.merge(delta)
                    }
                    Ok(())
                },
            )
            .await?;
            updates.push(
                "UPDATE survey_versions SET completed = completed + $1 WHERE id = $2",
                vec![(responses.len() as i64).into(), version_id.into()],
            );
            tx.run_batch(updates).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{flagged_cuts, wanted_cuts};

    #[test]
    fn a_report_reads_its_rows_and_the_flagged_ones_it_counts() {
        // Everyone, no segment: the clean rows only (flagged ones are counted apart).
        let (sql, args) = wanted_cuts("", None, false);
        assert_eq!(sql, "cut IN ($4)");
        assert_eq!(args, [""]);
        assert_eq!(flagged_cuts(""), ["!1", "!2", "!3", "!4", "!5", "!6", "!7"]);
        // Counted in: everyone's and the base's flagged rows, and the segment's groups'.
        let (sql, args) = wanted_cuts("", None, true);
        assert_eq!(sql, "cut IN ($4, $5, $6, $7, $8, $9, $10, $11)");
        assert_eq!(args, ["", "!1", "!2", "!3", "!4", "!5", "!6", "!7"]);
        let (sql, args) = wanted_cuts("tenure:a", Some("activity"), false);
        assert_eq!(sql, "cut IN ($4, $5) OR (cut >= $6 AND cut < $7)");
        assert_eq!(args, ["", "tenure:a", "activity:", "activity;"]);
        assert_eq!(flagged_cuts("tenure:a").len(), 14);
        let (sql, args) = wanted_cuts("tenure:a", Some("activity"), true);
        assert_eq!(args.len(), 16 + 2 * 8);
        assert!(
            args.contains(&"!5activity:".to_string()) && args.contains(&"!5tenure:a".to_string())
        );
        assert_eq!(sql.matches(" AND cut < ").count(), 8);
    }
}
