//! HTTP handlers: thin. They read the request, call the domain and the store, and pick
//! the page or redirect. `router` assembles them with the cross-cutting layers.

pub mod respondent;
pub mod web;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::config::Config;
use crate::db::{Store, StoreError};
use crate::domain::SurveyDefinition;
use crate::pages::SiteAssets;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub site: Arc<SiteAssets>,
    pub config: Arc<Config>,
    definitions: Arc<RwLock<HashMap<i64, Arc<SurveyDefinition>>>>,
}

impl AppState {
    pub fn new(store: Store, site: SiteAssets, config: Config) -> AppState {
        AppState {
            store,
            site: Arc::new(site),
            config: Arc::new(config),
            definitions: Default::default(),
        }
    }

    /// A survey version's definition. Versions are immutable, so they are cached for the
    /// life of the process (every instance may cache independently).
    pub async fn definition(&self, version_id: i64) -> Result<Arc<SurveyDefinition>, StoreError> {
        if let Some(def) = self
            .definitions
            .read()
            .ok()
            .and_then(|m| m.get(&version_id).cloned())
        {
            return Ok(def);
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
            m.insert(version_id, def.clone());
        }
        Ok(def)
    }
}
