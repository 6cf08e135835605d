//! `class serve`: hyper 1 on smol (through smol-hyper), one task per
//! connection on a small executor, the class in a `Mutex` that no `.await`
//! ever holds.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_lite::StreamExt;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use smol::{Executor, Timer};
use smol_hyper::rt::FuturesIo;

use super::model::{Class, Column, Join, Learner, MAX_BODY, MAX_NAME, Progress};
use crate::util;

pub struct Config {
    pub addr: String,
    pub code: Option<String>,
    pub stuck_minutes: u64,
    pub state_file: PathBuf,
    pub columns: Vec<Column>,
    pub title: String,
}

type Body = BoxBody<Bytes, Infallible>;

struct Shared {
    class: Mutex<Class>,
    /// One sender per open `/events` stream.
    subscribers: Mutex<Vec<async_channel::Sender<Bytes>>>,
    /// Set by every change; the saver writes the state file when it is set.
    unsaved: AtomicBool,
    /// Kicks the broadcaster: something changed.
    kick: async_channel::Sender<()>,
    cfg: Config,
}

const PAGE: &str = include_str!("page.html");

/// Random hex from the OS's generator (tokens and class codes).
fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).expect("the OS random number generator");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A short class code a learner can type: 6 letters and digits without the
/// ones that look alike.
fn new_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).expect("the OS random number generator");
    b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect()
}

fn load(cfg: &Config) -> Class {
    let saved = std::fs::read(&cfg.state_file)
        .ok()
        .and_then(|b| serde_json::from_slice::<Class>(&b).ok());
    let mut class = saved.unwrap_or_default();
    if let Some(code) = &cfg.code {
        class.code = code.clone();
    } else if class.code.is_empty() {
        class.code = new_code();
    }
    class
}

impl Shared {
    fn changed(&self) {
        self.unsaved.store(true, Ordering::SeqCst);
        let _ = self.kick.try_send(());
    }

    fn table_json(&self) -> Bytes {
        let class = self.class.lock().expect("class lock");
        let t = class.table(&self.cfg.columns, self.cfg.stuck_minutes, util::now_secs());
        Bytes::from(t.to_string())
    }

    fn save(&self) {
        let json = {
            let class = self.class.lock().expect("class lock");
            serde_json::to_vec_pretty(&*class).unwrap_or_default()
        };
        if let Err(e) = util::write_atomic(&self.cfg.state_file, &json) {
            eprintln!("class: could not save the class: {e:#}");
        }
    }
}

fn full(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("cache-control", "no-store")
        .body(Full::new(body.into()).boxed())
        .expect("a valid response")
}

fn json(status: StatusCode, v: serde_json::Value) -> Response<Body> {
    full(status, "application/json", v.to_string())
}

fn error(status: StatusCode, msg: &str) -> Response<Body> {
    json(status, serde_json::json!({ "error": msg }))
}

/// The request body, at most MAX_BODY bytes, parsed as JSON.
async fn read_json<T: serde::de::DeserializeOwned>(
    req: Request<Incoming>,
) -> Result<T, Response<Body>> {
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the request body is larger than {MAX_BODY} bytes"),
            ));
        }
        Err(e) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                &format!("could not read the body: {e}"),
            ));
        }
    };
    serde_json::from_slice(&body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            &format!("the body is not the JSON this endpoint takes: {e}"),
        )
    })
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    Ok(match (method, path.as_str()) {
        (Method::GET, "/") => {
            let mut r = full(StatusCode::OK, "text/html; charset=utf-8", PAGE);
            // Everything the page needs comes from this server.
            r.headers_mut().insert(
                "content-security-policy",
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"
                    .parse()
                    .expect("a valid header"),
            );
            r
        }
        (Method::GET, "/api/class") => {
            full(StatusCode::OK, "application/json", shared.table_json())
        }
        (Method::GET, "/class.csv") => {
            let reports = {
                let class = shared.class.lock().expect("class lock");
                class.reports(&shared.cfg.columns)
            };
            let (_, csv) = crate::report::class_csv(&reports);
            let mut r = full(StatusCode::OK, "text/csv; charset=utf-8", csv);
            r.headers_mut().insert(
                "content-disposition",
                "attachment; filename=\"workshop-class.csv\""
                    .parse()
                    .expect("a valid header"),
            );
            r
        }
        (Method::GET, "/events") => events(&shared),
        (Method::POST, "/api/join") => match read_json::<Join>(req).await {
            Err(r) => r,
            Ok(j) => join(&shared, j),
        },
        (Method::POST, "/api/progress") => match read_json::<Progress>(req).await {
            Err(r) => r,
            Ok(p) => progress(&shared, p),
        },
        (_, "/" | "/api/class" | "/class.csv" | "/events" | "/api/join" | "/api/progress") => {
            error(StatusCode::METHOD_NOT_ALLOWED, "wrong method for this path")
        }
        _ => error(StatusCode::NOT_FOUND, "no such page"),
    })
}

