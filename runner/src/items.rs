//! Finds an exercise's top-level items in a Rust file by brace matching, so
//! `reset LESSON EXERCISE` can restore just that exercise.
//!
//! An exercise `name` owns: `fn name` (any visibility, async/const/unsafe),
//! and, for `CamelName`, `struct|enum|trait|type CamelName` and every `impl`
//! block whose self type is `CamelName`. Each item includes the doc comments
//! and attributes right above it.

use std::ops::Range;

use anyhow::{Result, bail};

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What identifies the item in both files: `fn join`, `struct Join`,
    /// `impl<A, B> Future for Join<A, B>`.
    pub key: String,
    /// Byte range in the file, from its first doc line to the end of its line.
    pub span: Range<usize>,
}

/// Masks comments, strings and char literals with spaces (keeping byte
/// offsets and newlines), so braces inside them are not counted.
fn mask(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, r: Range<usize>| {
        for k in r {
            if out[k] != b'\n' {
                out[k] = b' ';
            }
        }
    };
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
            blank(&mut out, i..end);
            i = end;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                    depth += 1;
                    j += 2;
                } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i..j.min(b.len()));
            i = j;
        } else if c == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let end = src[j + 1..]
                .find(&close)
                .map_or(b.len(), |e| j + 1 + e + close.len());
            blank(&mut out, i..end);
            i = end;
        } else if c == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                if b[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(b.len());
            blank(&mut out, i..end);
            i = end;
        } else if c == b'\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if b.get(i + 1) == Some(&b'\\') {
                let end = src[i + 2..].find('\'').map_or(b.len(), |e| i + 2 + e + 1);
                blank(&mut out, i..end);
                i = end;
            } else if let Some(ch) = src[i + 1..].chars().next() {
                let after = i + 1 + ch.len_utf8();
                if b.get(after) == Some(&b'\'') {
                    blank(&mut out, i..after + 1);
                    i = after + 1;
                } else {
                    i += 1;
                }
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The top-level items of `src` that belong to exercise `name`.
pub fn exercise_items(src: &str, name: &str) -> Vec<Item> {
    let masked = mask(src);
    let m = String::from_utf8_lossy(&masked).into_owned();
    let camel = camel_case(name);
    let mut items = Vec::new();
    let mut depth: i32 = 0;
    let mut line_start = 0;
    let bytes = m.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if i == line_start && depth == 0 {
            let line_end = m[i..].find('\n').map_or(m.len(), |e| i + e);
            let line = &m[i..line_end];
            if let Some(key) = item_key(line, name, &camel)
                && let Some(end) = item_end(bytes, i)
            {
                let end_line = m[end..].find('\n').map_or(m.len(), |e| end + e + 1);
                let start = doc_start(src, i);
                items.push(Item {
                    key,
                    span: start..end_line,
                });
                i = end_line;
                line_start = i;
                continue;
            }
        }
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b'\n' => line_start = i + 1,
            _ => {}
        }
        i += 1;
    }
    items
}

/// Where the item that starts at `at` ends: after its matching `}` or its
/// `;` at depth 0.
fn item_end(m: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut paren = 0i32;
    for (k, &c) in m.iter().enumerate().skip(at) {
        match c {
            b'(' | b'[' => paren += 1,
            b')' | b']' => paren -= 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            b';' if depth == 0 && paren == 0 => return Some(k + 1),
            _ => {}
        }
    }
    None
}

/// The start of the doc comments and attributes right above `at`.
fn doc_start(src: &str, at: usize) -> usize {
    let mut start = at;
    while start > 0 {
        let prev_end = start - 1; // the '\n' ending the previous line
        let prev_start = src[..prev_end].rfind('\n').map_or(0, |p| p + 1);
        let t = src[prev_start..prev_end].trim();
        if t.starts_with("///") || t.starts_with("#[") {
            start = prev_start;
        } else {
            break;
        }
    }
    start
}

