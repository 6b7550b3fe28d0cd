//! Recomputes, with blitz, every value of a PyTorch reference file (the format of `lenet5.safetensors`).
//!
//! The inputs are the keys `param.<name>`, `input`, `input_batch4`, `target` and `backward_vector`; the
//! outputs are every other key of that format, named the same, so the two files can be compared key by key.
//! Used by the parity tests and by the `pytorch_parity` example.

use crate::nn::{ModuleExt, Net};
use crate::optim::{Adam, Optimizer, SGD};
use crate::{functional, Error, Result, Tensor};
use candle_core::Tensor as CTensor;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The keys a reference file must provide, with the shape each must have (`k` is the kernel size).
fn required_inputs(k: usize) -> Vec<(String, Vec<usize>)> {
    let side = Net::feature_side(k);
    let mut keys: Vec<(String, Vec<usize>)> = vec![
        ("input".into(), vec![1, 1, 32, 32]),
        ("input_batch4".into(), vec![4, 1, 32, 32]),
        ("target".into(), vec![1, 10]),
        ("backward_vector".into(), vec![1, 10]),
    ];
    for (name, shape) in [
        ("conv1.weight", vec![6, 1, k, k]),
        ("conv1.bias", vec![6]),
        ("conv2.weight", vec![16, 6, k, k]),
        ("conv2.bias", vec![16]),
        ("fc1.weight", vec![120, 16 * side * side]),
        ("fc1.bias", vec![120]),
        ("fc2.weight", vec![84, 120]),
        ("fc2.bias", vec![84]),
        ("fc3.weight", vec![10, 84]),
        ("fc3.bias", vec![10]),
    ] {
        keys.push((format!("param.{name}"), shape));
    }
    keys
}

/// The inputs of a reference file, checked: every key present with the right shape.
pub struct ReferenceInputs {
    tensors: HashMap<String, CTensor>,
    file: PathBuf,
    kernel_size: usize,
}

impl ReferenceInputs {
    /// Reads a reference file; the kernel size comes from the shape of `param.conv1.weight`.
    pub fn load(path: &Path) -> Result<ReferenceInputs> {
        let tensors = candle_core::safetensors::load(path, &candle_core::Device::Cpu)
            .map_err(|e| crate::nn::module_io_error(path, e))?;
        let file = path.to_path_buf();
        let missing = |key: &str| Error::MissingTensor {
            file: file.clone(),
            key: key.into(),
            available: format!("{} tensors", tensors.len()),
        };
        let conv1 = tensors
            .get("param.conv1.weight")
            .ok_or_else(|| missing("param.conv1.weight"))?;
        let kernel_size = match conv1.dims() {
            [6, 1, k, k2] if k == k2 && (1..=7).contains(k) => *k,
            other => {
                return Err(Error::WrongTensorShape {
                    file,
                    key: "param.conv1.weight".into(),
                    expected: vec![6, 1, 5, 5],
                    got: other.to_vec(),
                })
            }
        };
        for (key, shape) in required_inputs(kernel_size) {
            let t = tensors.get(&key).ok_or_else(|| missing(&key))?;
            if t.dims() != shape.as_slice() {
                return Err(Error::WrongTensorShape {
                    file,
                    key,
                    expected: shape,
                    got: t.dims().to_vec(),
                });
            }
        }
        Ok(ReferenceInputs {
            tensors,
            file,
            kernel_size,
        })
    }

    /// The kernel size of the network in the file.
    pub fn kernel_size(&self) -> usize {
        self.kernel_size
    }

    fn get(&self, key: &str) -> Result<Tensor> {
        Tensor::from_candle(self.tensors[key].clone())
    }

    /// A LeNet holding the file's starting weights.
    pub fn net(&self) -> Result<Net> {
        let net = Net::with_kernel_size(self.kernel_size)?;
        net.load_with_prefix(&self.file, "param.")?;
        Ok(net)
    }

    /// Every output key of the format, computed by blitz.
    pub fn compute(&self) -> Result<HashMap<String, CTensor>> {
        let mut out = HashMap::new();
        let input = self.get("input")?;
        let target = self.get("target")?;
        let loss_of = |net: &Net| -> Result<Tensor> {
            functional::mse_loss(&crate::nn::Module::forward(net, &input)?, &target)
        };
        let put_params =
            |out: &mut HashMap<String, CTensor>, prefix: &str, net: &Net, grads: bool| {
                for (name, p) in net.named_parameters() {
                    let value = if grads {
                        p.grad_candle()
                    } else {
                        Some(p.candle())
                    };
                    if let Some(v) = value {
                        out.insert(format!("{prefix}.{name}"), v);
                    }
                }
            };

        let net = self.net()?;
        out.insert(
            "out".into(),
            crate::nn::Module::forward(&net, &input)?.candle(),
        );
        let batch = self.get("input_batch4")?;
        out.insert(
            "out_batch4".into(),
            crate::nn::Module::forward(&net, &batch)?.candle(),
        );

        net.zero_grad();
        let output = crate::nn::Module::forward(&net, &input)?;
        output.backward_with(&self.get("backward_vector")?)?;
        put_params(&mut out, "vjp_grad", &net, true);

        net.zero_grad();
        let loss = loss_of(&net)?;
        out.insert("loss".into(), loss.candle().reshape(1)?);
        loss.backward()?;
        put_params(&mut out, "grad", &net, true);

        // The hand-written update, from these gradients.
        for (name, p) in net.named_parameters() {
            let grad = p.grad().expect("backward gave every parameter a gradient");
            let updated = p.data().sub(&grad.scale(0.01)?)?;
            out.insert(format!("after_manual_sgd.{name}"), updated.candle());
        }

        loss_of(&net)?.backward()?;
        put_params(&mut out, "grad_twice", &net, true);

        type MakeOpt = fn(Vec<Tensor>) -> Box<dyn Optimizer>;
        let optimizers: [(&str, MakeOpt); 3] = [
            ("sgd", |p| Box::new(SGD::new(p, 0.01))),
            ("sgd_nesterov", |p| {
                Box::new(SGD::new(p, 0.01).momentum(0.9).nesterov(true))
            }),
            ("adam", |p| Box::new(Adam::new(p, 1e-3))),
        ];
        for (name, make) in optimizers {
            let net = self.net()?;
            let mut opt = make(net.parameters());
            for step in 0..3 {
                opt.zero_grad();
                let loss = loss_of(&net)?;
                loss.backward()?;
                opt.step()?;
                out.insert(format!("{name}.loss{step}"), loss.candle().reshape(1)?);
            }
            put_params(&mut out, &format!("{name}.after3"), &net, false);
        }
        Ok(out)
    }
}
