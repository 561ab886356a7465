/// Long short-term memory (Hochreiter and Schmidhuber, 1997) over whole sequences.
import Autodiff

/// One LSTM layer in one direction, with PyTorch's parameters and gate order (i, f, g, o).
public struct LSTM: Layer {
    public let hiddenSize: Int
    /// [4H, in] and [4H, H].
    public let weightIH: Tensor, weightHH: Tensor
    /// [4H] each; PyTorch keeps two biases, which are only ever added together.
    public let biasIH: Tensor, biasHH: Tensor
    /// W_ih and W_hh packed for a search or a training step (`keepingPackedWeights`), or nil.
    public private(set) var packedWeightIH: PackedWeight? = nil, packedWeightHH: PackedWeight? = nil

    public init(inputSize: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        let bound = 1 / Float(hiddenSize).squareRoot()
        self.hiddenSize = hiddenSize
        weightIH = .uniform([4 * hiddenSize, inputSize], bound: bound, generator: &generator)
        weightHH = .uniform([4 * hiddenSize, hiddenSize], bound: bound, generator: &generator)
        biasIH = .uniform([4 * hiddenSize], bound: bound, generator: &generator)
        biasHH = .uniform([4 * hiddenSize], bound: bound, generator: &generator)
    }

    /// The input's share of the gates, `W_ih x + b_ih`, for any number of rows at once
    /// (from the packed copy, when one is kept).
    public func projectInput(_ x: Tensor) -> Tensor {
        Tensor.affine(x, weightIH, biasIH, packed: packedWeightIH)
    }

    /// Step `step` from the input's share of the gates, `W_ih x + b_ih` (computed
    /// elsewhere, often for all steps at once: [T, B, 4H], or [B, 4H] for step 0): adds
    /// `W_hh h + b_hh` and applies the cell, in one fused op.
    public func step(inputGates: Tensor, step: Int = 0, hidden: Tensor, cell: Tensor,
                     active: [Bool]? = nil) -> (hidden: Tensor, cell: Tensor) {
        Tensor.lstmCell(inputGates: inputGates, step: step, hidden: hidden, cell: cell,
                        recurrentWeight: weightHH, recurrentBias: biasHH,
                        packedRecurrentWeight: packedWeightHH, active: active)
    }

    /// The layer with copies of W_ih and W_hh packed for small products (`PackedWeight`),
    /// which its products read instead of the weights: for a search, and, `withTransposes`
    /// (so that backward's products are packed too), for one training step. The copies do
    /// not follow the weights, so a layer made for a step serves that step's forward and
    /// backward pass, before the update. They cost another W_ih and W_hh of memory, twice
    /// that with the transposes.
    public func keepingPackedWeights(withTransposes: Bool = false) -> LSTM {
        var layer = self
        layer.packedWeightIH = PackedWeight(weightIH, withTranspose: withTransposes)
        layer.packedWeightHH = PackedWeight(weightHH, withTranspose: withTransposes)
        return layer
    }

    /// Runs over time-major `inputs` [T, B, in] of sequences with the given lengths, from
    /// the first step to the last, or from the last to the first when `reversed`.
    ///
    /// The input projection `W_ih x_t + b_ih` of every step is one GEMM over all T·B rows;
    /// only `W_hh h` has to wait for the previous step. A sequence shorter than T keeps its
    /// state over the padding: in the forward direction its final state is the one at its
    /// last word, and in reverse it starts, from zero, at its last word.
    ///
    /// Returns the states at every step [T, B, H] and the final state [B, H].
    public func callAsFunction(_ inputs: Tensor, lengths: [Int], reversed: Bool = false)
        -> (outputs: Tensor, final: Tensor) {
        let (steps, batch) = (inputs.shape[0], inputs.shape[1])
        precondition(lengths.count == batch, "LSTM: \(lengths.count) lengths for batch \(batch)")
        let inputGates = projectInput(inputs)
        var hidden = Tensor(zeros: [batch, hiddenSize])
        var cell = Tensor(zeros: [batch, hiddenSize])
        var outputs = [Tensor?](repeating: nil, count: steps)
        for t in reversed ? Array((0..<steps).reversed()) : Array(0..<steps) {
            let active = lengths.map { t < $0 }
            (hidden, cell) = step(inputGates: inputGates, step: t, hidden: hidden, cell: cell, active: active)
            outputs[t] = hidden
        }
        return (Tensor.stack(outputs.map { $0! }), hidden)
    }

    /// The layer reading the packed copies of `other`, a layer whose weights hold the
    /// same values (a replica's, lent them for a training step).
    public func readingPackedWeights(of other: LSTM) -> LSTM {
        precondition(other.weightIH.shape == weightIH.shape && other.weightHH.shape == weightHH.shape,
                     "LSTM.readingPackedWeights: \(other.weightIH.shape) and \(weightIH.shape)")
        var layer = self
        layer.packedWeightIH = other.packedWeightIH
        layer.packedWeightHH = other.packedWeightHH
        return layer
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
    }
}

/// Two LSTMs over the same sequence, one reading it forwards and one backwards, whose
/// states are concatenated: h_j = [→h_j ; ←h_j] sees the whole sentence from position j.
public struct BidirectionalLSTM: Layer {
    public private(set) var forward: LSTM, backward: LSTM

    public init(inputSize: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        forward = LSTM(inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator)
        backward = LSTM(inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator)
    }

    /// Returns the states [T, B, 2H], and →h_n (the forward direction's state at the
    /// last word) and ←h_1 (the backward direction's state at the first), each [B, H].
    public func callAsFunction(_ inputs: Tensor, lengths: [Int])
        -> (outputs: Tensor, lastForward: Tensor, firstBackward: Tensor) {
        let f = forward(inputs, lengths: lengths)
        let b = backward(inputs, lengths: lengths, reversed: true)
        return (Tensor.concat([f.outputs, b.outputs]), f.final, b.final)
    }

    /// Both directions with their weights packed (`LSTM.keepingPackedWeights`).
    public func keepingPackedWeights(withTransposes: Bool = false) -> BidirectionalLSTM {
        var layer = self
        layer.forward = forward.keepingPackedWeights(withTransposes: withTransposes)
        layer.backward = backward.keepingPackedWeights(withTransposes: withTransposes)
        return layer
    }

    /// Both directions reading the packed copies of `other`'s (`LSTM.readingPackedWeights`).
    public func readingPackedWeights(of other: BidirectionalLSTM) -> BidirectionalLSTM {
        var layer = self
        layer.forward = forward.readingPackedWeights(of: other.forward)
        layer.backward = backward.readingPackedWeights(of: other.backward)
        return layer
    }

    /// PyTorch's names for layer 0 of `nn.LSTM(bidirectional=True)`.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        forward.namedParameters.map { ($0.name + "_l0", $0.tensor) }
            + backward.namedParameters.map { ($0.name + "_l0_reverse", $0.tensor) }
    }
}
