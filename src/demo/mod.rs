//! Demo content: two brands modelled on the seed articles' examples (an outdoor-gear brand
//! protecting the environment, a motorcycle brand selling freedom), each with one published
//! survey covering every construct. Loaded from the same JSON format admins import.

use crate::db::{Store, StoreError};
use crate::domain::survey::DefinitionErrors;
use crate::domain::SurveyDefinition;

pub const DEMO_SURVEYS: [&str; 2] = [
    include_str!("terra-bond.json"),
    include_str!("moto-freedom.json"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("demo survey is invalid: {0}")]
    Invalid(#[from] DefinitionErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports the demo surveys that are not there yet; returns the slugs imported.
pub async fn seed_demo(store: &Store) -> Result<Vec<String>, SeedError> {
    let mut imported = Vec::new();
    for json in DEMO_SURVEYS {
        let def = SurveyDefinition::parse(json)?;
        if !store.survey_exists(&def.slug).await? {
            store.import_survey(&def, true).await?;
            imported.push(def.slug);
        }
    }
    Ok(imported)
}
