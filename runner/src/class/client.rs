//! The learner's side: `class join`, `class leave`, and the progress that
//! `check` and `watch` post after every check (statuses, failing check
//! names and hint counts; never code).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use serde::{Deserialize, Serialize};
use smol_hyper::rt::FuturesIo;

use super::model::{ExerciseProgress, Progress};
use crate::Ctx;
use crate::state::State;
use crate::util;

/// What `class join` remembers, in `.workshop/class.json`.
#[derive(Serialize, Deserialize)]
pub struct Membership {
    pub url: String,
    pub token: String,
    pub name: String,
}

fn membership_file(root: &Path) -> PathBuf {
    root.join(".workshop").join("class.json")
}

/// `http://host:port` without a trailing slash; only plain http (a class
/// board is on the classroom's own network).
fn base_url(url: &str) -> Result<(String, String)> {
    let url = url.trim().trim_end_matches('/');
    let Some(rest) = url.strip_prefix("http://") else {
        bail!("the class URL starts with http:// (it is the one `class serve` printed)");
    };
    let host_port = rest.split('/').next().unwrap_or(rest);
    let with_port = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:80")
    };
    Ok((format!("http://{host_port}"), with_port))
}

/// One HTTP/1 request with hyper over a smol TCP stream; (status, body).
pub fn request(
    url: &str,
    path: &str,
    body: &serde_json::Value,
    limit: Duration,
) -> Result<(u16, String)> {
    let (base, host_port) = base_url(url)?;
    let payload = body.to_string();
    let work = async move {
        let stream = smol::net::TcpStream::connect(host_port.as_str())
            .await
            .with_context(|| format!("could not connect to {base}"))?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(FuturesIo::new(stream)).await?;
        let driver = smol::spawn(async move {
            let _ = conn.await;
        });
        let req = Request::post(path)
            .header("host", host_port.as_str())
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(payload)))?;
        let res = sender.send_request(req).await?;
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await?.to_bytes();
        drop(driver);
        Ok::<_, anyhow::Error>((status, String::from_utf8_lossy(&bytes).into_owned()))
    };
    smol::block_on(futures_lite::future::or(work, async move {
        smol::Timer::after(limit).await;
        Err(anyhow!("no answer within {} s", limit.as_secs()))
    }))
}

fn server_error(status: u16, body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string))
        .unwrap_or_else(|| format!("HTTP {status}"))
}

/// `class join URL --code CODE --name NAME`
pub fn join(ctx: &Ctx, url: &str, code: &str, name: &str) -> Result<i32> {
    let (base, _) = base_url(url)?;
    let (status, body) = request(
        &base,
        "/api/join",
        &serde_json::json!({ "code": code, "name": name }),
        Duration::from_secs(5),
    )
    .with_context(|| format!("could not reach the class board at {base}"))?;
    if status != 200 {
        bail!("the class board said no: {}", server_error(status, &body));
    }
    let v: serde_json::Value = serde_json::from_str(&body)?;
    let token = v["token"]
        .as_str()
        .ok_or_else(|| anyhow!("the class board sent no token"))?;
    let m = Membership {
        url: base.clone(),
        token: token.to_string(),
        name: v["name"].as_str().unwrap_or(name).to_string(),
    };
    util::write_atomic(
        &membership_file(&ctx.root),
        serde_json::to_string_pretty(&m)?.as_bytes(),
    )?;
    println!(
        "Joined the class at {base} as {}. From now on every check sends your progress \
         (statuses, failing check names, hints used; never your code). \
         `cargo workshop class leave` stops it.",
        m.name
    );
    // Show up on the board at once.
    if let Ok(state) = crate::progress::load_state(ctx, true) {
        send(ctx, &state, None);
    }
    Ok(0)
}

/// `class leave`
pub fn leave(ctx: &Ctx) -> Result<i32> {
    let f = membership_file(&ctx.root);
    if f.is_file() {
        std::fs::remove_file(&f)?;
        println!("Left the class: checks no longer send anything.");
    } else {
        println!("You are not in a class.");
    }
    Ok(0)
}

/// The progress update for the whole workshop, from the saved state.
pub fn progress_of(ctx: &Ctx, state: &State, token: &str, current: Option<u32>) -> Progress {
    let mut exercises = Vec::new();
    for l in &ctx.manifest.lessons {
        for e in &l.exercises {
            let st = state
                .lesson(&l.slug)
                .and_then(|ls| ls.exercises.get(&e.name));
            let k = crate::progress::known(ctx, state, l, &e.name);
            let status = match k.status {
                Some(s) if !k.stale => s.key().to_string(),
                _ => "unknown".to_string(),
            };
            exercises.push(ExerciseProgress {
                lesson: l.number,
                slug: l.slug.clone(),
                exercise: e.name.clone(),
                status,
                failing_check: st.and_then(|s| s.failing_check.clone()),
                hints: st.map_or(0, |s| s.hints_revealed),
            });
        }
    }
    Progress {
        token: token.to_string(),
        current_lesson: current,
        exercises,
        seq: util::now_secs(),
    }
}

/// After a check: sends the learner's progress when they joined a class.
/// Never fails the command: an unreachable board is one quiet line.
pub fn send(ctx: &Ctx, state: &State, current: Option<u32>) {
    let Ok(text) = std::fs::read_to_string(membership_file(&ctx.root)) else {
        return;
    };
    let Ok(m) = serde_json::from_str::<Membership>(&text) else {
        return;
    };
    let p = progress_of(ctx, state, &m.token, current);
    let body = serde_json::to_value(&p).unwrap_or_default();
    match request(&m.url, "/api/progress", &body, Duration::from_secs(3)) {
        Ok((200, _)) => {}
        Ok((status, body)) => eprintln!(
            "{}",
            ctx.style.dim(&format!(
                "class board: {} (your work goes on)",
                server_error(status, &body)
            ))
        ),
        Err(e) => eprintln!(
            "{}",
            ctx.style.dim(&format!(
                "class board at {} not reachable ({e:#}); your work goes on.",
                m.url
            ))
        ),
    }
}
