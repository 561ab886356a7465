/// Checkpoint averaging: the element-wise mean of the weights saved at the last few good
/// validations (Junczys-Dowmunt et al. 2016; Vaswani et al. 2017). Late in training Adam's
/// steps jitter around a minimum; their mean sits nearer its centre, and usually
/// translates better than any one save, at no cost in training time.
import Foundation
import Files

extension Checkpoint {
    /// The weights kept from the validation at `step`, one of those averaged.
    public func stepWeightsPath(_ step: Int) -> String { path("step-\(step).safetensors") }

    /// The mean of the kept step weights.
    public var averagedWeightsPath: String { path("averaged.safetensors") }

    /// The step weights files now in the folder.
    func stepWeightsFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("step-") && $0.hasSuffix(".safetensors") }.map(path)
    }
}

public enum WeightAveraging {
    /// How far (in BLEU points) below the best validation BLEU so far a validation may
    /// score and still be averaged. One point is about the spread of BLEU between
    /// neighbouring validations once training has settled; a validation further below
    /// comes from weights still far from the minimum, whose share of the mean pulls it
    /// away (an epoch-1 save averaged into a 5-epoch run cost 1.8 BLEU).
    public static let bleuMargin = 1.0

    /// The validations whose weights are averaged, oldest first: of the last `count`
    /// validations in `log`, those whose BLEU is within `margin` of the best BLEU of the
    /// whole log so far. The best so far only rises, so a validation once left out is
    /// never taken back, and one kept is dropped as soon as a later validation beats it by
    /// more than the margin. Empty when the best is older than the last `count`
    /// validations and none of those comes near it.
    ///
    /// The rule reads the log alone, which resuming restores exactly (to the saved step),
    /// so an interrupted and resumed training averages the same saves as one that ran
    /// through.
    public static func validationsToAverage(_ log: [LogEntry], last count: Int,
                                            margin: Double = bleuMargin) -> [LogEntry] {
        guard let best = log.map(\.validBLEU).max() else { return [] }
        return log.suffix(count).filter { $0.validBLEU >= best - margin }
    }

    /// The element-wise mean of the weights in `files`, which must all hold the same
    /// names and shapes in the same order (saves of one model), and finite values only.
    /// Reads one file at a time, so that memory holds two sets of weights however many
    /// are averaged.
    public static func mean(of files: [String]) throws -> [NamedArray] {
        guard let first = files.first else { return [] }
        var sum = try WeightsFile.read(first).arrays.map { array in
            (name: array.name, shape: array.shape, values: array.values.map(Double.init))
        }
        for file in files.dropFirst() {
            let arrays = try WeightsFile.read(file).arrays
            guard arrays.map(\.name) == sum.map(\.name), arrays.map(\.shape) == sum.map(\.shape) else {
                throw InputError(path: file, "holds other weights than \(first); only saves of one model can be averaged")
            }
            for (i, array) in arrays.enumerated() {
                for j in array.values.indices { sum[i].values[j] += Double(array.values[j]) }
            }
        }
        let count = Double(files.count)
        return sum.map { NamedArray(name: $0.name, shape: $0.shape, values: $0.values.map { Float($0 / count) }) }
    }
}
