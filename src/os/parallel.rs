//! Work spread over threads, one per item: scenarios, cases and key roles are few (tens at
//! most), each is independent, and a handshake spends most of its time waiting.

/// `f` applied to every item, each on its own thread; results in the items' order. A panic
/// in `f` is carried on to the caller.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
