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
    /// A classification loss got a number of labels other than its number of rows of scores.
    LabelCount {
        /// The loss, e.g. `CrossEntropyLoss`.
        loss: String,
        /// Rows of scores: one per sample.
        rows: usize,
        /// Labels given.
        count: usize,
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
    /// A data file (MNIST's IDX format, gzip-compressed or not) that cannot be read as digits.
    DataFile {
        /// The file read (or the folder, when a file is missing from it).
        file: PathBuf,
        /// What is wrong with it.
        problem: DataProblem,
    },
    /// blitz could not find the digits that come with the course (`data/digits/`).
    DigitsNotFound {
        /// The folders looked in, in order.
        looked_in: Vec<PathBuf>,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file involved.
        file: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// An argument that must be at least 1 is 0: a kernel size, a stride, a number of channels or features.
    ZeroArgument {
        /// The function or constructor called, e.g. `MaxPool2d::new`.
        call: String,
        /// The argument's name, e.g. `kernel_size`.
        argument: String,
        /// A call that works, e.g. `MaxPool2d::new(2)?`.
        example: String,
    },
    /// `Net::with_kernel_size` with kernels too large for LeNet's 32x32 images.
    LeNetKernelSize {
        /// The kernel size given.
        k: usize,
    },
    /// A shape with a dimension of size 0: blitz's tensors hold at least one value.
    EmptyTensor {
        /// The function called, e.g. `Tensor::zeros`.
        call: String,
        /// The shape given.
        shape: Vec<usize>,
    },
    /// A tensor (given or computed) too large for memory.
    TensorTooLarge {
        /// The function called, e.g. `Tensor::randn` or `conv2d`.
        call: String,
        /// The shape of the tensor that could not be made.
        shape: String,
    },
    /// A pooling window larger than the input's images.
    PoolWindowTooLarge {
        /// The layer (or function), e.g. `max_pool2d`.
        layer: String,
        /// The side of the square window.
        kernel: usize,
        /// The input's shape, `[N, C, H, W]`.
        got: Vec<usize>,
    },
    /// A convolution kernel larger than the input's images, even after padding.
    ConvKernelTooLarge {
        /// The layer (or function), e.g. `conv1 (conv2d)`.
        layer: String,
        /// The kernel's height and width.
        kernel: (usize, usize),
        /// The zeros added on every side.
        padding: usize,
        /// The input's shape, `[N, C, H, W]`.
        got: Vec<usize>,
    },
    /// A weight of the wrong shape given to `F::conv2d` or `F::linear` (or set on a layer).
    WeightShape {
        /// The layer (or function), e.g. `linear`.
        layer: String,
        /// The shape it must have, e.g. `[out_features, 400]`.
        expected: String,
        /// The weight's shape.
        got: Vec<usize>,
        /// A call that makes a weight of the right shape.
        example: String,
    },
    /// A bias whose shape is not `[outputs]`.
    BiasShape {
        /// The layer (or function), e.g. `conv2d`.
        layer: String,
        /// The number of outputs (output channels or features) the weight gives.
        outputs: usize,
        /// The bias's shape.
        got: Vec<usize>,
    },
    /// A dimension index beyond the tensor's dimensions (`unsqueeze`, `flatten`).
    DimOutOfRange {
        /// The function called, e.g. `unsqueeze`.
        call: String,
        /// The argument's name, e.g. `dim`.
        argument: String,
        /// The dimension given.
        dim: usize,
        /// The largest dimension allowed for this tensor.
        max: usize,
        /// The tensor's shape.
        shape: Vec<usize>,
    },
    /// `view`/`reshape` to a shape that cannot hold the tensor's values.
    ViewShape {
        /// The method called: `view` or `reshape`.
        call: String,
        /// The shape asked for.
        requested: Vec<i64>,
        /// The tensor's shape.
        input: Vec<usize>,
    },
    /// A target class index not below the number of classes.
    ClassOutOfRange {
        /// The loss, e.g. `cross_entropy`.
        loss: String,
        /// Where the target is in the list.
        position: usize,
        /// The target given.
        index: usize,
        /// The number of classes the scores have.
        classes: usize,
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
    /// LeNet got images of another size than the 32x32 it was made for.
    ImageSize {
        /// The images' height.
        height: usize,
        /// The images' width.
        width: usize,
    },
    /// Both sides of an element-wise operation must have one shape.
    SameShape,
    /// `Tensor::from_vec` got a number of values that does not fill the shape.
    FromVec,
    /// New values for a parameter must have its shape.
    SetData,
}

/// What is wrong with a data file, in an [`Error::DataFile`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DataProblem {
    /// The file is shorter than its header says: the download or copy was cut short.
    Truncated {
        /// Bytes the header (or the header itself) needs.
        expected: usize,
        /// Bytes the file has.
        found: usize,
    },
    /// The file is longer than its header says.
    TooLong {
        /// Bytes the header announces.
        expected: usize,
        /// Bytes the file has.
        found: usize,
    },
    /// The file does not start with the magic number of an IDX images file (`0x00000803`).
    NotImages {
        /// The first four bytes, big-endian.
        found: u32,
    },
    /// The file does not start with the magic number of an IDX labels file (`0x00000801`).
    NotLabels {
        /// The first four bytes, big-endian.
        found: u32,
    },
    /// The images file and the labels file hold different numbers of digits.
    CountMismatch {
        /// Images in the images file.
        images: usize,
        /// Labels in the labels file.
        labels: usize,
        /// The labels file (the error's `file` is the images file).
        labels_file: PathBuf,
    },
    /// A label is not a digit from 0 to 9.
    LabelOutOfRange {
        /// The position of the label in the file (from 0).
        index: usize,
        /// The label found.
        label: u8,
    },
    /// The file starts like gzip (`1f 8b`) but cannot be decompressed.
    BadGzip {
        /// What the decompressor said.
        reason: String,
    },
    /// The folder has no file of this name (`.gz` or not).
    MissingFile {
        /// The file looked for, e.g. `train-images-idx3-ubyte`.
        name: String,
    },
}

/// The result type of blitz.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The same error, naming the layer it happened in: `conv2d` becomes `conv1 (conv2d)`, then `features.conv1 (conv2d)`.
    pub fn at_layer(mut self, name: &str) -> Error {
        if let Error::NeedsBatch { layer, .. }
        | Error::ShapeMismatch { layer, .. }
        | Error::PoolWindowTooLarge { layer, .. }
        | Error::ConvKernelTooLarge { layer, .. }
        | Error::WeightShape { layer, .. }
        | Error::BiasShape { layer, .. }
        | Error::DimOutOfRange { call: layer, .. } = &mut self
        {
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
            Error::LabelCount { .. } => "label-count",
            Error::BackwardNeedsGradient { .. } => "backward-needs-gradient",
            Error::NoGraph => "no-graph",
            Error::GraphFreed { .. } => "graph-freed",
            Error::GradientShape { .. } => "gradient-shape",
            Error::NonFiniteParameter { .. } => "non-finite-parameter",
            Error::NonFiniteLoss { .. } => "non-finite-loss",
            Error::UnknownLanguage { .. } => "unknown-language",
            Error::MissingTensor { .. } => "missing-tensor",
            Error::WrongTensorShape { .. } => "wrong-tensor-shape",
            Error::DataFile { .. } => "data-file",
            Error::DigitsNotFound { .. } => "digits-not-found",
            Error::Io { .. } => "io",
            Error::ZeroArgument { .. } => "zero-argument",
            Error::LeNetKernelSize { .. } => "lenet-kernel-size",
            Error::EmptyTensor { .. } => "empty-tensor",
            Error::TensorTooLarge { .. } => "tensor-too-large",
            Error::PoolWindowTooLarge { .. } => "pool-window-too-large",
            Error::ConvKernelTooLarge { .. } => "conv-kernel-too-large",
            Error::WeightShape { .. } => "weight-shape",
            Error::BiasShape { .. } => "bias-shape",
            Error::DimOutOfRange { .. } => "dim-out-of-range",
            Error::ViewShape { .. } => "view-shape",
            Error::ClassOutOfRange { .. } => "class-out-of-range",
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
            Error::LabelCount { loss, rows, count } => text(&[
                ("loss", loss.clone()),
                ("rows", rows.to_string()),
                ("count", count.to_string()),
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
            Error::DataFile { file, problem } => problem.message_in(language, file),
            Error::DigitsNotFound { looked_in } => {
                let folders: Vec<String> = looked_in
                    .iter()
                    .map(|p| format!("  {}", p.display()))
                    .collect();
                text(&[("looked_in", folders.join("\n"))])
            }
            Error::Io { file, source } => format!("{}: {source}", file.display()),
            Error::ZeroArgument {
                call,
                argument,
                example,
            } => text(&[
                ("call", call.clone()),
                ("argument", argument.clone()),
                ("example", example.clone()),
            ]),
            Error::LeNetKernelSize { k } => text(&[("k", k.to_string())]),
            Error::EmptyTensor { call, shape: s } => {
                text(&[("call", call.clone()), ("shape", shape(s))])
            }
            Error::TensorTooLarge { call, shape } => {
                text(&[("call", call.clone()), ("shape", shape.clone())])
            }
            Error::PoolWindowTooLarge { layer, kernel, got } => {
                let (h, w) = image_size(got);
                text(&[
                    ("layer", layer.clone()),
                    ("k", kernel.to_string()),
                    ("got", shape(got)),
                    ("h", h.to_string()),
                    ("w", w.to_string()),
                    ("max", h.min(w).to_string()),
                ])
            }
            Error::ConvKernelTooLarge {
                layer,
                kernel: (kh, kw),
                padding,
                got,
            } => {
                let (h, w) = image_size(got);
                let padded = |side: usize| side.saturating_add(padding.saturating_mul(2));
                text(&[
                    ("layer", layer.clone()),
                    ("kh", kh.to_string()),
                    ("kw", kw.to_string()),
                    ("padding", padding.to_string()),
                    ("got", shape(got)),
                    ("h", h.to_string()),
                    ("w", w.to_string()),
                    ("ph", padded(h).to_string()),
                    ("pw", padded(w).to_string()),
                ])
            }
            Error::WeightShape {
                layer,
                expected,
                got,
                example,
            } => text(&[
                ("layer", layer.clone()),
                ("expected", expected.clone()),
                ("got", shape(got)),
                ("example", example.clone()),
            ]),
            Error::BiasShape {
                layer,
                outputs,
                got,
            } => text(&[
                ("layer", layer.clone()),
                ("outputs", outputs.to_string()),
                ("got", shape(got)),
            ]),
            Error::DimOutOfRange {
                call,
                argument,
                dim,
                max,
                shape: s,
            } => text(&[
                ("call", call.clone()),
                ("argument", argument.clone()),
                ("dim", dim.to_string()),
                ("max", max.to_string()),
                ("shape", shape(s)),
            ]),
            Error::ViewShape {
                call,
                requested,
                input,
            } => {
                let count: usize = input.iter().product();
                let example = match input.first() {
                    Some(&n) if input.len() > 1 => format!("[{n}, -1]"),
                    _ => "[-1]".to_string(),
                };
                text(&[
                    ("call", call.clone()),
                    ("requested", format!("{requested:?}")),
                    ("input", shape(input)),
                    ("count", count.to_string()),
                    ("example", example),
                ])
            }
            Error::ClassOutOfRange {
                loss,
                position,
                index,
                classes,
            } => text(&[
                ("loss", loss.clone()),
                ("position", position.to_string()),
                ("index", index.to_string()),
                ("classes", classes.to_string()),
                ("max", classes.saturating_sub(1).to_string()),
                ("needed", index.saturating_add(1).to_string()),
            ]),
            Error::Candle(e) => e.to_string(),
        }
    }
}

/// The height and width of an `[N, C, H, W]` shape (0 for missing dimensions).
fn image_size(shape: &[usize]) -> (usize, usize) {
    let at = |i: usize| shape.get(i).copied().unwrap_or(0);
    (at(2), at(3))
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
            Hint::ImageSize { height, width } => (
                "hint-image-size",
                vec![("height", height.to_string()), ("width", width.to_string())],
            ),
            Hint::SameShape => ("hint-same-shape", vec![]),
            Hint::FromVec => ("hint-from-vec", vec![]),
            Hint::SetData => ("hint-set-data", vec![]),
        };
        Some(render(language, key, &args))
    }
}

