//! Flats to re-measure after the repair: crossings that read only through a sneak path. A bad
//! contact there reads like no handset behind the ghost reading, so no sweep can settle them
//! until the faults elsewhere are fixed. Ranked by how far each reads under the ghost its
//! crossing would show, the list tells the technician which floor box to try first.

use super::CellState;
use super::dropped::{Ghost, fellows};
use super::network::{Grid, Network};
use crate::profile::Layout;

/// Apartments on the crossings called ghosts, most suspect first: the one whose reading sits
/// lowest in the band a ghost may read in (a bad contact under a ghost pulls it down).
pub(super) fn order(
    g: &Grid,
    net: &Network,
    ghosts: &[Ghost],
    layout: &Layout,
    states: &[CellState],
) -> Vec<u32> {
    let margin = margins(g, net, ghosts);
    let mut flats: Vec<(f64, u32)> = layout
        .cells()
        .filter_map(|c| {
            let i = g.idx(c.tens as usize, c.units as usize);
            if states[i] != CellState::Ghost {
                return None;
            }
            layout.apartment(c).map(|a| (margin[i], a))
        })
        .collect();
    flats.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    flats.into_iter().map(|(_, a)| a).collect()
}

/// For each forward ghost, where its reading sits in the band a ghost may read in: 0 at the
/// lowest a ghost may read, 1 at what it should read (its path's sum, or its fellows' centre
/// after a range drop). Infinite for crossings that are no forward ghost.
fn margins(g: &Grid, net: &Network, ghosts: &[Ghost]) -> Vec<f64> {
    let mut margin = vec![f64::INFINITY; g.forward.len()];
    let (dropped, plain): (Vec<Ghost>, Vec<Ghost>) =
        ghosts.iter().partition(|gh| gh.range_dropped());
    for gh in plain {
        let floor = gh.path.floor(net.elements.len());
        margin[gh.cell] = (gh.ohms / gh.path.cheapest - floor) / (1.0 - floor);
    }
    // After a range drop a ghost should read like its fellows, down to what they may read by
    // chance; one with nothing to judge by, or inside their group, reads as if like them.
    for &d in &dropped {
        margin[d.cell] = match fellows(g, net, &dropped, d) {
            Some(w) => (d.ohms - w.floor) / (w.median - w.floor),
            None => 1.0,
        };
    }
    margin
}

/// The note naming the flats of `order`, most suspect first; None when there are none.
pub(super) fn note(flats: &[u32]) -> Option<String> {
    let names = |f: &[u32]| f.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    Some(match flats.len() {
        0 => return None,
        1 => format!(
            "apartment {} reads only through a sneak path: it has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure it after the repair",
            flats[0]
        ),
        n => {
            let list = if n <= 12 {
                names(flats)
            } else {
                format!("{} and {} more", names(&flats[..10]), n - 10)
            };
            format!(
                "apartments {list} read only through sneak paths, the one reading furthest under its ghost first: each has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure them after the repair, in that order"
            )
        }
    })
}
