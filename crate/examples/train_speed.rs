//! LeNet's training and inference speed on the CPU: blitz against plain candle in the same process, and against
//! PyTorch when `BLITZ_TORCH_PYTHON` names a Python with torch.
//!
//! ```text
//! cargo run --release -p blitz --example train_speed
//! BLITZ_TORCH_PYTHON=/path/to/python cargo run --release -p blitz --example train_speed
//! cargo run --release -p blitz --example train_speed -- 64 128   # other batch sizes
//! ```
//!
//! The workload is the lesson's: LeNet (5x5 kernels) on random 32x32 images, MSE loss against random targets,
//! one SGD step (lr 0.01) per batch, at batch sizes 1, 64 and 256; inference is the forward pass alone without
//! recording a graph. Each figure is samples per second over at least `BLITZ_BENCH_SECONDS` (default 2) after
//! three warm-up steps. PyTorch runs with 2 threads (`torch.set_num_threads(2)`), in its own process, right after.
//! With `BLITZ_BENCH_ROUNDS=N` the three take turns N times and the medians are shown (the ratio is the median of
//! each round's ratio): on a shared machine one round can be off by half.

use blitz::prelude::*;
use candle_core::{DType, Device, Module as _, Tensor as CTensor};
use candle_nn::{Optimizer as _, VarBuilder, VarMap};
use std::process::Command;
use std::time::Instant;

/// The batch sizes measured when none are given on the command line.
const BATCHES: [usize; 3] = [1, 64, 256];
const PYTORCH_SCRIPT: &str = include_str!("train_speed.py");

/// One round's samples/s for one mode and batch size: blitz, candle, and PyTorch when it ran.
type Round = (f64, f64, Option<f64>);

/// The median of some figures.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Samples per second of `step`, a step over `batch` samples, after three warm-up steps.
fn per_second(seconds: f64, batch: usize, mut step: impl FnMut()) -> f64 {
    for _ in 0..3 {
        step();
    }
    let (mut count, start) = (0usize, Instant::now());
    loop {
        step();
        count += 1;
        let elapsed = start.elapsed().as_secs_f64();
        if elapsed >= seconds && count >= 5 {
            return (count * batch) as f64 / elapsed;
        }
    }
}

/// LeNet written with candle and candle-nn alone, as a candle user would: the baseline.
struct CandleLeNet {
    conv1: candle_nn::Conv2d,
    conv2: candle_nn::Conv2d,
    fc1: candle_nn::Linear,
    fc2: candle_nn::Linear,
    fc3: candle_nn::Linear,
}

impl CandleLeNet {
    fn new(vb: VarBuilder) -> candle_core::Result<CandleLeNet> {
        let conv = candle_nn::Conv2dConfig::default();
        Ok(CandleLeNet {
            conv1: candle_nn::conv2d(1, 6, 5, conv, vb.pp("conv1"))?,
            conv2: candle_nn::conv2d(6, 16, 5, conv, vb.pp("conv2"))?,
            fc1: candle_nn::linear(400, 120, vb.pp("fc1"))?,
            fc2: candle_nn::linear(120, 84, vb.pp("fc2"))?,
            fc3: candle_nn::linear(84, 10, vb.pp("fc3"))?,
        })
    }

    fn forward(&self, x: &CTensor) -> candle_core::Result<CTensor> {
        let x = self.conv1.forward(x)?.relu()?.max_pool2d(2)?;
        let x = self.conv2.forward(&x)?.relu()?.max_pool2d(2)?;
        let x = x.flatten_from(1)?;
        let x = self.fc1.forward(&x)?.relu()?;
        let x = self.fc2.forward(&x)?.relu()?;
        self.fc3.forward(&x)
    }
}

/// (train, infer) samples per second with blitz.
fn blitz_speed(seconds: f64, batch: usize) -> Result<(f64, f64)> {
    manual_seed(0);
    let net = Net::new()?;
    let x = Tensor::randn(&[batch, 1, 32, 32])?;
    let target = Tensor::randn(&[batch, 10])?;
    let criterion = MSELoss::new();
    let mut optimizer = SGD::new(net.parameters(), 0.01);
    let train = per_second(seconds, batch, || {
        optimizer.zero_grad();
        let loss = criterion
            .forward(&net.forward(&x).expect("forward"), &target)
            .expect("loss");
        loss.backward().expect("backward");
        optimizer.step().expect("step");
    });
    let infer = per_second(seconds, batch, || {
        no_grad(|| net.forward(&x)).expect("forward");
    });
    Ok((train, infer))
}

/// (train, infer) samples per second with plain candle.
fn candle_speed(seconds: f64, batch: usize) -> candle_core::Result<(f64, f64)> {
    let device = Device::Cpu;
    let vars = VarMap::new();
    let net = CandleLeNet::new(VarBuilder::from_varmap(&vars, DType::F32, &device))?;
    let x = CTensor::randn(0f32, 1., (batch, 1, 32, 32), &device)?;
    let target = CTensor::randn(0f32, 1., (batch, 10), &device)?;
    let mut sgd = candle_nn::SGD::new(vars.all_vars(), 0.01)?;
    let train = per_second(seconds, batch, || {
        let loss = candle_nn::loss::mse(&net.forward(&x).expect("forward"), &target).expect("loss");
        sgd.backward_step(&loss).expect("step");
    });
    let infer = per_second(seconds, batch, || {
        net.forward(&x).expect("forward");
    });
    Ok((train, infer))
}