impl DataProblem {
    /// The message for `file` in a given language.
    pub fn message_in(&self, language: Language, file: &std::path::Path) -> String {
        let hex = |magic: u32| format!("0x{magic:08x}");
        let (key, mut args): (&str, Vec<(&str, String)>) = match self {
            DataProblem::Truncated { expected, found } => (
                "data-truncated",
                vec![
                    ("expected", expected.to_string()),
                    ("found", found.to_string()),
                ],
            ),
            DataProblem::TooLong { expected, found } => (
                "data-too-long",
                vec![
                    ("expected", expected.to_string()),
                    ("found", found.to_string()),
                ],
            ),
            DataProblem::NotImages { found } => ("data-not-images", vec![("found", hex(*found))]),
            DataProblem::NotLabels { found } => ("data-not-labels", vec![("found", hex(*found))]),
            DataProblem::CountMismatch {
                images,
                labels,
                labels_file,
            } => (
                "data-count-mismatch",
                vec![
                    ("images", images.to_string()),
                    ("labels", labels.to_string()),
                    ("labels_file", labels_file.display().to_string()),
                ],
            ),
            DataProblem::LabelOutOfRange { index, label } => (
                "data-label-out-of-range",
                vec![("index", index.to_string()), ("label", label.to_string())],
            ),
            DataProblem::BadGzip { reason } => ("data-bad-gzip", vec![("reason", reason.clone())]),
            DataProblem::MissingFile { name } => {
                ("data-missing-file", vec![("name", name.clone())])
            }
        };
        args.push(("file", file.display().to_string()));
        render(language, key, &args)
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
