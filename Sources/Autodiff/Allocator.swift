/// Keeping freed memory for the next training step.

#if canImport(Glibc)
/// glibc's `mallopt` from `<malloc.h>`, which the Glibc module does not export.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1, M_MMAP_THRESHOLD: Int32 = -3
#endif

/// Every step allocates and frees the same large arrays (logits and their gradient, the
/// output layer's weight gradient: megabytes each). glibc serves blocks that large with
/// fresh pages from the kernel and hands them back when they are freed, so each step
/// paid for faulting in and zeroing them again — a tenth of a small model's step.
/// Raising the thresholds keeps freed blocks in the heap, ready for the next step; the
/// resident memory stays at the peak, which the process reaches anyway.
///
/// Set once, the first time a product's result is allocated (`uninitializedArray`).
let allocatorKeepsFreedMemory: Void = {
    #if canImport(Glibc)
    _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)  // glibc's largest allowed value
    _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    #endif
}()
