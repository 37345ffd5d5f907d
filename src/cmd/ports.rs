//! `kmdiag ports`: list serial ports with USB ids, manufacturer, product and serial, hint at
//! known meter-cable chips; and the USB-HID meters and cables plugged in (UT-D04, UT-D09, the
//! UT61E+ family, Victor), with the `--port` value that picks each and, on Linux, what stands
//! in the way of opening one.
//!
//! The edge: gets the lists from `acquire::link`, renders them; no port is opened.

use crate::acquire::link::{self, HidPortInfo, PortInfo};
use crate::acquire::meter::models::usb_hint;
use crate::acquire::transport::Devices;
use crate::acquire::transport::hid::KNOWN;
use crate::exit::{DeviceError, Outcome};
use crate::i18n::{Lang, Message};
use crate::msg;
use anyhow::Result;

/// Output format of `kmdiag ports`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PortsFormat {
    /// A table and notes.
    Table,
    /// One JSON document: `ports`, `hid` and `not_serial`.
    Json,
}

/// Arguments of `kmdiag ports`.
#[derive(Debug, clap::Args)]
pub struct PortsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = PortsFormat::Table)]
    pub format: PortsFormat,
}

/// What `kmdiag ports` found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Serial ports.
    pub serial: Vec<PortInfo>,
    /// USB-HID meters and cables.
    pub hid: Vec<HidPortInfo>,
    /// Why the USB-HID devices could not be listed, if they could not.
    pub hid_error: Option<String>,
}

/// Runs `kmdiag ports`.
pub fn run(args: PortsArgs) -> Result<Outcome> {
    let found = find(&Devices::system())?;
    let text = match args.format {
        PortsFormat::Table => render_table_fit(&found, super::table_width()),
        PortsFormat::Json => render(args.format, &found)?,
    };
    super::emit(&text)?;
    Ok(Outcome::Healthy)
}

