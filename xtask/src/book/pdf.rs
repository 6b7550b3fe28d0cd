//! A PDF of each language's book, as d2l.ai and Comprehensive Rust ship one: mdBook's one-page `print.html` printed
//! by headless Chromium (Debian's `chromium`), Japanese and Chinese set in Noto CJK (Debian's `fonts-noto-cjk`).
//! Both are installed when missing on a Debian machine run as root; otherwise the error says what to install.

use super::Language;
use crate::process::{ensure_system_package, ensure_system_tool};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Chromium the book is printed with (and the browser tests drive).
pub const CHROMIUM: &str = "chromium";

/// How long one language's printing may take before it is stopped.
const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

/// The PDF's file name for a language, beside the language folders: `blitz-<lang>.pdf`.
pub fn file_name(code: &str) -> String {
    format!("blitz-{code}.pdf")
}

/// Makes sure Chromium and the Noto CJK fonts are installed (installing them on Debian as root).
pub fn ensure_tools() -> Result<()> {
    ensure_system_tool(CHROMIUM, "chromium")?;
    ensure_system_package("fonts-noto-cjk", "the Noto CJK fonts", || {
        Command::new("fc-list")
            .args([":lang=ja", "family"])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("Noto Sans CJK JP"))
    })
}

/// Chromium's command line for running headless with a profile of its own and nothing sent anywhere: no
/// background networking, component updates, sync or first-run pages. Root (CI) needs `--no-sandbox`.
pub fn headless_chromium(profile: &Path) -> Command {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// Prints `print_html` (a book's `print.html`) to `pdf`.
pub fn print(print_html: &Path, pdf: &Path, language: &Language) -> Result<()> {
    eprintln!(
        "==> PDF ({}): printing {}",
        language.code,
        print_html.display()
    );
    let start = Instant::now();
    let url = format!("file://{}", print_html.canonicalize()?.display());
    print_url(&url, pdf, &language.code)?;
    let size = fs::metadata(pdf).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "    {}: {} KB in {:.1} s",
        pdf.display(),
        size / 1024,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints the page at `url` to `pdf` with headless Chromium (a profile of its own, named by `tag`).
pub fn print_url(url: &str, pdf: &Path, tag: &str) -> Result<()> {
    let profile = scratch_dir(tag);
    let _ = fs::remove_dir_all(&profile);
    fs::create_dir_all(&profile).with_context(|| format!("cannot create {}", profile.display()))?;
    let mut cmd = headless_chromium(&profile);
    cmd.args([
        "--no-pdf-header-footer",
        "--run-all-compositor-stages-before-draw",
        // Page load, fonts and pictures get this much (virtual) time before printing.
        "--virtual-time-budget=20000",
    ])
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(url)
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let result = run_with_timeout(cmd, PRINT_TIMEOUT);
    let _ = fs::remove_dir_all(&profile);
    let stderr = result.with_context(|| format!("Chromium could not print {url}"))?;
    if fs::metadata(pdf).map(|m| m.len()).unwrap_or(0) == 0 {
        bail!("Chromium printed no PDF from {url}; it said:\n{stderr}");
    }
    Ok(())
}

/// A fresh folder for one Chromium profile.
fn scratch_dir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("blitz-chromium-{}-{tag}", std::process::id()))
}

/// Runs `cmd` (stderr piped), stopping it after `timeout`; returns what it wrote on stderr.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<String> {
    let mut child = cmd.spawn().context("could not start chromium")?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut stderr) = stderr {
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        }
        text
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            let stderr = reader.join().unwrap_or_default();
            if !status.success() {
                bail!("chromium failed ({status}):\n{stderr}");
            }
            return Ok(stderr);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "chromium did not finish within {} s and was stopped",
                timeout.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
