//! The `valuebond` command line: one binary that serves, migrates and imports.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::accounts::{create_staff, AccountError};
use crate::config::Config;
use crate::db::{Store, StoreError};
use crate::demo::{
    announce, seed_demo, seed_demo_accounts, seed_demo_responses, seed_responses, SeedError,
};
use crate::domain::account::{normalize_email, Role};
use crate::domain::survey::DefinitionErrors;
use crate::domain::SurveyDefinition;
use crate::reporting::{import_responses, report_json, survey_report, CsvExport, ImportError};
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
        /// With --demo: synthetic responses to give each demo survey that has none yet.
        #[arg(long, env = "DEMO_RESPONSES", default_value_t = 400)]
        demo_responses: usize,
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
    /// Print a survey's live (else newest) version as survey JSON, the format
    /// `import-survey` reads: importing it elsewhere gives the same survey.
    ExportSurvey { slug: String },
    /// Load the demo brands and surveys (skips the ones already present); on a database
    /// without accounts also creates a demo admin and manager and prints their passwords once.
    SeedDemo {
        /// Also add this many synthetic complete responses to each demo survey (for
        /// demos and benchmarks; reproducible with --seed).
        #[arg(long, default_value_t = 0)]
        responses: usize,
        #[arg(long, default_value_t = 2012)]
        seed: u64,
    },
    /// Print a survey's report as JSON or its responses as CSV (same figures as the page).
    Report(ReportArgs),
    /// Import complete responses from a CSV in the export's column format into the
    /// survey's live version. Every row is validated; on any error nothing is imported.
    ImportResponses { slug: String, file: PathBuf },
    /// Copy the SQLite database to FILE while the app may keep serving (a consistent
    /// snapshot). For PostgreSQL use pg_dump or base backups.
    Backup { file: PathBuf },
    /// Replace the SQLite database with a backup made by `backup`. Stop the app first.
    Restore { file: PathBuf },
    /// Create an admin account. The password is read from standard input (prompted, not
    /// echoed, on a terminal) and never logged.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Create a brand manager who may read the reports of the given brands.
    CreateManager {
        #[arg(long)]
        email: String,
        /// Brand slug (repeat for several brands).
        #[arg(long = "brand", required = true)]
        brands: Vec<String>,
    },
}

