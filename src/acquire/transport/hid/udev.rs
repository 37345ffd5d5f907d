//! What a Linux user must set up for USB-HID meter cables, in words and (on Linux) in deed:
//! the udev rule that lets them open the cable's hidraw node, and the CH9325's wake-up from
//! USB autosuspend — `auto` written to `power/level` and `0` to `power/autosuspend` of its USB
//! device (protocols.md §1.1) — done here when this user may, and said how to make it stick
//! when not.
//!
//! The words are pure and tested on every OS; the sysfs reads and writes are Linux only. No
//! printing.

/// Where the rules go: before systemd's `73-seat-late.rules`, which turns `uaccess` into
/// access for the user at the computer.
pub const RULES_FILE: &str = "/etc/udev/rules.d/70-kmdiag-meters.rules";

/// The rule that gives the user at the computer read and write access to the hidraw node of
/// `vid:pid` (and group access at mode 0660).
pub fn access_rule(vid: u16, pid: u16) -> String {
    format!(
        "SUBSYSTEM==\"hidraw\", ATTRS{{idVendor}}==\"{vid:04x}\", ATTRS{{idProduct}}==\"{pid:04x}\", MODE=\"0660\", TAG+=\"uaccess\""
    )
}

/// The names of the two power files the wake-up writes, as protocols.md gives them.
pub const POWER_FILES: PowerFiles = PowerFiles {
    level: "level",
    delay: "autosuspend",
};

/// Which power files of a USB device the wake-up writes: `auto` to the first, `0` to the
/// second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowerFiles {
    /// `level` (or `control` where the kernel dropped it).
    pub level: &'static str,
    /// `autosuspend` (or `autosuspend_delay_ms`).
    pub delay: &'static str,
}

/// The rule that wakes `vid:pid` from USB autosuspend whenever it is plugged in.
pub fn wake_rule(vid: u16, pid: u16, files: PowerFiles) -> String {
    format!(
        "ACTION==\"add\", SUBSYSTEM==\"usb\", ATTR{{idVendor}}==\"{vid:04x}\", ATTR{{idProduct}}==\"{pid:04x}\", ATTR{{power/{}}}=\"auto\", ATTR{{power/{}}}=\"0\"",
        files.level, files.delay
    )
}

/// The commands that install `rules` and apply them.
fn install(rules: &[String]) -> String {
    let body = rules.join("\\n");
    crate::msg!(
        "udev-install",
        command = format!(
            "printf '{body}\\n' | sudo tee -a {RULES_FILE} && sudo udevadm control --reload-rules && sudo udevadm trigger"
        )
    )
    .to_string()
}

/// What to do when this user may not open the hidraw `node` of `vid:pid`. `wake` adds the
/// CH9325's wake-up rule to the same file.
pub fn permission_advice(node: &str, vid: u16, pid: u16, wake: bool) -> String {
    let mut rules = vec![access_rule(vid, pid)];
    if wake {
        rules.push(wake_rule(vid, pid, POWER_FILES));
    }
    crate::msg!("udev-permission", node = node, install = install(&rules)).to_string()
}

/// What to say when the CH9325 at `usb_dir` (its USB device in sysfs) could not be woken.
pub fn wake_advice(usb_dir: &str, files: PowerFiles, vid: u16, pid: u16, cause: &str) -> String {
    crate::msg!(
        "udev-wake",
        cause = cause,
        dir = usb_dir,
        level = files.level,
        delay = files.delay,
        install = install(&[wake_rule(vid, pid, files)])
    )
    .to_string()
}

#[cfg(target_os = "linux")]
pub use linux::{access_problem, wake};

#[cfg(target_os = "linux")]
mod linux {
    use std::path::{Path, PathBuf};

    /// Where sysfs is.
    const SYS: &str = "/sys";

    /// The USB device (the sysfs folder with `idVendor` and `power/`) a hidraw node belongs
    /// to: up from `SYS/class/hidraw/hidrawN/device` (the HID device), past its interface.
    fn usb_device_dir(sys: &Path, node: &str) -> Option<PathBuf> {
        let name = Path::new(node).file_name()?;
        let hid = std::fs::canonicalize(sys.join("class/hidraw").join(name).join("device")).ok()?;
        hid.ancestors()
            .take(6)
            .find(|d| d.join("idVendor").is_file() && d.join("power").is_dir())
            .map(Path::to_path_buf)
    }

