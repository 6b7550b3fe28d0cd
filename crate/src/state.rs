//! Everything blitz keeps for the whole process, in one place, and how it crosses the copies of blitz in a
//! notebook.
//!
//! # What is kept
//!
//! | state | scope | set by | read by |
//! | --- | --- | --- | --- |
//! | the language of messages | process | [`set_language`](crate::set_language), else `BLITZ_LANG` or the locale, once | every message |
//! | whether operations record the graph | thread | [`no_grad`](crate::no_grad) | every operation |
//! | the random generator (ChaCha12) | thread | [`manual_seed`](crate::manual_seed) | `randn`, layer initialisation |
//! | the rows of a summary being taken | thread | [`Summary::of`](crate::nn::Summary::of) | every built-in layer's forward |
//!
//! Grad mode, the generator and the summary recorder are per thread, as PyTorch's `no_grad` is: tests running in
//! parallel threads each see their own. Nothing here is written to the environment: `BLITZ_LANG` is only read, once,
//! the first time a message needs a language. (Two other process-wide settings, the thread count of rayon's pool
//! and malloc's thresholds, are fixed once per copy in `process.rs`; every copy fixes them the same way.)
//!
//! # Why it cannot simply be a `static`
//!
//! evcxr compiles every notebook cell into its own `cdylib`, with its own statically linked copy of blitz (only
//! `std` is shared, as `libstd-*.so`), and `dlopen`s it with `RTLD_LOCAL` into the process that keeps the variables.
//! (The course's kernel links every cell against one `libblitz.so` instead, since blitz is also built as a `dylib`:
//! then there is a single copy and what follows changes nothing. Stock evcxr, or any program that links blitz into
//! several shared libraries, has many.)
//! Each copy has its own `static`s and `thread_local!`s, and a value keeps running the code of the cell that built
//! it: a `Sequential` built in cell 3 runs cell 3's `Linear::forward` when cell 7 calls it. A flag set by cell 7's
//! `no_grad` in cell 7's copy would never be seen by that layer.
//!
//! # How the copies share one state
//!
//! Every copy exports the same C symbol, [`blitz_shared_state_v1`]: a `#[repr(C)]` table of `extern "C"` functions
//! that read and change *its own copy's* state. The first time a copy needs the state, it looks the symbol up with
//! `dlsym(RTLD_DEFAULT, ..)`, which glibc answers from the process's global scope first and then from the calling
//! library's own (local) scope:
//!
//! - found in another library: an earlier copy already published its table; this copy uses it from now on;
//! - found in this copy's own library: no copy has published yet. This copy publishes itself: it finds its own
//!   file with `dladdr` and re-opens it with `dlopen(path, RTLD_NOLOAD | RTLD_GLOBAL | RTLD_LAZY)`, which
//!   (documented in `dlopen(3)`) adds an already-loaded library to the global scope without loading it again, and
//!   takes a reference that is never released, so the library can never be unloaded (evcxr never unloads a cell's
//!   library anyway: `runtime.rs` forgets every `Library` it opened). It then looks the symbol up again: the
//!   global scope only grows at its end, so every copy, even two publishing at once, ends up with the first table
//!   that was published;
//! - not found: the symbol is not exported, which is the case in an ordinary program or test binary (an executable
//!   exports nothing). There is a single copy of blitz, and it uses its own table directly.
//!
//! The table's address is then kept in an atomic of the copy, so after the first use reading grad mode costs one
//! load and one indirect call. Measured in a notebook cell (a copy that is not the owner), best of 7 x 20M calls of
//! `is_grad_enabled()` on the loaded 2-core machine (2026-12-06): 8.3 ns per call, against 10.5 ns for the
//! thread-local each copy read before (a `thread_local!` in a `dlopen`ed library goes through `__tls_get_addr`
//! too). A LeNet training step makes a few dozen such calls (one per operation and per layer) in hundreds of
//! microseconds; `cargo run --release -p blitz --example train_speed` showed no difference beyond its noise.
//!
//! Everything that crosses copies is plain C data: integers, `bool`, `f32` buffers and strings as a pointer and a
//! length, shapes as `u64` arrays. No Rust type does (its layout could differ between two builds of blitz): the
//! generator, the summary rows and the thread-locals stay inside the copy that owns the table. Rows come back
//! through a callback the caller passes. The table starts with an ABI version and its own size: a copy accepts a
//! table of the same version at least as large as its own. A later blitz may append entries at the end and keep
//! the version; a change to an existing entry needs a new version and a new symbol name (`_v2`), so copies of the
//! two versions never read each other's tables. A table a copy cannot use leaves that copy with its own state. None of the functions can unwind: each one guards
//! against a thread-local already destroyed or borrowed, and otherwise does nothing that panics.
//!
//! On other systems than Linux, each copy uses its own table (only evcxr on Linux is tested here).

