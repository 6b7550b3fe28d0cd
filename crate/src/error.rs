//! The one error type of the crate: every failure a learner can meet, with a message that says what to do, in the
//! learner's language (see [`crate::messages`]).

use crate::messages::{self, render, shape, Language};
use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong in blitz. Match on the variant (its kind, also named by [`Error::code`]); show the
/// message to a person (`Display`, in the language of [`messages::language`], or [`Error::message_in`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A layer got an input without a batch dimension.
    NeedsBatch {
        /// The layer that refused the input, e.g. `conv1 (conv2d)`.
        layer: String,
        /// The number of channels the layer expects.
        channels: usize,
        /// The shape that arrived.
        got: Vec<usize>,
        /// The shape after `unsqueeze(0)`.
        fixed: Vec<usize>,
    },
    /// A layer got an input whose shape it cannot take.
    ShapeMismatch {
        /// The layer (or operation) that refused the input.
        layer: String,
        /// What the layer takes, such as `[N, 400]`.
        expected: String,
        /// The shape that arrived.
        got: Vec<usize>,
        /// Where the wrong number comes from and how to fix it.
        hint: Hint,
    },
    /// A loss got a target whose shape differs from the network's output.
    TargetShape {
        /// The loss, e.g. `MSELoss`.
        loss: String,
        /// The output's shape.
        output: Vec<usize>,
        /// The target's shape.
        target: Vec<usize>,
    },
    /// `backward()` was called on a tensor with more than one element.
    BackwardNeedsGradient {
        /// The shape of the tensor `backward()` was called on.
        shape: Vec<usize>,
    },
    /// `backward()` was called on a tensor that no parameter contributed to.
    NoGraph,
    /// The graph behind this tensor was already used by a `backward` and its saved values were freed.
    GraphFreed {
        /// The node whose saved values are gone.
        node: String,
    },
    /// A gradient passed to `backward_with` does not have the output's shape.
    GradientShape {
        /// The output's shape.
        expected: Vec<usize>,
        /// The gradient's shape.
        got: Vec<usize>,
    },
    /// An optimizer step would have put NaN or infinite values into a parameter; nothing was changed.
    NonFiniteParameter {
        /// The parameter, e.g. `fc1.weight`.
        param: String,
        /// The optimizer's learning rate.
        lr: f64,
    },
    /// A loss came out NaN or infinite.
    NonFiniteLoss {
        /// The loss, e.g. `MSELoss`.
        loss: String,
        /// The value it gave (NaN or ±inf).
        value: f32,
    },
    /// A language code blitz has no messages in.
    UnknownLanguage {
        /// The code given.
        given: String,
    },
    /// A weight file lacks a tensor the network needs.
    MissingTensor {
        /// The file read.
        file: PathBuf,
        /// The missing name.
        key: String,
        /// The names the file does have (shortened).
        available: String,
    },
    /// A tensor in a weight file has the wrong shape for the network.
    WrongTensorShape {
        /// The file read.
        file: PathBuf,
        /// The tensor's name.
        key: String,
        /// The shape the network needs.
        expected: Vec<usize>,
        /// The shape in the file.
        got: Vec<usize>,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file involved.
        file: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// An error from candle itself.
    Candle(candle_core::Error),
}

/// The help added to a [`Error::ShapeMismatch`]: where the wrong size comes from and the fix.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Hint {
    /// No extra help.
    None,
    /// A linear layer got samples with another number of features than it was made for.
    LinearFeatures {
        /// Features per sample that arrived.
        arrived: usize,
        /// Features the layer was made for.
        made_for: usize,
    },
    /// A linear layer got samples that are not flat.
    Flatten,
    /// LeNet's fc1 does not fit the feature maps its convolutions produce (for 32x32 images).
    Fc1 {
        /// Values per sample after flattening (16 feature maps of side x side).
        flat: usize,
        /// The input size fc1 was made for.
        made_for: usize,
        /// The kernel size of the convolutions.
        kernel: usize,
    },
    /// Both sides of an element-wise operation must have one shape.
    SameShape,
    /// `Tensor::from_vec` got a number of values that does not fill the shape.
    FromVec,
    /// New values for a parameter must have its shape.
    SetData,
}

