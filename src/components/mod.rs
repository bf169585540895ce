//! Shared view pieces. `enhance` is an island (compiled for the browser too); the question
//! inputs render on the server only.

pub mod enhance;
#[cfg(feature = "ssr")]
pub mod questions;