use crate::Language;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use rand_distr::StandardNormal;
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// The layout version of [`SharedState`]; a change to an existing entry raises it and renames the symbol.
const ABI_VERSION: u32 = 1;

/// Called once per recorded layer by [`SharedState::summary_finish`]: the context the caller passed, the layer's
/// type name (UTF-8, pointer and length), its output shape (pointer and length) and its parameter count.
type RowVisitor = extern "C" fn(*mut c_void, *const u8, usize, *const u64, usize, u64);

/// The table a copy of blitz publishes: its version, its size, then functions over its own state.
///
/// The course's kernel reads the first three fields too (`kernel/evcxr-patch/learner_messages.rs`: the language of
/// its own messages), so they stay first in every version 1 table.
#[repr(C)]
pub struct SharedState {
    /// [`ABI_VERSION`] of the copy that made the table.
    abi_version: u32,
    /// `size_of::<SharedState>()` in the copy that made the table: later versions only append entries.
    size: u32,
    /// The language: 0 when neither `set_language` nor `BLITZ_LANG` chose one, else 1 + its index in
    /// [`Language::ALL`].
    language: extern "C" fn() -> u32,
    /// Sets the language (1 + its index in [`Language::ALL`]).
    set_language: extern "C" fn(u32),
    /// Whether this thread's operations record the graph.
    grad_enabled: extern "C" fn() -> bool,
    /// Turns graph recording on or off for this thread; returns what it was.
    set_grad_enabled: extern "C" fn(bool) -> bool,
    /// Re-seeds this thread's generator.
    manual_seed: extern "C" fn(u64),
    /// Fills `len` values at the pointer from the standard normal distribution.
    fill_normal: extern "C" fn(*mut f32, usize),
    /// Fills `len` values at the pointer uniformly from `[-bound, bound)` (zeros if `bound` is not positive).
    fill_uniform: extern "C" fn(*mut f32, usize, f32),
    /// Starts recording layers on this thread, forgetting any rows recorded so far.
    summary_start: extern "C" fn(),
    /// Whether layers on this thread are being recorded.
    summary_recording: extern "C" fn() -> bool,
    /// Notes one layer: type name (pointer, length), output shape (pointer, length), parameter count.
    summary_record: extern "C" fn(*const u8, usize, *const u64, usize, u64),
    /// Stops recording and hands every row, in order, to the visitor (if any) with the context pointer.
    summary_finish: extern "C" fn(Option<RowVisitor>, *mut c_void),
}

/// The table other copies of blitz look up by name (see the module documentation). Never read directly except as
/// the fallback when no other table is found.
#[no_mangle]
#[allow(non_upper_case_globals)]
pub static blitz_shared_state_v1: SharedState = SharedState {
    abi_version: ABI_VERSION,
    size: std::mem::size_of::<SharedState>() as u32,
    language: own::language,
    set_language: own::set_language,
    grad_enabled: own::grad_enabled,
    set_grad_enabled: own::set_grad_enabled,
    manual_seed: own::manual_seed,
    fill_normal: own::fill_normal,
    fill_uniform: own::fill_uniform,
    summary_start: own::summary_start,
    summary_recording: own::summary_recording,
    summary_record: own::summary_record,
    summary_finish: own::summary_finish,
};

/// The table this copy uses, once found; null before.
static TABLE: AtomicPtr<SharedState> = AtomicPtr::new(std::ptr::null_mut());

/// The table this copy uses: the first one published in the process, or its own.
#[inline]
fn table() -> &'static SharedState {
    let found = TABLE.load(Ordering::Acquire);
    if found.is_null() {
        find_table()
    } else {
        // SAFETY: TABLE only ever holds the address of a `'static` table (ours, or one in a library that is never
        // unloaded: the lookup holds a reference to it), checked by `usable` before it was stored.
        unsafe { &*found }
    }
}

