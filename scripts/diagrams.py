#!/usr/bin/env python3
"""Draws the book's concept diagrams (book/src/images/*.svg) from the
descriptions below.

    python3 scripts/diagrams.py          # rewrites every diagram

Every diagram is one column of numbered steps, 460 px wide, with 16 px text:
on a phone (a 360 px column) the browser scales it to 78 %, and the smallest
text still renders at 12.5 px. Lines are wrapped here with a generous
estimate of the text's width, and scripts/check-book.sh measures the result
in Chromium (text size, nothing cut off) at 1280 and 400 px.
"""
import html
import os
import sys

W = 460
M = 14  # outer margin
FONT = 16
SANS_W = 9.2  # px per character at 16 px: generous for DejaVu Sans
MONO_W = 9.7  # DejaVu Sans Mono at 16 px
LINE = 21
SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
MONO = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace"
COL = {
    "blue": ("#0072B2", "#EAF3FA"),
    "orange": ("#B36B00", "#FFF3DC"),
    "green": ("#006B4F", "#E6F5F0"),
    "pink": ("#A0527F", "#F8ECF3"),
    "grey": ("#555555", "#F4F4F4"),
}


def esc(s):
    return html.escape(s, quote=True)


def wrap(text, width_px, char_w):
    """Greedy word wrap by estimated width."""
    n = max(8, int(width_px // char_w))
    out = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) > n:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


class Diagram:
    def __init__(self, key, title, desc):
        self.key, self.title, self.desc = key, title, desc
        self.body = []
        self.y = 28
        self.box_tops = []
        self.text(title, bold=True)
        self.y += 6

    def text(self, s, x=M, bold=False, fill="#222", mono=False, anchor="start"):
        attrs = f'x="{x}" y="{self.y}" fill="{fill}"'
        if bold:
            attrs += ' font-weight="bold"'
        if mono:
            attrs += f' font-family="{MONO}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        self.body.append(f"<text {attrs}>{esc(s)}</text>")
        self.y += LINE

    def note(self, s, fill="#444"):
        self.y += 24
        for line in wrap(s, W - 2 * M, SANS_W):
            self.text(line, fill=fill)
        self.y -= LINE - 6

    def step(self, num, heading, lines=(), colour="blue", mono=True, who=None):
        """A box: a number, a heading (code by default), lines of text."""
        stroke, fill = COL[colour]
        top = self.y
        self.box_tops.append(top)
        inner_x = M + 14 + (34 if num else 0)
        inner_w = W - M - 12 - inner_x
        rows = []
        if who:
            rows += [("who", l) for l in wrap(who, inner_w, SANS_W)]
        rows += [("head", l) for l in wrap(heading, inner_w, MONO_W if mono else SANS_W)]
        for l in lines:
            kind = "code" if l.startswith("`") and l.endswith("`") else "text"
            l = l.strip("`") if kind == "code" else l
            rows += [(kind, x) for x in wrap(l, inner_w, MONO_W if kind == "code" else SANS_W)]
        h = 16 + len(rows) * LINE
        self.body.append(
            f'<rect x="{M}" y="{top}" width="{W - 2 * M}" height="{h}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
        )
        if num:
            cy = top + 8 + LINE / 2 + 2
            self.body.append(f'<circle cx="{M + 26}" cy="{cy}" r="13" fill="{stroke}"/>')
            self.body.append(
                f'<text x="{M + 26}" y="{cy + 5.5}" text-anchor="middle" fill="#fff" font-weight="bold">{esc(str(num))}</text>'
            )
        self.y = top + 8 + 16
        for kind, l in rows:
            if kind == "who":
                self.text(l, x=inner_x, fill="#555")
            elif kind == "head":
                self.text(l, x=inner_x, bold=not mono, mono=mono, fill=stroke if not mono else "#222")
            elif kind == "code":
                self.text(l, x=inner_x, mono=True)
            else:
                self.text(l, x=inner_x)
        self.y = top + h
        self.bottom = top + h

    def arrow(self, label=None, colour="#333"):
        x = M + 26
        y0, y1 = self.y + 2, self.y + (34 if label else 26)
        self.body.append(
            f'<path d="M{x},{y0} L{x},{y1 - 2}" stroke="{colour}" stroke-width="2" fill="none" marker-end="url(#{self.key}-arrow)"/>'
        )
        if label:
            for i, l in enumerate(wrap(label, W - 2 * M - 40, SANS_W)[:1]):
                self.body.append(f'<text x="{x + 16}" y="{y0 + 21}" fill="#555">{esc(l)}</text>')
        self.y = y1 + 2

    def loop_back(self, first, label):
        """An arrow up the right edge, from the last box back to box `first`."""
        x = W - 5
        top = self.box_tops[first] + 18
        bottom = self.bottom - 18
        self.body.append(
            f'<path d="M{W - M},{bottom} L{x},{bottom} L{x},{top} L{W - M + 2},{top}" stroke="#333" stroke-width="2" fill="none" marker-end="url(#{self.key}-arrow)"/>'
        )
        self.note(label, fill="#555")

    def svg(self):
        h = self.y + 10
        return "\n".join(
            [
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" font-family="{SANS}" font-size="{FONT}" role="img" aria-labelledby="{self.key}-title {self.key}-desc">',
                f'<title id="{self.key}-title">{esc(self.title)}</title>',
                f'<desc id="{self.key}-desc">{esc(self.desc)}</desc>',
                f'<defs><marker id="{self.key}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
                f'<rect x="0" y="0" width="{W}" height="{h}" fill="#ffffff"/>',
                *self.body,
                "</svg>",
                "",
            ]
        )


def event_loop():
    d = Diagram(
        "el",
        "The event loop: one thread, one loop",
        "One thread goes round a loop: run the ready tasks until each returns Pending; "
        "each waiting task has left its waker with the reactor; sleep in the poller until "
        "the OS reports something ready; wake the tasks waiting for it, which puts them "
        "back in the run queue.",
    )
    d.step(1, "Run ready tasks", ["poll each task in the run queue; it runs until its next "
           ".await that is not ready (it returns Poll::Pending)"], "green", mono=False)
    d.arrow()
    d.step(2, "Leave a note", ["each waiting task left its waker with the reactor: "
           "\"wake me when socket 7 is readable / at 12:00:05\""], "blue", mono=False)
    d.arrow()
    d.step(3, "Sleep in the poller", ["run queue empty: block in", "`Poller::wait(next timer)`",
           "(epoll / kqueue / IOCP); the thread uses no CPU. The OS reports only the ready "
           "sockets (socket 7 readable, a timer due); nobody knocks on the quiet ones."],
           "orange", mono=False)
    d.arrow()
    d.step(4, "Wake who is ready", ["for every event the OS reported (and every timer due):",
           "`waker.wake()`", "puts that task back in the run queue"], "pink", mono=False)
    d.loop_back(0, "… and back to 1. In smol, step 1 is the executor (async-executor), "
                "steps 2 to 4 the reactor (async-io, on the polling crate).")
    return d


def readiness():
    d = Diagram(
        "rd",
        "Readiness: the OS tells you when to read",
        "A sequence between your code, the poller and a non-blocking socket: read returns "
        "WouldBlock; the socket is registered for readable; the thread sleeps in wait; bytes "
        "arrive; wait reports the key; read succeeds; read again returns WouldBlock; the "
        "interest is re-armed because it is oneshot.",
    )
    s = [
        ("your code → socket", "read(&mut buf)", ["→ Err(WouldBlock): buffer empty, \"nothing yet\", not an error"], "grey"),
        ("your code → Poller", "add(&socket, Event::readable(7))", ["\"tell me when key 7 is readable\""], "blue"),
        ("your code → Poller (epoll / kqueue / IOCP)", "wait(&mut events, None)", ["zzz… the thread sleeps: no CPU used, however many sockets are registered"], "blue"),
        ("network → socket", "bytes arrive", ["socket 7 is readable"], "orange"),
        ("Poller → your code", "wait returns", ["`[Event { key: 7, readable }]`"], "blue"),
        ("your code → socket", "read(&mut buf)", ["→ Ok(n): the bytes (Ok(0) would mean: the peer hung up)"], "green"),
        ("your code → socket", "read(&mut buf)", ["→ Err(WouldBlock): drained, \"nothing more for now\""], "grey"),
        ("your code → Poller", "modify(&socket, Event::readable(7))", ["re-arm: polling's interest is oneshot; then back to 3"], "blue"),
    ]
    for i, (who, head, lines, c) in enumerate(s, 1):
        if i > 1:
            d.arrow()
        d.step(i, head, lines, c, who=who)
    d.note("smol's Async<TcpStream> does steps 1 to 8 for you: .read(..).await is \"try; on "
           "WouldBlock, wait for readable; try again\".")
    return d


def future_waker():
    d = Diagram(
        "fw",
        "The Future / Waker handshake",
        "The executor polls a future with a Context. The future is not ready, so it hands a "
        "clone of the waker to the reactor and returns Pending. The executor does not poll it "
        "again until the reactor, told by the OS that the socket is ready, calls wake, which "
        "puts the task back in the run queue. The executor polls again and the future returns "
        "Ready with its value.",
    )
    s = [
        ("executor → future", "future.poll(&mut cx)", ["cx carries this task's Waker"], "green"),
        ("future → reactor", "cx.waker().clone()", ["\"socket not readable yet: wake me when it is\""], "blue"),
        ("future → executor", "Poll::Pending", [], "green"),
        ("executor", "runs other tasks, or sleeps", ["this task is not in the run queue: nobody polls it, it costs nothing"], "grey"),
        ("OS → reactor", "socket readable", [], "orange"),
        ("reactor → executor", "waker.wake()", ["schedule: the task goes back into the run queue"], "pink"),
        ("executor → future", "future.poll(&mut cx)", [], "green"),
        ("future → executor", "Poll::Ready(value)", ["the .await completes; the task runs on to its next .await"], "green"),
    ]
    for i, (who, head, lines, c) in enumerate(s, 1):
        if i > 1:
            d.arrow()
        d.step(i, head, lines, c, who=who)
    d.y += 30
    d.text("The contract", bold=True)
    for rule in [
        "• Return Pending only after making sure someone will call wake() later. No waker "
        "stored = a task that sleeps forever.",
        "• poll must return quickly: a poll that blocks (thread::sleep, std I/O) stops every "
        "other task on that thread.",
        "• A wake-up is a hint, not a promise: after wake() the future checks again, and may "
        "return Pending again.",
    ]:
        for j, line in enumerate(wrap(rule, W - 2 * M - 14, SANS_W)):
            d.text(line, x=M if j == 0 else M + 14)
    d.y -= LINE - 6
    return d


def run_queues():
    d = Diagram(
        "rq",
        "Executors and their run queues",
        "spawn turns a future into a task: the caller gets a Task handle, and a Runnable goes "
        "into the executor's global queue; wake puts it there again. A LocalExecutor has one "
        "queue and one thread; try_tick runs one task once. A multi-threaded Executor gives "
        "every thread that runs it a local queue: a thread takes from its own queue first, "
        "then from the global queue, then steals half of another thread's queue.",
    )
    d.step(None, "let task = ex.spawn(fut);", ["the future becomes a task. Task<T> is your handle: "
           ".await it for the result; drop = cancel; .detach() = let it run on"], "green")
    d.y += 10
    d.step(None, "waker.wake()", ["a waiting task became ready: schedule its Runnable again"], "pink")
    d.arrow("a Runnable")
    d.step(None, "global queue (FIFO)", ["t7  t8  t9  ← newest"], "orange", mono=False)
    d.arrow("who takes it")
    d.step(None, "LocalExecutor", ["one queue, one thread; tasks need not be Send",
           "`try_tick()`", "pop one task, poll it once; false if the queue is empty",
           "`block_on(ex.run(fut))`", "tick until fut is done, sleep when nothing is queued"],
           "blue", mono=False)
    d.y += 10
    d.step(None, "Executor (multi-threaded)", ["every thread that calls ex.run(..) is a runner with a "
           "local queue (up to 512 tasks):",
           "smol-1: local t1 t2 t3; running t0.poll(cx) until it returns Pending or Ready",
           "smol-2: local queue empty, looking for work; sleeps if it finds none, until notified"],
           "blue", mono=False)
    d.note("Where a runner looks next: 1 · its own local queue, 2 · the global queue (and moves "
           "half of it to its own), 3 · steal half of another runner's queue. Every 64th task it "
           "also refills from the global queue, so new work is never starved. A task runs only "
           "when it is polled.")
    d.note("smol::spawn uses a global Executor run by SMOL_THREADS threads (default: 1), named "
           "smol-1, smol-2, …")
    return d


def chat_flow():
    d = Diagram(
        "cf",
        "The chat server's data flow",
        "One client's line goes through its reader task, which sends Join, Message and Leave "
        "events to the broker; the broker try_sends each message into every client's bounded "
        "outbox, where a full outbox drops the line for that client only; each client's writer task drains its outbox to its socket.",
    )
    d.step(None, "client (socket)", ["sends lines"], "grey", mono=False)
    d.arrow()
    d.step(None, "reader task (one per client)", ["reads lines, sends events to the broker"], "green", mono=False)
    d.arrow("Join / Message / Leave")
    d.step(None, "broker (one task, one inbox)", ["owns the map of clients; for each message, try_send into every client's outbox"], "blue", mono=False)
    d.arrow("try_send (never waits)")
    d.step(None, "outbox (bounded, one per client)", ["full (the client reads too slowly): the line is dropped for that client only"], "orange", mono=False)
    d.arrow()
    d.step(None, "writer task (one per client)", ["drains its outbox to the socket"], "green", mono=False)
    d.arrow()
    d.step(None, "client (socket)", ["receives lines"], "grey", mono=False)
    return d


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    images = os.path.join(root, "book", "src", "images")
    for name, make in [
        ("event-loop", event_loop),
        ("readiness", readiness),
        ("future-waker", future_waker),
        ("run-queues", run_queues),
        ("chat-data-flow", chat_flow),
    ]:
        path = os.path.join(images, name + ".svg")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(make().svg())
        print(f"diagrams: wrote {os.path.relpath(path, root)}")


if __name__ == "__main__":
    sys.exit(main())
