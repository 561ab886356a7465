/// The pre-norm Transformer encoder–decoder of docs/DESIGN.md (Vaswani et al. 2017; Wang
/// et al. 2019 for the order of normalisation), with PyTorch's tensor names.
import Autodiff
import NeuralNet

/// The model's layers and their checkpoint names, and the encoder. The decoder's step
/// and the loss live beside this file: `TransformerModel+Decoder.swift`,
/// `TransformerModel+Loss.swift`; the layers in `TransformerEncoderLayer.swift` and
/// `TransformerDecoderLayer.swift`.
///
/// The names are those of `../shared/peers/torch_transformer.py`'s `Transformer`
/// (`nn.TransformerEncoder`/`nn.TransformerDecoder` with `norm_first=True`,
/// `batch_first=True`), so that its `load_state_dict` takes our weights.
public struct TransformerModel: TranslationModel {
    public let config: ModelConfig
    public let sourceVocabularySize: Int, targetVocabularySize: Int

    let sourceEmbedding: Embedding
    let targetEmbedding: Embedding
    let encoderLayers: [TransformerEncoderLayer]
    /// The final LayerNorm after the last encoder layer.
    let encoderNorm: LayerNorm
    private(set) var decoderLayers: [TransformerDecoderLayer]
    let decoderNorm: LayerNorm
    /// logits = W_o y + b_o; W_o [Vt, d] is the target embedding's own table when
    /// `tieOutput`, and b_o [Vt] is kept then too, as PyTorch keeps `output.bias` beside a
    /// shared weight.
    private(set) var output: Linear
    /// The positional table PE, [512, d]; longer sentences get a longer table made for them.
    let positions: Tensor

    var outputWeight: Tensor { output.weight }
    var outputBias: Tensor { output.bias! }

    /// Weights drawn as PyTorch draws them (every linear layer uniform in ±1/√fan_in,
    /// attention as `nn.MultiheadAttention`, LayerNorms γ = 1 and β = 0), but for the
    /// embeddings: N(0, 1/d), as fairseq draws them, rather than `nn.Embedding`'s N(0, 1).
    /// Then emb · √d has unit spread, like PE, instead of √d, which would drown the
    /// sub-layers' outputs in the residual sum and make Adam's steps (of about the
    /// learning rate) small beside each embedding's values; and a tied output layer's
    /// logits start of unit spread too.
    public init(config: ModelConfig, sourceVocabularySize: Int, targetVocabularySize: Int,
                generator: inout SeededGenerator) {
        let d = config.modelSize
        self.config = config
        self.sourceVocabularySize = sourceVocabularySize
        self.targetVocabularySize = targetVocabularySize
        sourceEmbedding = Embedding(vocabularySize: sourceVocabularySize, size: d, generator: &generator)
        targetEmbedding = Embedding(vocabularySize: targetVocabularySize, size: d, generator: &generator)
        for table in [sourceEmbedding.weight, targetEmbedding.weight] {
            table.data = table.data.map { $0 / Float(d).squareRoot() }
        }
        encoderLayers = (0..<config.encoderLayers).map { _ in TransformerEncoderLayer(config: config, generator: &generator) }
        encoderNorm = LayerNorm(size: d)
        decoderLayers = (0..<config.decoderLayers).map { _ in TransformerDecoderLayer(config: config, generator: &generator) }
        decoderNorm = LayerNorm(size: d)
        if config.tieOutput {
            let bias = Tensor.uniform([targetVocabularySize], bound: 1 / Float(d).squareRoot(), generator: &generator)
            output = Linear(weight: targetEmbedding.weight, bias: bias)
        } else {
            output = Linear(inputSize: d, outputSize: targetVocabularySize, generator: &generator)
        }
        positions = sinusoidalPositions(length: 512, size: d)
    }

    public var kind: String { "transformer" }

    /// A source position goes through the encoder's layers, a target position through the
    /// decoder's, a real target token through the output layer (the embedding's table when
    /// they are tied).
    public var workPerPosition: WorkPerPosition {
        WorkPerPosition(sourcePosition: encoderLayers.reduce(0) { $0 + $1.parameterCount },
                        targetPosition: decoderLayers.reduce(0) { $0 + $1.parameterCount },
                        targetToken: outputWeight.count)
    }