#[cold]
fn find_table() -> &'static SharedState {
    let found = lookup::published().unwrap_or(&blitz_shared_state_v1);
    // Two threads may both get here; both find the same table (see the module documentation).
    TABLE.store(
        found as *const SharedState as *mut SharedState,
        Ordering::Release,
    );
    found
}

/// Whether a table found in the process can be used by this copy: the same version, and every entry this copy
/// calls is there.
fn usable(version: u32, size: u32) -> bool {
    version == ABI_VERSION && size as usize >= std::mem::size_of::<SharedState>()
}

#[cfg(target_os = "linux")]
mod lookup {
    use super::{blitz_shared_state_v1, usable, SharedState};
    use std::ffi::{c_void, CStr};

    const SYMBOL: &CStr = c"blitz_shared_state_v1";

    /// The file (its base address) a code or data address belongs to, and its path.
    fn object_of(address: *const c_void) -> Option<(usize, &'static CStr)> {
        // SAFETY: dladdr only reads the loader's tables and fills `info`; it accepts any address.
        let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
        if unsafe { libc::dladdr(address, &mut info) } == 0 || info.dli_fname.is_null() {
            return None;
        }
        // SAFETY: dli_fname points to the loader's own copy of the library's name, kept while it is loaded; the
        // library is ours or one we hold a reference to, so it is never unloaded.
        Some((info.dli_fbase as usize, unsafe {
            CStr::from_ptr(info.dli_fname)
        }))
    }

    /// `blitz_shared_state_v1` as the dynamic loader finds it from this copy, if it is exported at all.
    fn find() -> Option<&'static SharedState> {
        // SAFETY: dlsym is thread-safe and takes a NUL-terminated name; a symbol of this name is only ever a
        // `SharedState` (a blitz copy's table), and the library defining it stays loaded (dlsym from a library
        // records a dependency on the one it finds, and evcxr never unloads a cell's library).
        let found =
            unsafe { libc::dlsym(libc::RTLD_DEFAULT, SYMBOL.as_ptr()) } as *const SharedState;
        if found.is_null() {
            return None;
        }
        // SAFETY: as above; the two leading `u32` fields exist in every version of the table.
        let (version, size) = unsafe { ((*found).abi_version, (*found).size) };
        // SAFETY: checked to be a table of this layout, in a library that is not unloaded.
        usable(version, size).then(|| unsafe { &*found })
    }

    /// The table published in the process (publishing this copy's own if none is yet), or `None` when this copy
    /// cannot share (its table is not exported: an ordinary executable with one copy of blitz).
    pub(super) fn published() -> Option<&'static SharedState> {
        let found = find()?;
        let own = object_of(published as *const c_void)?;
        let found_in = object_of(found as *const SharedState as *const c_void)?;
        if found_in.0 != own.0 {
            return Some(found); // an earlier copy's table, already in the global scope
        }
        // Our own table, found in our local scope: publish it by adding our library to the global scope.
        // SAFETY: RTLD_NOLOAD never loads anything; it re-opens the library this code is running from, already
        // loaded, and the handle is deliberately never closed (the library must stay loaded).
        let handle = unsafe {
            libc::dlopen(
                own.1.as_ptr(),
                libc::RTLD_NOLOAD | libc::RTLD_GLOBAL | libc::RTLD_LAZY,
            )
        };
        if handle.is_null() {
            return Some(&blitz_shared_state_v1); // e.g. the main program: nothing else can share anyway
        }
        // The first table in the global scope: ours, or one another copy published while we were doing this.
        find()
    }
}

#[cfg(not(target_os = "linux"))]
mod lookup {
    use super::SharedState;

    /// Sharing is only implemented on Linux: every copy uses its own table.
    pub(super) fn published() -> Option<&'static SharedState> {
        None
    }
}

/// This copy's own state and the functions its table points to. Only the copy whose table was published is used;
/// the others' stay untouched.
mod own {
    use super::*;

    /// 0 until a language is chosen, else 1 + its index in [`Language::ALL`].
    static LANGUAGE: AtomicU32 = AtomicU32::new(0);

    thread_local! {
        static GRAD_ENABLED: Cell<bool> = const { Cell::new(true) };
        static RNG: RefCell<Option<ChaCha12Rng>> = const { RefCell::new(None) };
        static RECORDER: RefCell<Option<Vec<Row>>> = const { RefCell::new(None) };
    }

