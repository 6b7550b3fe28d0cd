//! The second lesson's claims about real handwritten digits: the shipped digits load (and damaged files say what
//! is wrong with them), resizing keeps each digit centred, mini-batches cover every digit once per epoch, a short
//! training run learns to read them, and the pictures and tables the lesson shows are what they claim to be.

use blitz::data::{self, idx, DataLoader, Digits, Mnist, MNIST_MEAN, MNIST_STD};
use blitz::metrics::{accuracy, predict, predicted_classes, ConfusionMatrix, TrainingHistory};
use blitz::prelude::*;
use blitz::{DataProblem, Language};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A fresh empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("blitz-digits-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shipped files' folder, found the way a learner's program finds it.
fn shipped() -> PathBuf {
    data::digits_dir().expect("the shipped digits are found from the crate's folder")
}

/// The bytes of a shipped file, decompressed.
fn shipped_bytes(name: &str) -> Vec<u8> {
    idx::read_bytes(&shipped().join(format!("{name}.gz"))).unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// An IDX images file of `count` images of `side` x `side`, every pixel `value`.
fn images_file(count: u32, side: u32, value: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for word in [idx::IMAGES_MAGIC, count, side, side] {
        out.extend_from_slice(&word.to_be_bytes());
    }
    out.extend(std::iter::repeat(value).take((count * side * side) as usize));
    out
}

fn labels_file(labels: &[u8]) -> Vec<u8> {
    let mut out = idx::LABELS_MAGIC.to_be_bytes().to_vec();
    out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    out.extend_from_slice(labels);
    out
}

/// The English message of a data error, checked to name `file` and to be an `Error::DataFile`.
fn data_error_message(error: &Error, file: &Path) -> String {
    assert_eq!(error.code(), "data-file", "{error}");
    let text = error.message_in(Language::En);
    assert!(
        text.contains(&file.display().to_string()),
        "the file is not named: {text}"
    );
    text
}

#[test]
fn the_shipped_digits_are_4000_to_train_on_and_1000_held_out_400_and_100_of_each() {
    let mnist = data::digits().unwrap();
    assert_eq!((mnist.train.len(), mnist.test.len()), (4000, 1000));
    assert_eq!(mnist.train.count_per_class(), [400; 10]);
    assert_eq!(mnist.test.count_per_class(), [100; 10]);
    assert_eq!((mnist.train.rows(), mnist.train.cols()), (28, 28));
    // Real digits: mostly background, some full ink, and not one image in both sets.
    let train = mnist.train.pixels();
    assert!(train.iter().filter(|&&p| p == 0).count() > train.len() / 2);
    assert!(train.contains(&255));
    let held_out: std::collections::HashSet<&[u8]> =
        (0..1000).map(|i| mnist.test.image(i).unwrap()).collect();
    assert!((0..4000).all(|i| !held_out.contains(mnist.train.image(i).unwrap())));
    assert!(mnist.train.image(4000).is_none() && mnist.train.label(4000).is_none());
}

#[test]
fn a_folder_of_uncompressed_files_loads_the_same_as_gzip() {
    let dir = scratch("plain");
    for name in [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ] {
        std::fs::write(dir.join(name), shipped_bytes(name)).unwrap();
    }
    let plain = Mnist::load(&dir).unwrap();
    let packed = Mnist::load(shipped()).unwrap();
    assert!(plain.train == packed.train && plain.test == packed.test);
}

#[test]
fn a_folder_without_the_files_names_the_one_missing() {
    let dir = scratch("missing");
    std::fs::write(dir.join("train-images-idx3-ubyte"), images_file(1, 2, 0)).unwrap();
    let error = Mnist::load(&dir).unwrap_err();
    let text = data_error_message(&error, &dir);
    assert!(text.contains("no file train-labels-idx1-ubyte"), "{text}");
    let error = Mnist::load(dir.join("nowhere")).unwrap_err();
    assert_eq!(error.code(), "io");
}

#[test]
fn a_truncated_file_says_it_was_cut_short() {
    let dir = scratch("truncated");
    let labels = dir.join("labels.gz");
    std::fs::write(&labels, gzip(&labels_file(&[1, 2, 3]))).unwrap();
    // Images cut in the middle of the pixels, gzip-compressed as a download would be.
    let mut bytes = images_file(3, 28, 7);
    bytes.truncate(16 + 28 * 28 + 100);
    let images = dir.join("images.gz");
    std::fs::write(&images, gzip(&bytes)).unwrap();
    let error = Digits::load(&images, &labels).unwrap_err();
    let text = data_error_message(&error, &images);
    assert!(
        text.contains("cut short") && text.contains("2368") && text.contains("900"),
        "{text}"
    );
    assert!(matches!(
        error,
        Error::DataFile {
            problem: DataProblem::Truncated {
                expected: 2368,
                found: 900
            },
            ..
        }
    ));
    // A gzip file cut short itself cannot be decompressed.
    let packed = gzip(&images_file(3, 28, 7));
    std::fs::write(&images, &packed[..packed.len() / 2]).unwrap();
    let error = Digits::load(&images, &labels).unwrap_err();
    let text = data_error_message(&error, &images);
    assert!(text.contains("cannot be decompressed"), "{text}");
}

#[test]
fn a_wrong_magic_number_says_which_was_expected_and_found() {
    let dir = scratch("magic");
    let labels = dir.join("t10k-labels-idx1-ubyte");
    std::fs::write(&labels, labels_file(&[1, 2])).unwrap();
    // The labels file given where the images file belongs.
    let error = Digits::load(&labels, &labels).unwrap_err();
    let text = data_error_message(&error, &labels);
    assert!(
        text.contains("not an MNIST IDX images file")
            && text.contains("0x00000803")
            && text.contains("0x00000801"),
        "{text}"
    );
    // A file that is not IDX at all.
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "hello, world").unwrap();
    let text = data_error_message(&Digits::load(&notes, &labels).unwrap_err(), &notes);
    assert!(text.contains("0x68656c6c"), "{text}");
    let images = dir.join("images");
    std::fs::write(&images, images_file(2, 28, 0)).unwrap();
    let text = data_error_message(&Digits::load(&images, &images).unwrap_err(), &images);
    assert!(text.contains("not an MNIST IDX labels file"), "{text}");
}

#[test]
fn images_and_labels_of_different_counts_are_refused() {
    let dir = scratch("counts");
    let images = dir.join("train-images-idx3-ubyte");
    let labels = dir.join("train-labels-idx1-ubyte");
    std::fs::write(&images, images_file(3, 28, 0)).unwrap();
    std::fs::write(&labels, labels_file(&[1, 2])).unwrap();
    let error = Digits::load(&images, &labels).unwrap_err();
    let text = data_error_message(&error, &images);
    assert!(
        text.contains("3 images")
            && text.contains("2 labels")
            && text.contains(&labels.display().to_string()),
        "{text}"
    );
}

#[test]
fn a_label_above_9_is_refused() {
    let dir = scratch("label");
    let images = dir.join("images");
    let labels = dir.join("labels");
    std::fs::write(&images, images_file(3, 28, 0)).unwrap();
    std::fs::write(&labels, labels_file(&[1, 12, 3])).unwrap();
    let text = data_error_message(&Digits::load(&images, &labels).unwrap_err(), &labels);
    assert!(
        text.contains("label number 1 (counted from 0) is 12"),
        "{text}"
    );
}

/// The centre of mass of an image's ink, `(x, y)` in pixels from the top-left pixel's centre.
fn centre_of_mass(image: &[u8], side: usize) -> (f64, f64) {
    let (mut sx, mut sy, mut total) = (0.0, 0.0, 0.0);
    for (i, &p) in image.iter().enumerate() {
        let p = p as f64;
        sx += p * (i % side) as f64;
        sy += p * (i / side) as f64;
        total += p;
    }
    (sx / total, sy / total)
}

#[test]
fn resizing_to_32x32_keeps_each_digit_where_it_was() {
    let mnist = data::digits().unwrap();
    let resized = mnist.test.resize(32);
    assert_eq!(
        (resized.rows(), resized.cols(), resized.len()),
        (32, 32, 1000)
    );
    assert_eq!(resized.labels(), mnist.test.labels());
    for i in 0..1000 {
        // Where the ink's centre sits relative to the image's centre, in the new image's pixels.
        let (x, y) = centre_of_mass(mnist.test.image(i).unwrap(), 28);
        let expected = ((x - 13.5) * 32.0 / 28.0, (y - 13.5) * 32.0 / 28.0);
        let (x, y) = centre_of_mass(resized.image(i).unwrap(), 32);
        let got = (x - 15.5, y - 15.5);
        assert!(
            (got.0 - expected.0).abs() < 1.0 && (got.1 - expected.1).abs() < 1.0,
            "digit {i}: centre moved from {expected:?} to {got:?}"
        );
    }
    // A blob in the middle of a 28x28 image stays in the middle of the 32x32 one.
    let mut blob = vec![0u8; 28 * 28];
    for y in 11..17 {
        for x in 11..17 {
            blob[y * 28 + x] = 255;
        }
    }
    let digits = Digits::new(blob, vec![0], 28, 28).unwrap().resize(32);
    let (x, y) = centre_of_mass(digits.image(0).unwrap(), 32);
    assert!(
        (x - 15.5).abs() < 0.5 && (y - 15.5).abs() < 0.5,
        "({x}, {y})"
    );
}

#[test]
fn the_dataset_is_normalised_with_mnists_mean_and_std() {
    let mnist = data::digits().unwrap();
    let test = mnist.test.resize(32).to_dataset().unwrap();
    assert_eq!(test.len(), 1000);
    assert_eq!(test.image_shape(), [1, 32, 32]);
    assert_eq!(test.images().unwrap().shape(), [1000, 1, 32, 32]);
    assert_eq!(
        test.labels()[..5],
        mnist.test.labels()[..5]
            .iter()
            .map(|&l| l as usize)
            .collect::<Vec<_>>()[..]
    );
    let values = test.images().unwrap().to_vec().unwrap();
    let background = (0.0 - MNIST_MEAN) / MNIST_STD;
    let ink = (1.0 - MNIST_MEAN) / MNIST_STD;
    assert!((values[0] - background).abs() < 1e-6, "{}", values[0]);
    let max = values.iter().copied().fold(f32::MIN, f32::max);
    assert!((max - ink).abs() < 1e-5, "{max}");
    let (images, labels) = test.batch(&[3, 1]).unwrap();
    assert_eq!(images.shape(), [2, 1, 32, 32]);
    assert_eq!(labels, [test.labels()[3], test.labels()[1]]);
    assert_eq!(test.batch(&[1000]).unwrap_err().code(), "shape-mismatch");
}

#[test]
fn every_epoch_visits_each_digit_once_in_batches_with_the_last_one_partial() {
    let test = data::digits()
        .unwrap()
        .test
        .resize(32)
        .to_dataset()
        .unwrap();
    let loader = DataLoader::new(&test, 64).shuffle(7);
    assert_eq!(loader.len(), 16);
    let epoch = |loader: &DataLoader| -> (Vec<usize>, Vec<Vec<usize>>) {
        let batches: Vec<(Tensor, Vec<usize>)> = loader.iter().collect();
        let sizes = batches
            .iter()
            .map(|(images, _)| images.shape())
            .map(|s| vec![s[0]])
            .collect();
        (
            batches.into_iter().flat_map(|(_, labels)| labels).collect(),
            sizes,
        )
    };
    let (first, sizes) = epoch(&loader);
    assert_eq!(sizes.len(), 16);
    assert_eq!(sizes[15], [1000 - 15 * 64]);
    // Every label once: the same count per class as the dataset.
    let mut counts = [0; 10];
    first.iter().for_each(|&l| counts[l] += 1);
    assert_eq!(counts, [100; 10]);
    // Shuffled: another order than the file's, and another order every epoch...
    assert_ne!(first, test.labels());
    let (second, _) = epoch(&loader);
    assert_ne!(first, second);
    assert_eq!(loader.epochs_started(), 2);
    // ...and the same orders again from the same seed.
    let again = DataLoader::new(&test, 64).shuffle(7);
    assert_eq!(epoch(&again).0, first);
    assert_eq!(epoch(&again).0, second);
    // Without shuffling, the dataset's order.
    assert_eq!(epoch(&DataLoader::new(&test, 64)).0, test.labels());
}

#[test]
fn random_shifts_move_images_but_keep_their_labels_and_shapes() {
    let test = data::digits()
        .unwrap()
        .test
        .resize(32)
        .to_dataset()
        .unwrap();
    let plain: Vec<(Tensor, Vec<usize>)> = DataLoader::new(&test, 100).iter().collect();
    let shifted: Vec<(Tensor, Vec<usize>)> =
        DataLoader::new(&test, 100).random_shift(2).iter().collect();
    assert_eq!(plain.len(), shifted.len());
    for ((a, la), (b, lb)) in plain.iter().zip(&shifted) {
        assert_eq!(la, lb);
        assert_eq!(a.shape(), b.shape());
    }
    assert_ne!(plain[0].0.to_vec().unwrap(), shifted[0].0.to_vec().unwrap());
    // The ink is moved, not changed: the brightest value is still full ink.
    let max = shifted[0]
        .0
        .to_vec()
        .unwrap()
        .into_iter()
        .fold(f32::MIN, f32::max);
    assert!((max - (1.0 - MNIST_MEAN) / MNIST_STD).abs() < 1e-5);
}

#[test]
fn a_short_training_run_lowers_the_loss_and_reads_most_held_out_digits() {
    let mnist = data::digits().unwrap();
    let train = mnist.train.resize(32).to_dataset().unwrap();
    let test = mnist.test.resize(32).to_dataset().unwrap();
    manual_seed(0);
    let net = Net::new().unwrap();
    let before = accuracy(&predict(&net, &test, 250).unwrap(), test.labels()).unwrap();
    let loader = DataLoader::new(&train, 32).shuffle(0);
    let mut optimizer = Adam::new(net.parameters(), 0.003);
    let criterion = CrossEntropyLoss::new();
    let mut losses = Vec::new();
    for _ in 0..3 {
        for (images, labels) in &loader {
            optimizer.zero_grad();
            let loss = criterion
                .forward(&net.forward(&images).unwrap(), &labels)
                .unwrap();
            loss.backward().unwrap();
            optimizer.step().unwrap();
            losses.push(loss.item().unwrap());
        }
    }
    assert_eq!(losses.len(), 375);
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    let (first, last) = (mean(&losses[..25]), mean(&losses[losses.len() - 25..]));
    assert!(last < first / 4.0, "loss {first} -> {last}");
    let guesses = predict(&net, &test, 250).unwrap();
    let after = accuracy(&guesses, test.labels()).unwrap();
    assert!(before < 0.3, "an untrained network guesses: {before}");
    assert!(after > 0.9, "held-out accuracy after 375 steps: {after}");

    // The confusion matrix counts every held-out digit once, and its diagonal is the accuracy.
    let matrix = ConfusionMatrix::new(&guesses, test.labels()).unwrap();
    assert_eq!(matrix.total(), 1000);
    assert_eq!(matrix.correct() as f64 / 1000.0, after);
    assert_eq!(matrix.accuracy(), after);
    for class in 0..10 {
        assert_eq!(matrix.row(class).iter().sum::<usize>(), 100);
    }
    let html = matrix.to_html();
    assert_eq!(
        html.matches("background:#bbf7d0").count(),
        10,
        "the diagonal is highlighted"
    );
    let text = matrix.to_string();
    assert!(
        text.starts_with("true \\ guess")
            && text.contains(&format!("{} of 1000 right", matrix.correct()))
    );

    // Saved and loaded into a fresh network, it guesses the same.
    let file = scratch("weights").join("net.safetensors");
    net.save(&file).unwrap();
    let fresh = Net::new().unwrap();
    fresh.load(&file).unwrap();
    assert_eq!(predict(&fresh, &test, 1000).unwrap(), guesses);
}

#[test]
fn the_grid_of_digits_is_one_png_of_its_size_with_short_captions() {
    let mnist = data::digits().unwrap();
    let grid = mnist.test.grid(20);
    assert_eq!(grid.len(), 20);
    let png = grid.to_png().unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let picture = image::load_from_memory(&png).unwrap();
    let (width, height) = grid.size();
    assert_eq!(
        (picture.width() as usize, picture.height() as usize),
        (width, height)
    );
    // Ten digits across at twice their size, two rows.
    assert!(width > 10 * 56 && height > 2 * 56, "{width}x{height}");
    assert_eq!(grid.captions()[0], mnist.test.label(0).unwrap().to_string());
    // Guesses: a wrong one is captioned guess→true; `mistakes` keeps only those.
    let mut guesses: Vec<usize> = mnist.test.labels().iter().map(|&l| l as usize).collect();
    guesses[1] = (guesses[1] + 1) % 10;
    let wrong = format!("{}→{}", guesses[1], mnist.test.label(1).unwrap());
    let predictions = DigitGrid::predictions(&mnist.test, &guesses, 3).unwrap();
    assert_eq!(predictions.captions()[1], wrong);
    let mistakes = DigitGrid::mistakes(&mnist.test, &guesses, 10).unwrap();
    assert_eq!(mistakes.captions(), [wrong.as_str()]);
    let bigger = DigitGrid::mistakes(&mnist.test, &guesses, 10)
        .unwrap()
        .scale(3)
        .columns(1);
    let picture = image::load_from_memory(&bigger.to_png().unwrap()).unwrap();
    assert!(picture.width() as usize >= 28 * 3);
    assert_eq!(
        DigitGrid::mistakes(&mnist.test, &guesses[..5], 10)
            .unwrap_err()
            .code(),
        "shape-mismatch"
    );
}

#[test]
fn the_training_curves_are_an_svg_with_both_plots() {
    let mut history = TrainingHistory::new();
    for (loss, accuracy) in [(1.2, 0.88), (0.4, 0.94), (0.2, 0.97)] {
        history.record(loss, accuracy);
    }
    let svg = history.to_svg().unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
    assert!(svg.contains("training loss") && svg.contains("held-out accuracy (%)"));
    assert!(svg.trim_end().ends_with("</svg>"));
    let text = history.to_string();
    assert!(text.contains("97.0%"), "{text}");
    assert!(TrainingHistory::new().to_svg().unwrap().contains("<svg"));
    // Odd records still draw: a diverged loss, an accuracy given in percent by mistake.
    let mut odd = TrainingHistory::new();
    odd.record(f64::NAN, 97.0);
    odd.record(f64::INFINITY, 0.5);
    assert!(odd.to_svg().unwrap().contains("<svg"));
}

#[test]
fn guesses_are_the_highest_scores() {
    let scores = Tensor::from_vec(vec![0.0, 3.0, 1.0, 5.0, 0.0, 0.0], &[2, 3]).unwrap();
    assert_eq!(predicted_classes(&scores).unwrap(), [1, 0]);
}
