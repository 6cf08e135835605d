//! `cargo workshop watch`: re-check on every save.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;
use notify::{EventKind, RecursiveMode, Watcher};

use crate::Ctx;
use crate::checks::{LessonResult, Side};
use crate::manifest::Lesson;
use crate::progress;
use crate::util;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C (and SIGTERM on unix) sets a flag instead of killing the runner,
/// so it can stop cleanly (cargo, in the same process group or console, gets
/// the signal too and stops). The `ctrlc` crate does this on every OS.
fn catch_ctrl_c() {
    // Only fails when a handler is already set: then that one stays.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// mtime and length of every .rs/.toml file under `dir` (not target/).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<SystemTime>, u64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(p);
                }
            } else if (name.ends_with(".rs") || name.ends_with(".toml"))
                && let Ok(md) = e.metadata()
            {
                out.insert(p, (md.modified().ok(), md.len()));
            }
        }
    }
    out
}

fn relevant(ev: &notify::Event) -> bool {
    matches!(
        ev.kind,
        EventKind::Modify(_) | EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any
    ) && ev.paths.iter().any(|p| {
        let s = p.to_string_lossy();
        (s.ends_with(".rs") || s.ends_with(".toml")) && !s.contains("/target/")
    })
}

/// What the watch loop waits for: a saved file, or a key (interactive mode).
enum Msg {
    Change,
    Key(Key),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Key {
    Char(char),
    Enter,
    Esc,
    Interrupt,
}

/// Raw mode (single key presses, no echo) only while watch waits for a key;
/// printing and running cargo happen in normal mode.
struct Keyboard {
    raw: bool,
}

impl Keyboard {
    fn start(tx: mpsc::Sender<Msg>) -> Keyboard {
        std::thread::spawn(move || {
            use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
            while let Ok(ev) = read() {
                let Event::Key(k) = ev else { continue };
                if k.kind != KeyEventKind::Press {
                    continue;
                }
                let key = match k.code {
                    KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                        Key::Interrupt
                    }
                    KeyCode::Char(c) => Key::Char(c.to_ascii_lowercase()),
                    KeyCode::Enter => Key::Enter,
                    KeyCode::Esc => Key::Esc,
                    _ => continue,
                };
                if tx.send(Msg::Key(key)).is_err() {
                    break;
                }
            }
        });
        Keyboard { raw: false }
    }
    fn raw(&mut self, on: bool) {
        if on != self.raw {
            let _ = if on {
                crossterm::terminal::enable_raw_mode()
            } else {
                crossterm::terminal::disable_raw_mode()
            };
            self.raw = on;
        }
    }
}

impl Drop for Keyboard {
    fn drop(&mut self) {
        self.raw(false);
    }
}

fn clear_screen() {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(
        out,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
        crossterm::cursor::MoveTo(0, 0)
    );
    let _ = out.flush();
}

/// The exercise watch shows: the first that is not solved, else the first.
fn first_open(r: Option<&LessonResult>) -> usize {
    r.and_then(|r| {
        r.exercises
            .iter()
            .position(|e| e.status != crate::state::Status::Solved)
    })
    .unwrap_or(0)
}