/// Lists serial ports and the USB-HID meters and cables on `devices`. A HID host that cannot
/// list is a note, not a failure: the serial ports are still shown.
pub fn find(devices: &Devices) -> Result<Found> {
    let serial = link::list_ports().map_err(|e| DeviceError(e.into()))?;
    let (hid, hid_error) = match link::list_hid(devices) {
        Ok(hid) => (hid, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    Ok(Found {
        serial,
        hid,
        hid_error,
    })
}

/// The listing in `format`.
pub fn render(format: PortsFormat, found: &Found) -> Result<String> {
    Ok(match format {
        PortsFormat::Table => render_table(found),
        PortsFormat::Json => render_json(found)?,
    })
}

fn usb_id(p: &PortInfo) -> Option<String> {
    Some(format!("{:04x}:{:04x}", p.vid?, p.pid?))
}

/// The hint for a known USB-serial chip, in `lang` (English in JSON).
fn hint(p: &PortInfo, lang: Lang) -> Option<&'static str> {
    usb_hint(p.vid?, p.pid?).map(|b| lang.say(b.hint_key))
}

/// The hint of a HID row: what it is, and the meter to name.
fn hid_hint(h: &HidPortInfo) -> String {
    format!("{}; --meter {}", h.known.name, h.known.meters)
}

/// The table and its notes, in the stable layout.
pub fn render_table(found: &Found) -> String {
    render_table_fit(found, None)
}

/// The table and its notes; the table fits `width` columns when given (a terminal).
pub fn render_table_fit(found: &Found, width: Option<u16>) -> String {
    let lang = crate::i18n::current();
    let mut out = String::new();
    if found.serial.is_empty() && found.hid.is_empty() {
        out.push_str(lang.say("ports-none"));
        out.push('\n');
    } else {
        let mut t = crate::export::plain_table(width);
        t.set_header(vec![
            lang.say("ports-col-port"),
            lang.say("ports-col-type"),
            lang.say("ports-col-usb-id"),
            lang.say("ports-col-manufacturer"),
            lang.say("ports-col-product"),
            lang.say("ports-col-serial"),
            lang.say("ports-col-hint"),
        ]);
        let dash = || "-".to_string();
        for p in &found.serial {
            t.add_row(vec![
                p.name.clone(),
                p.kind.to_string(),
                usb_id(p).unwrap_or_else(dash),
                p.manufacturer.clone().unwrap_or_else(dash),
                p.product.clone().unwrap_or_else(dash),
                p.serial_number.clone().unwrap_or_else(dash),
                hint(p, lang).map_or_else(dash, str::to_string),
            ]);
        }
        for h in &found.hid {
            let d = &h.device;
            t.add_row(vec![
                h.port.clone(),
                "hid".to_string(),
                format!("{:04x}:{:04x}", d.vid, d.pid),
                d.manufacturer.clone().unwrap_or_else(dash),
                d.product.clone().unwrap_or_else(dash),
                d.serial.clone().unwrap_or_else(dash),
                hid_hint(h),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push_str(&hid_notes(found, lang));
    out
}

/// The notes under the table: how USB-HID cables are read, and what stands in the way.
fn hid_notes(found: &Found, lang: Lang) -> String {
    let mut notes: Vec<Message> = Vec::new();
    if let Some(e) = &found.hid_error {
        notes.push(msg!("ports-note-hid-unlisted", error = e.to_string()));
    }
    if found.hid.is_empty() {
        let known: Vec<String> = KNOWN
            .iter()
            .map(|k| format!("{} {:04x}:{:04x}", k.name, k.vid, k.pid))
            .collect();
        notes.push(msg!("ports-note-hid-not-serial", known = known.join("; ")));
    } else {
        notes.push(Message::new("ports-note-hid-several"));
    }
    for h in &found.hid {
        if let Some(problem) = &h.problem {
            notes.push(msg!(
                "ports-note-hid-problem",
                port = h.port.clone(),
                problem = problem.to_string()
            ));
        }
    }
    notes
        .iter()
        .map(|n| format!("{}\n", n.render(lang)))
        .collect()
}

/// JSON: `{"ports": [...], "hid": [...], "not_serial": [...]}`.
pub fn render_json(found: &Found) -> Result<String> {
    let list: Vec<serde_json::Value> = found
        .serial
        .iter()
        .map(|p| {
            serde_json::json!({
                "name": p.name,
                "type": p.kind,
                "usb_id": usb_id(p),
                "manufacturer": p.manufacturer,
                "product": p.product,
                "serial_number": p.serial_number,
                "hint": hint(p, Lang::En),
            })
        })
        .collect();
    let hid: Vec<serde_json::Value> = found
        .hid
        .iter()
        .map(|h| {
            serde_json::json!({
                "port": h.port,
                "usb_id": format!("{:04x}:{:04x}", h.device.vid, h.device.pid),
                "name": h.known.name,
                "manufacturer": h.device.manufacturer,
                "product": h.device.product,
                "serial_number": h.device.serial,
                "meters": h.known.meters,
                "problem": h.problem,
            })
        })
        .collect();
    let known: Vec<serde_json::Value> = KNOWN
        .iter()
        .map(|c| {
            serde_json::json!({
                "usb_id": format!("{:04x}:{:04x}", c.vid, c.pid),
                "name": c.name,
            })
        })
        .collect();
    let mut doc = serde_json::json!({ "ports": list, "hid": hid, "not_serial": known });
    if let Some(e) = &found.hid_error {
        doc["hid_error"] = serde_json::json!(e);
    }
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::transport::hid::{HidDeviceInfo, known};

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

    fn ut_d04(problem: Option<&str>) -> HidPortInfo {
        HidPortInfo {
            port: "hid:1a86:e008".into(),
            device: HidDeviceInfo {
                path: "/dev/hidraw3".into(),
                vid: 0x1a86,
                pid: 0xe008,
                serial: None,
                manufacturer: Some("WCH.CN".into()),
                product: None,
            },
            known: known(0x1a86, 0xe008).unwrap(),
            problem: problem.map(str::to_string),
        }
    }

    #[test]
    fn table_shows_usb_id_and_cable_hint() {
        let found = Found {
            serial: vec![ch340()],
            ..Found::default()
        };
        let t = render_table(&found);
        assert!(t.contains("/dev/ttyUSB0"), "{t}");
        assert!(t.contains("1a86:7523"), "{t}");
        assert!(t.contains("CH340"), "{t}");
        assert!(t.contains("04fa:2490"), "{t}");
        assert!(t.contains("reads them with --port hid"), "{t}");
    }

    #[test]
    fn hid_cables_get_a_row_with_their_port_and_meter() {
        let found = Found {
            hid: vec![ut_d04(Some("permission denied on /dev/hidraw3: …"))],
            ..Found::default()
        };
        let t = render_table(&found);
        assert!(t.contains("hid:1a86:e008"), "{t}");
        assert!(t.contains("UT-D04 cable (new, WCH CH9325); --meter"), "{t}");
        assert!(t.contains("--port hid finds it"), "{t}");
        assert!(
            t.contains("note: hid:1a86:e008: permission denied on /dev/hidraw3"),
            "{t}"
        );
    }

    #[test]
    fn empty_lists_still_name_hid_cables() {
        let t = render_table(&Found::default());
        assert!(
            t.starts_with("no serial ports or USB-HID meter cables found"),
            "{t}"
        );
        assert!(t.contains("10c4:ea80"), "{t}");
    }

    #[test]
    fn a_hid_host_that_cannot_list_is_a_note_not_a_failure() {
        let found = Found {
            serial: vec![ch340()],
            hid: Vec::new(),
            hid_error: Some("hidapi error: WinError: Config(19)".into()),
        };
        let t = render_table(&found);
        assert!(t.contains("/dev/ttyUSB0"), "{t}");
        assert!(
            t.contains("note: cannot list USB-HID devices: hidapi error: WinError: Config(19)"),
            "{t}"
        );
        let v: serde_json::Value = serde_json::from_str(&render_json(&found).unwrap()).unwrap();
        assert_eq!(v["hid_error"], "hidapi error: WinError: Config(19)");
    }

    #[test]
    fn json_lists_ports_hid_devices_and_known_cables() {
        let found = Found {
            serial: vec![ch340()],
            hid: vec![ut_d04(None)],
            hid_error: None,
        };
        let v: serde_json::Value = serde_json::from_str(&render_json(&found).unwrap()).unwrap();
        assert_eq!(v["ports"][0]["usb_id"], "1a86:7523");
        assert_eq!(v["hid"][0]["port"], "hid:1a86:e008");
        assert_eq!(v["hid"][0]["problem"], serde_json::Value::Null);
        assert_eq!(v["not_serial"].as_array().unwrap().len(), KNOWN.len());
    }
}