/// `report`'s arguments: the survey and the page's filters.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The survey's slug, e.g. terra-bond.
    slug: String,
    #[arg(long, value_enum, default_value = "json")]
    format: ReportFormat,
    /// Compare the groups of this segment question.
    #[arg(long)]
    segment: Option<String>,
    /// Only respondents in one group, as QUESTION:OPTION (e.g. tenure:over_3y).
    #[arg(long)]
    cut: Option<String>,
    /// First day of completion to include (YYYY-MM-DD, in the survey's time zone).
    #[arg(long)]
    from: Option<String>,
    /// Last day of completion to include (YYYY-MM-DD, in the survey's time zone).
    #[arg(long)]
    to: Option<String>,
    /// Only these survey versions (ids, as in the report's version list; repeat the flag).
    #[arg(long = "version")]
    versions: Vec<i64>,
    /// CSV: start with a byte-order mark so Excel reads Vietnamese text correctly.
    #[arg(long)]
    bom: bool,
    /// Count the flagged responses (speeders, straight-liners, bots) in the figures too.
    #[arg(long)]
    include_flagged: bool,
    /// Weight the figures to the survey's targets (set on the report page), as the page
    /// does by default; without it the figures are unweighted.
    #[arg(long)]
    weighted: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Csv,
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
    #[error("cannot create the account: {0}")]
    Account(#[from] AccountError),
    #[error("cannot read the password: {0}")]
    Password(std::io::Error),
    #[error("the passwords do not match")]
    PasswordMismatch,
    #[error("no brand with slug \"{0}\"")]
    UnknownBrand(String),
    #[error("no survey with slug \"{0}\"")]
    UnknownSurvey(String),
    #[error("survey \"{0}\" has no weighting targets (set them on its report page)")]
    NoWeightingTargets(String),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Export(#[from] crate::reporting::ExportError),
    #[error("cannot restore: {0}")]
    Restore(String),
}

/// Checks that `file` is a sound ValueBond SQLite backup, then puts it in place of the
/// configured database (its WAL files removed), and migrates it to this version.
async fn restore(config: &Config, file: &std::path::Path) -> Result<(), CliError> {
    let url = config.database_url();
    let Some(target) = url.strip_prefix("sqlite://").map(std::path::PathBuf::from) else {
        return Err(CliError::Restore(
            "restore replaces the embedded SQLite database; restore PostgreSQL with pg_restore"
                .into(),
        ));
    };
    if !file.is_file() {
        return Err(CliError::Restore(format!(
            "{} is not a file",
            file.display()
        )));
    }
    let backup = Store::connect(&format!("sqlite://{}", file.display())).await?;
    let sound = backup.check_integrity().await? && backup.survey_exists("").await.is_ok();
    backup.close().await;
    if !sound {
        return Err(CliError::Restore(format!(
            "{} is not a sound ValueBond database",
            file.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Restore(e.to_string()))?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::copy(file, &target).map_err(|e| CliError::Restore(e.to_string()))?;
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    store.close().await;
    println!("restored {} from {}", target.display(), file.display());
    Ok(())
}

/// The new account's password: prompted twice without echo on a terminal, otherwise the
/// first line of standard input (for scripts: `echo "$PW" | valuebond create-admin …`).
fn read_new_password() -> Result<String, CliError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")
            .map_err(CliError::Password)?;
        let second =
            rpassword::prompt_password("Repeat the password: ").map_err(CliError::Password)?;
        if first != second {
            return Err(CliError::PasswordMismatch);
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(CliError::Password)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Runs one command; without one, serves.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = cli.config;
    let command = cli.command.unwrap_or(Command::Serve {
        demo: false,
        demo_responses: 0,
    });
    match command {
        Command::Serve {
            demo,
            demo_responses,
        } => serve(config, demo, demo_responses).await,
        Command::Migrate => {
            open_store(&config).await?;
            println!("migrations applied to {}", config.database_label());
            Ok(())
        }
        Command::ImportSurvey { file, draft } => import_survey(&config, &file, draft).await,
        Command::ExportSurvey { slug } => export_survey(&config, &slug).await,
        Command::SeedDemo { responses, seed } => seed_demo_data(&config, responses, seed).await,
        Command::Report(args) => report(&config, args).await,
        Command::ImportResponses { slug, file } => {
            let text = read(&file)?;
            let store = open_store(&config).await?;
            let n = import_responses(&store, &slug, &text).await?;
            println!("imported {n} complete responses into {slug}");
            Ok(())
        }
        Command::Backup { file } => {
            let store = Store::connect(&config.database_url()).await?;
            store.backup(&file).await?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::Restore { file } => restore(&config, &file).await,
        Command::CreateAdmin { email } => create_admin(&config, email).await,
        Command::CreateManager { email, brands } => create_manager(&config, email, brands).await,
    }
}

/// The configured database, migrated to this version (every command but `backup` and
/// `restore` starts here).
async fn open_store(config: &Config) -> Result<Store, CliError> {
    let store = Store::connect(&config.database_url()).await?;
    store.migrate().await?;
    Ok(store)
}

fn read(file: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(file).map_err(|source| CliError::Read {
        path: file.to_path_buf(),
        source,
    })
}

async fn serve(config: Config, demo: bool, demo_responses: usize) -> Result<(), CliError> {
    tracing::info!(database = %config.database_label(), "starting");
    let app = Application::build(config).await?;
    if demo {
        let store = &app.state().store;
        let seeded = seed_demo(store).await?;
        if !seeded.is_empty() {
            tracing::info!(surveys = ?seeded, "demo content loaded");
        }
        seed_demo_responses(store, demo_responses).await?;
        announce(&seed_demo_accounts(store).await?);
    }
    let addr = app.local_addr();
    tracing::info!("listening on http://{addr}");
    println!("ValueBond is running at http://{addr}  (Ctrl-C to stop)");
    app.run_until(shutdown_signal())
        .await
        .map_err(CliError::Serve)
}

async fn import_survey(
    config: &Config,
    file: &std::path::Path,
    draft: bool,
) -> Result<(), CliError> {
    let def = SurveyDefinition::parse(&read(file)?).map_err(|errors| CliError::InvalidSurvey {
        path: file.to_path_buf(),
        errors,
    })?;
    let store = open_store(config).await?;
    store.import_survey(&def, !draft).await?;
    let state = if draft {
        "as a draft".to_string()
    } else {
        format!("and published at /s/{}", def.slug)
    };
    println!("imported survey \"{}\" {state}", def.slug);
    Ok(())
}

/// Prints the live (else newest) version as survey JSON.
async fn export_survey(config: &Config, slug: &str) -> Result<(), CliError> {
    let unknown = || CliError::UnknownSurvey(slug.to_string());
    let store = open_store(config).await?;
    let survey = store.survey_by_slug(slug).await?.ok_or_else(unknown)?;
    let versions = store.versions(survey.id).await?;
    let version = survey
        .live_version_id
        .or_else(|| versions.first().map(|v| v.id))
        .ok_or_else(unknown)?;
    let def = store
        .version_definition(version)
        .await?
        .ok_or_else(unknown)?;
    let json = serde_json::to_string_pretty(&def)
        .map_err(|e| CliError::Store(StoreError::Corrupt(e.to_string())))?;
    println!("{json}");
    Ok(())
}

async fn seed_demo_data(config: &Config, responses: usize, seed: u64) -> Result<(), CliError> {
    let store = open_store(config).await?;
    let seeded = seed_demo(&store).await?;
    if seeded.is_empty() {
        println!("demo content is already present");
    } else {
        println!("demo surveys loaded: {}", seeded.join(", "));
    }
    if responses > 0 {
        for (i, json) in crate::demo::DEMO_SURVEYS.iter().enumerate() {
            let def = SurveyDefinition::parse(json).map_err(SeedError::from)?;
            let started = std::time::Instant::now();
            let added = seed_responses(&store, &def.slug, responses, seed + i as u64).await?;
            println!(
                "{added} synthetic responses added to {} in {:.1}s",
                def.slug,
                started.elapsed().as_secs_f64()
            );
        }
    }
    announce(&seed_demo_accounts(&store).await?);
    Ok(())
}

async fn report(config: &Config, args: ReportArgs) -> Result<(), CliError> {
    let ReportArgs {
        slug,
        format,
        segment,
        cut,
        from,
        to,
        versions,
        bom,
        include_flagged,
        weighted,
    } = args;
    let store = open_store(config).await?;
    let survey = store
        .survey_by_slug(&slug)
        .await?
        .ok_or_else(|| CliError::UnknownSurvey(slug.clone()))?;
    let targets = store.weighting_targets(survey.id).await?;
    if weighted && targets.is_none() {
        return Err(CliError::NoWeightingTargets(slug));
    }
    // Unweighted unless asked (the page weights by default when targets are set).
    let unweighted = (targets.is_some() && !weighted).then(|| "off".to_string());
    // The same filters as the page's query string, so both give the same figures.
    let pairs: Vec<(String, String)> = [
        ("weights", unweighted),
        ("segment", segment),
        ("cut", cut),
        ("from", from),
        ("to", to),
        ("flagged", include_flagged.then(|| "include".to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
    .chain(
        versions
            .iter()
            .map(|v| ("version".to_string(), v.to_string())),
    )
    .collect();
    let report = survey_report(&store, survey, &pairs)
        .await?
        .ok_or_else(|| CliError::UnknownSurvey(slug.clone()))?;
    if report.query.ignored {
        eprintln!("warning: some filters are not valid for this survey and were ignored");
    }
    if let Some(w) = report
        .report
        .weighting
        .as_ref()
        .filter(|w| !w.is_weighted())
    {
        eprintln!("warning: the figures are unweighted: {:?}", w.outcome);
    }
    match format {
        ReportFormat::Json => println!("{:#}", report_json(&report)),
        ReportFormat::Csv => {
            // A page of respondents at a time: bounded memory for any survey.
            let mut export = CsvExport::open(&store, &report, bom).await?;
            while let Some(chunk) = export.next_chunk().await? {
                print!("{chunk}");
            }
        }
    }
    Ok(())
}

async fn create_admin(config: &Config, email: String) -> Result<(), CliError> {
    let store = open_store(config).await?;
    let password = read_new_password()?;
    create_staff(&store, &email, &password, Role::Admin).await?;
    println!(
        "admin account created for {}",
        normalize_email(&email).unwrap_or(email)
    );
    Ok(())
}

async fn create_manager(
    config: &Config,
    email: String,
    brands: Vec<String>,
) -> Result<(), CliError> {
    let store = open_store(config).await?;
    let mut brand_ids = Vec::new();
    for slug in &brands {
        let brand = store
            .brand_by_slug(slug)
            .await?
            .ok_or_else(|| CliError::UnknownBrand(slug.clone()))?;
        brand_ids.push(brand.id);
    }
    let password = read_new_password()?;
    let id = create_staff(&store, &email, &password, Role::Manager).await?;
    for brand in brand_ids {
        store.assign_brand(id, brand).await?;
    }
    println!(
        "manager account created for {} (brands: {})",
        normalize_email(&email).unwrap_or_default(),
        brands.join(", ")
    );
    Ok(())
}