pub fn watch(ctx: &Ctx, lesson: Option<&str>, force_poll: bool) -> Result<i32> {
    catch_ctrl_c();
    let s = &ctx.style;
    let state = progress::load_state(ctx, false)?;
    let fixed = lesson.is_some();
    let mut current: &Lesson = match lesson {
        Some(arg) => ctx.manifest.find(arg)?,
        None => match progress::current_lesson(ctx, &state) {
            Some(l) => l,
            None => anyhow::bail!(
                "workshop.toml lists no lessons, so there is nothing to watch; pull the latest version of the workshop."
            ),
        },
    };
    drop(state);

    let (tx, rx) = mpsc::channel::<Msg>();
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut keyboard = interactive.then(|| Keyboard::start(tx.clone()));
    let mut watcher: Option<notify::RecommendedWatcher> = None;
    let mut polling = force_poll;
    let mut hinted = false;
    // The exercise `n`, `h`, `r` and `s` act on, by index in the lesson;
    // `None` until the first check picks the first open one.
    let mut focus: Option<usize> = None;

    'lessons: loop {
        let dir = ctx.root.join("exercises").join(current.dir());
        if !polling {
            let tx = tx.clone();
            let made = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                if let Ok(ev) = res
                    && relevant(&ev)
                {
                    let _ = tx.send(Msg::Change);
                }
            })
            .and_then(|mut w| w.watch(&dir, RecursiveMode::Recursive).map(|_| w));
            match made {
                Ok(w) => watcher = Some(w),
                Err(e) => {
                    println!(
                        "{}",
                        s.yellow(&format!(
                            "File events are not available here ({e}); looking for changes every second instead."
                        ))
                    );
                    polling = true;
                }
            }
        }
        if !interactive {
            println!(
                "{}",
                s.bold(&format!(
                    "Watching {} — save a file to check lesson {} again. Ctrl-C stops.",
                    util::rel(&ctx.root, &dir),
                    current.num()
                ))
            );
        }
        loop {
            // Run the checks.
            while rx.try_recv().is_ok_and(|m| matches!(m, Msg::Change)) {}
            if let Some(k) = keyboard.as_mut() {
                k.raw(false);
            }
            let mut seen = snapshot(&dir);
            let r = progress::runner(ctx, true).run(&[current], Side::Exercises)?;
            if interrupted() {
                break 'lessons;
            }
            let r = r.into_iter().next().expect("one lesson, one result");
            let (mut state, _) = crate::state::State::load(&ctx.root);
            progress::record(ctx, &mut state, current, &r);
            state.save(&ctx.root)?;
            crate::class::client::send(ctx, &state, Some(current.number));
            let f = *focus.get_or_insert_with(|| first_open(Some(&r)));
            if interactive {
                render(ctx, current, &r, f);
            } else {
                println!();
                progress::print_result(ctx, current, &r);
                println!(
                    "{}",
                    s.dim(&format!(
                        "── checked at {} · waiting for you to save (Ctrl-C stops) ──",
                        util::clock(util::now_secs())
                    ))
                );
            }
            if r.all_solved() && !fixed {
                let pos = ctx
                    .manifest
                    .lessons
                    .iter()
                    .position(|l| l.slug == current.slug);
                if let Some(next) = pos.and_then(|p| ctx.manifest.lessons.get(p + 1)) {
                    println!(
                        "{}",
                        s.green(&format!(
                            "Lesson {} is solved! Moving on to lesson {} ({}).",
                            current.num(),
                            next.num(),
                            next.slug
                        ))
                    );
                    let chapter = next.chapter(&ctx.root);
                    if chapter.is_file() {
                        println!("  read {}", util::rel(&ctx.root, &chapter));
                    }
                    current = next;
                    focus = None;
                    watcher = None;
                    continue 'lessons;
                }
            }
            // Wait for a change: a file event, a key, or (as a backstop, and
            // the only way with --poll) a changed snapshot.
            let mut last_poll = Instant::now();
            let mut change_seen_at: Option<Instant> = None;
            let mut pending_reset = false;
            loop {
                if interrupted() {
                    break 'lessons;
                }
                if let Some(k) = keyboard.as_mut() {
                    k.raw(true);
                }
                match rx.recv_timeout(Duration::from_millis(200)) {
                    Ok(Msg::Change) => {
                        // Let the editor finish writing, then check.
                        std::thread::sleep(Duration::from_millis(300));
                        break;
                    }
                    Ok(Msg::Key(key)) => {
                        if let Some(k) = keyboard.as_mut() {
                            k.raw(false);
                        }
                        let n = current.exercises.len().max(1);
                        let f = focus.unwrap_or(0).min(n - 1);
                        let ex = current.exercises.get(f).map(|e| e.name.clone());
                        if pending_reset {
                            pending_reset = false;
                            if key == Key::Char('y')
                                && let Some(ex) = &ex
                            {
                                if let Err(e) = crate::commands::reset(ctx, &current.slug, Some(ex))
                                {
                                    println!("{e:#}");
                                }
                                // The reset wrote the file: re-check now.
                                break;
                            }
                            println!("Not reset.");
                            continue;
                        }
                        match key {
                            Key::Char('q') | Key::Interrupt | Key::Esc => break 'lessons,
                            Key::Char('n') => {
                                if f + 1 < n || fixed {
                                    focus = Some((f + 1) % n);
                                    render(ctx, current, &r, focus.unwrap_or(0));
                                } else if let Some(next) = next_lesson(ctx, current) {
                                    current = next;
                                    focus = Some(0);
                                    watcher = None;
                                    continue 'lessons;
                                }
                            }
                            Key::Char('h') => {
                                if let Some(ex) = &ex {
                                    println!();
                                    if let Err(e) =
                                        crate::commands::hint(ctx, &current.slug, Some(ex), false)
                                    {
                                        println!("{e:#}");
                                    }
                                }
                            }
                            Key::Char('r') => {
                                if let Some(ex) = &ex {
                                    println!();
                                    println!(
                                        "Reset `{ex}` to the stub? Your file is backed up first. Press y to reset, any other key to keep it."
                                    );
                                    pending_reset = true;
                                }
                            }
                            Key::Char('s') => {
                                if let Some(ex) = &ex {
                                    println!();
                                    if let Err(e) = crate::commands::solution(
                                        ctx,
                                        &current.slug,
                                        Some(ex),
                                        false,
                                    ) {
                                        println!("{e:#}");
                                    }
                                }
                            }
                            Key::Char('l') => {
                                println!();
                                for (i, e) in current.exercises.iter().enumerate().take(9) {
                                    let st = r
                                        .exercises
                                        .iter()
                                        .find(|x| x.name == e.name)
                                        .map(|x| x.status);
                                    println!(
                                        "  {}  {} {}",
                                        i + 1,
                                        progress::symbol(ctx, st),
                                        e.name
                                    );
                                }
                                println!("Press a number to jump to that exercise.");
                            }
                            Key::Char(c) if c.is_ascii_digit() && c != '0' => {
                                let i = c as usize - '1' as usize;
                                if i < n {
                                    focus = Some(i);
                                    render(ctx, current, &r, i);
                                }
                            }
                            _ => {}
                        }
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => polling = true,
                }
                if last_poll.elapsed() >= Duration::from_secs(1) {
                    last_poll = Instant::now();
                    let now = snapshot(&dir);
                    if now != seen {
                        if polling {
                            break;
                        }
                        let at = *change_seen_at.get_or_insert_with(Instant::now);
                        if at.elapsed() >= Duration::from_secs(2) {
                            if !hinted {
                                if let Some(k) = keyboard.as_mut() {
                                    k.raw(false);
                                }
                                println!(
                                    "{}",
                                    s.yellow(
                                        "Your save was noticed, but no file event arrived (common on network folders, \
                                         in containers and VMs). Switching to looking every second; next time start \
                                         with `cargo workshop watch --poll`."
                                    )
                                );
                                hinted = true;
                            }
                            polling = true;
                            watcher = None;
                            break;
                        }
                        seen = now.clone();
                        let _ = &seen;
                    }
                }
            }
            let _ = &watcher;
        }
    }
    drop(watcher);
    drop(keyboard);
    println!();
    println!(
        "Stopped watching. Your progress is saved in {}.",
        util::rel(&ctx.root, &crate::state::path(&ctx.root))
    );
    Ok(0)
}

fn next_lesson<'a>(ctx: &'a Ctx, current: &Lesson) -> Option<&'a Lesson> {
    let pos = ctx
        .manifest
        .lessons
        .iter()
        .position(|l| l.slug == current.slug)?;
    ctx.manifest.lessons.get(pos + 1)
}

/// The interactive screen: the lesson's verdicts, the exercise in focus,
/// and the keys.
fn render(ctx: &Ctx, lesson: &Lesson, r: &LessonResult, focus: usize) {
    let s = &ctx.style;
    clear_screen();
    progress::print_result(ctx, lesson, r);
    println!();
    if let Some(e) = r.exercises.get(focus) {
        println!(
            "{} `{}` ({} of {}) — {}",
            s.bold("Now:"),
            e.name,
            focus + 1,
            r.exercises.len(),
            e.status.label()
        );
    }
    println!(
        "{}",
        s.dim(&format!(
            "checked at {} · save to re-check · n next · h hint · r reset · l list · s solution · q quit",
            util::clock(util::now_secs())
        ))
    );
}
