//! Exporters: turn a report (one or more diagnosed entrances) into text. One file per format,
//! one `Format` variant each, one `match` that picks the exporter.
//!
//! Pure: exporters return a `String`; the command decides where it goes.

mod json;
mod table;

pub use json::{JsonExporter, entrance_json};
pub use table::TableExporter;

use crate::diagnose::Diagnosis;
use crate::model::Sweep;
use crate::profile::Layout;

/// One diagnosed entrance (one matrix) with everything needed to present it.
#[derive(Debug, Clone)]
pub struct EntranceReport {
    /// Entrance name or number as the building plan says, if any.
    pub entrance: Option<String>,
    /// Where the readings came from: a file path, or a port and meter.
    pub source: String,
    /// The meter or adapter used, when known.
    pub meter: Option<String>,
    /// Remarks from the plan (access, known problems).
    pub notes: Vec<String>,
    /// The matrix layout (profile, switch, offset, apartments, labels).
    pub layout: Layout,
    /// The readings.
    pub sweep: Sweep,
    /// The diagnosis.
    pub diagnosis: Diagnosis,
}

/// What an exporter renders.
#[derive(Debug, Clone)]
pub struct Report {
    /// Building address, when the report is of a building plan.
    pub building: Option<String>,
    /// When the report was made (set by the command; exporters never read the clock).
    pub date: Option<String>,
    /// Remarks about the building.
    pub notes: Vec<String>,
    /// Diagnosed entrances.
    pub entrances: Vec<EntranceReport>,
}

/// Presentation options shared by the exporters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colour (only when stdout is a terminal and NO_COLOR is unset).
    pub color: bool,
    /// Language of labels.
    pub lang: crate::i18n::Lang,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable tables and the grid of cells.
    Table,
    /// One stable JSON document.
    Json,
}

/// Something that renders a report as text.
pub trait Exporter {
    /// Renders the report.
    fn render(&self, report: &Report) -> String;
}

/// The exporter for a format.
pub fn exporter(format: Format, style: Style) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(TableExporter { style }),
        Format::Json => Box::new(JsonExporter),
    }
}