fn camel_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// If this (masked) line starts an item of the exercise, its key.
fn item_key(line: &str, name: &str, camel: &str) -> Option<String> {
    let t = line.trim_end();
    if t.starts_with(char::is_whitespace) {
        return None;
    }
    let mut words: Vec<&str> = t.split_whitespace().collect();
    // Strip visibility and qualifiers.
    while let Some(w) = words.first() {
        if *w == "pub"
            || w.starts_with("pub(")
            || ["async", "const", "unsafe", "extern", "\"C\""].contains(w)
        {
            words.remove(0);
        } else {
            break;
        }
    }
    let kind = *words.first()?;
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    match kind {
        "fn" => {
            let id = ident(words.get(1)?);
            (id == name).then(|| format!("fn {id}"))
        }
        "struct" | "enum" | "trait" | "type" => {
            let id = ident(words.get(1)?);
            (id == camel).then(|| format!("{kind} {id}"))
        }
        _ if kind == "impl" || kind.starts_with("impl<") => {
            let header = t.split('{').next().unwrap_or(t).trim();
            (impl_self_type(header)? == camel)
                .then(|| header.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        _ => None,
    }
}

/// The self type's name in `impl<..> Trait for Type<..> where ..`.
fn impl_self_type(header: &str) -> Option<String> {
    let rest = header.trim_start_matches("pub ").strip_prefix("impl")?;
    // Skip the impl's own generics.
    let mut rest = rest.trim_start();
    if rest.starts_with('<') {
        let mut depth = 0;
        let mut cut = rest.len();
        for (k, c) in rest.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        cut = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = rest[cut..].trim_start();
    }
    let rest = rest.split(" where").next().unwrap_or(rest);
    let ty = match rest.find(" for ") {
        Some(p) => &rest[p + 5..],
        None => rest,
    };
    let ty = ty.trim().split('<').next().unwrap_or("").trim();
    let last = ty.rsplit("::").next().unwrap_or(ty);
    Some(last.trim_start_matches('&').to_string())
}

/// Replaces exercise `name`'s items in `learner` with those from `stub`.
pub fn restore_exercise(learner: &str, stub: &str, name: &str) -> Result<String> {
    let theirs = exercise_items(stub, name);
    let mine = exercise_items(learner, name);
    if theirs.is_empty() {
        bail!(
            "the shipped file has no item called `{name}` that reset can find on its own; \
             reset the whole lesson instead (your file is backed up first)."
        );
    }
    let unique = |items: &[Item]| {
        let mut keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
        keys.sort();
        keys.windows(2).all(|w| w[0] != w[1])
    };
    if !unique(&theirs) || !unique(&mine) {
        bail!(
            "`{name}` appears more than once at the top level of the file, so reset cannot \
             tell which one to restore; reset the whole lesson instead (your file is backed up first)."
        );
    }
    let mut out = learner.to_string();
    // Replace from the end so earlier spans stay valid.
    let mut pairs: Vec<(&Item, &Item)> = Vec::new();
    for t in &theirs {
        match mine.iter().find(|m| m.key == t.key) {
            Some(m) => pairs.push((m, t)),
            None => bail!(
                "your file no longer has `{}` (it was renamed or deleted), so reset cannot put \
                 the shipped version in its place; reset the whole lesson instead (your file is backed up first).",
                t.key
            ),
        }
    }
    pairs.sort_by_key(|(m, _)| std::cmp::Reverse(m.span.start));
    for (m, t) in pairs {
        out.replace_range(m.span.clone(), &stub[t.span.clone()]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STUB: &str = r#"//! Lesson.
use std::future::Future;

/// Exercise `double`.
pub fn double(n: u32) -> u32 {
    // TODO: "{" and '}' do not count
    todo!()
}

/// A lifetime: 'a.
pub fn other<'a>(s: &'a str) -> &'a str {
    s
}

pub struct Join<A> {
    a: A,
}

impl<A: Future> Future for Join<A> {
    type Output = ();
    fn poll(&mut self) {
        todo!()
    }
}

pub fn join<A>(a: A) -> Join<A> {
    Join { a }
}
"#;

    #[test]
    fn finds_functions_and_types() {
        let keys: Vec<String> = exercise_items(STUB, "double")
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(keys, ["fn double"]);
        let keys: Vec<String> = exercise_items(STUB, "join")
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(
            keys,
            [
                "struct Join",
                "impl<A: Future> Future for Join<A>",
                "fn join"
            ]
        );
    }

    #[test]
    fn restores_one_exercise_and_keeps_the_rest() {
        let learner = STUB
            .replace(
                "    // TODO: \"{\" and '}' do not count\n    todo!()",
                "    n * 2",
            )
            .replace("    s\n", "    s.trim()\n");
        let back = restore_exercise(&learner, STUB, "double").unwrap();
        assert!(back.contains("todo!()\n}\n\n/// A lifetime"));
        assert!(back.contains("s.trim()"), "other items are kept");
        assert!(restore_exercise(&learner, STUB, "missing").is_err());
    }
}
