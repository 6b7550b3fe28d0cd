//! A reference file with a missing key or a tensor of the wrong shape is refused with a message naming both.

mod common;

use blitz::reference::ReferenceInputs;
use blitz::Error;

fn write_without(key: &str, reshape: Option<(&str, &[usize])>) -> std::path::PathBuf {
    let mut tensors = common::load("lenet5.safetensors");
    tensors.remove(key);
    if let Some((name, shape)) = reshape {
        let n: usize = shape.iter().product();
        let t = candle_core::Tensor::zeros(n, candle_core::DType::F32, &candle_core::Device::Cpu)
            .unwrap()
            .reshape(shape)
            .unwrap();
        tensors.insert(name.to_string(), t);
    }
    let dir = std::env::temp_dir().join(format!("blitz-ref-{}-{key}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.safetensors");
    candle_core::safetensors::save(&tensors, &path).unwrap();
    path
}

#[test]
fn a_missing_key_is_named() {
    let path = write_without("input", None);
    let err = ReferenceInputs::load(&path).err().expect("refused");
    assert!(matches!(err, Error::MissingTensor { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("`input`") && message.contains("broken.safetensors"),
        "{message}"
    );
}

#[test]
fn a_wrong_shape_is_named() {
    let path = write_without("none", Some(("target", &[10])));
    let err = ReferenceInputs::load(&path).err().expect("refused");
    assert!(matches!(err, Error::WrongTensorShape { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("target") && message.contains("[10]"),
        "{message}"
    );
}

#[test]
fn the_full_file_computes_every_reference_key() {
    let inputs = ReferenceInputs::load(&common::fixture("lenet5.safetensors")).unwrap();
    let computed = inputs.compute().unwrap();
    let reference = common::load("lenet5.safetensors");
    for key in reference.keys() {
        let is_input = key.starts_with("param.")
            || ["input", "input_batch4", "target", "backward_vector"].contains(&key.as_str());
        assert!(
            is_input || computed.contains_key(key),
            "blitz does not compute `{key}`"
        );
    }
}