    /// One recorded layer, as given to `summary_record`.
    struct Row {
        layer_type: String,
        dims: Vec<u64>,
        params: u64,
    }

    pub(super) extern "C" fn language() -> u32 {
        let code = LANGUAGE.load(Ordering::Acquire);
        if code != 0 {
            return code;
        }
        // Chosen by nobody yet: the user's environment decides, read once: `BLITZ_LANG`, else the locale
        // (`LC_ALL`, `LC_MESSAGES`, `LANG`, e.g. `ja_JP.UTF-8`), so `cargo test` speaks the learner's language.
        let from_env = [
            crate::messages::LANGUAGE_VAR,
            "LC_ALL",
            "LC_MESSAGES",
            "LANG",
        ]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find_map(|code| Language::from_code(&code).ok())
        .map_or(0, language_code);
        match LANGUAGE.compare_exchange(0, from_env, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => from_env,
            Err(chosen) => chosen,
        }
    }

    pub(super) extern "C" fn set_language(code: u32) {
        LANGUAGE.store(code, Ordering::Release);
    }

    pub(super) extern "C" fn grad_enabled() -> bool {
        GRAD_ENABLED.try_with(Cell::get).unwrap_or(true)
    }

    pub(super) extern "C" fn set_grad_enabled(enabled: bool) -> bool {
        GRAD_ENABLED
            .try_with(|e| e.replace(enabled))
            .unwrap_or(true)
    }

    /// A generator seeded from the system, or from the clock if the system has no randomness to give.
    fn unseeded() -> ChaCha12Rng {
        ChaCha12Rng::try_from_os_rng().unwrap_or_else(|_| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            ChaCha12Rng::seed_from_u64(nanos)
        })
    }

    /// Runs `f` with this thread's generator (a throw-away one if it cannot be reached).
    fn with_rng(f: impl FnOnce(&mut ChaCha12Rng)) {
        let mut f = Some(f);
        let _ = RNG.try_with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                if let Some(f) = f.take() {
                    f(slot.get_or_insert_with(unseeded));
                }
            }
        });
        if let Some(f) = f {
            f(&mut unseeded());
        }
    }

    pub(super) extern "C" fn manual_seed(seed: u64) {
        let _ = RNG.try_with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                *slot = Some(ChaCha12Rng::seed_from_u64(seed));
            }
        });
    }

    /// The buffer behind a pointer and a length given by another copy (empty for a null pointer).
    ///
    /// # Safety
    /// `values` must be null or point to `len` initialised values that nothing else uses during the call.
    unsafe fn borrowed_mut<'a, T>(values: *mut T, len: usize) -> &'a mut [T] {
        if values.is_null() || len == 0 {
            &mut []
        } else {
            std::slice::from_raw_parts_mut(values, len)
        }
    }

    pub(super) extern "C" fn fill_normal(values: *mut f32, len: usize) {
        // SAFETY: the caller (`super::fill_normal`) passes a `&mut [f32]`'s pointer and length.
        let values = unsafe { borrowed_mut(values, len) };
        with_rng(|r| values.fill_with(|| r.sample::<f32, _>(StandardNormal)));
    }

    pub(super) extern "C" fn fill_uniform(values: *mut f32, len: usize, bound: f32) {
        // SAFETY: as in fill_normal.
        let values = unsafe { borrowed_mut(values, len) };
        // `random_range` panics on an empty range, and a panic cannot cross this function.
        if bound > 0.0 && bound.is_finite() {
            with_rng(|r| values.fill_with(|| r.random_range(-bound..bound)));
        } else {
            values.fill(0.0);
        }
    }

    pub(super) extern "C" fn summary_start() {
        let _ = RECORDER.try_with(|r| {
            if let Ok(mut rows) = r.try_borrow_mut() {
                *rows = Some(Vec::new());
            }
        });
    }

    pub(super) extern "C" fn summary_recording() -> bool {
        RECORDER
            .try_with(|r| r.try_borrow().is_ok_and(|rows| rows.is_some()))
            .unwrap_or(false)
    }

    pub(super) extern "C" fn summary_record(
        layer_type: *const u8,
        layer_type_len: usize,
        dims: *const u64,
        dims_len: usize,
        params: u64,
    ) {
        // SAFETY: the caller (`super::summary_record`) passes a `&str`'s and a `&[u64]`'s pointers and lengths,
        // only read here.
        let (layer_type, dims) = unsafe {
            (
                borrowed(layer_type, layer_type_len),
                borrowed(dims, dims_len),
            )
        };
        let _ = RECORDER.try_with(|r| {
            if let Ok(mut slot) = r.try_borrow_mut() {
                if let Some(rows) = slot.as_mut() {
                    rows.push(Row {
                        layer_type: String::from_utf8_lossy(layer_type).into_owned(),
                        dims: dims.to_vec(),
                        params,
                    });
                }
            }
        });
    }

    pub(super) extern "C" fn summary_finish(visit: Option<RowVisitor>, context: *mut c_void) {
        let rows = RECORDER
            .try_with(|r| r.try_borrow_mut().ok().and_then(|mut slot| slot.take()))
            .ok()
            .flatten()
            .unwrap_or_default();
        if let Some(visit) = visit {
            for row in &rows {
                visit(
                    context,
                    row.layer_type.as_ptr(),
                    row.layer_type.len(),
                    row.dims.as_ptr(),
                    row.dims.len(),
                    row.params,
                );
            }
        }
    }
}

