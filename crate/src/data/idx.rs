//! MNIST's file format, IDX: a big-endian header (a magic number, then the size of each dimension) and the values
//! as unsigned bytes. The files may be gzip-compressed (as MNIST is distributed): blitz looks at the first two
//! bytes (`1f 8b`) rather than at the file name.

use crate::{DataProblem, Error, Result};
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::Path;

/// The magic number of an IDX images file: unsigned bytes (`0x08`) in three dimensions (count, rows, columns).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// The magic number of an IDX labels file: unsigned bytes in one dimension (count).
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// The first two bytes of every gzip file.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The images of an IDX images file: `count` images of `rows` x `cols` pixels, one after the other, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct IdxImages {
    /// The number of images.
    pub count: usize,
    /// Pixel rows per image.
    pub rows: usize,
    /// Pixel columns per image.
    pub cols: usize,
    /// `count * rows * cols` pixel values (0 is the background, 255 full ink in MNIST).
    pub pixels: Vec<u8>,
}

/// The bytes of a file, decompressed when it is gzip.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|source| Error::Io {
        file: path.to_path_buf(),
        source,
    })?;
    if !raw.starts_with(&GZIP_MAGIC) {
        return Ok(raw);
    }
    let mut out = Vec::with_capacity(raw.len() * 4);
    GzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|e| {
            data_error(
                path,
                DataProblem::BadGzip {
                    reason: e.to_string(),
                },
            )
        })?;
    Ok(out)
}

/// Reads an IDX images file (gzip or not).
pub fn read_images(path: &Path) -> Result<IdxImages> {
    parse_images(&read_bytes(path)?).map_err(|problem| data_error(path, problem))
}

/// Reads an IDX labels file (gzip or not); every label must be a digit from 0 to 9.
pub fn read_labels(path: &Path) -> Result<Vec<u8>> {
    parse_labels(&read_bytes(path)?).map_err(|problem| data_error(path, problem))
}

/// The images in the bytes of an uncompressed IDX images file.
pub fn parse_images(bytes: &[u8]) -> std::result::Result<IdxImages, DataProblem> {
    let header = header(bytes, IMAGES_MAGIC, 4)?;
    let [count, rows, cols] = [header[1], header[2], header[3]].map(|d| d as usize);
    let data = body(bytes, 16, count.saturating_mul(rows).saturating_mul(cols))?;
    Ok(IdxImages {
        count,
        rows,
        cols,
        pixels: data.to_vec(),
    })
}

/// The labels in the bytes of an uncompressed IDX labels file.
pub fn parse_labels(bytes: &[u8]) -> std::result::Result<Vec<u8>, DataProblem> {
    let header = header(bytes, LABELS_MAGIC, 2)?;
    let labels = body(bytes, 8, header[1] as usize)?;
    if let Some((index, &label)) = labels.iter().enumerate().find(|(_, &l)| l > 9) {
        return Err(DataProblem::LabelOutOfRange { index, label });
    }
    Ok(labels.to_vec())
}

/// The first `words` big-endian 32-bit words, the magic number (checked against `magic`) and the dimensions.
fn header(bytes: &[u8], magic: u32, words: usize) -> std::result::Result<Vec<u32>, DataProblem> {
    if let Some(first) = bytes.first_chunk::<4>() {
        let found = u32::from_be_bytes(*first);
        if found != magic {
            return Err(if magic == IMAGES_MAGIC {
                DataProblem::NotImages { found }
            } else {
                DataProblem::NotLabels { found }
            });
        }
    }
    if bytes.len() < 4 * words {
        return Err(DataProblem::Truncated {
            expected: 4 * words,
            found: bytes.len(),
        });
    }
    Ok(bytes[..4 * words]
        .chunks_exact(4)
        .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
        .collect())
}

/// The `len` values after a header of `start` bytes; the file must hold exactly that many.
fn body(bytes: &[u8], start: usize, len: usize) -> std::result::Result<&[u8], DataProblem> {
    let expected = start.saturating_add(len);
    match bytes.len() {
        found if found < expected => Err(DataProblem::Truncated { expected, found }),
        found if found > expected => Err(DataProblem::TooLong { expected, found }),
        _ => Ok(&bytes[start..]),
    }
}

/// An [`Error::DataFile`] for `path`.
pub(crate) fn data_error(path: &Path, problem: DataProblem) -> Error {
    Error::DataFile {
        file: path.to_path_buf(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_file(labels: &[u8]) -> Vec<u8> {
        let mut out = LABELS_MAGIC.to_be_bytes().to_vec();
        out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
        out.extend_from_slice(labels);
        out
    }

    #[test]
    fn a_small_images_file_reads_back() {
        let mut bytes = IMAGES_MAGIC.to_be_bytes().to_vec();
        for d in [2u32, 2, 3] {
            bytes.extend_from_slice(&d.to_be_bytes());
        }
        bytes.extend(0..12u8);
        let images = parse_images(&bytes).unwrap();
        assert_eq!((images.count, images.rows, images.cols), (2, 2, 3));
        assert_eq!(images.pixels, (0..12).collect::<Vec<u8>>());
        bytes.pop();
        assert_eq!(
            parse_images(&bytes),
            Err(DataProblem::Truncated {
                expected: 28,
                found: 27
            })
        );
    }

    #[test]
    fn labels_are_checked() {
        assert_eq!(parse_labels(&labels_file(&[3, 1, 4])).unwrap(), [3, 1, 4]);
        assert_eq!(
            parse_labels(&labels_file(&[3, 10])),
            Err(DataProblem::LabelOutOfRange {
                index: 1,
                label: 10
            })
        );
        let mut long = labels_file(&[1]);
        long.push(0);
        assert_eq!(
            parse_labels(&long),
            Err(DataProblem::TooLong {
                expected: 9,
                found: 10
            })
        );
        assert_eq!(
            parse_images(&labels_file(&[1, 2, 3, 4, 5, 6, 7, 8])),
            Err(DataProblem::NotImages {
                found: LABELS_MAGIC
            })
        );
        assert_eq!(
            parse_labels(&[0, 0]),
            Err(DataProblem::Truncated {
                expected: 8,
                found: 2
            })
        );
    }
}
