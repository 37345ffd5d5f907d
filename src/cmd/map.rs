//! `kmdiag map`: apartment → crossing, crossing → apartment, or the whole grid drawn the way a
//! technician sketches it.

use crate::cli::EntranceArgs;
use crate::exit::Outcome;
use crate::model::{Cell, Terminal};
use crate::profile::{self, Layout, LayoutSpec, MappingError};
use anyhow::{Result, bail};

/// Arguments of `kmdiag map`.
#[derive(Debug, clap::Args)]
pub struct MapArgs {
    /// Apartment numbers (e.g. 73) or crossings (e.g. D0E10, D4/E7); none with --apartments
    /// draws the grid
    #[arg(value_name = "APARTMENT|CELL")]
    pub queries: Vec<String>,
    /// Switch, offset and apartments
    #[command(flatten)]
    pub entrance: EntranceArgs,
    /// Write the result to FILE (atomically; never over an existing file without --force)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Overwrite the -o FILE if it exists
    #[arg(long)]
    pub force: bool,
}

/// Writes the result to stdout or the -o file.
fn write_out(args: &MapArgs, text: &str) -> Result<()> {
    let mut out = super::Output::open(args.output.as_deref(), args.force, false)?;
    out.text(text)?;
    out.finish()
}

/// Runs `kmdiag map`.
pub fn run(args: MapArgs) -> Result<Outcome> {
    if let Some(p) = args
        .output
        .as_deref()
        .filter(|p| !crate::input::is_stdin(p))
    {
        crate::output::check_writable(p, args.force)?;
    }
    let (p, switch) = super::load_profile(&args.entrance)?;
    let labels = p.line_labels(&switch);
    if args.queries.is_empty() {
        return grid(&args);
    }
    let matrix = args.entrance.matrix.unwrap_or(1);
    let mut out = String::new();
    let explicit = match &args.entrance.map {
        Some(_) => Some(super::load_layout(&args.entrance)?.1),
        None => None,
    };
    for q in &args.queries {
        if let Ok(apartment) = q.trim().parse::<u32>() {
            let placed = match &explicit {
                Some(l) => l.cell_of(apartment).map(|c| (l.matrix, c)).ok_or_else(|| {
                    anyhow::anyhow!("apartment {apartment} is not in the map file")
                })?,
                None => {
                    let pl = profile::place(p.numbering, &switch, args.entrance.offset, apartment)?;
                    (pl.matrix, pl.cell)
                }
            };
            out.push_str(&format!(
                "apartment {apartment}: {} (matrix {})\n",
                labels.cell_label(placed.1),
                placed.0
            ));
        } else if let Some(cell) = labels.parse_cell(q) {
            let apartment = match &explicit {
                Some(l) => l.apartment(cell),
                None => match profile::apartment_at(
                    p.numbering,
                    &switch,
                    args.entrance.offset,
                    matrix,
                    cell,
                ) {
                    Ok(a) => Some(a),
                    Err(MappingError::NotAnApartment { .. }) => None,
                    Err(MappingError::NotOnMatrix { matrix, model, .. }) => bail!(
                        "{} is not on matrix {matrix} of switch {model}, whose terminals are {}; check --matrix",
                        labels.cell_label(cell),
                        p.matrix_labels(&switch, matrix).expected()
                    ),
                    Err(e) => return Err(e.into()),
                },
            };
            match apartment {
                Some(a) => out.push_str(&format!(
                    "{}: apartment {a} (matrix {matrix})\n",
                    labels.cell_label(cell)
                )),
                None => out.push_str(&format!("{}: no apartment\n", labels.cell_label(cell))),
            }
        } else {
            bail!(
                "'{q}' is neither an apartment number nor a crossing; write 73, or D7E3 with terminals {}",
                labels.expected()
            );
        }
    }
    write_out(&args, &out)?;
    Ok(Outcome::Healthy)
}

/// Draws every matrix the apartments touch.
fn grid(args: &MapArgs) -> Result<Outcome> {
    let (p, switch) = super::load_profile(&args.entrance)?;
    let mut matrices: Vec<u16> = match (&args.entrance.apartments, args.entrance.matrix) {
        (_, Some(m)) => vec![m],
        (Some(ranges), None) if args.entrance.map.is_none() => {
            let mut m = Vec::new();
            for a in ranges.iter().flat_map(|r| r.clone()) {
                m.push(profile::place(p.numbering, &switch, args.entrance.offset, a)?.matrix);
            }
            m
        }
        _ => vec![1],
    };
    matrices.sort_unstable();
    matrices.dedup();
    let mut out = String::new();
    for matrix in matrices {
        let mut entrance = args.entrance.clone();
        entrance.matrix = Some(matrix);
        let map = match &entrance.map {
            Some(_) => super::load_layout(&entrance)?.1,
            None => Layout::build(
                &p,
                &switch,
                &LayoutSpec {
                    offset: entrance.offset,
                    apartments: entrance.apartments.clone(),
                    matrix: Some(matrix),
                    map: None,
                    known_absent: Vec::new(),
                },
            )?,
        };
        out.push_str(&draw(&map, super::table_width_to(args.output.as_deref())));
    }
    write_out(args, &out)?;
    Ok(Outcome::Healthy)
}

/// One matrix as a grid: tens lines down, units lines across, apartments at the crossings;
/// fitting `width` columns when given (a terminal).
pub fn draw(layout: &Layout, width: Option<u16>) -> String {
    let labels = &layout.labels;
    let mut t = crate::export::plain_table(width);
    let mut header = vec![String::new()];
    header.extend((0..layout.units()).map(|u| labels.label(Terminal::units(u)).to_string()));
    t.set_header(header);
    for d in 0..layout.tens() {
        let mut row = vec![labels.label(Terminal::tens(d)).to_string()];
        row.extend((0..layout.units()).map(|u| {
            layout
                .apartment(Cell::new(d, u))
                .map_or(String::from("·"), |a| a.to_string())
        }));
        t.add_row(row);
    }
    format!(
        "{} switch {}, matrix {}, offset {} (· = no apartment)\n{t}\n",
        layout.profile, layout.switch.model, layout.matrix, layout.offset
    )
}