/// A language as it crosses copies: 1 + its index in [`Language::ALL`] (a list only ever appended to).
fn language_code(language: Language) -> u32 {
    Language::ALL
        .iter()
        .position(|&l| l == language)
        .map_or(0, |i| i as u32 + 1)
}

/// The language chosen for messages, if any: by [`set_language`], or else by `BLITZ_LANG`.
pub(crate) fn language() -> Option<Language> {
    let code = (table().language)() as usize;
    code.checked_sub(1)
        .and_then(|i| Language::ALL.get(i).copied())
}

/// Chooses the language of messages for the whole process.
pub(crate) fn set_language(language: Language) {
    (table().set_language)(language_code(language))
}

/// Whether operations on this thread record the graph.
#[inline]
pub(crate) fn grad_enabled() -> bool {
    (table().grad_enabled)()
}

/// Turns graph recording on or off for this thread; returns what it was.
pub(crate) fn set_grad_enabled(enabled: bool) -> bool {
    (table().set_grad_enabled)(enabled)
}

/// Re-seeds this thread's generator.
pub(crate) fn manual_seed(seed: u64) {
    (table().manual_seed)(seed)
}

/// Fills `values` from the standard normal distribution, with this thread's generator.
pub(crate) fn fill_normal(values: &mut [f32]) {
    (table().fill_normal)(values.as_mut_ptr(), values.len())
}

/// Fills `values` uniformly from `[-bound, bound)`, with this thread's generator (zeros if `bound` is not
/// positive).
pub(crate) fn fill_uniform(values: &mut [f32], bound: f32) {
    (table().fill_uniform)(values.as_mut_ptr(), values.len(), bound)
}

/// Starts recording the layers that run on this thread (for a summary).
pub(crate) fn summary_start() {
    (table().summary_start)()
}

/// Whether the layers that run on this thread are being recorded.
#[inline]
pub(crate) fn summary_recording() -> bool {
    (table().summary_recording)()
}

/// Notes a layer that ran: its type, its output's shape and its parameter count.
pub(crate) fn summary_record(layer_type: &str, dims: &[usize], params: usize) {
    let dims: Vec<u64> = dims.iter().map(|&d| d as u64).collect();
    (table().summary_record)(
        layer_type.as_ptr(),
        layer_type.len(),
        dims.as_ptr(),
        dims.len(),
        params as u64,
    )
}

/// A layer as recorded: its type, its output's shape and its parameter count.
pub(crate) type RecordedLayer = (String, Vec<usize>, usize);

/// Stops recording and returns what was recorded on this thread since [`summary_start`], in order.
pub(crate) fn summary_finish() -> Vec<RecordedLayer> {
    extern "C" fn collect(
        context: *mut c_void,
        layer_type: *const u8,
        layer_type_len: usize,
        dims: *const u64,
        dims_len: usize,
        params: u64,
    ) {
        // SAFETY: `context` is the `Vec` passed below, alive and unused elsewhere during the call; the strings and
        // shapes are the owner's rows, valid during the call, and only copied.
        let rows = unsafe { &mut *(context as *mut Vec<RecordedLayer>) };
        let (layer_type, dims) = unsafe {
            (
                borrowed(layer_type, layer_type_len),
                borrowed(dims, dims_len),
            )
        };
        rows.push((
            String::from_utf8_lossy(layer_type).into_owned(),
            dims.iter().map(|&d| d as usize).collect(),
            params as usize,
        ));
    }
    let mut rows: Vec<RecordedLayer> = Vec::new();
    (table().summary_finish)(
        Some(collect),
        &mut rows as *mut Vec<RecordedLayer> as *mut c_void,
    );
    rows
}

