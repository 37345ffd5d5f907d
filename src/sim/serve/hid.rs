//! A simulated USB-HID meter cable, in process: the simulated meter (`meter::serve`) sends
//! and receives UART bytes on a `Bus`, and `SimHidHost` offers the bus to kmdiag's HID
//! transport as a device behind the same `HidHost` trait hidapi implements. The bridge chip
//! is simulated at the report level with the transport's own framers: a CH9325 (UT-D04)
//! that must be told the meter's baud rate and passes the parity bit of 7-bit protocols in
//! bit 7, sending "no data" reports while the meter is quiet; or a CP2110 (the UT61E+ family's
//! link, the UT-D09) that must be switched on and configured, and hands on what its FIFO
//! holds in reports of varying size. A bridge set up for other line settings than the
//! meter's delivers what a UART at the wrong settings would: garbage.
//!
//! In process only: no other program can open it. The tests of `read` and the guided sweep
//! through the HID transport use it. Must not decide what the meter shows.

use super::cable::DeviceEnd;
use super::control::{Controller, Stop};
use crate::acquire::meter::MeterModel;
use crate::acquire::meter::models::SerialSettings;
use crate::acquire::transport::hid::{
    Bridge, HidDevice, HidDeviceInfo, HidHost, ch9325, cp2110, known,
};
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Bytes the bridge buffers towards the host before it drops more: a UART FIFO overruns
/// when nobody reads. A few seconds of any meter's stream; the exact size does not matter
/// as long as it is bounded.
const FIFO_LIMIT: usize = 4096;

/// How often the simulated CH9325 sends a "no data" report while the meter is quiet. The
/// real period is not in protocols.md; 10 ms keeps the idle reports between packets (the
/// transport must skip them) without spinning.
const IDLE_REPORT_EVERY: Duration = Duration::from_millis(10);

/// Sizes of successive CP2110 data reports: a bridge hands on what its FIFO holds, so the
/// simulated one cuts the stream in varying pieces and frames arrive split across reports.
const CP2110_CHUNKS: [usize; 5] = [1, 5, 13, cp2110::MAX_DATA, 2];

/// The cable being simulated: which USB device, which bridge, and the meter's line settings
/// the bridge must be set up for.
#[derive(Debug, Clone, PartialEq)]
pub struct HidCable {
    /// USB vendor id.
    pub vid: u16,
    /// USB product id.
    pub pid: u16,
    /// USB serial number.
    pub serial: Option<String>,
    /// The bridge chip.
    pub bridge: Bridge,
    /// The meter's UART settings.
    pub uart: SerialSettings,
}

impl HidCable {
    /// The known device `vid:pid` carrying `model`'s stream. `None` for a device kmdiag does
    /// not know, and for the Victor cable (not simulated: it scrambles whole packets).
    pub fn new(vid: u16, pid: u16, model: &MeterModel) -> Option<HidCable> {
        let k = known(vid, pid)?;
        (k.bridge != Bridge::Victor).then(|| HidCable {
            vid,
            pid,
            serial: Some("SIM0001".into()),
            bridge: k.bridge,
            uart: model.serial,
        })
    }

    /// A UNI-T UT-D04 (new, CH9325) with `model` on it.
    pub fn ut_d04(model: &MeterModel) -> HidCable {
        HidCable {
            vid: 0x1a86,
            pid: 0xe008,
            serial: None,
            bridge: Bridge::Ch9325,
            uart: model.serial,
        }
    }

    /// A UT61E+ family meter's own link (CP2110) for `model`.
    pub fn cp2110(model: &MeterModel) -> HidCable {
        HidCable {
            vid: 0x10c4,
            pid: 0xea80,
            serial: Some("SIM0001".into()),
            bridge: Bridge::Cp2110,
            uart: model.serial,
        }
    }
}

/// The simulated cable: the bytes in flight both ways and whether it is plugged in.
#[derive(Debug, Default)]
struct BusState {
    plugged: bool,
    /// Bumped at each plug: a device opened before an unplug stays dead, as on real USB.
    session: u64,
    to_host: VecDeque<u8>,
    to_device: VecDeque<u8>,
}

/// One simulated cable, shared by the meter's thread and the host's open device.
#[derive(Debug)]
pub struct Bus {
    cable: HidCable,
    state: Mutex<BusState>,
    changed: Condvar,
}

