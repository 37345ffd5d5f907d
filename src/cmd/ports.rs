//! `kmdiag ports`: list serial ports with USB ids, manufacturer, product and serial, hint at
//! known meter-cable chips, and name the HID cables that can never appear here.
//!
//! The edge: gets the list from `acquire::link`, renders it; no port is opened.

use crate::acquire::link::{self, PortInfo};
use crate::acquire::meter::models::{HID_CABLES, hid_note, usb_hint};
use crate::exit::{DeviceError, Outcome};
use anyhow::Result;
use comfy_table::{ContentArrangement, Table, presets};

/// Output format of `kmdiag ports`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PortsFormat {
    /// A table and a note.
    Table,
    /// One JSON document: `ports` and `not_serial`.
    Json,
}

/// Arguments of `kmdiag ports`.
#[derive(Debug, clap::Args)]
pub struct PortsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = PortsFormat::Table)]
    pub format: PortsFormat,
}

/// Runs `kmdiag ports`.
pub fn run(args: PortsArgs) -> Result<Outcome> {
    let ports = link::list_ports().map_err(|e| DeviceError(e.into()))?;
    let text = match args.format {
        PortsFormat::Table => render_table(&ports, super::table_width()),
        PortsFormat::Json => render_json(&ports)?,
    };
    super::emit(&text)?;
    Ok(Outcome::Healthy)
}

fn usb_id(p: &PortInfo) -> Option<String> {
    Some(format!("{:04x}:{:04x}", p.vid?, p.pid?))
}

fn hint(p: &PortInfo) -> Option<&'static str> {
    usb_hint(p.vid?, p.pid?)
}

/// The table and the HID note; the table fits `width` columns when given (a terminal).
pub fn render_table(ports: &[PortInfo], width: Option<u16>) -> String {
    let mut out = String::new();
    if ports.is_empty() {
        out.push_str("no serial ports found; plug the meter's cable in and run this again\n");
    } else {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        crate::export::fit_table(&mut t, width);
        t.set_header(vec![
            "Port",
            "Type",
            "USB ID",
            "Manufacturer",
            "Product",
            "Serial",
            "Hint",
        ]);
        for p in ports {
            let dash = || "-".to_string();
            t.add_row(vec![
                p.name.clone(),
                p.kind.to_string(),
                usb_id(p).unwrap_or_else(dash),
                p.manufacturer.clone().unwrap_or_else(dash),
                p.product.clone().unwrap_or_else(dash),
                p.serial_number.clone().unwrap_or_else(dash),
                hint(p).map_or_else(dash, str::to_string),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push_str(&format!("note: {}\n", hid_note()));
    out
}

/// JSON: `{"ports": [...], "not_serial": [...]}`.
pub fn render_json(ports: &[PortInfo]) -> Result<String> {
    let list: Vec<serde_json::Value> = ports
        .iter()
        .map(|p| {
            serde_json::json!({
                "name": p.name,
                "type": p.kind,
                "usb_id": usb_id(p),
                "manufacturer": p.manufacturer,
                "product": p.product,
                "serial_number": p.serial_number,
                "hint": hint(p),
            })
        })
        .collect();
    let hid: Vec<serde_json::Value> = HID_CABLES
        .iter()
        .map(|c| {
            serde_json::json!({
                "usb_id": format!("{:04x}:{:04x}", c.vid, c.pid),
                "name": c.name,
            })
        })
        .collect();
    let doc = serde_json::json!({ "ports": list, "not_serial": hid });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch340() -> PortInfo {
        PortInfo {
            name: "/dev/ttyUSB0".into(),
            kind: "usb",
            vid: Some(0x1a86),
            pid: Some(0x7523),
            manufacturer: Some("QinHeng".into()),
            product: Some("USB Serial".into()),
            serial_number: None,
        }
    }

    #[test]
    fn table_shows_usb_id_and_cable_hint() {
        let t = render_table(&[ch340()], None);
        assert!(t.contains("/dev/ttyUSB0"), "{t}");
        assert!(t.contains("1a86:7523"), "{t}");
        assert!(t.contains("CH340"), "{t}");
        assert!(t.contains("04fa:2490"), "{t}");
        assert!(t.contains("UT-D04 / UT61E+ are USB HID"), "{t}");
    }

    #[test]
    fn empty_list_still_names_hid_cables() {
        let t = render_table(&[], None);
        assert!(t.starts_with("no serial ports found"), "{t}");
        assert!(t.contains("10c4:ea80"), "{t}");
    }

    #[test]
    fn json_lists_ports_and_hid_cables() {
        let v: serde_json::Value = serde_json::from_str(&render_json(&[ch340()]).unwrap()).unwrap();
        assert_eq!(v["ports"][0]["usb_id"], "1a86:7523");
        assert_eq!(v["not_serial"].as_array().unwrap().len(), HID_CABLES.len());
    }
}
