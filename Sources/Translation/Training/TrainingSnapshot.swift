/// The resumable state of a training in one file, last.optim.safetensors, whose
/// replacement is the moment a save takes effect.
import Foundation
import NeuralNet
import Files
import Text

/// Weights, Adam's moments and the trainer's state, together in one safetensors file.
///
/// A save writes several files, and a process can be killed between any two of them. If
/// the weights, the moments and the trainer state lived in separate files, a kill in
/// between would leave them from different steps, and the run could not resume exactly,
/// or at all. So everything that resuming needs lives in this one file, replaced whole by
/// one rename: until the rename the previous save is intact, after it the new one is.
/// The folder's other files (last.safetensors, trainer.json, log.jsonl) are for people and
/// other tools; resuming never relies on them being current.
///
/// In the file: each parameter under its name in docs/DESIGN.md, its moments as `NAME.exp_avg`
/// and `NAME.exp_avg_sq` (PyTorch's names), and the trainer state as JSON under the
/// metadata key `trainer_state`. It costs one more copy of the weights on disk.
enum TrainingSnapshot {
    private static let stateKey = "trainer_state"
    private static let suffixes = (first: ".exp_avg", second: ".exp_avg_sq")

    /// Writes the snapshot to `path`, whole or not at all.
    static func write(model: any TranslationModel, optimizer: Adam, state: TrainerState, to path: String) throws {
        var arrays = model.weights()
        for ((name, tensor), (m, v)) in zip(model.namedParameters, zip(optimizer.firstMoments, optimizer.secondMoments)) {
            arrays.append(NamedArray(name: name + suffixes.first, shape: tensor.shape, values: m))
            arrays.append(NamedArray(name: name + suffixes.second, shape: tensor.shape, values: v))
        }
        var metadata = Checkpoint.weightsMetadata
        metadata[stateKey] = try Checkpoint.json(state)
        try SafeTensors.write(arrays, metadata: metadata, to: path)
    }

    /// Reads the snapshot at `path` into the model built from `checkpoint`'s description
    /// and into a new optimiser over it, and returns them with the trainer state.
    static func read(_ path: String, checkpoint: Checkpoint, description: (config: Configuration, source: Vocabulary, target: Vocabulary))
        throws -> (model: any TranslationModel, optimizer: Adam, state: TrainerState) {
        let (arrays, metadata) = try WeightsFile.read(path)
        guard let json = metadata[stateKey] else {
            throw InputError(path: path, "holds no trainer state (written by an earlier nmt); "
                             + "the checkpoint can translate but not resume")
        }
        let state: TrainerState
        do {
            state = try JSONDecoder().decode(TrainerState.self, from: Data(json.utf8))
        } catch {
            throw InputError(path: path, "its trainer state cannot be read: \(error)")
        }
        let isMoment = { (name: String) in name.hasSuffix(suffixes.first) || name.hasSuffix(suffixes.second) }
        let model = try checkpoint.makeModel(config: description.config, source: description.source,
                                             target: description.target, weights: arrays.filter { !isMoment($0.name) },
                                             metadata: metadata, path: path)
        let byName = Dictionary(arrays.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        var first: [[Float]] = [], second: [[Float]] = []
        for (name, tensor) in model.namedParameters {
            guard let m = byName[name + suffixes.first], let v = byName[name + suffixes.second],
                  m.count == tensor.count, v.count == tensor.count else {
                throw InputError(path: path, "moments of \(name) missing or of the wrong size")
            }
            first.append(m)
            second.append(v)
        }
        var optimizer = description.config.training.optimizer(over: model.parameters)
        optimizer.learningRate = state.learningRate
        optimizer.restore(step: state.step, firstMoments: first, secondMoments: second)
        return (model, optimizer, state)
    }
}