impl Bus {
    /// A cable, not yet plugged in (serving plugs it).
    pub fn new(cable: HidCable) -> Bus {
        Bus {
            cable,
            state: Mutex::new(BusState::default()),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BusState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_plugged(&self, plugged: bool) {
        let mut s = self.lock();
        if plugged && !s.plugged {
            s.session += 1;
        }
        s.plugged = plugged;
        s.to_host.clear();
        s.to_device.clear();
        drop(s);
        self.changed.notify_all();
    }

    /// Waits (at most `limit`) until `ready` holds; returns the state either way.
    fn wait(&self, limit: Duration, ready: impl Fn(&BusState) -> bool) -> MutexGuard<'_, BusState> {
        let guard = self.lock();
        self.changed
            .wait_timeout_while(guard, limit, |s| !ready(s))
            .map(|(g, _)| g)
            .unwrap_or_else(|p| p.into_inner().0)
    }
}

/// Serves the meter on `bus` until quit: plugged while the control channel says so (a fresh
/// session after each `plug`), `hid:VID:PID` published as its path.
pub fn serve_bus(
    bus: &Arc<Bus>,
    ctl: &Controller,
    mut serve: impl FnMut(&mut dyn DeviceEnd) -> Stop,
) {
    let name = PathBuf::from(format!("hid:{:04x}:{:04x}", bus.cable.vid, bus.cable.pid));
    loop {
        let (quit, plugged) = {
            let s = ctl.state();
            (s.quit, s.plugged)
        };
        if quit {
            bus.set_plugged(false);
            return;
        }
        if !plugged {
            bus.set_plugged(false);
            ctl.set_path(None);
            ctl.wait_for(Duration::from_secs(3600), |s| s.quit || s.plugged);
            continue;
        }
        bus.set_plugged(true);
        ctl.set_path(Some(name.clone()));
        let mut end = MeterEnd {
            bus: bus.clone(),
            timeout: Duration::from_millis(50),
        };
        if serve(&mut end) == Stop::Quit {
            bus.set_plugged(false);
            return;
        }
    }
}

/// The meter's end of the cable: UART bytes.
struct MeterEnd {
    bus: Arc<Bus>,
    timeout: Duration,
}

impl Read for MeterEnd {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut s = self.bus.wait(self.timeout, |s| !s.to_device.is_empty());
        if s.to_device.is_empty() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        let n = buf.len().min(s.to_device.len());
        for (slot, b) in buf.iter_mut().zip(s.to_device.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

impl Write for MeterEnd {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut s = self.bus.lock();
        let room = FIFO_LIMIT.saturating_sub(s.to_host.len());
        s.to_host.extend(buf.iter().take(room));
        drop(s);
        self.bus.changed.notify_all();
        // A full FIFO drops what does not fit; the meter never knows.
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl DeviceEnd for MeterEnd {
    fn set_timeout(&mut self, limit: Duration) {
        self.timeout = limit;
    }

    fn hung_up(&self) -> bool {
        // Closing the device on the host does not unplug a USB cable.
        false
    }
}

/// The host's side: what kmdiag's HID transport lists and opens.
#[derive(Clone)]
pub struct SimHidHost {
    buses: Vec<Arc<Bus>>,
}

impl SimHidHost {
    /// A host with these cables on it.
    pub fn new(buses: Vec<Arc<Bus>>) -> SimHidHost {
        SimHidHost { buses }
    }

    fn path(i: usize) -> String {
        format!("sim-hid-{i}")
    }
}

impl HidHost for SimHidHost {
    fn devices(&self) -> Result<Vec<HidDeviceInfo>, String> {
        Ok(self
            .buses
            .iter()
            .enumerate()
            .filter(|(_, b)| b.lock().plugged)
            .map(|(i, b)| HidDeviceInfo {
                path: Self::path(i),
                vid: b.cable.vid,
                pid: b.cable.pid,
                serial: b.cable.serial.clone(),
                manufacturer: Some("kmdiag simulator".into()),
                product: known(b.cable.vid, b.cable.pid).map(|k| format!("simulated {}", k.name)),
            })
            .collect())
    }

    fn open(&self, device: &HidDeviceInfo) -> Result<Box<dyn HidDevice>, String> {
        let bus = (0..self.buses.len())
            .find(|&i| Self::path(i) == device.path)
            .map(|i| self.buses[i].clone())
            .ok_or_else(|| format!("no simulated device at {}", device.path))?;
        let session = {
            let s = bus.lock();
            if !s.plugged {
                return Err("the simulated cable is unplugged".into());
            }
            s.session
        };
        Ok(Box::new(SimHidDevice {
            bus,
            session,
            baud: None,
            enabled: false,
            config: None,
            chunk: 0,
        }))
    }
}

/// An open simulated bridge.
struct SimHidDevice {
    bus: Arc<Bus>,
    session: u64,
    /// CH9325: the baud rate set.
    baud: Option<u32>,
    /// CP2110: UART switched on.
    enabled: bool,
    /// CP2110: the line settings set.
    config: Option<SerialSettings>,
    /// CP2110: which of `CP2110_CHUNKS` the next report uses.
    chunk: usize,
}

/// How the bridge's UART stands against the meter's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Uart {
    /// Never set up: it receives nothing.
    Off,
    /// Set up for other settings than the meter's: it receives garbage.
    Wrong,
    /// Set up right.
    Right,
}

impl SimHidDevice {
    fn alive(&self, s: &BusState) -> io::Result<()> {
        if s.plugged && s.session == self.session {
            Ok(())
        } else {
            Err(io::Error::other("device disconnected"))
        }
    }

    fn uart(&self) -> Uart {
        let meter = self.bus.cable.uart;
        match self.bus.cable.bridge {
            Bridge::Ch9325 => match self.baud {
                None => Uart::Off,
                Some(b) if b == meter.baud => Uart::Right,
                Some(_) => Uart::Wrong,
            },
            _ => match (self.enabled, self.config) {
                (true, Some(c)) if c == meter => Uart::Right,
                (true, Some(_)) => Uart::Wrong,
                _ => Uart::Off,
            },
        }
    }

    /// The bytes the bridge's UART makes of the meter's: as sent, garbled, or nothing.
    fn received(&self, bytes: Vec<u8>) -> Vec<u8> {
        match self.uart() {
            Uart::Right => bytes,
            // A UART at the wrong rate or framing reads bits of the wrong bytes.
            Uart::Wrong => bytes.iter().map(|b| !b).collect(),
            Uart::Off => Vec::new(),
        }
    }
}

fn copy_report(report: &[u8], buf: &mut [u8]) -> usize {
    let n = report.len().min(buf.len());
    buf[..n].copy_from_slice(&report[..n]);
    n
}

impl HidDevice for SimHidDevice {
    fn send_feature_report(&mut self, report: &[u8]) -> io::Result<()> {
        self.alive(&self.bus.lock())?;
        let unknown = || {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the simulated {} has no feature report {report:02x?}",
                    self.bus.cable.bridge.name()
                ),
            )
        };
        match self.bus.cable.bridge {
            Bridge::Ch9325 => {
                self.baud = Some(ch9325::parse_baud_report(report).ok_or_else(unknown)?)
            }
            Bridge::Cp2110 => match report {
                [cp2110::REPORT_UART_ENABLE, on] => self.enabled = *on == 1,
                [cp2110::REPORT_PURGE, flags] => {
                    let mut s = self.bus.lock();
                    if flags & cp2110::PURGE_RX != 0 {
                        s.to_host.clear();
                    }
                    if flags & cp2110::PURGE_TX != 0 {
                        s.to_device.clear();
                    }
                }
                _ => self.config = Some(cp2110::parse_config_report(report).ok_or_else(unknown)?),
            },
            Bridge::Victor => return Err(unknown()),
        }
        Ok(())
    }

