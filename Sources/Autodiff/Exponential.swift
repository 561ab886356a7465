/// The exponential, written out in arithmetic so that a loop of them runs four values per
/// instruction, and tanh and the logistic function built on it.

/// eˣ, within one unit in the last place (ulp) of the correctly rounded result wherever
/// that is a normal Float.
///
/// The C library's `expf` is correctly rounded but is a call: a loop that makes one per
/// value (every LSTM gate, every attention tanh, every softmax over the vocabulary) runs
/// one value at a time, and the exponential alone took 5% of a training step. Here it is
/// a dozen multiplications and additions with no branch and no call, so that, inlined
/// into a loop over values, it runs four values per SSE instruction.
///
/// The method (Cody and Waite's reduction, as in Cephes' `expf`): with n = round(x / ln 2)
/// and r = x − n ln 2, |r| ≤ ln 2 / 2,
///
///     eˣ = 2ⁿ · eʳ,   eʳ ≈ 1 + r + r² p(r)
///
/// where p is Cephes' degree-5 minimax polynomial. ln 2 is split into a part with few
/// bits (0.693359375, so that n · it is exact) and the small rest, so that r keeps its
/// low bits. n is found without a conversion (which would trap on NaN and does not
/// vectorise) by adding 1.5 · 2²³, which leaves round(x / ln 2) in the low bits of the
/// sum; 2ⁿ is built from those bits as the exponent field of a Float, in two halves
/// 2^⌊n/2⌋ · 2^(n−⌊n/2⌋) so that n from −151 to 128 (results from below the smallest
/// subnormal to infinity) stays within the field's range.
///
/// Edges: x above 88.72… overflows to +∞, x below −104 (and −∞) gives exactly 0, so a
/// masked softmax entry is exactly 0; NaN stays NaN. Results below the normal range are
/// subnormals, rounded once.
@inline(__always)
func exponential(_ x: Float) -> Float {
    // Clamping keeps n in range; the comparisons leave NaN as it is.
    let clamped = x < -105 ? -105 : (x > 89 ? 89 : x)
    let roundingShift: Float = 12_582_912                  // 1.5 · 2²³
    let shifted = clamped * 1.442_695_04 + roundingShift   // x / ln 2, rounded, in the low bits
    let n = shifted - roundingShift
    let r = (clamped - n * 0.693_359_375) - n * -2.121_944_40e-4
    var p: Float = 1.987_569_150_0e-4
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let expR = p * (r * r) + r + 1
    let whole = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000  // n as an integer
    let half = whole &>> 1
    let twoToHalf = Float(bitPattern: UInt32(bitPattern: (half &+ 127) &<< 23))
    let twoToRest = Float(bitPattern: UInt32(bitPattern: (whole &- half &+ 127) &<< 23))
    return expR * twoToHalf * twoToRest
}

/// tanh(x) = 1 − 2 / (e^{2x} + 1). The absolute error stays below 2e-7 (near 0 the
/// relative error grows, which no network notices); e^{2x} overflowing to infinity gives
/// exactly 1, and underflowing to 0 exactly −1.
@inline(__always)
func fastTanh(_ x: Float) -> Float {
    1 - 2 / (exponential(2 * x) + 1)
}

/// σ(x) = 1 / (1 + e⁻ˣ), through e^{−|x|}, which never overflows: 1 / (1 + e) for x ≥ 0
/// and e / (1 + e) below. One exponential, and no branch, only a choice between two
/// values, so that a loop of them vectorises. −|x| is written as a choice too: `-abs`
/// would turn a NaN into a NaN with its sign bit set, which prints as "-nan".
@inline(__always)
func logistic(_ x: Float) -> Float {
    let e = exponential(x >= 0 ? -x : x)
    return x >= 0 ? 1 / (1 + e) : e / (1 + e)
}
