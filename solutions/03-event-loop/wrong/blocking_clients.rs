//! wrong: serve_echo makes the listener non-blocking but forgets the
//! accepted streams, so one client's read blocks the only thread.
//! message: The one server thread is stuck somewhere
// ANCHOR: learn-echo_server
    listener.set_nonblocking(true)?;
    let reply = Rc::new(reply);
    let lobby: Rc<RefCell<Vec<TcpStream>>> = Rc::default();
    let accepted = Rc::new(Cell::new(0));
    let open = Rc::new(Cell::new(0));
    let (lobby2, accepted2) = (lobby.clone(), accepted.clone());
    reactor.register(listener, move |listener: &mut TcpListener| {
        while let Ok((stream, _)) = listener.accept() {
            lobby2.borrow_mut().push(stream);
            accepted2.set(accepted2.get() + 1);
        }
        if accepted2.get() >= clients {
            Next::Remove
        } else {
            Next::Keep
        }
    })?;
    while accepted.get() < clients || open.get() > 0 {
        reactor.turn(None)?;
        let newcomers: Vec<TcpStream> = lobby.borrow_mut().drain(..).collect();
        for stream in newcomers {
            open.set(open.get() + 1);
            let (reply, open) = (reply.clone(), open.clone());
            reactor.register(stream, move |stream: &mut TcpStream| {
                let next = echo_ready(stream, &*reply);
                if next == Next::Remove {
                    open.set(open.get() - 1);
                }
                next
            })?;
        }
    }
    Ok(())
// ANCHOR_END: learn-echo_server
