//! The integration tests, as one test binary (one link of the app instead of one per
//! file). Each module starts the real server (or the real binary) on a real database.

#[macro_use]
mod common;

mod authoring;
mod cli;
mod crash;
mod fuzz;
mod hostile;
mod instances;
mod invitations;
mod invitations_crash;
mod listening;
mod operations;
mod population;
mod profiles;
mod quality;
mod respondent;
mod scale_out;
mod security;
mod smtp_sink;
mod soak;
mod staff;
mod suppression;
mod versions;
mod waves;
mod weighting;
