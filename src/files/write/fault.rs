//! Fault injection for the tests of what sopc writes: in debug builds only, the variable
//! `SOPC_FAULT_INJECT=ACTION:POINT:N[,...]` makes the `N`th pass through `POINT` fail with an
//! I/O error (`fail`) or end the process at once, as a kill would (`abort`). Release builds
//! ignore it.
//!
//! The points, in the order a build passes them: `stage` (after each output is written into the
//! staging folder), `journal` (after the journal is written), `backup` (after each old output is
//! moved aside), `move-in` (after each new output is moved into place), `cleanup` (before the
//! work folder is removed), `rollback` and `recover` (after each step of putting a folder back
//! or finishing an interrupted build); and `write` (halfway through writing any file).

use std::io;

/// Passes the fault point `name`: fails or aborts there when asked to.
#[cfg(debug_assertions)]
pub fn point(name: &str) -> io::Result<()> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static PASSES: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);
    let Some(spec) = std::env::var_os("SOPC_FAULT_INJECT") else {
        return Ok(());
    };
    let spec = spec.to_string_lossy().into_owned();
    let pass = {
        let mut passes = PASSES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = passes
            .get_or_insert_with(HashMap::new)
            .entry(name.to_string())
            .or_insert(0);
        *count += 1;
        *count
    };
    for fault in spec.split(',') {
        let mut parts = fault.splitn(3, ':');
        let (Some(action), Some(point), Some(n)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if point != name || n.parse() != Ok(pass) {
            continue;
        }
        match action {
            "abort" => std::process::abort(),
            "fail" => {
                return Err(io::Error::other(format!("injected fault at {name} {pass}")));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Release builds have no fault points.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn point(_name: &str) -> io::Result<()> {
    Ok(())
}
