// blitz patch: rust-analyzer loaded in the background while the kernel is idle.
//
// evcxr asks rust-analyzer for the types of the variables a new cell defines. Its first question in a kernel loads
// the notebook's crate and every dependency (std, candle, blitz: 7-9 s on two cores), so the first cell of a new
// shape a learner writes waited that long. Once the kernel has been idle for a moment after answering a cell
// (evcxr_jupyter's `core.rs` decides), that loading runs on a thread of its own, at the lowest CPU priority, with
// analysis code the shape of a real question (a method call on one of the notebook's variables). A cell that
// needs rust-analyzer while it runs waits for it to finish, as it waited for the same work before; a cell that
// does not need it does not wait. The thread never writes a file: the cell's source on disk may be read by a
// build at the same time. A cell that changes the notebook's manifest (a `:dep`) waits for the loading first, so
// that rust-analyzer's `cargo metadata` and the cell's cargo build never run on the crate at the same time.

use crate::rust_analyzer::RustAnalyzer;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::thread::JoinHandle;

/// rust-analyzer, ready or loading in the background.
pub(crate) struct Analyzer {
    ready: Option<RustAnalyzer>,
    warming_up: Option<JoinHandle<RustAnalyzer>>,
    /// The warm-up thread's id (0 until it has started), to give it back a normal priority when a cell waits.
    warm_up_thread: Arc<AtomicI32>,
    root_directory: PathBuf,
}

impl Analyzer {
    /// An analyzer of the crate in `root_directory` (nothing is loaded yet).
    pub(crate) fn new(root_directory: &Path) -> Result<Analyzer> {
        Ok(Analyzer {
            ready: Some(RustAnalyzer::new(root_directory)?),
            warming_up: None,
            warm_up_thread: Arc::new(AtomicI32::new(0)),
            root_directory: root_directory.to_owned(),
        })
    }

    /// The analyzer, once a warm-up in the background has finished (this waits for it). If that thread could
    /// not give it back, a new one is made, which loads on its first question as upstream's did.
    pub(crate) fn get(&mut self) -> Result<&mut RustAnalyzer> {
        if let Some(handle) = self.warming_up.take() {
            // Waited for now: as urgent as the cell (where the system allows raising a thread's priority).
            set_priority(self.warm_up_thread.load(Ordering::SeqCst), 0);
            if let Ok(analyzer) = handle.join() {
                self.ready = Some(analyzer);
            }
        }
        if self.ready.is_none() {
            self.ready = Some(RustAnalyzer::new(&self.root_directory)?);
        }
        Ok(self.ready.as_mut().expect("set just above"))
    }

    /// Whether a warm-up is running in the background.
    pub(crate) fn is_warming_up(&self) -> bool {
        self.warming_up.is_some()
    }

    /// Starts loading the crate whose manifest is `cargo_toml` in the background and answering `source` (analysis
    /// code), unless it is loaded for that manifest already or loading.
    pub(crate) fn warm_up_in_background(&mut self, cargo_toml: &[u8], source: String) {
        let loaded = self
            .ready
            .as_ref()
            .is_some_and(|analyzer| analyzer.is_loaded_for(cargo_toml));
        if self.warming_up.is_some() || loaded {
            return;
        }
        let Some(mut analyzer) = self.ready.take() else {
            return;
        };
        // If the thread cannot start, the analyzer it would have owned is gone; `get` makes a new one.
        let thread_id = self.warm_up_thread.clone();
        thread_id.store(0, Ordering::SeqCst);
        self.warming_up = std::thread::Builder::new()
            .name("rust-analyzer warm-up".to_owned())
            .spawn(move || {
                let id = this_thread_id();
                // The learner's builds come first.
                set_priority(id, 19);
                thread_id.store(id, Ordering::SeqCst);
                // A panic in rust-analyzer leaves the analyzer usable for the next question (evcxr asks again).
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    analyzer.warm_up(source)
                }));
                analyzer
            })
            .ok();
    }
}

/// The kernel's id of the calling thread (0 where there is none to use).
fn this_thread_id() -> i32 {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no preconditions.
    return unsafe { libc::gettid() };
    #[cfg(not(target_os = "linux"))]
    0
}

/// Sets the nice value of the thread `id` (19: runs only when nothing else wants the processor). Errors are
/// ignored: an unprivileged process may lower a priority but not raise it again.
fn set_priority(id: i32, nice: i32) {
    #[cfg(target_os = "linux")]
    if id > 0 {
        // SAFETY: setpriority only reads its arguments; on Linux, PRIO_PROCESS with a thread id changes that
        // thread alone.
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, id as libc::id_t, nice);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (id, nice);
}
