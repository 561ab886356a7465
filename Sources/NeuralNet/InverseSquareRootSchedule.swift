/// The Transformer's learning-rate schedule (Vaswani et al. 2017, §5.3): a linear warm-up,
/// then decay with the inverse square root of the step.

/// The rate at update `step` (from 1), for a peak rate reached at step `warmup`:
///
///     lr(step) = peak · min(step / warmup, √(warmup / step))
///
/// This is the paper's `factor · d^-0.5 · min(step^-0.5, step · warmup^-1.5)` with
/// `peak = factor · d^-0.5 · warmup^-0.5`, written by its peak, as fairseq's
/// `inverse_sqrt` is: so a learning-rate setting means the largest step Adam takes under
/// either schedule, whatever the model size. The warm-up keeps Adam's first updates small
/// while its second moments are still estimated from a few gradients.
public struct InverseSquareRootSchedule: Equatable, Sendable {
    public let peak: Float
    public let warmup: Int

    public init(peak: Float, warmup: Int) {
        precondition(warmup >= 1, "InverseSquareRootSchedule: warm-up of \(warmup) steps")
        self.peak = peak
        self.warmup = warmup
    }

    /// The rate of update `step` ≥ 1; computed in Double, so that it is the same number
    /// however the run was interrupted.
    public func rate(step: Int) -> Float {
        let (s, w) = (Double(step), Double(warmup))
        return Float(Double(peak) * min(s / w, (w / s).squareRoot()))
    }
}
