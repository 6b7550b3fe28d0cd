//! blitz's own convolution (im2col + matrix products) against candle's convolution and candle's autograd, on
//! shapes the PyTorch references do not cover: padding, strides, AlexNet's 11x11 kernel with stride 4, batch 1,
//! non-square images. (LeNet's shapes are checked against PyTorch itself in `parity.rs`.)

mod common;

use blitz::{functional as F, Tensor};
use candle_core::{Device, Tensor as CTensor, Var};
use common::values;

/// Asserts agreement up to the rounding of long f32 sums: these sums run over up to a few thousand unit-size
/// products in another order than candle's, so a difference of 1e-4 is rounding, while an indexing mistake
/// shows up as a difference near 1.
fn assert_close(what: &str, got: &[f32], want: &[f32]) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: {} values, candle has {}",
        got.len(),
        want.len()
    );
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-3 + 1e-4 * w.abs(),
            "{what}[{i}]: blitz {g}, candle {w}"
        );
    }
}

/// Forward, input gradient, weight gradient and bias gradient agree with candle's for one configuration.
fn agrees_with_candle(
    input: [usize; 4],
    out_channels: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
) {
    let what = format!("input {input:?}, {out_channels} filters {kernel}x{kernel}, stride {stride}, padding {padding}");
    let device = Device::Cpu;
    let x = CTensor::randn(0f32, 1., input.as_slice(), &device).unwrap();
    let w = CTensor::randn(0f32, 1., (out_channels, input[1], kernel, kernel), &device).unwrap();
    let b = CTensor::randn(0f32, 1., out_channels, &device).unwrap();

    // candle: forward, then backward of sum(y * upstream) through its own autograd.
    let (xv, wv, bv) = (
        Var::from_tensor(&x).unwrap(),
        Var::from_tensor(&w).unwrap(),
        Var::from_tensor(&b).unwrap(),
    );
    let y = xv
        .conv2d(&wv, padding, stride, 1, 1)
        .unwrap()
        .broadcast_add(&bv.reshape((1, out_channels, 1, 1)).unwrap())
        .unwrap();
    let upstream = CTensor::randn(0f32, 1., y.dims(), &device).unwrap();
    let grads = (&y * &upstream)
        .unwrap()
        .sum_all()
        .unwrap()
        .backward()
        .unwrap();

    // blitz, the same computation.
    let bx = Tensor::from_candle(x).unwrap().requires_grad_(true);
    let bw = Tensor::from_candle(w).unwrap().requires_grad_(true);
    let bb = Tensor::from_candle(b).unwrap().requires_grad_(true);
    let out = F::conv2d(&bx, &bw, Some(&bb), stride, padding).unwrap();
    assert_eq!(out.shape(), y.dims().to_vec(), "{what}: output shape");
    assert_close(
        &format!("{what}: output"),
        &out.to_vec().unwrap(),
        &values(&y),
    );
    out.backward_with(&Tensor::from_candle(upstream).unwrap())
        .unwrap();
    for (name, blitz, candle) in [
        ("input gradient", &bx, grads.get(&xv).unwrap()),
        ("weight gradient", &bw, grads.get(&wv).unwrap()),
        ("bias gradient", &bb, grads.get(&bv).unwrap()),
    ] {
        let got = blitz.grad().unwrap();
        assert_eq!(got.shape(), candle.dims().to_vec(), "{what}: {name} shape");
        assert_close(
            &format!("{what}: {name}"),
            &got.to_vec().unwrap(),
            &values(candle),
        );
    }
}

#[test]
fn lenet_shapes() {
    agrees_with_candle([4, 1, 32, 32], 6, 5, 1, 0);
    agrees_with_candle([4, 6, 14, 14], 16, 5, 1, 0);
}

#[test]
fn batch_of_one() {
    agrees_with_candle([1, 1, 32, 32], 6, 5, 1, 0);
    agrees_with_candle([1, 6, 15, 15], 16, 3, 1, 0);
}

#[test]
fn padding_keeps_the_size() {
    agrees_with_candle([2, 3, 13, 13], 8, 3, 1, 1);
    agrees_with_candle([2, 4, 9, 9], 5, 5, 1, 2);
}

#[test]
fn strides_skip_positions() {
    agrees_with_candle([2, 3, 17, 17], 4, 3, 2, 0);
    agrees_with_candle([2, 3, 16, 16], 4, 4, 3, 1);
}

#[test]
fn alexnet_first_layer_kernel_11_stride_4() {
    agrees_with_candle([1, 3, 63, 63], 8, 11, 4, 2);
}

#[test]
fn non_square_images() {
    agrees_with_candle([2, 2, 12, 20], 3, 3, 1, 1);
}

/// A padding wider than the image leaves whole rows of windows over nothing but zeros (found by the sweep in
/// `refusals.rs`, where it used to index out of bounds).
#[test]
fn padding_wider_than_the_image() {
    agrees_with_candle([1, 1, 4, 4], 2, 9, 1, 3);
    agrees_with_candle([2, 2, 3, 5], 3, 3, 1, 4);
    agrees_with_candle([1, 2, 3, 3], 2, 2, 2, 3);
}

/// Stride 1 without padding takes the wide window matrix (one copy per window value, products over whole image
/// rows): non-square images and kernels, a kernel as large as the image (one output value), a 1x1 kernel (every
/// column an output), and a batch large enough to run on several threads.
#[test]
fn wide_layout_edges() {
    agrees_with_candle([2, 3, 7, 11], 4, 3, 1, 0);
    agrees_with_candle([2, 2, 5, 5], 3, 5, 1, 0);
    agrees_with_candle([2, 3, 6, 4], 2, 1, 1, 0);
    agrees_with_candle([64, 6, 14, 14], 16, 5, 1, 0);
}
