//! Training LeNet on the course's real digits, blitz against PyTorch on the same task, in one run.
//!
//! ```text
//! cargo run --release -p blitz --example digits_speed
//! BLITZ_TORCH_PYTHON=/path/to/python cargo run --release -p blitz --example digits_speed
//! ```
//!
//! The task is lesson 2's: the 4,000 training digits resized to 32x32 and normalised, batches of 32 (or the batch
//! size given) in a new shuffled order every epoch, each digit moved by up to 2 pixels, cross-entropy, Adam at 0.003
//! with a cosine schedule over 20 epochs, and the held-out accuracy on the 1,000 other digits after every epoch.
//! PyTorch (2 threads, `digits_speed.py`) gets exactly the same images, written to a safetensors file by blitz, and
//! the same recipe. For each it prints the training seconds until the held-out accuracy first reached 97%, the
//! training samples per second, and the final accuracy; then the ratio. Training time leaves out the held-out
//! measurement after each epoch on both sides. Finally blitz loads the weights PyTorch saved and must read the
//! held-out digits exactly as PyTorch did. With `BLITZ_BENCH_ROUNDS=N` the two take turns N times and the medians
//! are shown (on a shared machine PyTorch's threads suffer most from a busy moment).

use blitz::prelude::*;
use std::collections::HashMap;
use std::process::Command;
use std::time::Instant;

const PYTORCH_SCRIPT: &str = include_str!("digits_speed.py");
const EPOCHS: usize = 20;
const DEFAULT_BATCH_SIZE: usize = 32;
const LEARNING_RATE: f64 = 0.003;
const MAX_SHIFT: usize = 2;
const SEED: u64 = 0;
const TARGET: f64 = 0.97;

/// What one framework did: accuracy and cumulative training seconds after each epoch.
struct Run {
    name: &'static str,
    accuracies: Vec<f64>,
    seconds: Vec<f64>,
}

impl Run {
    fn samples_per_second(&self, train_len: usize) -> f64 {
        (train_len * self.accuracies.len()) as f64
            / self.seconds.last().copied().unwrap_or(f64::NAN)
    }

