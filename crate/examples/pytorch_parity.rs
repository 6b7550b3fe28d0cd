//! Recomputes a PyTorch reference file with blitz:
//! `cargo run --release -p blitz --example pytorch_parity -- IN.safetensors OUT.safetensors`.
//!
//! Reads the `param.*`, `input`, `input_batch4`, `target` and `backward_vector` keys of IN and writes every
//! other key of that format, computed by blitz, to OUT. Exits non-zero with a message on a bad file.

use blitz::reference::ReferenceInputs;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: pytorch_parity IN.safetensors OUT.safetensors");
        return ExitCode::from(2);
    };
    let result = ReferenceInputs::load(input)
        .and_then(|r| r.compute())
        .and_then(|values| {
            candle_core::safetensors::save(&values, output).map_err(blitz::Error::from)?;
            Ok(values.len())
        });
    match result {
        Ok(n) => {
            println!("wrote {n} tensors to {}", output.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
