//! `cargo workshop`: progress, checks, hints and class tools for the workshop.

mod checks;
mod class;
mod commands;
mod doctor;
mod items;
mod manifest;
mod progress;
mod report;
mod state;
mod stubgen;
mod sys;
mod util;
mod variants;
mod verify;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};

use crate::manifest::Manifest;
use crate::util::Style;

#[derive(Parser)]
#[command(
    name = "cargo workshop",
    bin_name = "cargo workshop",
    version,
    about = "Your guide through the async I/O workshop.",
    long_about = "Your guide through the async I/O workshop.\n\n\
        Run it with no arguments to see your progress and what to do next.\n\
        Typical loop: read the chapter, edit exercises/NN-slug/src/lib.rs, \
        then `cargo workshop check` (or leave `cargo workshop watch` running).\n\n\
        LESSON can be a number (3 or 03), a slug (event-loop) or both (03-event-loop).",
    after_help = "Start here: `cargo workshop` (no arguments) shows where you are and the next step."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a lesson's checks and show what each exercise still needs.
    #[command(
        long_about = "Run a lesson's checks (cargo test -p exNN-slug --test check) and show \
        each exercise's verdict: solved, failing (with the check's explanation) or not \
        started. Compile errors are shown as cargo prints them.\n\n\
        Without LESSON it checks the lesson you are working on. Exits 0 when every \
        checked exercise is solved, 1 otherwise."
    )]
    Check {
        /// The lesson to check (number or slug); default: the one you are on.
        lesson: Option<String>,
        /// Check every lesson.
        #[arg(long, conflicts_with = "lesson")]
        all: bool,
        /// Print one JSON object per exercise per line (for scripts and editors).
        #[arg(long)]
        json: bool,
    },
    /// Re-check the current lesson every time you save a file (Ctrl-C stops).
    #[command(
        long_about = "Re-check the lesson you are working on every time you save a file \
        in its exercise folder. Compile errors are shown and watching goes on. When the \
        lesson is solved it moves on to the next one. Ctrl-C stops.\n\n\
        It uses your system's file events; if those do not arrive (network folders, some \
        containers and VMs) it tells you and falls back to looking every second. \
        `--poll` starts that way."
    )]
    Watch {
        /// The lesson to watch (number or slug); default: the one you are on.
        lesson: Option<String>,
        /// Look for changes every second instead of using file events.
        #[arg(long)]
        poll: bool,
    },
    /// Show the next hint for an exercise (one at a time).
    #[command(
        long_about = "Show the next hint you have not seen yet for an exercise. Each call \
        reveals one more; `--all` repeats the ones you have already seen. Without \
        EXERCISE it picks the first exercise of the lesson that is not solved yet."
    )]
    Hint {
        /// The lesson (number or slug).
        lesson: String,
        /// The exercise name (as shown by `cargo workshop`); default: the first unsolved.
        exercise: Option<String>,
        /// Show all the hints you have already seen for it.
        #[arg(long)]
        all: bool,
    },
    /// Put an exercise file back as it was shipped (your version is backed up first).
    #[command(
        long_about = "Restore exercises/NN-slug/src/lib.rs to the shipped version. Your file \
        is first copied to .workshop/backups/ with a timestamp, and the command says \
        where, so nothing is ever lost. With EXERCISE only that exercise's function (or \
        type and its impls) is restored and the rest of your file is kept."
    )]
    Reset {
        /// The lesson (number or slug).
        lesson: String,
        /// Restore only this exercise.
        exercise: Option<String>,
    },
    /// Compare your file with the reference solution.
    #[command(
        long_about = "Show a diff between your exercise file and the reference solution. \
        With EXERCISE only that exercise's items are compared. Until your own checks \
        pass it asks for --force, so you do not spoil an exercise by accident."
    )]
    Solution {
        /// The lesson (number or slug).
        lesson: String,
        /// Compare only this exercise.
        exercise: Option<String>,
        /// Show the solution even though your checks do not pass yet.
        #[arg(long)]
        force: bool,
    },
    /// (maintainers) Check that the workshop itself is consistent.
    #[command(
        long_about = "For maintainers and instructors: every reference solution passes its \
        checks, every exercise as shipped fails all of its checks, the checks files are \
        unmodified (sha256 recorded in workshop.toml), exercises/ equals what the \
        solutions generate, every correct alternative (solutions/NN-slug/alternatives/) \
        passes, every wrong solution (solutions/NN-slug/wrong/) fails with its stated \
        message in time, and workshop.toml matches the folders.\n\n\
        `--rehash` first records the current checks files as the shipped ones (it \
        rewrites the hash lines in workshop.toml)."
    )]
    Verify {
        /// Record the current checks and exercise files as shipped, then verify.
        #[arg(long)]
        rehash: bool,
        /// Do not run the reference solutions (plain `cargo test` already does).
        #[arg(long)]
        no_solutions: bool,
        /// Do not build and run the alternative and wrong solutions.
        #[arg(long)]
        no_variants: bool,
        /// Exercise files that differ from the generated stubs are a learner's
        /// work in progress: skip them instead of failing.
        #[arg(long)]
        allow_edited: bool,
        /// Run the alternative and wrong solutions of these lessons only.
        #[arg(long = "lesson", value_name = "LESSON")]
        lessons: Vec<String>,
    },
    /// (maintainers) Regenerate exercises/ from the reference solutions.
    #[command(
        long_about = "Write every exercises/NN-slug/src/*.rs from the reference solution's \
        marked learner regions (see runner/src/stubgen.rs for the markers). `--check` \
        only reports files that differ and exits 1 when any does."
    )]
    Generate {
        /// Do not write; report what differs.
        #[arg(long)]
        check: bool,
    },
    /// A live board for a classroom: serve it (instructor), join or leave it (learner).
    #[command(subcommand)]
    Class(ClassCmd),
    /// Save your progress as a JSON file for your instructor, or merge a class's files.
    #[command(
        long_about = "Without --merge: write your progress (every exercise's status and the \
        hints you used) to one JSON file, by default .workshop/report-NAME.json, and print \
        its path. Lessons you changed since the last check are checked first.\n\n\
        With --merge FILES...: read learners' report files and print a class table (who \
        solved what, one row per learner: the latest report wins), and write the same as \
        CSV (--out FILE; default .workshop/workshop-class.csv, which git ignores)."
    )]
    Report {
        /// Your name as the instructor should see it (default: $WORKSHOP_NAME or $USER).
        #[arg(long)]
        name: Option<String>,
        /// Where to write the report; `-` prints it.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Merge these learners' report files into a class table.
        #[arg(long, num_args = 1.., value_name = "FILES")]
        merge: Option<Vec<PathBuf>>,
        /// With --merge: where to write the CSV (default: .workshop/workshop-class.csv in
        /// the workshop folder, which git ignores); `-` prints the CSV instead of the table.
        #[arg(long, alias = "csv", requires = "merge")]
        out: Option<PathBuf>,
    },
    /// Check that your machine is ready for the workshop, with a fix for each problem.
    #[command(
        long_about = "Check the toolchain version, that all dependencies are downloaded \
        for offline use, that mdbook is installed, what your terminal supports and that \
        file watching works. Every problem comes with the command that fixes it."
    )]
    Doctor,
}