    /// Training seconds until the held-out accuracy first reached the target.
    fn seconds_to_target(&self) -> Option<f64> {
        self.accuracies
            .iter()
            .position(|&a| a >= TARGET)
            .map(|i| self.seconds[i])
    }
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let batch_size: usize = match std::env::args().nth(1) {
        Some(arg) => arg
            .parse()
            .map_err(|_| format!("the batch size must be a number, got `{arg}`"))?,
        None => DEFAULT_BATCH_SIZE,
    };
    let rounds: usize = std::env::var("BLITZ_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let load_at_start = load_average();
    let mnist = blitz::data::digits()?;
    let train = mnist.train.resize(32).to_dataset()?;
    let test = mnist.test.resize(32).to_dataset()?;
    let python = std::env::var_os("BLITZ_TORCH_PYTHON");
    let dir = std::env::temp_dir().join(format!("blitz-digits-speed-{}", std::process::id()));
    let weights = dir.join("pytorch-lenet.safetensors");
    let data = dir.join("digits.safetensors");
    let script = dir.join("digits_speed.py");
    if python.is_some() {
        std::fs::create_dir_all(&dir)?;
        write_digits(&train, &test, &data)?;
        std::fs::write(&script, PYTORCH_SCRIPT)?;
    }
    let config = format!(
        "{{\"epochs\": {EPOCHS}, \"batch\": {batch_size}, \"lr\": {LEARNING_RATE}, \"max_shift\": {MAX_SHIFT}, \"seed\": {SEED}}}"
    );
    // The two take turns, so that a busy moment of a shared machine does not fall on one side only.
    let (mut blitz_runs, mut torch_runs, mut torch_guesses) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        if rounds > 1 {
            println!("round {round}/{rounds}");
        }
        let run = train_blitz(&train, &test, batch_size)?;
        report(&run, train.len());
        blitz_runs.push(run);
        let Some(python) = &python else { continue };
        let output = Command::new(python)
            .arg(&script)
            .arg(&data)
            .arg(&config)
            .arg(&weights)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", python.to_string_lossy()))?;
        if !output.status.success() {
            return Err(format!(
                "the PyTorch run failed (are torch and safetensors installed in {}?):\n{}",
                python.to_string_lossy(),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        let (run, guesses) = read_pytorch(&String::from_utf8_lossy(&output.stdout))?;
        report(&run, train.len());
        torch_runs.push(run);
        torch_guesses = guesses;
    }
    let Some(last_torch) = torch_runs.last() else {
        println!("(set BLITZ_TORCH_PYTHON=/path/to/python, a Python with torch and safetensors, to compare with PyTorch)");
        return Ok(());
    };
    let speed = |runs: &[Run]| {
        median(
            runs.iter()
                .map(|r| r.samples_per_second(train.len()))
                .collect(),
        )
    };
    let to_target = |runs: &[Run]| median(runs.iter().filter_map(Run::seconds_to_target).collect());
    let (blitz_speed, torch_speed) = (speed(&blitz_runs), speed(&torch_runs));
    let (blitz_time, torch_time) = (to_target(&blitz_runs), to_target(&torch_runs));
    println!(
        "{} of {rounds} round(s), batch {batch_size}: blitz {blitz_speed:.0} samples/s, {blitz_time:.2} s to 97%; \
         PyTorch {torch_speed:.0} samples/s, {torch_time:.2} s to 97%",
        if rounds > 1 { "medians" } else { "figures" }
    );
    println!(
        "blitz/PyTorch samples per second: {:.2}",
        blitz_speed / torch_speed
    );
    println!(
        "PyTorch/blitz seconds to reach 97%: {:.2}",
        torch_time / blitz_time
    );
    if let Some(load) = load_at_start {
        // Other work on the machine slows PyTorch's threads most: figures taken above a load of about 1 flatter
        // blitz. (Taken before the runs: during them, the runs themselves count.)
        println!("machine load before the runs (1-minute average): {load}");
    }

    // PyTorch's weights, under PyTorch's names, read by blitz: the same guesses for every held-out digit.
    let net = Net::new()?;
    net.load(&weights)?;
    let guesses = predict(&net, &test, 500)?;
    let same = guesses
        .iter()
        .zip(&torch_guesses)
        .filter(|(a, b)| a == b)
        .count();
    println!(
        "PyTorch's saved weights loaded into blitz: held-out accuracy {:.1}% (PyTorch: {:.1}%), {same} of {} guesses the same",
        100.0 * accuracy(&guesses, test.labels())?,
        100.0 * last_torch.accuracies.last().copied().unwrap_or(f64::NAN),
        guesses.len()
    );
    std::fs::remove_dir_all(&dir)?;
    if same != guesses.len() {
        return Err("blitz does not read PyTorch's weights the way PyTorch does".into());
    }
    Ok(())
}

/// The machine's 1-minute load average, where the system tells it (Linux).
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

/// The middle value (the mean of the two middle ones for an even count); NaN for none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Lesson 2's training, timed per epoch without the held-out measurement.
fn train_blitz(train: &Dataset, test: &Dataset, batch_size: usize) -> Result<Run> {
    manual_seed(SEED);
    let net = Net::new()?;
    let loader = DataLoader::new(train, batch_size)
        .shuffle(SEED)
        .random_shift(MAX_SHIFT);
    let criterion = CrossEntropyLoss::new();
    let mut optimizer = Adam::new(net.parameters(), LEARNING_RATE);
    let mut schedule = CosineAnnealingLR::new(&optimizer, EPOCHS);
    let mut run = Run {
        name: "blitz",
        accuracies: Vec::new(),
        seconds: Vec::new(),
    };
    let mut elapsed = 0.0;
    for _ in 0..EPOCHS {
        let start = Instant::now();
        for (images, labels) in &loader {
            optimizer.zero_grad();
            criterion
                .forward(&net.forward(&images)?, &labels)?
                .backward()?;
            optimizer.step()?;
        }
        schedule.step(&mut optimizer);
        elapsed += start.elapsed().as_secs_f64();
        run.seconds.push(elapsed);
        run.accuracies
            .push(accuracy(&predict(&net, test, 500)?, test.labels())?);
    }
    Ok(run)
}

fn report(run: &Run, train_len: usize) {
    let per_epoch: Vec<String> = run
        .accuracies
        .iter()
        .map(|a| format!("{:.1}", 100.0 * a))
        .collect();
    println!(
        "{:<8} to 97%: {:>6}  samples/s: {:>7.0}  final held-out accuracy: {:.1}%  (per epoch: {})",
        run.name,
        run.seconds_to_target()
            .map_or("never".to_string(), |s| format!("{s:.2} s")),
        run.samples_per_second(train_len),
        100.0 * run.accuracies.last().copied().unwrap_or(f64::NAN),
        per_epoch.join(" ")
    );
}

/// The prepared images and labels, for PyTorch to train on exactly what blitz trains on.
fn write_digits(train: &Dataset, test: &Dataset, path: &std::path::Path) -> Result<()> {
    let labels = |d: &Dataset| -> Result<candle_core::Tensor> {
        let values: Vec<i64> = d.labels().iter().map(|&l| l as i64).collect();
        Ok(candle_core::Tensor::from_vec(
            values,
            d.len(),
            &candle_core::Device::Cpu,
        )?)
    };
    let tensors = HashMap::from([
        ("train_images".to_string(), train.images()?.candle()),
        ("train_labels".to_string(), labels(train)?),
        ("test_images".to_string(), test.images()?.candle()),
        ("test_labels".to_string(), labels(test)?),
    ]);
    candle_core::safetensors::save(&tensors, path)?;
    Ok(())
}

/// PyTorch's per-epoch lines and its final guesses.
fn read_pytorch(
    stdout: &str,
) -> std::result::Result<(Run, Vec<usize>), Box<dyn std::error::Error>> {
    let mut run = Run {
        name: "PyTorch",
        accuracies: Vec::new(),
        seconds: Vec::new(),
    };
    let mut guesses = Vec::new();
    for line in stdout.lines() {
        let value: serde_json::Value = serde_json::from_str(line)?;
        if value["done"] == true {
            guesses = value["guesses"]
                .as_array()
                .ok_or("PyTorch printed no guesses")?
                .iter()
                .filter_map(|g| g.as_u64().map(|g| g as usize))
                .collect();
        } else {
            run.accuracies
                .push(value["accuracy"].as_f64().ok_or("no accuracy")?);
            run.seconds
                .push(value["train_s"].as_f64().ok_or("no train_s")?);
        }
    }
    Ok((run, guesses))
}
