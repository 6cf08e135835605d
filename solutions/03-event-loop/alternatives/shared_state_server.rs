//! alternative: serve_echo keeps the lobby and both counters in one
//! `Rc<RefCell<State>>`, and the client callback is a closure that reads
//! one chunk per loop round into a Vec.
// ANCHOR: learn-echo_server
    #[derive(Default)]
    struct State {
        lobby: Vec<TcpStream>,
        accepted: usize,
        open: usize,
    }
    listener.set_nonblocking(true)?;
    let reply = Rc::new(reply);
    let state: Rc<RefCell<State>> = Rc::default();
    let st = state.clone();
    reactor.register(listener, move |l: &mut TcpListener| {
        let mut st = st.borrow_mut();
        while let Ok((s, _)) = l.accept() {
            st.lobby.push(s);
            st.accepted += 1;
        }
        if st.accepted >= clients {
            Next::Remove
        } else {
            Next::Keep
        }
    })?;
    loop {
        {
            let st = state.borrow();
            if st.accepted >= clients && st.open == 0 {
                return Ok(());
            }
        }
        reactor.turn(None)?;
        let newcomers = std::mem::take(&mut state.borrow_mut().lobby);
        for stream in newcomers {
            stream.set_nonblocking(true)?;
            state.borrow_mut().open += 1;
            let (reply, st) = (reply.clone(), state.clone());
            reactor.register(stream, move |s: &mut TcpStream| {
                let mut chunk = vec![0u8; 512];
                let next = loop {
                    match s.read(&mut chunk) {
                        Ok(0) => break Next::Remove,
                        Ok(n) => {
                            if s.write_all(&reply(&chunk[..n])).is_err() {
                                break Next::Remove;
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break Next::Keep,
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(_) => break Next::Remove,
                    }
                };
                if next == Next::Remove {
                    st.borrow_mut().open -= 1;
                }
                next
            })?;
        }
    }
// ANCHOR_END: learn-echo_server
// ANCHOR: learn-echo_server-helpers
// ANCHOR_END: learn-echo_server-helpers
