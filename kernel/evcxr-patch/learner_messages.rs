// blitz patch: the kernel's own messages to a learner (a panic, the process that runs the cells dying, a library
// rebuilt under a running kernel) in the notebook's language.
//
// The texts are blitz's: `crate/src/messages/english.rs` and the translations `cargo xtask translations` makes
// from `translations/*.po` (`crate/src/messages/translated.rs`), copied into these sources when the kernel is built
// (`xtask/src/fork.rs`), so translators find them with every other message. The language is the one blitz reports
// in the process that runs the cells, after each cell (`runtime.rs.patch`): the notebook's `set_language`, else
// `BLITZ_LANG` or the locale; English until blitz has chosen one.

// Copied in when the kernel is built; `rustfmt::skip` keeps rustfmt, which checks this file in the repository,
// from looking for them beside it.
#[rustfmt::skip]
#[path = "blitz_messages_english.rs"]
mod english;
#[rustfmt::skip]
#[path = "blitz_messages_translated.rs"]
mod translated;

/// The start of the line the process that runs the cells prints after each cell with blitz's language.
pub(crate) const LANGUAGE_LINE: &str = "EVCXR_BLITZ_LANGUAGE ";

/// The line of the cell's generated source (`src/lib.rs`) where its own code panicked, read from the panic's message
/// as Rust prints it on the process's stderr (`thread '<name>' (<id>) panicked at src/lib.rs:109:14:`). A panic inside
/// blitz or std names their own files; the cell's std is `libstd.so`, whose panic hook the kernel's process cannot
/// set, hence reading the message.
pub(crate) fn cell_panic_line(stderr_line: &str) -> Option<u32> {
    // Since Rust 1.89 the thread's id follows its name: `thread '<unnamed>' (19283) panicked at ...`.
    const AT: &str = " panicked at src/lib.rs:";
    let rest = stderr_line.strip_prefix("thread '")?;
    let position = &rest[rest.find(AT)? + AT.len()..];
    position.split(':').next()?.parse().ok()
}

/// Message `key` in `language` (blitz's number for it across copies: 1 + its index in `Language::ALL`, that is
/// en, ja, zh-TW, ko, zh; 0 when none was chosen), in English where it has no translation, with each `{name}`
/// replaced by its value in `args`.
pub(crate) fn message(language: u32, key: &str, args: &[(&str, &str)]) -> String {
    let table: &[(&str, &str)] = match language {
        2 => translated::JA,
        3 => translated::ZH_TW,
        4 => translated::KO,
        5 => translated::ZH,
        _ => &[],
    };
    let template = table
        .iter()
        .chain(english::ENGLISH)
        .find(|(known, _)| *known == key)
        .map_or(key, |(_, template)| template);
    args.iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// blitz's language in this process (its number, as [`message`] takes it), when blitz is loaded and has shared its
/// state: blitz exports `blitz_shared_state_v1`, a table that starts with its ABI version (1), its size and a
/// function returning the language (`crate/src/state.rs`).
pub(crate) fn blitz_language() -> Option<u32> {
    #[cfg(unix)]
    {
        #[repr(C)]
        struct TableStart {
            abi_version: u32,
            size: u32,
            language: extern "C" fn() -> u32,
        }
        // SAFETY: dlsym only reads the name; a found symbol is blitz's table, whose first fields have this layout
        // in every version that says ABI version 1 (checked before the function is called).
        let table = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"blitz_shared_state_v1".as_ptr()) };
        if table.is_null() {
            return None;
        }
        let start = unsafe { &*(table as *const TableStart) };
        (start.abi_version == 1 && start.size as usize >= std::mem::size_of::<TableStart>())
            .then(|| (start.language)())
    }
    #[cfg(not(unix))]
    None
}

#[cfg(test)]
mod tests {
    use super::{cell_panic_line, message};

    #[test]
    fn the_line_of_a_panic_in_the_cell_is_read_from_its_message() {
        assert_eq!(
            cell_panic_line("thread '<unnamed>' (19283) panicked at src/lib.rs:110:18:"),
            Some(110)
        );
        assert_eq!(
            cell_panic_line("thread 'main' panicked at /home/a/crate/src/nn.rs:3:1:"),
            None
        );
        assert_eq!(
            cell_panic_line("index out of bounds: the len is 0 but the index is 0"),
            None
        );
    }

    #[test]
    fn a_message_is_in_the_language_asked_with_its_values() {
        let english = message(
            1,
            "kernel-library-rebuilt",
            &[("library", "blitz"), ("name", "libblitz.so")],
        );
        assert!(english.starts_with("blitz was rebuilt"), "{english}");
        assert!(
            english.contains("keeps the libblitz.so it loaded first"),
            "{english}"
        );
        assert_eq!(
            message(0, "kernel-cell-panicked", &[]),
            message(1, "kernel-cell-panicked", &[])
        );
        let japanese = message(2, "kernel-cell-panicked", &[]);
        assert!(japanese.contains("パニック"), "{japanese}");
        assert!(message(5, "kernel-process-died", &[]).contains("内核"));
    }
}
