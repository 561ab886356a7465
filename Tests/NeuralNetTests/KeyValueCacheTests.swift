/// Decoding with key/value caches gives what the whole-sequence forward pass gives.

import Testing
@testable import NeuralNet
@testable import Autodiff

/// Outputs agree to this, in absolute terms, for values of order 1: the step's products
/// have other shapes (a matrix–vector product where the full pass has a matrix product),
/// so their sums are rounded in another order, a few units of Float32's 1.2e-7.
let stepTolerance: Float = 1e-6

/// Positions `range` of every sentence of x [B, T, d], as a constant [B, range.count, d].
func positions(_ range: Range<Int>, of x: Tensor) -> Tensor {
    let (batch, time, d) = (x.shape[0], x.shape[1], x.shape[2])
    let data = (0..<batch).flatMap { b in x.data[((b * time + range.lowerBound) * d)..<((b * time + range.upperBound) * d)] }
    return Tensor(shape: [batch, range.count, d], data: data)
}

/// The largest absolute difference between two arrays of equal length.
func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) values against \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Sentence `b` of x [B, T, …] at positions `range`, flattened.
func sentence(_ b: Int, _ range: Range<Int>, of x: Tensor) -> [Float] {
    let width = x.count / (x.shape[0] * x.shape[1])
    let start = b * x.shape[1]
    return Array(x.data[((start + range.lowerBound) * width)..<((start + range.upperBound) * width)])
}

struct KeyValueCacheTests {
    let batch = 3, time = 5, d = 8, heads = 2

    /// Causal self-attention one position at a time, each step appending its key and value
    /// to the cache, gives the outputs and weights of the full causal pass. Sentence 1 is
    /// padded after 3 positions in the full pass; its real positions must agree too.
    @Test func stepsWithACacheGiveTheFullCausalPass() {
        var g = SeededGenerator(seed: 31)
        let attention = MultiHeadAttention(modelSize: d, heads: heads, generator: &g)
        randomise(attention, &g)
        let x = randomInput([batch, time, d], &g)
        let keyMask = (0..<(batch * time)).map { $0 / time != 1 || $0 % time < 3 }
        let full = attention(x, keyMask: keyMask, causal: true)
        var cache = KeyValueCache(batch: batch, heads: heads, headSize: d / heads)
        for t in 0..<time {
            let step = attention(positions(t..<(t + 1), of: x), cache: &cache)
            #expect(step.output.shape == [batch, 1, d] && step.weights.shape == [batch, heads, 1, t + 1])
            #expect(cache.length == t + 1)
            for b in 0..<batch where b != 1 || t < 3 {
                #expect(largestDifference(sentence(b, 0..<1, of: step.output), sentence(b, t..<(t + 1), of: full.output))
                        < stepTolerance, "sentence \(b), step \(t)")
                for h in 0..<heads {
                    let fullRow = Array(full.weights.data[(((b * heads + h) * time + t) * time)...].prefix(t + 1))
                    let stepRow = Array(step.weights.data[((b * heads + h) * (t + 1))...].prefix(t + 1))
                    #expect(largestDifference(stepRow, fullRow) < stepTolerance, "weights of sentence \(b), head \(h), step \(t)")
                }
            }
        }
    }

    /// Cross-attention over a memory projected once gives, step by step, the full pass.
    @Test func crossAttentionOverAProjectedMemoryGivesTheFullPass() {
        var g = SeededGenerator(seed: 32)
        let attention = MultiHeadAttention(modelSize: d, heads: heads, generator: &g)
        randomise(attention, &g)
        let x = randomInput([batch, time, d], &g)
        let source = randomInput([batch, 4, d], &g)
        let sourceMask = (0..<(batch * 4)).map { $0 / 4 != 2 || $0 % 4 < 2 }
        let full = attention(query: x, memory: source, memoryMask: sourceMask)
        let memory = attention.projectMemory(source, mask: sourceMask)
        for t in 0..<time {
            let step = attention(query: positions(t..<(t + 1), of: x), memory: memory)
            for b in 0..<batch {
                #expect(largestDifference(sentence(b, 0..<1, of: step.output), sentence(b, t..<(t + 1), of: full.output))
                        < stepTolerance, "sentence \(b), step \(t)")
            }
        }
    }

    /// Beam search's reordering: after two steps, sentences [2, 0, 0] are kept (one twice,
    /// one dropped) in both caches, and the remaining steps give the full pass over the
    /// same sentences in that order.
    @Test func selectingRowsReordersAndDropsSentences() {
        var g = SeededGenerator(seed: 33)
        let selfAttention = MultiHeadAttention(modelSize: d, heads: heads, generator: &g)
        let crossAttention = MultiHeadAttention(modelSize: d, heads: heads, generator: &g)
        randomise(selfAttention, &g)
        randomise(crossAttention, &g)
        let x = randomInput([batch, time, d], &g)
        let source = randomInput([batch, 4, d], &g)
        let sourceMask = (0..<(batch * 4)).map { $0 / 4 != 2 || $0 % 4 < 3 }
        let rows = [2, 0, 0]

        var cache = KeyValueCache(batch: batch, heads: heads, headSize: d / heads)
        var memory = crossAttention.projectMemory(source, mask: sourceMask)
        for t in 0..<2 { _ = selfAttention(positions(t..<(t + 1), of: x), cache: &cache) }
        cache = cache.selecting(rows)
        memory = memory.selecting(rows)
        #expect(cache.batch == 3 && cache.length == 2 && memory.keyMask == rows.flatMap { sourceMask[($0 * 4)..<($0 * 4 + 4)] })

        let reordered = Tensor.gather(x.reshaped([batch, time * d]), rows: rows).reshaped([3, time, d])
        let reorderedSource = Tensor.gather(source.reshaped([batch, 4 * d]), rows: rows).reshaped([3, 4, d])
        let fullSelf = selfAttention(reordered, keyMask: [Bool](repeating: true, count: 3 * time), causal: true).output
        let full = crossAttention(query: fullSelf, memory: reorderedSource, memoryMask: memory.keyMask).output
        for t in 2..<time {
            let attended = selfAttention(positions(t..<(t + 1), of: reordered), cache: &cache).output
            let step = crossAttention(query: attended, memory: memory).output
            for b in 0..<3 {
                #expect(largestDifference(sentence(b, 0..<1, of: step), sentence(b, t..<(t + 1), of: full))
                        < stepTolerance, "sentence \(b), step \(t)")
            }
        }
    }
}
