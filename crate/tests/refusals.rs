//! No learner input panics: every argument a learner can get wrong is refused with a `blitz::Error` whose kind
//! (`code()`) says what is wrong and whose message names the argument and the fix. A panic in a notebook fails the
//! cell and, depending on the kernel's settings, loses the learner's variables; an error does neither.
//!
//! One test per refused input, then a sweep of bad sizes through every layer and function under
//! `catch_unwind`, which must give errors and never a panic.

use blitz::prelude::*;
use blitz::Language;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Asserts that `result` is an error of kind `code` whose English message contains every one of `parts`.
#[track_caller]
fn refused<T>(result: blitz::Result<T>, code: &str, parts: &[&str]) -> Error {
    let error = match result {
        Ok(_) => panic!("expected a `{code}` error, but the call succeeded"),
        Err(e) => e,
    };
    assert_eq!(error.code(), code, "{error:?}");
    let text = error.message_in(Language::En);
    for part in parts {
        assert!(text.contains(part), "`{part}` missing from: {text}");
    }
    error
}

fn image(shape: &[usize]) -> Tensor {
    Tensor::randn(shape).unwrap()
}

// Constructors: sizes and steps of 0.

#[test]
fn maxpool_with_a_kernel_of_0_is_refused_at_construction() {
    refused(
        MaxPool2d::new(0),
        "zero-argument",
        &[
            "MaxPool2d::new",
            "`kernel_size` is 0",
            "at least 1",
            "MaxPool2d::new(2)?",
        ],
    );
}

#[test]
fn maxpool_with_a_stride_of_0_is_refused() {
    refused(
        MaxPool2d::new(2).unwrap().stride(0),
        "zero-argument",
        &[
            "MaxPool2d::stride",
            "`stride` is 0",
            "at least 1",
            ".stride(2)?",
        ],
    );
}

#[test]
fn conv2d_with_0_input_channels_is_refused() {
    refused(
        Conv2d::new(0, 6, 5),
        "zero-argument",
        &["Conv2d::new", "`in_channels` is 0", "Conv2d::new(1, 6, 5)?"],
    );
}

#[test]
fn conv2d_with_0_output_channels_is_refused() {
    refused(
        Conv2d::new(1, 0, 5),
        "zero-argument",
        &["`out_channels` is 0", "Conv2d::new(1, 6, 5)?"],
    );
}

#[test]
fn conv2d_with_a_kernel_of_0_is_refused() {
    refused(
        Conv2d::new(1, 6, 0),
        "zero-argument",
        &["`kernel_size` is 0", "Conv2d::new(1, 6, 5)?"],
    );
}

#[test]
fn conv2d_with_a_stride_of_0_is_refused() {
    refused(
        Conv2d::new(1, 6, 5).unwrap().stride(0),
        "zero-argument",
        &["Conv2d::stride", "`stride` is 0", ".stride(4)?"],
    );
}

#[test]
fn linear_with_0_input_features_is_refused() {
    refused(
        Linear::new(0, 10),
        "zero-argument",
        &[
            "Linear::new",
            "`in_features` is 0",
            "Linear::new(400, 120)?",
        ],
    );
}

#[test]
fn linear_with_0_output_features_is_refused() {
    refused(
        Linear::new(10, 0),
        "zero-argument",
        &["`out_features` is 0", "Linear::new(400, 120)?"],
    );
}

#[test]
fn a_layer_too_large_for_memory_is_refused() {
    refused(
        Linear::new(1 << 21, 1 << 21),
        "tensor-too-large",
        &["Linear::new", "[2097152, 2097152]", "memory"],
    );
}

#[test]
fn lenet_with_kernels_of_0_is_refused() {
    refused(
        Net::with_kernel_size(0),
        "zero-argument",
        &[
            "Net::with_kernel_size",
            "`k` is 0",
            "Net::with_kernel_size(3)?",
        ],
    );
}

#[test]
fn lenet_with_kernels_too_large_for_32x32_images_is_refused() {
    assert!(
        Net::with_kernel_size(10).is_ok(),
        "10x10 still leaves 1x1 maps"
    );
    refused(
        Net::with_kernel_size(11),
        "lenet-kernel-size",
        &["Net::with_kernel_size(11)", "at most 10x10", "Net::new()"],
    );
    refused(Net::with_kernel_size(40), "lenet-kernel-size", &["40x40"]);
    assert_eq!(Net::feature_side(40), 0);
}

// Tensors: empty, too large, values that do not fill the shape.

