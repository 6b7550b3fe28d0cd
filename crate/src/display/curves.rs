//! A training run as two curves, drawn with plotters as SVG: the training loss falling and the held-out
//! accuracy rising, epoch by epoch. SVG text is written as `<text>` and drawn by the browser, so no font file is
//! needed.

use crate::metrics::TrainingHistory;
use crate::{Error, Result};
use plotters::prelude::*;
use std::fmt;

/// The size of the whole picture, in pixels: two plots side by side.
const SIZE: (u32, u32) = (760, 300);
const LOSS_COLOUR: RGBColor = RGBColor(220, 90, 30);
const ACCURACY_COLOUR: RGBColor = RGBColor(30, 100, 200);

/// A plotting failure (plotters drawing into a string; not expected), as an error of blitz.
fn plot_error(e: impl fmt::Display) -> Error {
    Error::Io {
        file: "training-curves.svg".into(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Draws one curve over epochs `1..=values.len()` in `area`, with `y` as its range.
fn curve(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    values: &[f64],
    y: std::ops::Range<f64>,
    colour: RGBColor,
    y_format: &dyn Fn(&f64) -> String,
) -> Result<()> {
    let epochs = values.len() as i32;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(0..epochs + 1, y)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .x_labels((epochs as usize + 2).min(12))
        .y_labels(6)
        .y_label_formatter(y_format)
        .light_line_style(WHITE)
        .draw()
        .map_err(plot_error)?;
    // A NaN or infinite value (a diverged run) is left out rather than stretching the axis to infinity.
    let points: Vec<(i32, f64)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| (i as i32 + 1, v))
        .collect();
    chart
        .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
        .map_err(plot_error)?;
    chart
        .draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 3, colour.filled())),
        )
        .map_err(plot_error)?;
    Ok(())
}

impl TrainingHistory {
    /// The two curves as an SVG picture: the mean training loss of each epoch (left) and the held-out accuracy
    /// after it, in percent (right).
    pub fn to_svg(&self) -> Result<String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            root.fill(&WHITE).map_err(plot_error)?;
            let (left, right) = root.split_horizontally(SIZE.0 / 2);
            let finite = |values: &[f64]| -> Vec<f64> {
                values.iter().copied().filter(|v| v.is_finite()).collect()
            };
            let top_loss = finite(self.losses()).into_iter().fold(0.0, f64::max);
            let top_loss = if top_loss > 0.0 { top_loss * 1.1 } else { 1.0 };
            curve(
                &left,
                "training loss",
                self.losses(),
                0.0..top_loss,
                LOSS_COLOUR,
                &|v| format!("{v:.2}"),
            )?;
            let percent: Vec<f64> = self.accuracies().iter().map(|a| 100.0 * a).collect();
            let shown = finite(&percent);
            let lowest = shown.iter().copied().fold(100.0, f64::min);
            let top = shown.iter().copied().fold(100.0, f64::max);
            // From the nearest multiple of 5 below the lowest accuracy, so that the last points are told apart.
            let bottom = ((lowest - 1.0) / 5.0).floor().max(0.0) * 5.0;
            curve(
                &right,
                "held-out accuracy (%)",
                &percent,
                bottom.min(top - 5.0)..top,
                ACCURACY_COLOUR,
                &|v| format!("{v:.0}"),
            )?;
            root.present().map_err(plot_error)?;
        }
        Ok(svg)
    }

    /// Shows the curves in a notebook (SVG); the numbers themselves are in `Display`.
    pub fn evcxr_display(&self) {
        match self.to_svg() {
            Ok(svg) => println!("EVCXR_BEGIN_CONTENT image/svg+xml\n{svg}\nEVCXR_END_CONTENT"),
            Err(e) => println!("EVCXR_BEGIN_CONTENT text/plain\n{e}\nEVCXR_END_CONTENT"),
        }
    }
}

impl fmt::Display for TrainingHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "epoch  training loss  held-out accuracy")?;
        for (i, (loss, accuracy)) in self.losses().iter().zip(self.accuracies()).enumerate() {
            write!(
                f,
                "\n{:>5}  {loss:>13.4}  {:>16.1}%",
                i + 1,
                100.0 * accuracy
            )?;
        }
        Ok(())
    }
}
