//! The HID host of this computer, through hidapi: on Linux hidraw found through sysfs (no
//! libudev), on Windows hid.dll, on macOS IOKit. Lists devices, opens them, and on Linux says
//! when the user lacks permission on the hidraw node and wakes the CH9325 from autosuspend.
//!
//! Does HID and (Linux) sysfs I/O only; the advice words are in `udev`. No printing.

use super::{HidDevice, HidDeviceInfo, HidHost};
use std::io;
use std::time::Duration;

/// hidapi on this computer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemHid;

/// An open hidapi device.
struct SystemDevice(hidapi::HidDevice);

fn io_error(e: hidapi::HidError) -> io::Error {
    match e {
        hidapi::HidError::IoError { error } => error,
        other => io::Error::other(other.to_string()),
    }
}

/// Longest wait one hidapi read takes (its timeout is an `i32` of milliseconds).
fn millis(timeout: Duration) -> i32 {
    i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX)
}

impl HidDevice for SystemDevice {
    fn send_feature_report(&mut self, report: &[u8]) -> io::Result<()> {
        self.0.send_feature_report(report).map_err(io_error)
    }

    fn write_report(&mut self, report: &[u8]) -> io::Result<()> {
        let sent = self.0.write(report).map_err(io_error)?;
        if sent < report.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("the device took {sent} of {} bytes", report.len()),
            ));
        }
        Ok(())
    }

    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.0.read_timeout(buf, millis(timeout)).map_err(io_error)
    }
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl HidHost for SystemHid {
    fn devices(&self) -> Result<Vec<HidDeviceInfo>, String> {
        let api = hidapi::HidApi::new().map_err(|e| e.to_string())?;
        Ok(api
            .device_list()
            .map(|d| HidDeviceInfo {
                path: d.path().to_string_lossy().into_owned(),
                vid: d.vendor_id(),
                pid: d.product_id(),
                serial: non_empty(d.serial_number()),
                manufacturer: non_empty(d.manufacturer_string()),
                product: non_empty(d.product_string()),
            })
            .collect())
    }

    fn open(&self, device: &HidDeviceInfo) -> Result<Box<dyn HidDevice>, String> {
        let api = hidapi::HidApi::new().map_err(|e| e.to_string())?;
        let path = std::ffi::CString::new(device.path.clone())
            .map_err(|_| format!("the device path {:?} holds a NUL byte", device.path))?;
        match api.open_path(&path) {
            Ok(d) => Ok(Box::new(SystemDevice(d))),
            Err(e) => Err(self.access_problem(device).unwrap_or_else(|| {
                format!(
                    "{e}; unplug the cable and plug it in again, and close other programs that read the meter (the maker's software)"
                )
            })),
        }
    }

    #[cfg(target_os = "linux")]
    fn wake(&self, device: &HidDeviceInfo) -> Option<String> {
        super::udev::wake(&device.path, device.vid, device.pid)
    }

    #[cfg(target_os = "linux")]
    fn access_problem(&self, device: &HidDeviceInfo) -> Option<String> {
        let wake = super::known(device.vid, device.pid).is_some_and(|k| k.wake_from_autosuspend);
        super::udev::access_problem(&device.path, device.vid, device.pid, wake)
    }
}