#[test]
fn a_tensor_with_a_dimension_of_0_is_refused() {
    refused(
        Tensor::zeros(&[0, 3]),
        "empty-tensor",
        &["Tensor::zeros", "[0, 3]", "size 0", "at least 1"],
    );
    refused(Tensor::ones(&[2, 0]), "empty-tensor", &["Tensor::ones"]);
    refused(Tensor::randn(&[0]), "empty-tensor", &["Tensor::randn"]);
    refused(
        Tensor::from_vec(vec![], &[0]),
        "empty-tensor",
        &["Tensor::from_vec"],
    );
    let empty =
        candle_core::Tensor::zeros((2, 0), candle_core::DType::F32, &candle_core::Device::Cpu)
            .unwrap();
    refused(
        Tensor::from_candle(empty),
        "empty-tensor",
        &["Tensor::from_candle", "[2, 0]"],
    );
}

#[test]
fn a_tensor_too_large_to_count_is_refused() {
    refused(
        Tensor::randn(&[usize::MAX, 2]),
        "tensor-too-large",
        &["Tensor::randn", "memory", "Check the sizes"],
    );
}

#[test]
fn a_tensor_too_large_for_memory_is_refused() {
    refused(
        Tensor::zeros(&[1 << 20, 1 << 20]),
        "tensor-too-large",
        &["Tensor::zeros", "[1048576, 1048576]"],
    );
}

#[test]
fn from_vec_with_the_wrong_number_of_values_is_refused() {
    refused(
        Tensor::from_vec(vec![1.0; 5], &[2, 3]),
        "shape-mismatch",
        &[
            "Tensor::from_vec",
            "6 values for shape [2, 3]",
            "[5]",
            "product of the shape",
        ],
    );
}

// Shapes: view, flatten, unsqueeze, t.

#[test]
fn view_to_a_shape_of_another_size_is_refused() {
    let x = image(&[1, 1, 32, 32]);
    refused(
        x.view(&[3, 5]),
        "view-shape",
        &[
            "view",
            "[1, 1, 32, 32]",
            "1024 values",
            "[3, 5]",
            "-1",
            ".view(&[1, -1])?",
        ],
    );
    refused(x.reshape(&[-1, 5]), "view-shape", &["reshape", "[-1, 5]"]);
}

#[test]
fn view_with_two_inferred_sizes_is_refused() {
    refused(image(&[4, 4]).view(&[-1, -1]), "view-shape", &["[-1, -1]"]);
}

#[test]
fn view_with_a_size_of_0_or_below_minus_1_is_refused() {
    refused(image(&[4, 4]).view(&[0, -1]), "view-shape", &["[0, -1]"]);
    refused(image(&[4, 4]).view(&[-2, -8]), "view-shape", &["[-2, -8]"]);
}

#[test]
fn view_with_sizes_whose_product_overflows_is_refused() {
    refused(
        image(&[4, 4]).view(&[i64::MAX, 4, -1]),
        "view-shape",
        &["16 values"],
    );
}

#[test]
fn unsqueeze_beyond_the_last_dimension_is_refused() {
    refused(
        image(&[1, 32, 32]).unsqueeze(4),
        "dim-out-of-range",
        &["unsqueeze", "`dim` is 4", "[1, 32, 32]", "between 0 and 3"],
    );
}

#[test]
fn flatten_from_a_dimension_the_tensor_lacks_is_refused() {
    refused(
        image(&[2, 400]).flatten(2),
        "dim-out-of-range",
        &["flatten", "`start_dim` is 2", "between 0 and 1"],
    );
}

#[test]
fn the_flatten_layer_on_a_1d_tensor_names_its_layer() {
    let net = Sequential::new().append(Flatten);
    let error = refused(
        net.forward(&image(&[10])),
        "dim-out-of-range",
        &["0 (flatten)"],
    );
    assert!(matches!(error, Error::DimOutOfRange { .. }));
}

#[test]
fn transposing_a_tensor_that_is_not_a_matrix_is_refused() {
    refused(
        image(&[2, 3, 4]).t(),
        "shape-mismatch",
        &["t:", "[rows, columns]", "[2, 3, 4]"],
    );
}

#[test]
fn log_softmax_of_a_single_number_is_refused() {
    refused(
        F::log_softmax(&Tensor::scalar(1.0)),
        "shape-mismatch",
        &["log_softmax", "at least one dimension"],
    );
}

// F::conv2d and Conv2d.

