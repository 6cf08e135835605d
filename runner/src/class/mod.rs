//! `cargo workshop class`: a live board for the classroom.
//!
//! The instructor runs `class serve`: an HTTP server (hyper 1 on smol,
//! through smol-hyper: the workshop's own stack) with a page that updates
//! itself by Server-Sent Events, and a small JSON API. Learners run `class
//! join URL --code CODE --name NAME` once; from then on every `check` and
//! every `watch` re-check posts their progress: per exercise its status, the
//! first failing check's name and the number of hints seen. Never code.
//!
//! | method and path      | what                                                 |
//! |----------------------|------------------------------------------------------|
//! | `POST /api/join`     | `{code, name}` → `{token}` (403 on a wrong code)     |
//! | `POST /api/progress` | `{token, current_lesson, exercises: [...]}`          |
//! | `GET /api/class`     | the whole table, as JSON                             |
//! | `GET /events`        | the same table on every change (text/event-stream)  |
//! | `GET /class.csv`     | the table as `report --merge` writes it              |
//! | `GET /`              | the instructor's page                                |

pub mod client;
pub mod model;
pub mod server;

use std::path::PathBuf;

use anyhow::Result;

use crate::Ctx;

/// `class serve`
pub fn serve(
    ctx: &Ctx,
    addr: &str,
    code: Option<String>,
    stuck_minutes: u64,
    state_file: Option<PathBuf>,
) -> Result<i32> {
    let state_file =
        state_file.unwrap_or_else(|| ctx.root.join(".workshop").join("class-server.json"));
    let columns = ctx
        .manifest
        .lessons
        .iter()
        .flat_map(|l| {
            l.exercises.iter().map(move |e| model::Column {
                lesson: l.number,
                slug: l.slug.clone(),
                exercise: e.name.clone(),
            })
        })
        .collect();
    server::run(server::Config {
        addr: addr.to_string(),
        code,
        stuck_minutes,
        state_file,
        columns,
        title: ctx.manifest.workshop.title.clone(),
    })
}