#[derive(Subcommand)]
enum ClassCmd {
    /// (instructor) Serve the live class board and the API learners post to.
    #[command(
        long_about = "Serve the class board: a page that shows every learner's exercises, \
        live, and who is stuck where; and the JSON API learners' runners post to. It \
        prints the page's address and a short class code learners need to join. It \
        listens on 127.0.0.1 unless --addr says otherwise (e.g. 0.0.0.0:7878 for the \
        classroom's network). The class is saved to a file and reloaded on restart."
    )]
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
        /// The class code learners must give (default: the saved one, or a new random one).
        #[arg(long)]
        code: Option<String>,
        /// A learner is "stuck" after failing the same check for this many minutes.
        #[arg(long, default_value_t = 10)]
        stuck_minutes: u64,
        /// Where the class is saved (default: .workshop/class-server.json).
        #[arg(long)]
        state: Option<PathBuf>,
    },
    /// (learner) Join a class: from now on every check sends your progress (never code).
    Join {
        /// The address `class serve` printed, e.g. http://192.168.1.20:7878
        url: String,
        /// The class code your instructor gave.
        #[arg(long)]
        code: String,
        /// Your name as the instructor should see it.
        #[arg(long)]
        name: String,
    },
    /// (learner) Leave the class: checks stop sending anything.
    Leave,
}

/// What every command needs.
pub struct Ctx {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub style: Style,
}

impl Ctx {
    fn load() -> Result<Ctx> {
        let cwd = std::env::current_dir()?;
        let Some(root) = util::find_root(&cwd) else {
            bail!(
                "could not find workshop.toml in {} or any folder above it; cd into the \
                 workshop repository (the folder you cloned) and run the command again.",
                cwd.display()
            );
        };
        let manifest = Manifest::load(&root)?;
        Ok(Ctx {
            root,
            manifest,
            style: Style::detect(),
        })
    }
}

fn run(cli: Cli) -> Result<i32> {
    if let Some(Cmd::Report {
        merge: Some(files),
        out,
        ..
    }) = &cli.command
    {
        // Merging needs no workshop folder: an instructor may run it anywhere.
        return report::merge(files, out.as_deref(), Style::detect());
    }
    let ctx = Ctx::load()?;
    match cli.command {
        None => commands::status(&ctx),
        Some(Cmd::Check { lesson, all, json }) => {
            commands::check(&ctx, lesson.as_deref(), all, json)
        }
        Some(Cmd::Watch { lesson, poll }) => watch::watch(&ctx, lesson.as_deref(), poll),
        Some(Cmd::Hint {
            lesson,
            exercise,
            all,
        }) => commands::hint(&ctx, &lesson, exercise.as_deref(), all),
        Some(Cmd::Reset { lesson, exercise }) => {
            commands::reset(&ctx, &lesson, exercise.as_deref())
        }
        Some(Cmd::Solution {
            lesson,
            exercise,
            force,
        }) => commands::solution(&ctx, &lesson, exercise.as_deref(), force),
        Some(Cmd::Generate { check }) => verify::generate(&ctx, check),
        Some(Cmd::Verify {
            rehash,
            no_solutions,
            no_variants,
            allow_edited,
            lessons,
        }) => verify::verify(
            &ctx,
            rehash,
            !no_solutions,
            !no_variants,
            allow_edited,
            &lessons,
        ),
        Some(Cmd::Report { name, output, .. }) => report::write(&ctx, name, output),
        Some(Cmd::Doctor) => doctor::doctor(&ctx),
        Some(Cmd::Class(ClassCmd::Serve {
            addr,
            code,
            stuck_minutes,
            state,
        })) => class::serve(&ctx, &addr, code, stuck_minutes, state),
        Some(Cmd::Class(ClassCmd::Join { url, code, name })) => {
            class::client::join(&ctx, &url, &code, &name)
        }
        Some(Cmd::Class(ClassCmd::Leave)) => class::client::leave(&ctx),
    }
}

fn main() -> ExitCode {
    sys::quiet_on_closed_pipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            let style = Style::detect();
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(" ({cause})"));
            }
            eprintln!("{} {msg}", style.red("error:"));
            ExitCode::from(2)
        }
    }
}