    /// For a search: the decoder layers' and the output layer's weight matrices packed for
    /// a step's small products (`PackedWeight`), another copy of each (10 MB at the
    /// Multi30k size). The encoder, run once per batch over every source position, keeps
    /// OpenBLAS.
    public func forDecoding() -> TransformerModel {
        var model = self
        model.decoderLayers = decoderLayers.map { $0.keepingPackedWeights() }
        model.output = output.keepingPackedWeight()
        return model
    }

    /// The design's tensor names, in PyTorch's state-dict order.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        let encoder = encoderLayers.enumerated().flatMap { $1.namedParameters(prefix: "encoder.layers.\($0)") }
        let decoder = decoderLayers.enumerated().flatMap { $1.namedParameters(prefix: "decoder.layers.\($0)") }
        let output = (config.tieOutput ? [] : [("output.weight", outputWeight)]) + [("output.bias", outputBias)]
        return sourceEmbedding.namedParameters(prefix: "source_embedding")
            + targetEmbedding.namedParameters(prefix: "target_embedding")
            + encoder + encoderNorm.namedParameters(prefix: "encoder.norm")
            + decoder + decoderNorm.namedParameters(prefix: "decoder.norm") + output
    }

    /// x = emb(ids) · √d + PE[first ..< first + T], with dropout when a generator is given,
    /// for batch-major ids [B·T]: [B, T, d]. Scaling by √d gives embeddings the weight
    /// of the positional signal, whose entries are of size 1 (Vaswani et al. 2017, §3.4).
    func embed(_ ids: [Int], with embedding: Embedding, batch: Int, first: Int = 0,
               dropout generator: inout SeededGenerator?) -> Tensor {
        let (d, length) = (config.modelSize, ids.count / batch)
        let last = first + length
        let table = last <= positions.shape[0] ? positions : sinusoidalPositions(length: last, size: d)
        let embedded = Float(d).squareRoot() * embedding(ids).reshaped([batch, length, d])  // [B, T, d]
        return (embedded + table[first..<last]).dropout(rate: config.dropout, training: &generator)
    }

    /// Encodes time-major source ids [n, B] (tokens then `</s>`, padded) of the given
    /// lengths: the encoder layers over the embedded sentences, batch-major, padding keys
    /// masked; the final LayerNorm; then each decoder layer's cross-attention keys and
    /// values, projected here once per batch. Dropout applies when a generator is given.
    public func encode(source: [Int], lengths: [Int], dropout generator: inout SeededGenerator?) -> TransformerMemory {
        let batch = lengths.count, n = source.count / batch
        let ids = batchMajor(source, batch: batch)                                        // [B·n]
        let mask = (0..<(batch * n)).map { $0 % n < lengths[$0 / n] }                     // [B·n]
        var x = embed(ids, with: sourceEmbedding, batch: batch, dropout: &generator)      // [B, n, d]
        for layer in encoderLayers { x = layer(x, keyMask: mask, dropout: &generator) }   // [B, n, d]
        let encoded = encoderNorm(x)                                                      // [B, n, d]
        return TransformerMemory(crossAttention: decoderLayers.map {
            $0.crossAttention.projectMemory(encoded, mask: mask)                          // [B, k, n, dh] twice
        })
    }
}

/// Time-major ids [T, B] (index t·B + b) in batch-major order [B, T] (index b·T + t).
func batchMajor(_ ids: [Int], batch: Int) -> [Int] {
    let steps = ids.count / batch
    return (0..<ids.count).map { ids[($0 % steps) * batch + $0 / steps] }
}

extension Tensor {
    /// Inverted dropout at `rate` when a generator is given (training), else the tensor.
    func dropout(rate: Float, training generator: inout SeededGenerator?) -> Tensor {
        generator == nil ? self : dropout(rate: rate, generator: &generator!)
    }
}
