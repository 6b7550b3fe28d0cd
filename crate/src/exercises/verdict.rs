//! What a check says about an answer, and how a check runs an answer without letting it panic.

use crate::display::html::escape_with_code;
use crate::messages::{language, render, Language};
use crate::{Error, Tensor};
use std::any::Any;
use std::cell::Cell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// Why an answer does not pass yet.
#[derive(Debug)]
#[non_exhaustive]
pub enum Problem {
    /// The answer still reaches `todo!()` (or `unimplemented!()`): it has not been written yet.
    Todo,
    /// The answer panicked; the panic's message.
    Panicked(String),
    /// The answer returned an error.
    Failed(Error),
    /// The answer ran but gave something else than expected.
    Wrong {
        /// What was checked, already in the learner's language.
        what: String,
        /// The expected value, as text.
        expected: String,
        /// What the answer gave, as text.
        found: String,
    },
}

/// The result of checking one exercise: passed, or why not, with the exercise's hint.
///
/// It prints as one message in the learner's language, shows as a coloured box in a notebook, and
/// [`Verdict::assert`] turns it into a test failure for `cargo test`.
#[derive(Debug)]
pub struct Verdict {
    /// The exercise's id, e.g. `num_flat_features`.
    pub exercise: &'static str,
    /// `None` when the answer passed.
    pub problem: Option<Problem>,
}

impl Verdict {
    /// Whether the answer passed every check.
    pub fn passed(&self) -> bool {
        self.problem.is_none()
    }

    /// A short machine-readable reason: `passed`, `todo`, `panicked`, `error` or `wrong`.
    pub fn code(&self) -> &'static str {
        match &self.problem {
            None => "passed",
            Some(Problem::Todo) => "todo",
            Some(Problem::Panicked(_)) => "panicked",
            Some(Problem::Failed(_)) => "error",
            Some(Problem::Wrong { .. }) => "wrong",
        }
    }

    /// The verdict in `language`: one paragraph, then the hint when the answer did not pass.
    pub fn message_in(&self, language: Language) -> String {
        let exercise = ("exercise", self.exercise.to_string());
        let main = match &self.problem {
            None => return render(language, "exercise-passed", &[exercise]),
            Some(Problem::Todo) => render(language, "exercise-todo", &[exercise]),
            Some(Problem::Panicked(message)) => render(
                language,
                "exercise-panicked",
                &[exercise, ("message", message.clone())],
            ),
            Some(Problem::Failed(error)) => render(
                language,
                "exercise-error",
                &[exercise, ("error", error.message_in(language))],
            ),
            Some(Problem::Wrong {
                what,
                expected,
                found,
            }) => render(
                language,
                "exercise-wrong",
                &[
                    exercise,
                    ("what", what.clone()),
                    ("expected", expected.clone()),
                    ("found", found.clone()),
                ],
            ),
        };
        let hint = render(language, &format!("hint-ex-{}", self.exercise), &[]);
        format!(
            "{main}\n{}",
            render(language, "exercise-hint", &[("hint", hint)])
        )
    }

    /// Panics with the verdict's message unless the answer passed: the `cargo test` form of a check.
    ///
    /// # Panics
    /// When the answer did not pass (that is how a test fails).
    pub fn assert(&self) {
        if !self.passed() {
            panic!("\n{}\n", self.message_in(language()));
        }
    }

    /// Shows the verdict in a notebook: green when passed, red with expected, found and the hint when not.
    pub fn evcxr_display(&self) {
        let (colour, background) = if self.passed() {
            ("#1a7f37", "#e6f4ea")
        } else {
            ("#b42318", "#fdecea")
        };
        let body = escape_with_code(&self.message_in(language())).replace('\n', "<br>");
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n<div style=\"border-left:4px solid {colour};\
             background:{background};padding:6px 10px;white-space:pre-wrap\">{body}</div>\nEVCXR_END_CONTENT"
        );
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_in(language()))
    }
}