/// PyTorch's figures, `(mode, batch) -> samples/s`, or why there are none.
fn pytorch_speed(
    seconds: f64,
    batches: &[usize],
) -> std::result::Result<Vec<(String, usize, f64)>, String> {
    let python = std::env::var_os("BLITZ_TORCH_PYTHON").ok_or(
        "set BLITZ_TORCH_PYTHON=/path/to/python (a Python with torch) to compare with PyTorch",
    )?;
    let script = std::env::temp_dir().join(format!("blitz-train-speed-{}.py", std::process::id()));
    std::fs::write(&script, PYTORCH_SCRIPT)
        .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    let output = Command::new(&python)
        .arg(&script)
        .arg(seconds.to_string())
        .args(batches.iter().map(|b| b.to_string()))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.to_string_lossy()))?;
    let _ = std::fs::remove_file(&script);
    if !output.status.success() {
        return Err(format!(
            "the PyTorch run failed (is torch installed in {}?):\n{}",
            python.to_string_lossy(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let row: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("unreadable line `{line}`: {e}"))?;
            Ok((
                row["mode"].as_str().unwrap_or_default().to_string(),
                row["batch"].as_u64().unwrap_or_default() as usize,
                row["samples_per_s"].as_f64().unwrap_or(f64::NAN),
            ))
        })
        .collect()
}

/// candle's matmul asks for its thread count on every call, reading `/proc/cpuinfo` each time unless
/// `RAYON_NUM_THREADS` is set, a tenth of the baseline's time when measured. A candle user sets the variable; this
/// program sets it for itself by running again with it (blitz never writes the environment): `Some(status)` is
/// that run's exit status, `None` when the variable is already set and the benchmark should run here.
fn rerun_with_thread_count() -> std::io::Result<Option<std::process::ExitStatus>> {
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return Ok(None);
    }
    let threads = candle_core::utils::get_num_threads();
    Command::new(std::env::current_exe()?)
        .args(std::env::args_os().skip(1))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .status()
        .map(Some)
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    if let Some(status) = rerun_with_thread_count()? {
        std::process::exit(status.code().unwrap_or(1));
    }
    let seconds: f64 = match std::env::var("BLITZ_BENCH_SECONDS") {
        Ok(s) => s
            .parse()
            .map_err(|_| format!("BLITZ_BENCH_SECONDS must be a number of seconds, not `{s}`"))?,
        Err(_) => 2.0,
    };
    let mut batches = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.parse::<usize>() {
            Ok(batch) if batch > 0 => batches.push(batch),
            _ => {
                return Err(format!(
                    "`{arg}` is not a batch size: give positive whole numbers, e.g. `-- 64 128`"
                )
                .into())
            }
        }
    }
    if batches.is_empty() {
        batches = BATCHES.to_vec();
    }
    let rounds: usize = match std::env::var("BLITZ_BENCH_ROUNDS") {
        Ok(s) => s.parse().ok().filter(|&r| r > 0).ok_or_else(|| {
            format!("BLITZ_BENCH_ROUNDS must be a whole number above 0, not `{s}`")
        })?,
        Err(_) => 1,
    };
    eprintln!(
        "LeNet, MSE loss, SGD; each figure over at least {seconds} s after 3 warm-up steps, \
         {rounds} round(s) taking turns, median shown"
    );
    let mut figures: Vec<((&str, usize), Vec<Round>)> = Vec::new();
    let mut no_torch = None;
    for round in 1..=rounds {
        let mut this_round = Vec::new();
        for &batch in &batches {
            eprintln!("  round {round}, batch {batch}: blitz, then candle ...");
            let (blitz_train, blitz_infer) = blitz_speed(seconds, batch)?;
            let (candle_train, candle_infer) = candle_speed(seconds, batch)?;
            this_round.push((("train", batch), blitz_train, candle_train));
            this_round.push((("infer", batch), blitz_infer, candle_infer));
        }
        eprintln!("  round {round}: PyTorch (2 threads) ...");
        let torch = pytorch_speed(seconds, &batches);
        if let Err(why) = &torch {
            no_torch = Some(why.clone());
        }
        for (key, blitz, candle) in this_round {
            let pytorch = torch.as_ref().ok().and_then(|t| {
                t.iter()
                    .find(|(m, b, _)| m == key.0 && *b == key.1)
                    .map(|(_, _, v)| *v)
            });
            match figures.iter_mut().find(|(k, _)| *k == key) {
                Some((_, runs)) => runs.push((blitz, candle, pytorch)),
                None => figures.push((key, vec![(blitz, candle, pytorch)])),
            }
        }
    }
    if let Some(why) = no_torch {
        eprintln!("  no PyTorch figures: {why}");
    }
    for ((mode, batch), runs) in figures {
        let blitz = median(runs.iter().map(|r| r.0).collect());
        let candle = median(runs.iter().map(|r| r.1).collect());
        let mut line = format!(
            "{mode} bs={batch}: blitz {blitz:.0}/s, candle {candle:.0}/s, blitz/candle {:.2}",
            blitz / candle
        );
        let torch: Vec<f64> = runs.iter().filter_map(|r| r.2).collect();
        if torch.len() == runs.len() {
            // The ratio of each round (measured minutes apart at most), then their median.
            let ratio = median(runs.iter().map(|r| r.0 / r.2.unwrap_or(f64::NAN)).collect());
            line += &format!(", pytorch {:.0}/s, blitz/pytorch {ratio:.2}", median(torch));
        }
        println!("{line}");
    }
    Ok(())
}
