//! The book (`cargo xtask book`), built once for every language from the executed notebooks:
//! - every chapter page exists, in every language, with each rendered cell's code and outputs, and no solution;
//! - an exercise shows its starting code and hints, never its solution or hidden cells;
//! - each language's PDF has pages, and its CJK text is set in Noto CJK with no missing glyph (no tofu boxes);
//! - in a real browser (headless Chromium driven by this test), from a local server and from the file system:
//!   no console error, no request leaves the machine, the language picker leads to the same chapter in another
//!   language, the SVG picture is visible, math is drawn, and search finds a CJK term's page.
//!
//! Artifacts: `target/book-test/<lang>.png` (the chapter as a reader first sees it), `<lang>-graph.png` (the
//! graph picture), `<lang>-search.png` (search results) and `<lang>-pdf-page1.png` (the PDF's first page).

use blitz_tests::kernel;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Log, Network, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use xtask::book::{self, markdown, Built, BuiltLanguage};

/// The book, built once for this test binary (executing only notebooks not in the cache).
fn built() -> &'static Built {
    static BUILT: OnceLock<Result<Built, String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let _kernel = kernel();
        let start = Instant::now();
        let built = book::build(&book::Options::default()).map_err(|e| format!("{e:#}"));
        eprintln!("book built in {:.1} s", start.elapsed().as_secs_f64());
        built
    });
    match result {
        Ok(built) => built,
        Err(why) => panic!("the book could not be built: {why}"),
    }
}