#[test]
fn conv2d_with_a_stride_of_0_is_refused_by_the_function() {
    let (x, w) = (image(&[1, 1, 8, 8]), image(&[2, 1, 3, 3]));
    refused(
        F::conv2d(&x, &w, None, 0, 0),
        "zero-argument",
        &[
            "conv2d",
            "`stride` is 0",
            "F::conv2d(&input, &weight, Some(&bias), 1, 0)?",
        ],
    );
}

#[test]
fn conv2d_with_a_weight_of_the_wrong_rank_is_refused() {
    let x = image(&[1, 3, 8, 8]);
    refused(
        F::conv2d(&x, &image(&[6, 5, 5]), None, 1, 0),
        "weight-shape",
        &[
            "conv2d",
            "`weight` has shape [6, 5, 5]",
            "[out_channels, 3, kernel_size, kernel_size]",
            "Tensor::randn(&[6, 3, 5, 5])?",
        ],
    );
}

#[test]
fn conv2d_with_a_bias_of_the_wrong_shape_is_refused() {
    let (x, w) = (image(&[1, 1, 8, 8]), image(&[6, 1, 3, 3]));
    refused(
        F::conv2d(&x, &w, Some(&image(&[5])), 1, 0),
        "bias-shape",
        &[
            "conv2d",
            "`bias` has shape [5]",
            "6 outputs",
            "[6]",
            "Tensor::zeros(&[6])?",
        ],
    );
}

#[test]
fn conv2d_with_an_input_of_the_wrong_rank_is_refused() {
    let w = image(&[6, 1, 3, 3]);
    refused(
        F::conv2d(&image(&[8, 8]), &w, None, 1, 0),
        "shape-mismatch",
        &["conv2d", "[N, 1, H, W]", "[8, 8]"],
    );
}

#[test]
fn conv2d_with_another_number_of_channels_is_refused() {
    let w = image(&[6, 3, 3, 3]);
    refused(
        F::conv2d(&image(&[1, 1, 8, 8]), &w, None, 1, 0),
        "shape-mismatch",
        &["[N, 3, H, W]", "[1, 1, 8, 8]"],
    );
}

#[test]
fn conv2d_without_a_batch_dimension_is_refused() {
    let w = image(&[6, 1, 3, 3]);
    refused(
        F::conv2d(&image(&[1, 8, 8]), &w, None, 1, 0),
        "needs-batch",
        &["unsqueeze(0)", "[1, 1, 8, 8]"],
    );
}

#[test]
fn a_conv_kernel_larger_than_the_padded_input_is_refused() {
    let conv = Conv2d::new(1, 2, 7).unwrap().padding(1);
    refused(
        conv.forward(&image(&[1, 1, 4, 4])),
        "conv-kernel-too-large",
        &[
            "7x7 kernel",
            "4x4 images",
            "`padding` 1",
            "6x6 once padded",
            "more `padding`",
        ],
    );
    // The same kernel fits once padded enough.
    let conv = conv.padding(2);
    assert_eq!(
        conv.forward(&image(&[1, 1, 4, 4])).unwrap().shape(),
        [1, 2, 2, 2]
    );
}

#[test]
fn a_conv_kernel_too_large_names_its_layer_in_a_network() {
    let net = Sequential::new().append(Conv2d::new(1, 2, 9).unwrap());
    refused(
        net.forward(&image(&[1, 1, 8, 8])),
        "conv-kernel-too-large",
        &["0 (conv2d)", "9x9 kernel", "8x8 images"],
    );
}

#[test]
fn a_padding_too_large_for_memory_is_refused() {
    let (x, w) = (image(&[1, 1, 8, 8]), image(&[6, 1, 3, 3]));
    refused(
        F::conv2d(&x, &w, None, 1, 1_000_000),
        "tensor-too-large",
        &["conv2d", "memory"],
    );
    refused(
        F::conv2d(&x, &w, None, 1, usize::MAX / 2),
        "tensor-too-large",
        &["conv2d", "padding"],
    );
}

#[test]
fn a_conv2d_layer_whose_weight_was_replaced_by_a_wrong_one_is_refused() {
    let mut conv = Conv2d::new(1, 6, 5).unwrap();
    conv.weight = image(&[6]);
    let _ = format!("{} {}", conv.repr(), conv.kernel_size());
    refused(
        conv.forward(&image(&[1, 1, 8, 8])),
        "weight-shape",
        &["`weight` has shape [6]"],
    );
}

// F::max_pool2d and MaxPool2d.