/// Stops recording and forgets what was recorded (a summary that failed).
pub(crate) fn summary_discard() {
    (table().summary_finish)(None, std::ptr::null_mut())
}

/// A slice given by another copy as a pointer and a length (empty for a null pointer).
///
/// # Safety
/// `values` must be null or point to `len` values that stay valid and unchanged while the slice is used.
unsafe fn borrowed<'a, T>(values: *const T, len: usize) -> &'a [T] {
    if values.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(values, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(n: usize) -> Vec<f32> {
        let mut values = vec![0.0; n];
        fill_normal(&mut values);
        values
    }

    #[test]
    fn a_test_binary_uses_its_own_table() {
        // An executable exports no symbol: there is one copy of blitz, and it uses its own table.
        assert!(std::ptr::eq(table(), &blitz_shared_state_v1));
        assert_eq!(blitz_shared_state_v1.abi_version, ABI_VERSION);
        assert_eq!(
            blitz_shared_state_v1.size as usize,
            std::mem::size_of::<SharedState>()
        );
    }

    #[test]
    fn only_a_table_of_this_version_and_at_least_this_size_is_used() {
        let size = std::mem::size_of::<SharedState>() as u32;
        assert!(usable(ABI_VERSION, size));
        assert!(
            usable(ABI_VERSION, size + 8),
            "a later table with more entries"
        );
        assert!(!usable(ABI_VERSION, size - 8), "an earlier, shorter table");
        assert!(!usable(ABI_VERSION + 1, size));
    }

    #[test]
    fn grad_mode_is_per_thread() {
        assert!(grad_enabled());
        assert!(set_grad_enabled(false));
        let other = std::thread::spawn(grad_enabled).join().unwrap();
        assert!(other, "another thread still records");
        assert!(!grad_enabled());
        assert!(!set_grad_enabled(true));
        assert!(grad_enabled());
    }

    #[test]
    fn the_generator_is_per_thread_and_reproducible() {
        manual_seed(5);
        let first = normal(4);
        let next = normal(4);
        assert_ne!(first, next, "a draw never repeats the last one");
        // Another thread seeded differently, drawing meanwhile, does not disturb this thread's stream.
        std::thread::spawn(|| {
            manual_seed(99);
            normal(100);
        })
        .join()
        .unwrap();
        manual_seed(5);
        assert_eq!(normal(4), first);
        assert_eq!(normal(4), next);
    }

    #[test]
    fn uniform_values_stay_in_bounds_and_a_bad_bound_gives_zeros() {
        manual_seed(1);
        let mut values = vec![9.0; 1000];
        fill_uniform(&mut values, 0.5);
        assert!(values.iter().all(|v| (-0.5..0.5).contains(v)));
        assert!(values.iter().any(|&v| v != values[0]));
        for bound in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            fill_uniform(&mut values, bound);
            assert!(values.iter().all(|&v| v == 0.0), "bound {bound}");
        }
    }

    #[test]
    fn a_summary_records_only_between_start_and_finish_on_its_thread() {
        summary_record("Before", &[1], 0);
        assert!(!summary_recording());
        summary_start();
        assert!(summary_recording());
        summary_record("Linear", &[2, 10], 50);
        std::thread::spawn(|| summary_record("Elsewhere", &[3], 1))
            .join()
            .unwrap();
        summary_record("ReLU", &[2, 10], 0);
        assert_eq!(
            summary_finish(),
            vec![
                ("Linear".to_string(), vec![2, 10], 50),
                ("ReLU".to_string(), vec![2, 10], 0)
            ]
        );
        assert!(!summary_recording());
        assert!(summary_finish().is_empty());
        summary_start();
        summary_record("Lost", &[1], 0);
        summary_discard();
        assert!(!summary_recording());
        assert!(summary_finish().is_empty());
    }

    #[test]
    fn languages_cross_as_their_position_in_the_list() {
        for (i, language) in Language::ALL.into_iter().enumerate() {
            assert_eq!(language_code(language), i as u32 + 1);
        }
    }
}