fn join(shared: &Shared, j: Join) -> Response<Body> {
    let name = j.name.trim().to_string();
    let code_ok = {
        let class = shared.class.lock().expect("class lock");
        // Not a timing-sensitive secret (it is said out loud in class), but
        // compared in full anyway.
        class.code.len() == j.code.trim().len()
            && class
                .code
                .bytes()
                .zip(j.code.trim().bytes())
                .fold(true, |ok, (a, b)| ok & (a == b))
    };
    if !code_ok {
        return error(
            StatusCode::FORBIDDEN,
            "wrong class code: ask your instructor for it",
        );
    }
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("a name is 1 to {MAX_NAME} characters of text"),
        );
    }
    let token = random_hex(16);
    let now = util::now_secs();
    shared.class.lock().expect("class lock").learners.insert(
        token.clone(),
        Learner {
            name: name.clone(),
            token: token.clone(),
            joined_at: now,
            last_update: now,
            ..Default::default()
        },
    );
    shared.changed();
    json(
        StatusCode::OK,
        serde_json::json!({ "token": token, "name": name }),
    )
}

fn progress(shared: &Shared, p: Progress) -> Response<Body> {
    if let Some(why) = p.invalid() {
        return error(StatusCode::BAD_REQUEST, &why);
    }
    let stored = shared
        .class
        .lock()
        .expect("class lock")
        .apply(&p, util::now_secs());
    if !stored {
        return error(
            StatusCode::FORBIDDEN,
            "unknown learner token: join the class first (cargo workshop class join)",
        );
    }
    shared.changed();
    json(StatusCode::OK, serde_json::json!({ "ok": true }))
}

/// `text/event-stream`: the table now, then again after every change.
fn events(shared: &Arc<Shared>) -> Response<Body> {
    let (tx, rx) = async_channel::bounded::<Bytes>(4);
    let first = shared.table_json();
    let _ = tx.try_send(first);
    shared
        .subscribers
        .lock()
        .expect("subscribers lock")
        .push(tx);
    let stream = rx.map(|table| {
        let mut frame = Vec::with_capacity(table.len() + 16);
        frame.extend_from_slice(b"event: class\ndata: ");
        frame.extend_from_slice(&table);
        frame.extend_from_slice(b"\n\n");
        Ok::<_, Infallible>(Frame::data(Bytes::from(frame)))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-store")
        .body(BodyExt::boxed(StreamBody::new(stream)))
        .expect("a valid response")
}

/// Sends the table to every open event stream after a change, at most ten
/// times a second (200 learners posting at once make one event, not 200).
async fn broadcaster(shared: Arc<Shared>, kick: async_channel::Receiver<()>) {
    loop {
        // A change, or every 15 s anyway: "stuck" and "time since" grow
        // with the clock.
        let _ = futures_lite::future::or(async { kick.recv().await.ok() }, async {
            Timer::after(Duration::from_secs(15)).await;
            None
        })
        .await;
        let table = shared.table_json();
        shared
            .subscribers
            .lock()
            .expect("subscribers lock")
            .retain(|tx| match tx.try_send(table.clone()) {
                Ok(()) => true,
                // A page that is behind skips this table; the next is whole.
                Err(async_channel::TrySendError::Full(_)) => true,
                Err(async_channel::TrySendError::Closed(_)) => false,
            });
        Timer::after(Duration::from_millis(100)).await;
    }
}

/// Writes the state file at most every half second while there are changes,
/// so a restart finds the class as it was.
async fn saver(shared: Arc<Shared>) {
    loop {
        Timer::after(Duration::from_millis(500)).await;
        if shared.unsaved.swap(false, Ordering::SeqCst) {
            shared.save();
        }
    }
}

pub fn run(cfg: Config) -> Result<i32> {
    let class = load(&cfg);
    let listener = std::net::TcpListener::bind(&cfg.addr)
        .with_context(|| format!("could not listen on {}", cfg.addr))?;
    let addr = listener.local_addr()?;
    let listener = smol::net::TcpListener::try_from(listener)?;
    let code = class.code.clone();
    let (kick_tx, kick_rx) = async_channel::bounded(1);
    let shared = Arc::new(Shared {
        class: Mutex::new(class),
        subscribers: Mutex::new(Vec::new()),
        unsaved: AtomicBool::new(true),
        kick: kick_tx,
        cfg,
    });
    shared.save();
    println!("Class board for {}", shared.cfg.title);
    println!("  page:        http://{addr}/");
    println!("  class code:  {code}");
    println!(
        "  learners:    cargo workshop class join http://{addr} --code {code} --name \"Your Name\""
    );
    if addr.ip().is_loopback() {
        println!(
            "  (only this machine can reach it; for the classroom's network use --addr 0.0.0.0:{})",
            addr.port()
        );
    }
    println!("  saved to:    {}", shared.cfg.state_file.display());
    println!("listening on http://{addr}");
    let ex = Arc::new(Executor::new());
    // A second thread, so one busy connection never holds up the others.
    {
        let ex = ex.clone();
        std::thread::Builder::new()
            .name("class-server".into())
            .spawn(move || smol::block_on(ex.run(futures_lite::future::pending::<()>())))?;
    }
    ex.spawn(broadcaster(shared.clone(), kick_rx)).detach();
    ex.spawn(saver(shared.clone())).detach();
    {
        let shared = shared.clone();
        let _ = ctrlc::set_handler(move || {
            shared.save();
            println!("\nclass: saved; stopped.");
            std::process::exit(0);
        });
    }
    smol::block_on(ex.run(async {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("class: accept failed: {e}");
                    Timer::after(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let shared = shared.clone();
            ex.spawn(async move {
                let service = hyper::service::service_fn(move |req| handle(shared.clone(), req));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(FuturesIo::new(stream), service)
                    .await;
            })
            .detach();
        }
    }))
}