/// Held by each test that runs Chromium or renders PDFs: on two cores, a browser competing with another for the
/// machine loads pages too slowly to be judged fairly.
fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where this test leaves what a person can look at.
fn artifacts() -> PathBuf {
    let dir = xtask::layout::repo_root().join("target/book-test");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text a page shows: tags removed, HTML's entities decoded.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn multiline(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// The term a reader of `lang` would search for: the glossary's word for "gradient" (English: "gradient").
fn search_term(lang: &str) -> String {
    let glossary = xtask::layout::repo_root().join(format!("translations/glossary/{lang}.tsv"));
    fs::read_to_string(glossary)
        .ok()
        .and_then(|text| {
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| l.strip_prefix("gradient\t"))
                .map(|rest| rest.split('\t').next().unwrap_or("").trim().to_string())
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "gradient".to_string())
}

#[test]
fn every_chapter_page_has_its_code_and_outputs_and_no_solution() {
    let built = built();
    let expected: Vec<String> = book::notebooks_by_language(&[])
        .unwrap()
        .into_iter()
        .map(|(l, _)| l.code)
        .collect();
    let codes: Vec<String> = built
        .languages
        .iter()
        .map(|l| l.language.code.clone())
        .collect();
    assert_eq!(codes, expected, "every language of notebooks/ has a book");
    assert!(codes.len() >= 5, "five languages expected, got {codes:?}");
    assert!(built.out.join("index.html").is_file());
    let (mut pages, mut outputs) = (0, 0);
    for lang in &built.languages {
        for file in ["index.html", "print.html", "toc.js", "searchindex.js"] {
            assert!(
                lang.dir.join(file).is_file(),
                "{}/{file} missing",
                lang.language.code
            );
        }
        let toc = fs::read_to_string(lang.dir.join("toc.js")).unwrap();
        for (notebook, executed, chapter) in &lang.chapters {
            let page_path = lang.dir.join(chapter.html_file());
            let page = fs::read_to_string(&page_path)
                .unwrap_or_else(|e| panic!("{}: {e}", page_path.display()));
            pages += 1;
            assert!(
                toc.contains(&chapter.html_file()),
                "{} is not in the table of contents",
                chapter.file
            );
            let text = text_of(&page);
            let nb: Value = serde_json::from_str(&fs::read_to_string(executed).unwrap()).unwrap();
            for (index, cell) in nb["cells"].as_array().unwrap().iter().enumerate() {
                let at = format!(
                    "{} cell {index} in {}",
                    notebook.display(),
                    page_path.display()
                );
                let source = markdown::source(cell);
                if !markdown::rendered(cell) {
                    assert!(
                        source.trim().is_empty() || !text.contains(source.trim()),
                        "{at}: a solution or hidden cell was rendered"
                    );
                    continue;
                }
                if cell["cell_type"] != "code" {
                    continue;
                }
                for line in source.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    assert!(text.contains(line), "{at}: code line `{line}` missing");
                }
                // A check cell's verdict judges the starting code: the book leaves it out.
                if cell["metadata"]["blitz"]["check"].is_string() {
                    for output in cell["outputs"].as_array().unwrap() {
                        if let Some(html) = output["data"].get("text/html") {
                            let html = multiline(html);
                            let first = html.lines().find(|l| !l.trim().is_empty()).unwrap();
                            assert!(!page.contains(first), "{at}: a check's verdict is shown");
                        }
                    }
                    continue;
                }
                for output in cell["outputs"].as_array().unwrap() {
                    outputs += 1;
                    let data = &output["data"];
                    if data.get("image/svg+xml").is_some() || data.get("image/png").is_some() {
                        let (name, bytes) = chapter
                            .assets
                            .iter()
                            .find(|(p, _)| {
                                p.starts_with(&format!("{}/cell{index}-", chapter.stem()))
                            })
                            .unwrap_or_else(|| panic!("{at}: picture not written"));
                        assert!(
                            page.contains(&format!("src=\"{name}\"")),
                            "{at}: <img> missing"
                        );
                        assert_eq!(&fs::read(lang.dir.join(name)).unwrap(), bytes, "{at}");
                    } else if let Some(html) = data.get("text/html") {
                        let html = multiline(html);
                        let first = html.lines().find(|l| !l.trim().is_empty()).unwrap();
                        assert!(page.contains(first), "{at}: HTML output `{first}` missing");
                    } else {
                        let shown = match output.get("text") {
                            Some(t) => multiline(t),
                            None => multiline(&data["text/plain"]),
                        };
                        for line in shown.lines().map(str::trim).filter(|l| !l.is_empty()) {
                            assert!(text.contains(line), "{at}: output line `{line}` missing");
                        }
                    }
                }
            }
        }
    }
    // What the first lesson shows, as the issue lists it: a tensor with its grad_fn, the graph as SVG, a table,
    // math.
    let english = built
        .languages
        .iter()
        .find(|l| l.language.code == "en")
        .unwrap();
    let page = fs::read_to_string(english.dir.join("01-neural-networks.html")).unwrap();
    assert!(text_of(&page).contains("grad_fn=<AddmmBackward0>"));
    assert!(page.contains("<img class=\"blitz-svg\""));
    assert!(page.contains("<table>"));
    assert!(page.contains("<math") && !page.contains("\\leftarrow"));
    eprintln!("{pages} chapter page(s), {outputs} output(s) checked");
}