    fn write_report(&mut self, report: &[u8]) -> io::Result<()> {
        if self.bus.cable.bridge != Bridge::Cp2110 {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the simulated cable only receives",
            ));
        }
        let data = cp2110::unframe(report)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?
            .to_vec();
        let data = self.received(data);
        let mut s = self.bus.lock();
        self.alive(&s)?;
        s.to_device.extend(data);
        drop(s);
        self.bus.changed.notify_all();
        Ok(())
    }

    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        let bridge = self.bus.cable.bridge;
        let wait = match bridge {
            Bridge::Ch9325 => timeout.min(IDLE_REPORT_EVERY),
            _ => timeout,
        };
        let start = Instant::now();
        let session = self.session;
        let mut s = self.bus.wait(wait, |s| {
            !s.to_host.is_empty() || !s.plugged || s.session != session
        });
        self.alive(&s)?;
        let most = match bridge {
            Bridge::Ch9325 => ch9325::MAX_DATA,
            _ => CP2110_CHUNKS[self.chunk % CP2110_CHUNKS.len()],
        };
        let n = most.min(s.to_host.len());
        let bytes: Vec<u8> = s.to_host.drain(..n).collect();
        drop(s);
        let bytes = self.received(bytes);
        if bytes.is_empty() {
            // Quiet (or a UART that receives nothing): the CH9325 still reports, once per
            // period, when the caller waits that long; the CP2110 says nothing.
            if bridge != Bridge::Ch9325 || wait < IDLE_REPORT_EVERY {
                return Ok(0);
            }
            std::thread::sleep(IDLE_REPORT_EVERY.saturating_sub(start.elapsed()));
            return Ok(copy_report(&ch9325::IDLE, buf));
        }
        match bridge {
            Bridge::Ch9325 => {
                let seven_bit = self.bus.cable.uart.data_bits == 7;
                let wire: Vec<u8> = if seven_bit {
                    bytes.iter().map(|&b| ch9325::with_odd_parity(b)).collect()
                } else {
                    bytes
                };
                Ok(copy_report(&ch9325::frame(&wire)[0], buf))
            }
            _ => {
                self.chunk += 1;
                Ok(copy_report(&cp2110::frame(&bytes)[0], buf))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::find_model;

    fn plugged(cable: HidCable) -> (Arc<Bus>, SimHidHost) {
        let bus = Arc::new(Bus::new(cable));
        bus.set_plugged(true);
        (bus.clone(), SimHidHost::new(vec![bus]))
    }

    fn meter_sends(bus: &Arc<Bus>, bytes: &[u8]) {
        let mut end = MeterEnd {
            bus: bus.clone(),
            timeout: Duration::from_millis(10),
        };
        end.write_all(bytes).unwrap();
    }

    #[test]
    fn a_ch9325_sends_nothing_until_told_the_baud_rate_then_adds_parity_for_7o1() {
        let ut61e = find_model("ut61e").unwrap();
        let (bus, host) = plugged(HidCable::ut_d04(ut61e));
        let info = host.devices().unwrap().remove(0);
        let mut dev = host.open(&info).unwrap();
        let mut buf = [0u8; 65];
        meter_sends(&bus, b"00");
        // Not set up: the bytes are lost, only idle reports come.
        assert_eq!(
            dev.read_report(&mut buf, Duration::from_millis(20))
                .unwrap(),
            8
        );
        assert_eq!(buf[..8], ch9325::IDLE);
        dev.send_feature_report(&ch9325::baud_report(19200).unwrap())
            .unwrap();
        meter_sends(&bus, b"0\r");
        let n = dev
            .read_report(&mut buf, Duration::from_millis(20))
            .unwrap();
        assert_eq!(&buf[..n], &[0xF2, 0xB0, 0x0D, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn a_cp2110_set_up_wrong_garbles_and_set_up_right_carries_both_ways() {
        let ut61ep = find_model("ut61e+").unwrap();
        let (bus, host) = plugged(HidCable::cp2110(ut61ep));
        let info = host.devices().unwrap().remove(0);
        let mut dev = host.open(&info).unwrap();
        let mut buf = [0u8; 65];
        dev.send_feature_report(&cp2110::enable_report()).unwrap();
        let mut wrong = ut61ep.serial;
        wrong.baud = 19200;
        dev.send_feature_report(&cp2110::config_report(&wrong).unwrap())
            .unwrap();
        meter_sends(&bus, &[0xAB]);
        let n = dev
            .read_report(&mut buf, Duration::from_millis(20))
            .unwrap();
        assert_eq!(&buf[..n], &[0x01, 0x54]);
        dev.send_feature_report(&cp2110::config_report(&ut61ep.serial).unwrap())
            .unwrap();
        dev.write_report(&[0x02, 0xAB, 0xCD]).unwrap();
        assert_eq!(bus.lock().to_device, [0xAB, 0xCD]);
        assert!(dev.send_feature_report(&[0x77]).is_err());
    }

    #[test]
    fn an_unplugged_cable_disappears_and_its_open_device_dies() {
        let ut61ep = find_model("ut61e+").unwrap();
        let (bus, host) = plugged(HidCable::cp2110(ut61ep));
        let info = host.devices().unwrap().remove(0);
        let mut dev = host.open(&info).unwrap();
        bus.set_plugged(false);
        assert!(host.devices().unwrap().is_empty());
        let mut buf = [0u8; 65];
        let e = dev
            .read_report(&mut buf, Duration::from_millis(20))
            .unwrap_err();
        assert!(e.to_string().contains("disconnected"), "{e}");
        // Plugged in again: a new session; the old handle stays dead.
        bus.set_plugged(true);
        assert!(dev.read_report(&mut buf, Duration::ZERO).is_err());
        assert!(host.open(&info).is_ok());
    }
}