#[test]
fn max_pool2d_with_a_kernel_of_0_is_refused() {
    let x = image(&[1, 1, 4, 4]);
    refused(
        F::max_pool2d(&x, 0, 1),
        "zero-argument",
        &[
            "max_pool2d",
            "`kernel_size` is 0",
            "F::max_pool2d(&x, 2, 2)?",
        ],
    );
    refused(x.max_pool2d(0), "zero-argument", &["`kernel_size` is 0"]);
}

#[test]
fn max_pool2d_with_a_stride_of_0_is_refused() {
    refused(
        F::max_pool2d(&image(&[1, 1, 4, 4]), 2, 0),
        "zero-argument",
        &["`stride` is 0"],
    );
}

#[test]
fn a_pooling_window_larger_than_the_input_is_refused() {
    let pool = MaxPool2d::new(5).unwrap();
    refused(
        pool.forward(&image(&[1, 1, 4, 6])),
        "pool-window-too-large",
        &[
            "max_pool2d",
            "5x5 pooling window",
            "`kernel_size`",
            "4x6 images",
            "at most 4",
        ],
    );
    let net = Sequential::new().append(ReLU).append(pool);
    refused(
        net.forward(&image(&[1, 1, 4, 4])),
        "pool-window-too-large",
        &["1 (max_pool2d)"],
    );
}

#[test]
fn max_pool2d_of_an_input_that_is_not_4d_is_refused() {
    refused(
        F::max_pool2d(&image(&[4, 4]), 2, 2),
        "shape-mismatch",
        &["max_pool2d", "[N, C, H, W]", "[4, 4]"],
    );
}

// F::linear, F::addmm and Linear.

#[test]
fn linear_with_a_weight_of_the_wrong_rank_is_refused() {
    let x = image(&[2, 400]);
    refused(
        F::linear(&x, &image(&[400]), &image(&[10])),
        "weight-shape",
        &[
            "linear",
            "`weight` has shape [400]",
            "[out_features, 400]",
            "Tensor::randn(&[10, 400])?",
        ],
    );
}

#[test]
fn linear_with_a_bias_of_the_wrong_shape_is_refused() {
    let x = image(&[2, 400]);
    refused(
        F::linear(&x, &image(&[120, 400]), &image(&[10])),
        "bias-shape",
        &[
            "linear",
            "`bias` has shape [10]",
            "120 outputs",
            "Tensor::zeros(&[120])?",
        ],
    );
}

#[test]
fn linear_with_samples_of_another_size_is_refused() {
    refused(
        F::linear(&image(&[2, 399]), &image(&[120, 400]), &image(&[120])),
        "shape-mismatch",
        &["[N, 400]", "[2, 399]", "Linear::new(399, ...)"],
    );
}

#[test]
fn a_linear_layer_whose_weight_was_replaced_by_a_wrong_one_is_refused() {
    let fc = blitz::nn::Linear {
        weight: image(&[3, 4, 5]),
        bias: image(&[3]),
    };
    let _ = format!("{} {}", fc.repr(), fc.in_features());
    refused(fc.forward(&image(&[2, 4])), "weight-shape", &["[3, 4, 5]"]);
}

#[test]
fn addmm_with_matrices_that_do_not_chain_is_refused() {
    let bias = image(&[5]);
    refused(
        F::addmm(&bias, &image(&[2, 3]), &image(&[4, 5])),
        "shape-mismatch",
        &["addmm", "[3, N] for mat2", "[4, 5]"],
    );
    refused(
        F::addmm(&bias, &image(&[3]), &image(&[3, 5])),
        "shape-mismatch",
        &["[M, K] for mat1", "[3]"],
    );
    refused(
        F::addmm(&image(&[4]), &image(&[2, 3]), &image(&[3, 5])),
        "bias-shape",
        &["addmm", "`bias` has shape [4]", "[5]"],
    );
}

// Losses.

#[test]
fn a_target_class_beyond_the_scores_is_refused() {
    let scores = image(&[3, 10]);
    refused(
        CrossEntropyLoss::new().forward(&scores, &[1, 12, 3]),
        "class-out-of-range",
        &[
            "cross_entropy",
            "`targets[1]` is 12",
            "10 classes",
            "0 to 9",
            "at least 13 scores",
        ],
    );
    refused(
        F::nll_loss(&scores, &[10, 0, 0]),
        "class-out-of-range",
        &["nll_loss", "`targets[0]` is 10"],
    );
}

