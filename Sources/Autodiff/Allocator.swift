/// Keeping freed memory for the next training step.

#if canImport(Glibc)
/// glibc's `mallopt` from `<malloc.h>`, which the Glibc module does not export.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1, M_MMAP_THRESHOLD: Int32 = -3, M_ARENA_MAX: Int32 = -8
#endif

/// Every step allocates and frees the same large arrays (logits and their gradient, the
/// output layer's weight gradient: megabytes each). glibc serves blocks that large with
/// fresh pages from the kernel and hands them back when they are freed, so each step
/// paid for faulting in and zeroing them again — a tenth of a small model's step.
/// Raising the thresholds keeps freed blocks in the heap, ready for the next step; the
/// resident memory stays at the peak, which the process reaches anyway.
///
/// Kept memory must also be found again by whichever thread asks next. glibc gives
/// threads heaps (arenas) of their own, and a block freed returns to the heap it came
/// from; training replicas and decoding batches run on whichever worker threads are free,
/// so each heap came to keep a replica's whole working set, and the peak depended on
/// which thread had run what (576–629 MB at the Multi30k size with two replicas, in three
/// runs). With one heap for all threads, what one step frees the next one reuses,
/// wherever it runs (517–519 MB in three runs, at the same speed within the noise). The
/// price is a lock per allocation, a few per op.
///
/// Set once: by `keepFreedMemory()`, which a program calls first thing, before any other
/// thread has allocated (a thread keeps the heap it first took), or else the first time
/// a product's result is allocated (`uninitializedArray`).
public func keepFreedMemory() {
    _ = allocatorKeepsFreedMemory
}

let allocatorKeepsFreedMemory: Void = {
    #if canImport(Glibc)
    _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)  // glibc's largest allowed value
    _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    _ = mallopt(M_ARENA_MAX, 1)
    #endif
}()
