//! `reset LESSON EXERCISE`: puts back the stub's version of one exercise's
//! items in the learner's file and keeps everything else they wrote.
//!
//! Both files are parsed with `syn` (span locations on). An exercise owns the
//! top-level items of the generated stub that contain one of its learner
//! regions; an item is identified in both files by its kind and name (`fn
//! join`, `struct Join`, `impl Future for Join < A , B >`). When the learner's
//! file does not parse, the caller falls back to resetting the whole file.

use std::ops::Range;

use anyhow::{Context, Result};
use quote::ToTokens;
use syn::spanned::Spanned;

use crate::stubgen::Stub;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    /// Byte range in the file, from its first attribute (doc comments are
    /// attributes) to its closing brace or semicolon.
    pub span: Range<usize>,
    /// Lines (0-based, end exclusive) the item covers.
    pub lines: Range<usize>,
}

fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

fn key(item: &syn::Item) -> Option<String> {
    Some(match item {
        syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
        syn::Item::Struct(s) => format!("struct {}", s.ident),
        syn::Item::Enum(e) => format!("enum {}", e.ident),
        syn::Item::Trait(t) => format!("trait {}", t.ident),
        syn::Item::Type(t) => format!("type {}", t.ident),
        syn::Item::Const(c) => format!("const {}", c.ident),
        syn::Item::Static(s) => format!("static {}", s.ident),
        syn::Item::Mod(m) => format!("mod {}", m.ident),
        syn::Item::Macro(m) => match &m.ident {
            Some(i) => format!("macro {i}"),
            None => return None,
        },
        syn::Item::Impl(i) => match &i.trait_ {
            Some((_, path, _)) => format!("impl {} for {}", tokens(path), tokens(&i.self_ty)),
            None => format!("impl {}", tokens(&i.self_ty)),
        },
        _ => return None,
    })
}

/// Byte offset of a (1-based line, 0-based char column) position.
fn offset(line_starts: &[usize], src: &str, line: usize, column: usize) -> usize {
    let start = line_starts[line.saturating_sub(1).min(line_starts.len() - 1)];
    src[start..]
        .char_indices()
        .nth(column)
        .map_or(src.len(), |(i, _)| start + i)
}

/// The top-level items of `src` that have a key.
pub fn items(src: &str) -> Result<Vec<Item>> {
    let file = syn::parse_file(src).context("the file does not parse as Rust")?;
    let mut line_starts = vec![0];
    line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
    Ok(file
        .items
        .iter()
        .filter_map(|item| {
            let key = key(item)?;
            let span = item.span();
            let (s, e) = (span.start(), span.end());
            Some(Item {
                key,
                span: offset(&line_starts, src, s.line, s.column)
                    ..offset(&line_starts, src, e.line, e.column),
                lines: s.line - 1..e.line,
            })
        })
        .collect())
}

/// The items of `stub` that hold a learner region of exercise `name`.
pub fn exercise_items(stub: &Stub, name: &str) -> Result<Vec<Item>> {
    let stub_items = items(&stub.text).context("the generated stub does not parse")?;
    Ok(stub_items
        .into_iter()
        .filter(|it| {
            stub.regions.iter().any(|r| {
                r.exercise() == name
                    && r.lines.start < it.lines.end
                    && it.lines.start < r.lines.end.max(r.lines.start + 1)
            })
        })
        .collect())
}

/// The text of the items of `src` with these keys, in file order, separated
/// by blank lines (items that do not parse or are missing are left out).
pub fn extract(src: &str, keys: &[String]) -> String {
    let Ok(all) = items(src) else {
        return String::new();
    };
    all.iter()
        .filter(|it| keys.contains(&it.key))
        .map(|it| &src[it.span.clone()])
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `learner` with the items of exercise `name` as they are in `stub`.
/// Items the learner's file lacks are appended. Errors when either file does
/// not parse or the exercise has no item in the stub.
pub fn restore_exercise(learner: &str, stub: &Stub, name: &str) -> Result<String> {
    let wanted = exercise_items(stub, name)?;
    anyhow::ensure!(
        !wanted.is_empty(),
        "exercise `{name}` has no item in the stub to restore"
    );
    let mine = items(learner)?;
    let mut edits: Vec<(Range<usize>, &str)> = Vec::new();
    let mut appended = String::new();
    for it in &wanted {
        let text = &stub.text[it.span.clone()];
        match mine.iter().find(|m| m.key == it.key) {
            Some(m) => edits.push((m.span.clone(), text)),
            None => {
                appended.push('\n');
                appended.push_str(text);
                appended.push('\n');
            }
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = learner.to_string();
    for (r, text) in edits {
        out.replace_range(r, text);
    }
    out.push_str(&appended);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stubgen::generate;

    const SOLUTION: &str = r#"//! Lesson.
use std::future::Future;

/// Doubles.
pub fn double(n: u32) -> u32 {
    // ANCHOR: learn-double
    n * 2
    // ANCHOR_END: learn-double
}

/// Not an exercise: a "}" in a string and a '{' char.
pub fn other(s: &str) -> &str {
    let _ = ("}", '{');
    s
}

pub struct Join<A> {
    a: A,
}

// ANCHOR: join
impl<A: Future> Future for Join<A> {
    type Output = ();
    fn poll(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        // ANCHOR: learn-join
        std::task::Poll::Ready(())
        // ANCHOR_END: learn-join
    }
}
// ANCHOR_END: join
"#;

    #[test]
    fn restores_one_exercise_and_keeps_the_rest() {
        let stub = generate(SOLUTION).unwrap();
        let mine = stub
            .text
            .replace(
                "    todo!()\n}\n\n/// Not",
                "    n + n // mine\n}\n\n/// Not",
            )
            .replace("    s\n}", "    s // my edit\n}")
            .replacen(
                "        todo!()",
                "        std::task::Poll::Pending // mine",
                1,
            );
        assert!(mine.contains("n + n // mine") && mine.contains("Pending // mine"));
        let out = restore_exercise(&mine, &stub, "double").unwrap();
        assert!(!out.contains("n + n // mine"));
        assert!(
            out.contains("s // my edit"),
            "other items stay as the learner has them"
        );
        assert!(out.contains("Pending // mine"));
        let out = restore_exercise(&out, &stub, "join").unwrap();
        assert_eq!(out, stub.text.replace("    s\n}", "    s // my edit\n}"));
    }

    #[test]
    fn appends_an_item_the_learner_deleted_and_refuses_a_broken_file() {
        let stub = generate(SOLUTION).unwrap();
        let start = stub.text.find("/// Doubles.").unwrap();
        let end = stub.text.find("/// Not").unwrap();
        let mine = format!("{}{}", &stub.text[..start], &stub.text[end..]);
        let out = restore_exercise(&mine, &stub, "double").unwrap();
        assert!(out.ends_with("/// Doubles.\npub fn double(n: u32) -> u32 {\n    todo!()\n}\n"));
        assert!(restore_exercise("fn broken( {", &stub, "double").is_err());
        assert!(restore_exercise(&stub.text, &stub, "nope").is_err());
    }
}