/// The result type of blitz.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The same error, naming the layer it happened in: `conv2d` becomes `conv1 (conv2d)`, then `features.conv1 (conv2d)`.
    pub fn at_layer(mut self, name: &str) -> Error {
        if let Error::NeedsBatch { layer, .. } | Error::ShapeMismatch { layer, .. } = &mut self {
            *layer = if layer.contains(" (") {
                format!("{name}.{layer}")
            } else {
                format!("{name} ({layer})")
            };
        }
        self
    }

    /// A stable name of the kind of error, the same in every language (`"needs-batch"`, `"target-shape"`, ...):
    /// for logs, tests and programs that do not match on the variant.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NeedsBatch { .. } => "needs-batch",
            Error::ShapeMismatch { .. } => "shape-mismatch",
            Error::TargetShape { .. } => "target-shape",
            Error::BackwardNeedsGradient { .. } => "backward-needs-gradient",
            Error::NoGraph => "no-graph",
            Error::GraphFreed { .. } => "graph-freed",
            Error::GradientShape { .. } => "gradient-shape",
            Error::NonFiniteParameter { .. } => "non-finite-parameter",
            Error::NonFiniteLoss { .. } => "non-finite-loss",
            Error::UnknownLanguage { .. } => "unknown-language",
            Error::MissingTensor { .. } => "missing-tensor",
            Error::WrongTensorShape { .. } => "wrong-tensor-shape",
            Error::Io { .. } => "io",
            Error::Candle(_) => "candle",
        }
    }

    /// The message in a given language (`Display` uses [`messages::language`]).
    pub fn message_in(&self, language: Language) -> String {
        let key = self.code();
        let text = |args: &[(&str, String)]| render(language, key, args);
        match self {
            Error::NeedsBatch {
                layer,
                channels,
                got,
                fixed,
            } => text(&[
                ("layer", layer.clone()),
                ("channels", channels.to_string()),
                ("got", shape(got)),
                ("fixed", shape(fixed)),
            ]),
            Error::ShapeMismatch {
                layer,
                expected,
                got,
                hint,
            } => {
                let mut out = text(&[
                    ("layer", layer.clone()),
                    ("expected", expected.clone()),
                    ("got", shape(got)),
                ]);
                if let Some(help) = hint.message_in(language) {
                    // Japanese and Chinese sentences follow each other without a space.
                    if matches!(language, Language::En | Language::Ko) {
                        out.push(' ');
                    }
                    out.push_str(&help);
                }
                out
            }
            Error::TargetShape {
                loss,
                output,
                target,
            } => text(&[
                ("loss", loss.clone()),
                ("output", shape(output)),
                ("target", shape(target)),
            ]),
            Error::BackwardNeedsGradient { shape: s } => text(&[("shape", shape(s))]),
            Error::NoGraph => text(&[]),
            Error::GraphFreed { node } => text(&[("node", node.clone())]),
            Error::GradientShape { expected, got } => {
                text(&[("expected", shape(expected)), ("got", shape(got))])
            }
            Error::NonFiniteParameter { param, lr } => text(&[
                ("param", param.clone()),
                ("lr", lr.to_string()),
                ("smaller", (lr / 10.0).to_string()),
            ]),
            Error::NonFiniteLoss { loss, value } => {
                text(&[("loss", loss.clone()), ("value", value.to_string())])
            }
            Error::UnknownLanguage { given } => {
                let supported: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
                text(&[
                    ("given", given.clone()),
                    ("supported", supported.join(", ")),
                ])
            }
            Error::MissingTensor {
                file,
                key,
                available,
            } => text(&[
                ("file", file.display().to_string()),
                ("key", key.clone()),
                ("available", available.clone()),
            ]),
            Error::WrongTensorShape {
                file,
                key,
                expected,
                got,
            } => text(&[
                ("file", file.display().to_string()),
                ("key", key.clone()),
                ("expected", shape(expected)),
                ("got", shape(got)),
            ]),
            Error::Io { file, source } => format!("{}: {source}", file.display()),
            Error::Candle(e) => e.to_string(),
        }
    }
}

impl Hint {
    /// The help in a given language; `None` for [`Hint::None`].
    pub fn message_in(&self, language: Language) -> Option<String> {
        let (key, args): (&str, Vec<(&str, String)>) = match self {
            Hint::None => return None,
            Hint::LinearFeatures { arrived, made_for } => (
                "hint-linear-features",
                vec![
                    ("arrived", arrived.to_string()),
                    ("made_for", made_for.to_string()),
                ],
            ),
            Hint::Flatten => ("hint-flatten", vec![]),
            Hint::Fc1 {
                flat,
                made_for,
                kernel,
            } => (
                "hint-fc1",
                vec![
                    ("side", (((flat / 16) as f64).sqrt() as usize).to_string()),
                    ("flat", flat.to_string()),
                    ("made_for", made_for.to_string()),
                    ("k", kernel.to_string()),
                    (
                        "expected_side",
                        crate::nn::Net::feature_side(*kernel).to_string(),
                    ),
                ],
            ),
            Hint::SameShape => ("hint-same-shape", vec![]),
            Hint::FromVec => ("hint-from-vec", vec![]),
            Hint::SetData => ("hint-set-data", vec![]),
        };
        Some(render(language, key, &args))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_in(messages::language()))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Candle(e) => Some(e),
            _ => None,
        }
    }
}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Error {
        Error::Candle(e)
    }
}
