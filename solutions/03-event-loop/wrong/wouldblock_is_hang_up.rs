//! wrong: the client callback treats WouldBlock like a hang-up and drops the
//! client after its first chunk.
//! message: WouldBlock means "nothing more for now", not "hung up"
// ANCHOR: learn-echo_server-helpers
fn echo_ready(stream: &mut TcpStream, reply: &dyn Fn(&[u8]) -> Vec<u8>) -> Next {
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Next::Remove,
            Ok(n) => {
                if stream.write_all(&reply(&buf[..n])).is_err() {
                    return Next::Remove;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Next::Remove,
        }
    }
}
// ANCHOR_END: learn-echo_server-helpers
