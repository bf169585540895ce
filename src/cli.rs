//! The `valuebond` command line: one binary that serves, migrates and imports.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::db::{Store, StoreError};
use crate::demo::{seed_demo, SeedError};
use crate::domain::survey::DefinitionErrors;
use crate::domain::SurveyDefinition;
use crate::startup::{shutdown_signal, Application, StartupError};

#[derive(Parser, Debug)]
#[command(
    name = "valuebond",
    version,
    about = "ValueBond: do customers bond through shared values or through frequent contact?"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app (the default command). Migrates the database first.
    Serve {
        /// Also load the demo brands and surveys if they are not there yet.
        #[arg(long, env = "SEED_DEMO", default_value_t = false)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Import a survey definition from a JSON file (format: README, "Survey JSON").
    ImportSurvey {
        /// The survey JSON file.
        file: PathBuf,
        /// Import as a draft instead of publishing it.
        #[arg(long)]
        draft: bool,
    },
    /// Load the demo brands and surveys (skips the ones already present).
    SeedDemo,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid survey:\n{errors}")]
    InvalidSurvey {
        path: PathBuf,
        errors: DefinitionErrors,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            tracing::info!(database = %config.database_label(), "starting");
            let app = Application::build(config).await?;
            if demo {
                let seeded = seed_demo(&app.state().store).await?;
                if !seeded.is_empty() {
                    tracing::info!(surveys = ?seeded, "demo content loaded");
                }
            }
            let addr = app.local_addr();
            tracing::info!("listening on http://{addr}");
            println!("ValueBond is running at http://{addr}  (Ctrl-C to stop)");
            app.run_until(shutdown_signal())
                .await
                .map_err(CliError::Serve)
        }
        Command::Migrate => {
            let store = Store::connect(&config.database_url()).await?;
            store.migrate().await?;
            println!("migrations applied to {}", config.database_label());
            Ok(())
        }
        Command::ImportSurvey { file, draft } => {
            let json = std::fs::read_to_string(&file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            let def = SurveyDefinition::parse(&json).map_err(|errors| CliError::InvalidSurvey {
                path: file.clone(),
                errors,
            })?;
            let store = Store::connect(&config.database_url()).await?;
            store.migrate().await?;
            store.import_survey(&def, !draft).await?;
            let state = if draft {
                "as a draft".to_string()
            } else {
                format!("and published at /s/{}", def.slug)
            };
            println!("imported survey \"{}\" {state}", def.slug);
            Ok(())
        }
        Command::SeedDemo => {
            let store = Store::connect(&config.database_url()).await?;
            store.migrate().await?;
            let seeded = seed_demo(&store).await?;
            if seeded.is_empty() {
                println!("demo content is already present");
            } else {
                println!("demo surveys loaded: {}", seeded.join(", "));
            }
            Ok(())
        }
    }
}
