/// Batches whose rows a search can pick, reorder and repeat.
import Autodiff

/// A value that holds one row per sentence (or per hypothesis) of a batch: a decoder
/// state, an encoded source. Beam search repeats, reorders and drops rows through
/// `selecting` alone, so it never needs to know what a state is made of.
public protocol RowSelectable {
    /// The same value for the given rows of the batch, in the order given; a row may
    /// appear several times or not at all.
    func selecting(_ rows: [Int]) -> Self
}

extension Tensor {
    /// The given rows of a tensor whose first axis is the batch: `[B, …]` → `[rows.count, …]`,
    /// whatever its other axes.
    public func selectingBatchRows(_ rows: [Int]) -> Tensor {
        let batch = shape[0], perRow = count / max(batch, 1)
        return Tensor.gather(reshaped([batch, perRow]), rows: rows).reshaped([rows.count] + shape.dropFirst())
    }
}