thread_local! {
    /// Set while a check runs the learner's code: panics are then caught and reported in the verdict instead of
    /// being printed by the panic hook.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs one check of exercise `exercise`: `body` calls the learner's code and compares; a panic inside it
/// (including `todo!()`) becomes the verdict instead of escaping.
pub(crate) fn run(exercise: &'static str, body: impl FnOnce() -> Result<(), Problem>) -> Verdict {
    install_quiet_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(body));
    QUIET.with(|q| q.set(was_quiet));
    let problem = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(problem)) => Some(problem),
        Err(payload) => Some(from_panic(payload)),
    };
    Verdict { exercise, problem }
}

/// Wraps the process's panic hook once (per copy of blitz) so that it stays silent while a check runs on this
/// thread; other threads and other times print panics as before.
fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
}

/// The problem a panic payload describes: `todo!()`/`unimplemented!()` mean "not written yet".
fn from_panic(payload: Box<dyn Any + Send>) -> Problem {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string());
    if message.starts_with("not yet implemented") || message.starts_with("not implemented") {
        Problem::Todo
    } else {
        Problem::Panicked(message)
    }
}

/// The check's own helpers: turning an answer's error into a problem, comparing values.
pub(crate) trait OrProblem<T> {
    /// An error the learner's code returned becomes [`Problem::Failed`].
    fn or_problem(self) -> Result<T, Problem>;
}

impl<T> OrProblem<T> for crate::Result<T> {
    fn or_problem(self) -> Result<T, Problem> {
        self.map_err(Problem::Failed)
    }
}

/// The message `key` in the current language: what a check compares, for [`Problem::Wrong`].
pub(crate) fn what(key: &str, args: &[(&str, String)]) -> String {
    render(language(), key, args)
}

/// [`Problem::Wrong`] unless `expected == found`.
pub(crate) fn same<T: PartialEq + fmt::Debug>(
    what: String,
    expected: T,
    found: T,
) -> Result<(), Problem> {
    if expected == found {
        Ok(())
    } else {
        Err(Problem::Wrong {
            what,
            expected: format!("{expected:?}"),
            found: format!("{found:?}"),
        })
    }
}

/// [`Problem::Wrong`] unless `module`'s parameters have exactly these names and shapes, in this order.
pub(crate) fn same_parameters(
    expected: Vec<(String, Vec<usize>)>,
    module: &dyn crate::nn::Module,
) -> Result<(), Problem> {
    use crate::nn::ModuleExt;
    let found: Vec<(String, Vec<usize>)> = module
        .named_parameters()
        .into_iter()
        .map(|(name, p)| (name, p.shape()))
        .collect();
    same(what("check-parameter-shapes", &[]), expected, found)
}

/// [`Problem::Wrong`] unless `found` has `expected`'s shape and every value within a relative/absolute
/// tolerance of 1e-4 (float rounding differs between a sum written by hand and blitz's own).
pub(crate) fn close(what: String, expected: &Tensor, found: &Tensor) -> Result<(), Problem> {
    same(what.clone(), expected.shape(), found.shape())?;
    let e = expected.to_vec().map_err(Problem::Failed)?;
    let f = found.to_vec().map_err(Problem::Failed)?;
    let ok = e
        .iter()
        .zip(&f)
        .all(|(a, b)| (a - b).abs() <= 1e-4 + 1e-4 * a.abs());
    if ok {
        Ok(())
    } else {
        Err(Problem::Wrong {
            what,
            expected: preview(&e),
            found: preview(&f),
        })
    }
}

/// The first values of a tensor as text, `[0.1234, -0.5678, ...]`.
pub(crate) fn preview(values: &[f32]) -> String {
    let shown: Vec<String> = values.iter().take(6).map(|v| format!("{v:.4}")).collect();
    let more = if values.len() > 6 { ", ..." } else { "" };
    format!("[{}{more}]", shown.join(", "))
}
