//! `cargo workshop watch`: re-check on every save.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;
use notify::{EventKind, RecursiveMode, Watcher};

use crate::Ctx;
use crate::checks::Side;
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

    let (tx, rx) = mpsc::channel::<()>();
    let mut watcher: Option<notify::RecommendedWatcher> = None;
    let mut polling = force_poll;
    let mut hinted = false;

    'lessons: loop {
        let dir = ctx.root.join("exercises").join(current.dir());
        if !polling {
            let tx = tx.clone();
            let made = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                if let Ok(ev) = res
                    && relevant(&ev)
                {
                    let _ = tx.send(());
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
        println!(
            "{}",
            s.bold(&format!(
                "Watching {} — save a file to check lesson {} again. Ctrl-C stops.",
                util::rel(&ctx.root, &dir),
                current.num()
            ))
        );
        loop {
            // Run the checks.
            while rx.try_recv().is_ok() {}
            let mut seen = snapshot(&dir);
            let r = progress::runner(ctx, true).run(&[current], Side::Exercises)?;
            if interrupted() {
                break 'lessons;
            }
            let r = &r[0];
            let (mut state, _) = crate::state::State::load(&ctx.root);
            progress::record(ctx, &mut state, current, r);
            state.save(&ctx.root)?;
            println!();
            progress::print_result(ctx, current, r);
            println!(
                "{}",
                s.dim(&format!(
                    "── checked at {} · waiting for you to save (Ctrl-C stops) ──",
                    util::clock(util::now_secs())
                ))
            );
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
                    watcher = None;
                    continue 'lessons;
                }
            }
            // Wait for a change: a file event, or (as a backstop, and the
            // only way with --poll) a changed snapshot.
            let mut last_poll = Instant::now();
            let mut change_seen_at: Option<Instant> = None;
            loop {
                if interrupted() {
                    break 'lessons;
                }
                match rx.recv_timeout(Duration::from_millis(200)) {
                    Ok(()) => {
                        // Let the editor finish writing, then check.
                        std::thread::sleep(Duration::from_millis(300));
                        break;
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
    println!();
    println!(
        "Stopped watching. Your progress is saved in {}.",
        util::rel(&ctx.root, &crate::state::path(&ctx.root))
    );
    Ok(0)
}