#[test]
fn a_number_of_targets_other_than_the_rows_of_scores_is_refused() {
    refused(
        CrossEntropyLoss::new().forward(&image(&[3, 10]), &[1, 2]),
        "label-count",
        &["cross_entropy", "3 rows", "2 labels"],
    );
}

// Nothing panics.

/// Every layer and function over sizes of 0, 1, odd and too large, strides of 0 and above the image, paddings of 0
/// to absurd, inputs of every rank: each call must return (Ok or an error), never panic.
#[test]
fn a_sweep_of_bad_sizes_gives_errors_and_never_a_panic() {
    let shapes: &[&[usize]] = &[
        &[1],
        &[7],
        &[3, 4],
        &[1, 4, 4],
        &[1, 1, 1, 1],
        &[1, 1, 4, 4],
        &[2, 3, 5, 7],
        &[1, 1, 2, 3, 4],
    ];
    let sizes = [0usize, 1, 2, 3, 5, 9];
    let paddings = [0usize, 1, 3, 40, usize::MAX / 4, usize::MAX];
    let mut calls = 0;
    let mut check = |what: String, f: &mut dyn FnMut() -> blitz::Result<()>| {
        calls += 1;
        if let Err(payload) = catch_unwind(AssertUnwindSafe(f)) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{what} panicked: {message}");
        }
    };
    for shape in shapes {
        let x = image(shape);
        for &k in &sizes {
            for &s in &sizes {
                check(format!("max_pool2d({shape:?}, {k}, {s})"), &mut || {
                    F::max_pool2d(&x, k, s).map(drop)
                });
                for &p in &paddings {
                    for channels in [1usize, 3] {
                        if k == 0 {
                            continue;
                        }
                        let w = image(&[2, channels, k, k]);
                        let b = image(&[2]);
                        check(
                            format!("conv2d({shape:?}, [2, {channels}, {k}, {k}], s={s}, p={p})"),
                            &mut || F::conv2d(&x, &w, Some(&b), s, p).map(drop),
                        );
                    }
                }
            }
            check(format!("MaxPool2d::new({k})"), &mut || {
                let pool = MaxPool2d::new(k)?.stride(k)?;
                pool.forward(&x).map(drop)
            });
            check(format!("Conv2d::new(1, 2, {k})"), &mut || {
                Conv2d::new(1, 2, k)?.forward(&x).map(drop)
            });
            check(format!("Linear::new({k}, 2)"), &mut || {
                Linear::new(k, 2)?.forward(&x).map(drop)
            });
            check(format!("Net::with_kernel_size({k})"), &mut || {
                Net::with_kernel_size(k)?.forward(&x).map(drop)
            });
            check(format!("unsqueeze({shape:?}, {k})"), &mut || {
                x.unsqueeze(k).map(drop)
            });
            check(format!("flatten({shape:?}, {k})"), &mut || {
                x.flatten(k).map(drop)
            });
            check(format!("nll_loss({shape:?}, [{k}])"), &mut || {
                F::cross_entropy(&x, &[k]).map(drop)
            });
        }
        for w in shapes {
            let w = image(w);
            check(format!("conv2d weight {:?}", w.shape()), &mut || {
                F::conv2d(&x, &w, None, 1, 0).map(drop)
            });
            check(format!("linear weight {:?}", w.shape()), &mut || {
                F::linear(&x, &w, &image(&[2])).map(drop)
            });
            check(format!("mse_loss {:?}", w.shape()), &mut || {
                MSELoss::new().forward(&x, &w).map(drop)
            });
            check(format!("add {:?}", w.shape()), &mut || x.add(&w).map(drop));
        }
        for view in [
            &[-1i64][..],
            &[0],
            &[-1, -1],
            &[2, -1],
            &[-3, 2],
            &[i64::MAX, i64::MAX],
            &[1, -1, 1],
        ] {
            check(format!("view({shape:?}, {view:?})"), &mut || {
                x.view(view).map(drop)
            });
        }
        check(format!("t({shape:?})"), &mut || x.t().map(drop));
        check(format!("log_softmax({shape:?})"), &mut || {
            F::log_softmax(&x).map(drop)
        });
        check(format!("item({shape:?})"), &mut || x.item().map(drop));
        check(format!("backward({shape:?})"), &mut || x.backward());
        check(format!("summary({shape:?})"), &mut || {
            Net::new()?.summary(shape).map(drop)
        });
    }
    assert!(calls > 1000, "the sweep made only {calls} calls");
}