    /// The first of `names` that exists in `dir/power`: the file protocols.md names, or its
    /// successor on kernels that dropped it (`control` for `level`, `autosuspend_delay_ms`
    /// for `autosuspend`; an inference from the kernel's renaming, not from the sources).
    fn power_file(dir: &Path, names: [&'static str; 2]) -> Option<&'static str> {
        names
            .into_iter()
            .find(|n| dir.join("power").join(n).exists())
    }

    /// Wakes the CH9325 behind hidraw `node` (protocols.md §1.1). `None` when it is done or
    /// was already so; otherwise what to tell the user.
    pub fn wake(node: &str, vid: u16, pid: u16) -> Option<String> {
        wake_in(Path::new(SYS), node, vid, pid)
    }

    pub(super) fn wake_in(sys: &Path, node: &str, vid: u16, pid: u16) -> Option<String> {
        let dir = usb_device_dir(sys, node)?;
        let files = super::PowerFiles {
            level: power_file(&dir, ["level", "control"])?,
            delay: power_file(&dir, ["autosuspend", "autosuspend_delay_ms"])?,
        };
        for (name, value) in [(files.level, "auto"), (files.delay, "0")] {
            let file = dir.join("power").join(name);
            let now = std::fs::read_to_string(&file).unwrap_or_default();
            if now.trim() == value {
                continue;
            }
            if let Err(e) = std::fs::write(&file, value) {
                let cause = format!("{}: {e}", file.display());
                let shown = dir.display().to_string();
                return Some(super::wake_advice(&shown, files, vid, pid, &cause));
            }
        }
        None
    }

    /// Whether this user may open hidraw `node` for reading and writing; `Some(advice)` when
    /// not. Asked of the kernel without opening the device.
    pub fn access_problem(node: &str, vid: u16, pid: u16, wake: bool) -> Option<String> {
        use rustix::fs::{Access, access};
        match access(node, Access::READ_OK | Access::WRITE_OK) {
            Err(rustix::io::Errno::ACCESS) | Err(rustix::io::Errno::PERM) => {
                Some(super::permission_advice(node, vid, pid, wake))
            }
            _ => None,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// A sysfs tree as the kernel lays out a UT-D04: the hidraw node's `device` link points
        /// at the HID device under the USB interface under the USB device.
        fn fake_sys(level: &str) -> (tempfile::TempDir, PathBuf) {
            let sys = tempfile::tempdir().unwrap();
            let usb = sys.path().join("devices/pci0000:00/usb1/1-2");
            let hid = usb.join("1-2:1.0/0003:1A86:E008.0001");
            std::fs::create_dir_all(&hid).unwrap();
            std::fs::create_dir_all(usb.join("power")).unwrap();
            std::fs::write(usb.join("idVendor"), "1a86\n").unwrap();
            std::fs::write(usb.join("power").join(level), "on\n").unwrap();
            std::fs::write(usb.join("power/autosuspend"), "2\n").unwrap();
            let class = sys.path().join("class/hidraw/hidraw3");
            std::fs::create_dir_all(&class).unwrap();
            std::os::unix::fs::symlink(&hid, class.join("device")).unwrap();
            (sys, usb)
        }

        #[test]
        fn the_ch9325_is_woken_through_its_usb_device() {
            let (sys, usb) = fake_sys("level");
            assert_eq!(wake_in(sys.path(), "/dev/hidraw3", 0x1a86, 0xe008), None);
            assert_eq!(
                std::fs::read_to_string(usb.join("power/level")).unwrap(),
                "auto"
            );
            assert_eq!(
                std::fs::read_to_string(usb.join("power/autosuspend")).unwrap(),
                "0"
            );
            // Already awake: nothing to do, nothing to say.
            assert_eq!(wake_in(sys.path(), "/dev/hidraw3", 0x1a86, 0xe008), None);
        }

        #[test]
        fn a_kernel_without_power_level_gets_power_control() {
            let (sys, usb) = fake_sys("control");
            assert_eq!(wake_in(sys.path(), "/dev/hidraw3", 0x1a86, 0xe008), None);
            assert_eq!(
                std::fs::read_to_string(usb.join("power/control")).unwrap(),
                "auto"
            );
            // When that one cannot be written either, the advice names the file that is there.
            std::fs::remove_file(usb.join("power/control")).unwrap();
            std::fs::create_dir(usb.join("power/control")).unwrap();
            let advice = wake_in(sys.path(), "/dev/hidraw3", 0x1a86, 0xe008).unwrap();
            assert!(advice.contains(r#"ATTR{power/control}="auto""#), "{advice}");
        }

        #[test]
        fn a_wake_up_that_fails_says_how_to_do_it() {
            let (sys, usb) = fake_sys("level");
            // A file that cannot be written (as a non-root user's would be).
            std::fs::remove_file(usb.join("power/autosuspend")).unwrap();
            std::fs::create_dir(usb.join("power/autosuspend")).unwrap();
            let advice = wake_in(sys.path(), "/dev/hidraw3", 0x1a86, 0xe008).unwrap();
            assert!(advice.contains("could not wake it"), "{advice}");
            assert!(
                advice.contains(&format!("{}/power/level", usb.display())),
                "{advice}"
            );
            // A node sysfs does not know: nothing to do.
            assert_eq!(wake_in(sys.path(), "/dev/hidraw9", 0x1a86, 0xe008), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_rule_names_the_device_and_the_user_at_the_computer() {
        assert_eq!(
            access_rule(0x1a86, 0xe008),
            r#"SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="e008", MODE="0660", TAG+="uaccess""#
        );
    }

    #[test]
    fn the_wake_rule_writes_the_documented_values() {
        let r = wake_rule(0x1a86, 0xe008, POWER_FILES);
        assert!(r.contains(r#"ATTR{power/level}="auto""#), "{r}");
        assert!(r.contains(r#"ATTR{power/autosuspend}="0""#), "{r}");
        assert!(r.starts_with(r#"ACTION=="add", SUBSYSTEM=="usb""#), "{r}");
    }

    #[test]
    fn permission_advice_says_where_and_how() {
        let a = permission_advice("/dev/hidraw3", 0x1a86, 0xe008, true);
        assert!(a.starts_with("permission denied on /dev/hidraw3"), "{a}");
        assert!(a.contains(RULES_FILE), "{a}");
        assert!(a.contains("udevadm control --reload-rules"), "{a}");
        assert!(a.contains("power/autosuspend"), "{a}");
        let a = permission_advice("/dev/hidraw1", 0x10c4, 0xea80, false);
        assert!(!a.contains("power/"), "{a}");
    }

    #[test]
    fn wake_advice_gives_the_one_off_and_the_lasting_fix() {
        let a = wake_advice(
            "/sys/bus/usb/devices/1-2",
            POWER_FILES,
            0x1a86,
            0xe008,
            "permission denied",
        );
        assert!(
            a.contains("echo auto | sudo tee /sys/bus/usb/devices/1-2/power/level"),
            "{a}"
        );
        assert!(a.contains(RULES_FILE), "{a}");
    }
}
