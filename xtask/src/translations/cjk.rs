//! Chinese and Japanese text in Markdown: soft line breaks that must not become spaces, and the running text of
//! a message (without code or math) that the glossary checks read.
//!
//! Markdown turns a line break inside a paragraph into a space. English needs it; Chinese and Japanese do not
//! put spaces between words, so a translator's wrapped line would show a gap mid-sentence ("その後に 全結合層").
//! The generator joins those lines instead, so translators may keep wrapping theirs. Korean separates words with
//! spaces, so Korean is left as it is.

/// The languages whose soft line breaks are joined without a space.
pub fn joins_lines(lang: &str) -> bool {
    matches!(lang, "ja" | "zh" | "zh-TW")
}

/// A Chinese character, kana, or CJK punctuation and full-width forms (not Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation (、。「」)
        | '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}' // katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms (，：（）)
        | '\u{20000}'..='\u{2FA1F}')
}

/// CJK punctuation, after which a line break never means a space, whatever follows.
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// Whether a line starts a Markdown block of its own (and so must not be joined to the line before it).
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    let numbered = t
        .find(|c: char| !c.is_ascii_digit())
        .is_some_and(|end| end > 0 && (t[end..].starts_with(". ") || t[end..].starts_with(") ")));
    t.is_empty()
        || numbered
        || ["#", ">", "|", "- ", "* ", "+ ", "```", "~~~", "$$", "<"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// Whether the line break between `before` and `after` (two lines of one paragraph) would show a space that the
/// language does not want: between two CJK characters, or after CJK punctuation.
fn is_stray_break(before: &str, after: &str) -> bool {
    if before.ends_with("  ") || before.ends_with('\\') {
        return false; // a hard line break, meant
    }
    let (Some(last), Some(first)) = (
        before.trim_end().chars().last(),
        after.trim_start().chars().next(),
    ) else {
        return false;
    };
    is_cjk_punctuation(last) || (is_cjk(last) && is_cjk(first))
}

/// Goes through the lines of `text`, asking `join` about every line break inside a paragraph (outside fenced
/// code and math blocks, not before a line that starts a block), and joins the two lines where it says so (the
/// second line's indentation, a list item's continuation, goes with the break).
fn fold(text: &str, mut join: impl FnMut(&str, &str) -> bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    // Whether the last line written is prose that the next line may continue.
    let mut open_paragraph = false;
    for line in text.split('\n') {
        if let Some(last) = out
            .last_mut()
            .filter(|_| open_paragraph && !starts_block(line))
        {
            if join(last, line) {
                last.push_str(line.trim_start());
                continue;
            }
        }
        let t = line.trim_start();
        let fence = t.starts_with("```") || t.starts_with("~~~") || t.starts_with("$$");
        // `$$ ... $$` on one line opens and closes.
        let one_line_math = t.starts_with("$$") && t.len() > 2 && t.trim_end().ends_with("$$");
        if fence && !one_line_math {
            in_fence = !in_fence;
        }
        open_paragraph = !in_fence && !fence && !line.trim().is_empty();
        out.push(line.to_string());
    }
    out.join("\n")
}

/// Markdown with every soft line break between CJK characters (or after CJK punctuation) joined without a space.
pub fn join_soft_breaks(text: &str) -> String {
    fold(text, is_stray_break)
}

/// How many soft line breaks in `text` would show as a stray space between CJK characters.
pub fn stray_breaks(text: &str) -> usize {
    let mut count = 0;
    fold(text, |a, b| {
        if is_stray_break(a, b) {
            count += 1;
        }
        false
    });
    count
}

/// The running text of a message: without code spans (`` `x` ``), math (`$x$`), placeholders (`{shape}`), and
/// words that are code by their look (`backward()`, `.grad`, `zero_grad`, `nn::Linear`), each replaced by a space.
pub fn running_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['`', '$', '{']) {
        out.push_str(&rest[..i]);
        let mark = &rest[i..i + 1];
        let close = if mark == "{" { "}" } else { mark };
        match rest[i + 1..].find(close) {
            Some(end) => {
                out.push(' ');
                rest = &rest[i + 1 + end + 1..];
            }
            None => {
                out.push_str(mark);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out.split(' ')
        .map(|word| {
            let code = word.contains("()")
                || word.contains("::")
                || word.contains('_')
                || word.starts_with('.')
                || word.contains(".grad");
            if code {
                ""
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` holds `word` (ASCII, any case) as a whole word: not inside a longer Latin word.
pub fn has_word(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let word = word.to_lowercase();
    let is_word_char = |c: char| c.is_ascii_alphanumeric();
    lower.match_indices(&word).any(|(at, _)| {
        let before = lower[..at].chars().last();
        let after = lower[at + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_chinese_lines_join_without_a_space() {
        assert_eq!(
            join_soft_breaks("その後に\n全結合層が続きます。"),
            "その後に全結合層が続きます。"
        );
        assert_eq!(
            join_soft_breaks("告诉每个权重\n该往哪个方向调整"),
            "告诉每个权重该往哪个方向调整"
        );
        assert_eq!(
            join_soft_breaks("梯度會累加，\nbackward 之前"),
            "梯度會累加，backward 之前"
        );
        assert_eq!(
            join_soft_breaks("一行目の\n二行目の\n三行目"),
            "一行目の二行目の三行目"
        );
        assert_eq!(stray_breaks("その後に\n全結合層\n\n次の段落"), 1);
    }

    #[test]
    fn latin_next_to_cjk_keeps_its_space() {
        let text = "層は\n`conv1` です。\nLeNet は";
        // CJK then code: a space is right; "。" then Latin: joined (punctuation needs no space).
        assert_eq!(join_soft_breaks(text), "層は\n`conv1` です。LeNet は");
    }

    #[test]
    fn korean_and_english_are_untouched() {
        for text in ["기울기를\n계산합니다", "the gradient\nof the loss"] {
            assert_eq!(stray_breaks(text), 0, "{text}");
            assert!(!joins_lines("ko") && !joins_lines("en"));
        }
    }

    #[test]
    fn blocks_code_and_hard_breaks_stay_apart() {
        let text = "説明です。\n- 項目の\n  続きです\n1. 番号\n```text\n入力\n出力\n```\n$$\n式\n式\n$$\n強制改行  \n次";
        assert_eq!(
            join_soft_breaks(text),
            "説明です。\n- 項目の続きです\n1. 番号\n```text\n入力\n出力\n```\n$$\n式\n式\n$$\n強制改行  \n次"
        );
    }

    #[test]
    fn running_text_leaves_out_code_and_math() {
        let text = "`backward()` を呼ぶと backward が $w$ の .grad と zero_grad() を {shape} で";
        let running = running_text(text);
        assert!(!has_word(&running, "shape"), "{running}");
        assert!(has_word(&running, "backward"), "{running}");
        assert!(
            !running.contains("zero_grad") && !running.contains('$') && !running.contains(".grad")
        );
        assert!(!has_word("MSELoss", "loss") && has_word("the loss.", "loss"));
    }
}