#[test]
fn an_exercise_shows_its_starting_code_and_hints_never_its_solution() {
    let fixture = blitz_tests::fixture("book/exercise.ipynb");
    let nb: Value = serde_json::from_str(&fs::read_to_string(&fixture).unwrap()).unwrap();
    let language = book::language("ja");
    let chapter = markdown::chapter(&nb, "99-exercise", &language, "exercise.ipynb").unwrap();
    let dir = std::env::temp_dir().join(format!("blitz-book-exercise-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let books = vec![(language.clone(), vec![chapter.clone()])];
    let picker = book::site::picker_data("ja", &books, None);
    book::site::write_sources(&dir.join("src"), &language, &[chapter], &picker).unwrap();
    let mdbook = book::site::ensure_mdbook().unwrap();
    book::site::build(&mdbook, &dir.join("src"), &dir.join("out"), &language).unwrap();
    let page = fs::read_to_string(dir.join("out/99-exercise.html")).unwrap();
    let index = fs::read_to_string(dir.join("out/searchindex.js")).unwrap();
    let text = text_of(&page);
    for shown in [
        "STARTING_CODE",
        "starting code ran",
        "演習",
        "ヒント",
        "五つ",
    ] {
        assert!(
            text.contains(shown),
            "`{shown}` missing from the exercise page"
        );
    }
    for secret in [
        "SOLUTION_CODE",
        "SOLUTION_OUTPUT",
        "HIDDEN_TEST",
        "SOLUTION_PROSE",
    ] {
        assert!(!page.contains(secret), "`{secret}` is on the page");
        assert!(!index.contains(secret), "`{secret}` is in the search index");
    }
    fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------------------------
// PDFs

/// A PDF's objects by number, as Chromium writes them (no object streams).
fn pdf_objects(pdf: &[u8]) -> Vec<(u32, Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b" 0 obj\n") {
        let head = at + found;
        let start = pdf[..head]
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let number: u32 = std::str::from_utf8(&pdf[start..head])
            .unwrap()
            .parse()
            .unwrap();
        let body = head + b" 0 obj\n".len();
        let end = body + find(&pdf[body..], b"endobj").unwrap();
        out.push((number, pdf[body..end].to_vec()));
        at = end;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The (inflated) stream of a PDF object.
fn pdf_stream(object: &[u8]) -> Vec<u8> {
    let start = find(object, b"stream\n").unwrap() + b"stream\n".len();
    let end = start + find(&object[start..], b"\nendstream").unwrap_or(object.len() - start);
    let raw = &object[start..end];
    if find(&object[..start], b"/FlateDecode").is_some() {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(raw)
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw.to_vec()
    }
}

/// `/Key N 0 R` in a PDF dictionary → N.
fn reference(object: &[u8], key: &str) -> Option<u32> {
    let text = String::from_utf8_lossy(object);
    let rest = &text[text.find(&format!("{key} "))? + key.len() + 1..];
    rest.split_whitespace().next()?.parse().ok()
}

/// How many glyphs a PDF draws with a font's missing-glyph shape (.notdef, the "tofu" box): for each page, the
/// codes shown (`<..> Tj`, `[..] TJ`) in each font that map to glyph 0 (Chromium's Type 3 fonts name it `/g0`;
/// its CID fonts use code 0).
fn missing_glyphs(pdf: &[u8]) -> usize {
    let objects: std::collections::HashMap<u32, Vec<u8>> = pdf_objects(pdf).into_iter().collect();
    // font object → codes that draw glyph 0, and the code width in hex digits
    let mut notdef: std::collections::HashMap<u32, (Vec<u32>, usize)> = Default::default();
    for (number, object) in &objects {
        if !object.starts_with(b"<</Type /Font\n") {
            continue;
        }
        let text = String::from_utf8_lossy(object);
        if text.contains("/Subtype /Type3") {
            let differences = &text[text.find("/Differences [").unwrap() + 14..];
            let differences = &differences[..differences.find(']').unwrap()];
            let mut items = differences.split_whitespace();
            let first: u32 = items.next().unwrap().parse().unwrap();
            let codes = items
                .enumerate()
                .filter(|(_, name)| *name == "/g0")
                .map(|(i, _)| first + i as u32)
                .collect();
            notdef.insert(*number, (codes, 2));
        } else if text.contains("/Subtype /Type0") {
            notdef.insert(*number, (vec![0], 4));
        }
    }
    let mut count = 0;
    for object in objects.values() {
        if !object.starts_with(b"<</Type /Page\n") {
            continue;
        }
        let text = String::from_utf8_lossy(object).to_string();
        let fonts: std::collections::HashMap<String, u32> = text
            .find("/Font <<")
            .map(|at| {
                let list = &text[at + 8..];
                let list = &list[..list.find(">>").unwrap()];
                let words: Vec<&str> = list.split_whitespace().collect();
                // `/F4 4 0 R /F5 5 0 R ...`
                words
                    .windows(2)
                    .filter(|w| w[0].starts_with('/'))
                    .filter_map(|w| {
                        Some((w[0].trim_start_matches('/').to_string(), w[1].parse().ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let contents = reference(object, "/Contents").unwrap();
        let stream = String::from_utf8_lossy(&pdf_stream(&objects[&contents])).to_string();
        let mut current: Option<&(Vec<u32>, usize)> = None;
        let tokens: Vec<&str> = stream.split_whitespace().collect();
        for (i, token) in tokens.iter().enumerate() {
            // The strings a text-showing operator draws: `<..> Tj`, or `[<..> -12 <..>] TJ`.
            let shown: Vec<&str> = match *token {
                "Tf" if i >= 2 => {
                    current = fonts
                        .get(tokens[i - 2].trim_start_matches('/'))
                        .and_then(|f| notdef.get(f));
                    continue;
                }
                "Tj" if i >= 1 => vec![tokens[i - 1]],
                "TJ" => {
                    let start = tokens[..i]
                        .iter()
                        .rposition(|t| t.starts_with('['))
                        .unwrap_or(i);
                    tokens[start..i].to_vec()
                }
                _ => continue,
            };
            let Some((codes, width)) = current else {
                continue;
            };
            for string in shown {
                let hex: String = string
                    .trim_start_matches(['[', '<'])
                    .chars()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .collect();
                if !string.trim_start_matches('[').starts_with('<') {
                    continue;
                }
                for chunk in hex.as_bytes().chunks(*width) {
                    let code =
                        u32::from_str_radix(std::str::from_utf8(chunk).unwrap(), 16).unwrap();
                    if codes.contains(&code) {
                        count += 1;
                    }
                }
            }
        }
    }
    count
}

/// Page count, from poppler's `pdfinfo`.
fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo read no page count from {}", pdf.display()))
}

fn ensure_poppler() {
    xtask::process::ensure_system_package("poppler-utils", "`pdfinfo` and `pdftoppm`", || {
        Command::new("pdftoppm")
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success())
    })
    .unwrap();
}

#[test]
fn the_missing_glyph_check_sees_a_tofu_box() {
    let _heavy = heavy();
    // A character no installed font has is drawn as a box: the check must see it, or it proves nothing.
    let dir = std::env::temp_dir().join(format!("blitz-tofu-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let html = dir.join("tofu.html");
    fs::write(
        &html,
        "<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><p>勾配 \u{10FFFD} text</p></html>",
    )
    .unwrap();
    let pdf = dir.join("tofu.pdf");
    book::pdf::print_url(&format!("file://{}", html.display()), &pdf, "tofu").unwrap();
    assert_eq!(missing_glyphs(&fs::read(&pdf).unwrap()), 1);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn each_language_has_a_pdf_with_its_pages_and_no_missing_glyphs() {
    ensure_poppler();
    let built = built();
    let _heavy = heavy();
    for lang in &built.languages {
        let code = &lang.language.code;
        let pdf = lang.pdf.clone().expect("the book is built with PDFs");
        let bytes = fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        let pages = page_count(&pdf);
        eprintln!(
            "{}: {pages} pages, {} KB",
            pdf.display(),
            bytes.len() / 1024
        );
        assert!(
            pages >= 3 * lang.chapters.len(),
            "{code}: only {pages} pages"
        );
        assert_eq!(
            missing_glyphs(&bytes),
            0,
            "{code}: the PDF draws missing-glyph boxes"
        );
        // CJK text in the language's own Noto CJK face (Type 3 fonts keep the family in their descriptor).
        let family = match code.as_str() {
            "ja" => Some("Noto Sans CJK JP"),
            "zh" => Some("Noto Sans CJK SC"),
            "zh-TW" => Some("Noto Sans CJK TC"),
            "ko" => Some("Noto Sans CJK KR"),
            _ => None,
        };
        if let Some(family) = family {
            assert!(
                find(&bytes, format!("/FontFamily ({family})").as_bytes()).is_some(),
                "{code}: no {family} in the PDF"
            );
        }
        // The first page, as an image to look at, and as text: the chapter's title is there.
        if matches!(code.as_str(), "ja" | "zh") {
            let prefix = artifacts().join(format!("{code}-pdf-page1"));
            let status = Command::new("pdftoppm")
                .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
                .arg(&pdf)
                .arg(&prefix)
                .status()
                .unwrap();
            assert!(status.success());
            let text = Command::new("pdftotext")
                .args(["-f", "1", "-l", "1"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&text.stdout).replace(['\n', ' '], "");
            // pdftotext may put the title's Latin and CJK parts in another order: each must be there.
            let title = &lang.chapters[0].2.title;
            for word in title.split_whitespace() {
                assert!(
                    text.contains(word),
                    "{code}: page 1 lacks `{word}` of the title {title}:\n{text}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A reader in a real browser

/// A static file server for the site on 127.0.0.1 (a free port), stopped when dropped.
struct Server {
    server: Arc<tiny_http::Server>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(root: PathBuf) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let serving = server.clone();
        let thread = std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                let path = request
                    .url()
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let response = match fs::read(&file) {
                    Ok(bytes) if !path.contains("..") => {
                        let kind = match file.extension().and_then(OsStr::to_str) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript; charset=utf-8",
                            Some("css") => "text/css; charset=utf-8",
                            Some("svg") => "image/svg+xml",
                            Some("png") => "image/png",
                            Some("woff2") => "font/woff2",
                            Some("pdf") => "application/pdf",
                            _ => "application/octet-stream",
                        };
                        tiny_http::Response::from_data(bytes).with_header(
                            tiny_http::Header::from_bytes(&b"Content-Type"[..], kind.as_bytes())
                                .unwrap(),
                        )
                    }
                    _ => tiny_http::Response::from_string("not found").with_status_code(404),
                };
                // Each answer on a thread of its own: one slow connection never holds up the others.
                std::thread::spawn(move || {
                    let _ = request.respond(response);
                });
            }
        });
        Self {
            server,
            port,
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a tab did: every URL it requested and every error it reported.
#[derive(Default, Clone)]
struct Watched {
    requests: Arc<Mutex<Vec<String>>>,
    errors: Arc<Mutex<Vec<String>>>,
    /// Requests sent and not yet finished or failed, by request id: what a stuck page waits for.
    pending: Arc<Mutex<std::collections::BTreeMap<String, String>>>,
}

fn watch(tab: &Arc<Tab>) -> Watched {
    let watched = Watched::default();
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    let seen = watched.clone();
    tab.add_event_listener(Arc::new(move |event: &Event| match event {
        Event::NetworkRequestWillBeSent(e) => {
            seen.requests
                .lock()
                .unwrap()
                .push(e.params.request.url.clone());
            seen.pending
                .lock()
                .unwrap()
                .insert(e.params.request_id.clone(), e.params.request.url.clone());
        }
        Event::NetworkLoadingFinished(e) => {
            seen.pending.lock().unwrap().remove(&e.params.request_id);
        }
        Event::NetworkLoadingFailed(e) => {
            seen.pending.lock().unwrap().remove(&e.params.request_id);
        }
        Event::RuntimeConsoleAPICalled(e)
            if matches!(
                e.params.Type,
                Runtime::ConsoleAPICalledEventTypeOption::Error
                    | Runtime::ConsoleAPICalledEventTypeOption::Assert
            ) =>
        {
            let args: Vec<String> = e
                .params
                .args
                .iter()
                .map(|a| {
                    a.value
                        .as_ref()
                        .map(|v| v.to_string())
                        .or_else(|| a.description.clone())
                        .unwrap_or_default()
                })
                .collect();
            seen.errors
                .lock()
                .unwrap()
                .push(format!("console.error: {}", args.join(" ")))
        }
        Event::RuntimeExceptionThrown(e) => {
            let details = &e.params.exception_details;
            let description = details
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_default();
            seen.errors.lock().unwrap().push(format!(
                "exception: {} {description} at {:?}:{}",
                details.text, details.url, details.line_number
            ))
        }
        Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
            seen.errors.lock().unwrap().push(format!(
                "log: {} ({:?})",
                e.params.entry.text, e.params.entry.url
            ))
        }
        _ => {}
    }))
    .unwrap();
    watched
}

/// Goes to `url` and waits until its page has loaded (headless_chrome's own wait misses some loads).
fn open(tab: &Tab, url: &str, watched: &Watched) {
    let loaded = format!(
        "document.readyState === 'complete' && performance.getEntriesByType('navigation')[0].name === {}",
        serde_json::to_string(url).unwrap()
    );
    tab.navigate_to(url).unwrap();
    if until(tab, &loaded, Duration::from_secs(30)) {
        return;
    }
    // Seen once in a while on the first page a fresh browser loads from the test's server: the page waits for a
    // response that never comes. Say what it waited for, then load it once more.
    eprintln!(
        "warning: {url} did not finish loading in 30 s (page: {}); waiting for: {:?}; loading it again",
        page_state(tab),
        watched.pending.lock().unwrap().values().collect::<Vec<_>>()
    );
    tab.navigate_to(url).unwrap();
    wait_for(tab, &loaded, url);
}

/// Where the page is and how far it loaded, for messages.
fn page_state(tab: &Tab) -> Value {
    eval(
        tab,
        "JSON.stringify({href: location.href, ready: document.readyState, \
         navigation: (performance.getEntriesByType('navigation')[0] || {}).name})",
    )
}

/// Whether `expression` becomes true in the page within `limit`.
fn until(tab: &Tab, expression: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while eval(tab, expression) != Value::Bool(true) {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

/// Evaluates `expression` in the page and returns its JSON value.
fn eval(tab: &Tab, expression: &str) -> Value {
    tab.evaluate(expression, true)
        .unwrap_or_else(|e| panic!("`{expression}` failed: {e}"))
        .value
        .unwrap_or(Value::Null)
}

/// Waits until `expression` is true in the page (at most 60 s).
fn wait_for(tab: &Tab, expression: &str, what: &str) {
    if !until(tab, expression, Duration::from_secs(60)) {
        panic!("timed out waiting for {what} (page: {})", page_state(tab));
    }
}

fn screenshot(tab: &Tab, name: &str) {
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    fs::write(artifacts().join(name), png).unwrap();
}

fn launch() -> Browser {
    xtask::book::pdf::ensure_tools().unwrap();
    let chromium = std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(xtask::book::pdf::CHROMIUM))
                .find(|p| p.is_file())
        })
        .expect("chromium on PATH");
    let profile = std::env::temp_dir().join(format!("blitz-book-browser-{}", std::process::id()));
    let _ = fs::remove_dir_all(&profile);
    Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium),
        user_data_dir: Some(profile),
        window_size: Some((1280, 1600)),
        idle_browser_timeout: Duration::from_secs(300),
        args: vec![
            OsStr::new("--disable-component-update"),
            OsStr::new("--no-default-browser-check"),
            OsStr::new("--hide-scrollbars"),
            // Belt and braces: no host name resolves, so even a request the test failed to see could not leave.
            OsStr::new("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
        ],
        ..LaunchOptions::default()
    })
    .expect("headless Chromium starts")
}

/// Opens a chapter of `lang` at `base` (a server or file:// URL of the site) and checks what a reader sees.
fn read_chapter(
    browser: &Browser,
    base: &str,
    lang: &BuiltLanguage,
    next: &BuiltLanguage,
    shots: bool,
) -> Watched {
    let code = &lang.language.code;
    let chapter = lang.chapters[0].2.html_file();
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(30));
    let watched = watch(&tab);
    let url = format!("{base}/{code}/{chapter}");
    open(&tab, &url, &watched);
    wait_for(
        &tab,
        "document.readyState === 'complete' && !!document.querySelector('.blitz-languages')",
        "the page and its picker",
    );
    wait_for(&tab, "document.fonts.status === 'loaded'", "the fonts");
    if shots {
        screenshot(&tab, &format!("{code}.png"));
    }
    // The picker lists every other language, each linking to the same chapter.
    let links = eval(&tab, "JSON.stringify([...document.querySelectorAll('.blitz-languages a.blitz-language')].map(a => a.getAttribute('href')))");
    let links: Vec<String> = serde_json::from_str(links.as_str().unwrap()).unwrap();
    assert_eq!(links.len(), 4, "{code}: picker links {links:?}");
    for link in &links {
        assert!(
            link.ends_with(&format!("/{chapter}")),
            "{code}: picker link {link} is not the same chapter"
        );
    }
    // The graph: an SVG picture, loaded and on screen once scrolled to.
    let svg = eval(
        &tab,
        "(() => { const img = document.querySelector('img.blitz-svg'); if (!img) return 'no img'; \
         img.scrollIntoView({block: 'center'}); const r = img.getBoundingClientRect(); \
         return img.complete && img.naturalWidth > 100 && r.width > 100 && r.height > 100 && r.top >= 0 \
           && r.bottom <= window.innerHeight && getComputedStyle(img).visibility === 'visible'; })()",
    );
    assert_eq!(
        svg,
        Value::Bool(true),
        "{code}: the SVG picture is not visible ({svg})"
    );
    if shots {
        screenshot(&tab, &format!("{code}-graph.png"));
    }
    // Math is drawn as MathML with a size.
    let math = eval(&tab, "(() => { const m = document.querySelector('math'); return !!m && m.getBoundingClientRect().width > 20; })()");
    assert_eq!(math, Value::Bool(true), "{code}: no math drawn");
    // Search for the language's word for "gradient" finds this chapter.
    let term = search_term(code);
    open(&tab, &format!("{url}?search={}", encode(&term)), &watched);
    wait_for(
        &tab,
        "document.querySelectorAll('#mdbook-searchresults li a').length > 0",
        &format!("{code}: results for {term}"),
    );
    let hrefs = eval(&tab, "JSON.stringify([...document.querySelectorAll('#mdbook-searchresults li a')].map(a => a.getAttribute('href')))");
    let hrefs: Vec<String> = serde_json::from_str(hrefs.as_str().unwrap()).unwrap();
    assert!(
        hrefs.iter().any(|h| h.starts_with(&chapter)),
        "{code}: search for {term} found {hrefs:?}"
    );
    if shots {
        screenshot(&tab, &format!("{code}-search.png"));
    }
    // Following a result highlights the term on the page.
    tab.find_element("#mdbook-searchresults li a")
        .unwrap()
        .click()
        .unwrap();
    wait_for(&tab, &format!("[...document.querySelectorAll('mark')].some(m => m.textContent.toLowerCase().includes({}))", serde_json::to_string(&term.to_lowercase()).unwrap()), &format!("{code}: {term} highlighted"));
    // The picker leads to the same chapter in the next language.
    open(&tab, &url, &watched);
    let next_code = &next.language.code;
    tab.wait_for_element(&format!(".blitz-languages a[hreflang='{next_code}']"))
        .unwrap()
        .click()
        .unwrap();
    let target = format!("/{next_code}/{chapter}");
    wait_for(
        &tab,
        &format!(
            "location.href.endsWith({}) && document.readyState === 'complete'",
            serde_json::to_string(&target).unwrap()
        ),
        &format!("{code}: the picker to {next_code}"),
    );
    assert_eq!(
        eval(&tab, "document.documentElement.lang"),
        Value::String(next_code.clone())
    );
    tab.close(false).unwrap();
    watched
}

/// A search term in a URL's query.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn a_reader_in_each_language_gets_a_working_offline_book() {
    let built = built();
    let _heavy = heavy();
    let server = Server::start(built.out.clone());
    let local = format!("http://127.0.0.1:{}", server.port);
    let browser = launch();
    let languages = &built.languages;
    let mut problems = Vec::new();
    for (i, lang) in languages.iter().enumerate() {
        let next = &languages[(i + 1) % languages.len()];
        let watched = read_chapter(&browser, &local, lang, next, true);
        let code = &lang.language.code;
        for url in watched.requests.lock().unwrap().iter() {
            if !(url.starts_with(&format!("{local}/")) || url.starts_with("data:")) {
                problems.push(format!("{code}: request left the machine: {url}"));
            }
        }
        for error in watched.errors.lock().unwrap().iter() {
            problems.push(format!("{code}: {error}"));
        }
    }
    // The same book from the file system, without a server (zh: a language the first loop reached via picker).
    let site = format!("file://{}", built.out.canonicalize().unwrap().display());
    let zh = languages
        .iter()
        .position(|l| l.language.code == "zh")
        .unwrap_or(0);
    let watched = read_chapter(
        &browser,
        &site,
        &languages[zh],
        &languages[(zh + 1) % languages.len()],
        false,
    );
    for url in watched.requests.lock().unwrap().iter() {
        if !(url.starts_with("file://") || url.starts_with("data:")) {
            problems.push(format!("file://: request left the machine: {url}"));
        }
    }
    for error in watched.errors.lock().unwrap().iter() {
        problems.push(format!("file://: {error}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("screenshots in {}", artifacts().display());
}
