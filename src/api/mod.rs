//! HTTP handlers: thin. Each is an `async fn` of its extractors (`web::Req`, `web::Form`,
//! `auth::SignedIn`/`auth::Admin`) that calls the domain and the store and returns the
//! page or redirect, or a `Problem`. `startup` routes to them and adds the layers.

pub mod admin;
pub mod auth;
pub mod authoring;
pub mod invitations;
pub mod listening;
pub mod reports;
pub mod respondent;
pub mod web;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use crate::config::Config;
use crate::db::{Store, StoreError};
use crate::domain::account::LoginThrottle;
use crate::domain::flow::{in_block_order, BlockOrder};
use crate::domain::rate::{Limit, RateLimiter};
use crate::domain::SurveyDefinition;
use crate::pages::SiteAssets;

/// Survey versions by id, as defined (`None`) and as shown in each block order.
type DefinitionCache = HashMap<(i64, Option<BlockOrder>), Arc<SurveyDefinition>>;

/// Shared state of every handler: one `Arc`, because axum and leptos clone the state for
/// every request and layer (many times a request), and a struct of a dozen `Arc`s made
/// each clone and drop a dozen contended atomic operations: measured at a sixth of the
/// machine's CPU under load (perf, `bench submissions`).
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct SharedState {
    pub store: Store,
    pub site: Arc<SiteAssets>,
    pub config: Arc<Config>,
    definitions: Arc<RwLock<DefinitionCache>>,
    /// Failed sign-ins per e-mail address and client (per instance: see README,
    /// "Several instances").
    pub login_throttle: Arc<Mutex<LoginThrottle>>,
    /// Sign-in attempts per client address, whatever the e-mail address.
    pub login_limit: Arc<Mutex<RateLimiter>>,
    /// Slots for argon2 (19 MiB and a core each): as many as cores, so a sign-in flood
    /// can use neither all memory nor more than the CPU it would get anyway.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// A valid hash that unknown e-mail addresses are checked against (equal timing).
    pub dummy_hash: Arc<String>,
    /// Survey submission limits (per instance), keyed by client address and by survey.
    pub client_limit: Arc<Mutex<RateLimiter>>,
    pub survey_limit: Arc<Mutex<RateLimiter>>,
    /// The key resume tokens are derived with (shared by every instance, in the database).
    pub resume_key: Arc<str>,
    started: std::time::Instant,
}

impl AppState {
    /// Seconds since this instance started (the rate limiters' clock).
    pub fn clock(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    pub fn new(store: Store, site: SiteAssets, config: Config, resume_key: String) -> AppState {
        let (rate_client, rate_survey, rate_login) =
            (config.rate_client, config.rate_survey, config.rate_login);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        AppState(Arc::new(SharedState {
            store,
            site: Arc::new(site),
            config: Arc::new(config),
            definitions: Default::default(),
            login_throttle: Default::default(),
            login_limit: Arc::new(Mutex::new(RateLimiter::new(Limit {
                per_second: rate_login,
                burst: 10.0,
            }))),
            hashing: Arc::new(tokio::sync::Semaphore::new(cores)),
            dummy_hash: Arc::new(
                crate::accounts::hash_password(&crate::tokens::new_token()).unwrap_or_default(),
            ),
            client_limit: Arc::new(Mutex::new(RateLimiter::new(Limit {
                per_second: rate_client,
                burst: 3.0 * rate_client,
            }))),
            survey_limit: Arc::new(Mutex::new(RateLimiter::new(Limit {
                per_second: rate_survey,
                burst: 2.0 * rate_survey,
            }))),
            resume_key: resume_key.into(),
            started: std::time::Instant::now(),
        }))
    }

    /// A survey version's definition. Versions are immutable, so they are cached for the
    /// life of the process (every instance may cache independently).
    pub async fn definition(&self, version_id: i64) -> Result<Arc<SurveyDefinition>, StoreError> {
        self.shown_definition(version_id, None).await
    }

    /// A survey version as a respondent shown the bond blocks in `order` sees it (the
    /// definition itself for `None`); cached like the definition.
    pub async fn shown_definition(
        &self,
        version_id: i64,
        order: Option<BlockOrder>,
    ) -> Result<Arc<SurveyDefinition>, StoreError> {
        let cached = |key| {
            self.definitions
                .read()
                .ok()
                .and_then(|m| m.get(&key).cloned())
        };
        if let Some(def) = cached((version_id, order)) {
            return Ok(def);
        }
        if let Some(order) = order {
            let def = Box::pin(self.shown_definition(version_id, None)).await?;
            let shown = Arc::new(in_block_order(&def, order));
            if let Ok(mut m) = self.definitions.write() {
                m.insert((version_id, Some(order)), shown.clone());
            }
            return Ok(shown);
        }
        let def = self
            .store
            .version_definition(version_id)
            .await?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("survey version {version_id} is missing"))
            })?;
        let def = Arc::new(def);
        if let Ok(mut m) = self.definitions.write() {
            m.insert((version_id, None), def.clone());
        }
        Ok(def)
    }
}
