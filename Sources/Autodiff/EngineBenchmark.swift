/// Speed figures of the engine itself: the cores' peak, matrix products, per-op overhead,
/// one LSTM step.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One measured figure, printed by `nmt bench` as a line.
public struct BenchmarkFigure: Sendable, CustomStringConvertible {
    public var name: String
    public var value: Double
    public var unit: String
    /// Whether every digit is printed: for a figure that shows a change in arithmetic
    /// (a loss), not a speed.
    public var allDigits: Bool

    public init(name: String, value: Double, unit: String, allDigits: Bool = false) {
        self.name = name
        self.value = value
        self.unit = unit
        self.allDigits = allDigits
    }

    public var description: String {
        let shown = allDigits ? String(value)
            : value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 100)) / 100)
        return "\(name): \(shown) \(unit)"
    }
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The shortest of `repeats` timings of `body`, in seconds: the least disturbed run on a
/// shared machine. `before` runs ahead of each timing, untimed.
func fastest(_ repeats: Int, before: () -> Void = {}, _ body: () -> Void) -> Double {
    body()  // warm up caches and BLAS threads
    var best = Double.infinity
    for _ in 0..<repeats {
        before()
        let start = monotonicSeconds()
        body()
        best = min(best, monotonicSeconds() - start)
    }
    return best
}

public enum EngineBenchmark {
    /// Runs every engine benchmark; each figure is reported as soon as it is measured.
    public static func run(report: (BenchmarkFigure) -> Void) {
        var generator = SeededGenerator(seed: 1)
        func random(_ shape: [Int], grad: Bool = false) -> Tensor {
            Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in generator.nextUniform() - 0.5 },
                   requiresGrad: grad)
        }

        // The roofline: the most arithmetic the cores do, on one thread and on the engine's.
        for threads in Set([1, engineThreadCount]).sorted() {
            report(BenchmarkFigure(name: "fused multiply-add peak, \(threads) thread\(threads == 1 ? "" : "s")",
                                   value: fusedMultiplyAddPeak(threads: threads) / 1e9, unit: "GFLOP/s"))
        }

        // Matrix products: the engine's op against a bare cblas_sgemm on the same operands.
        for (m, k, n) in [(512, 512, 512), (2048, 2048, 2048), (64, 1280, 6000)] {
            let a = random([m, k]), b = random([n, k])
            let flops = 2.0 * Double(m * k * n)
            let repeats = m * n * k > 1 << 30 ? 3 : 10
            let engine = fastest(repeats) { _ = Tensor.matmul(a, b, transposeB: true) }
            var c = [Float](repeating: 0, count: m * n)
            let raw = fastest(repeats) { gemm(a.data, transposeA: false, b.data, transposeB: true, &c, m: m, n: n, k: k) }
            report(BenchmarkFigure(name: "matmul \(m)x\(k)x\(n) engine", value: flops / engine / 1e9, unit: "GFLOP/s"))
            report(BenchmarkFigure(name: "matmul \(m)x\(k)x\(n) cblas_sgemm", value: flops / raw / 1e9, unit: "GFLOP/s"))
        }

        // A search's products, a few dozen rows by a weight matrix W [n, k]: through the
        // packed copy, and by OpenBLAS from a copy stored [k, n], the layout it packs fastest.
        // In a search W comes from memory, since a step's matrices (45 MB for the RNN at the
        // Multi30k size) outgrow the caches: a pass over 64 MB before each call evicts it.
        var other = [Float](repeating: 1, count: 1 << 24), evicted: Float = 0
        let evict = { other.withUnsafeBufferPointer { for i in stride(from: 0, to: $0.count, by: 16) { evicted += $0[i] } } }
        for (m, k, n) in [(64, 1280, 5969), (8, 1280, 5969), (64, 768, 2048)] {
            let x = random([m, k]), w = random([n, k])
            let packed = PackedWeight(w), stored = w.swappingFirstAxes()
            let flops = 2.0 * Double(m * k * n)
            var y = [Float](repeating: 0, count: m * n)
            let own = fastest(10, before: evict) { packed.product(x.data, &y, rows: m) }
            let blas = fastest(10, before: evict) {
                gemm(x.data, transposeA: false, stored.data, transposeB: false, &y, m: m, n: n, k: k)
            }
            report(BenchmarkFigure(name: "decoding product \(m)x\(k)x\(n) packed", value: flops / own / 1e9, unit: "GFLOP/s"))
            report(BenchmarkFigure(name: "decoding product \(m)x\(k)x\(n) cblas_sgemm", value: flops / blas / 1e9, unit: "GFLOP/s"))
        }
        // One sentence's step: a matrix–vector product, through the packed copy and by
        // OpenBLAS from W as it is stored, which is how it was computed before the packed one.
        for (k, n) in [(1280, 5969), (768, 2048)] {
            let x = random([1, k]), w = random([n, k])
            let packed = PackedWeight(w)
            let flops = 2.0 * Double(k * n)
            var y = [Float](repeating: 0, count: n)
            let own = fastest(10, before: evict) { packed.product(x.data, &y, rows: 1) }
            let blas = fastest(10, before: evict) { gemm(x.data, transposeA: false, w.data, transposeB: true, &y, m: 1, n: n, k: k) }
            report(BenchmarkFigure(name: "decoding product 1x\(k)x\(n) packed", value: flops / own / 1e9, unit: "GFLOP/s"))
            report(BenchmarkFigure(name: "decoding product 1x\(k)x\(n) cblas_sgemv", value: flops / blas / 1e9, unit: "GFLOP/s"))
        }
        // A training step's products at the Multi30k size: a share of 32 rows by the
        // decoder's and the encoder's LSTM matrices and, for backward, their transposes,
        // packed once for the step and read at every time step, so from the caches.
        for (m, k, n) in [(32, 768, 2048), (32, 512, 2048), (32, 2048, 768), (32, 2048, 512), (32, 256, 1024),
                          (32, 1024, 256)] {
            let x = random([m, k]), w = random([n, k])
            let packed = PackedWeight(w)
            let flops = 2.0 * Double(m * k * n)
            var y = [Float](repeating: 0, count: m * n)
            let own = fastest(20) { packed.product(x.data, &y, rows: m) }
            let blas = fastest(20) { gemm(x.data, transposeA: false, w.data, transposeB: true, &y, m: m, n: n, k: k) }
            report(BenchmarkFigure(name: "training product \(m)x\(k)x\(n) packed", value: flops / own / 1e9, unit: "GFLOP/s"))
            report(BenchmarkFigure(name: "training product \(m)x\(k)x\(n) cblas_sgemm", value: flops / blas / 1e9, unit: "GFLOP/s"))
        }
        // A replica's output layer at the Multi30k size, as a training step computes it: a
        // share's 430 target tokens by W [5969, 1280], every core its own share at once
        // (`concurrently`), through the three products of `Tensor.linearCrossEntropy`:
        // the logits x Wᵀ, then dx = G W and dW = Gᵀ x from their gradient G. In
        // GFLOP/s per core, beside the one-thread peak above.
        let (tokens, features, vocabulary) = (430, 1280, 5969)
        let weight = random([vocabulary, features])
        let cores = engineThreadCount
        let inputs = (0..<cores).map { _ in random([tokens, features]) }
        let gradients = (0..<cores).map { _ in random([tokens, vocabulary]) }
        let results = (0..<cores).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: vocabulary * features) }
        defer { results.forEach { $0.deallocate() } }
        let products: [(name: String, multiply: (Int) -> Void)] = [
            ("logits x Wᵀ", { k in
                gemm(inputs[k].data, transposeA: false, weight.data, transposeB: true, results[k],
                     m: tokens, n: vocabulary, k: features) }),
            ("dx = G W", { k in
                gemm(gradients[k].data, transposeA: false, weight.data, transposeB: false, results[k],
                     m: tokens, n: features, k: vocabulary) }),
            ("dW = Gᵀ x", { k in
                gemm(gradients[k].data, transposeA: true, inputs[k].data, transposeB: false, results[k],
                     m: vocabulary, n: features, k: tokens) }),
        ]
        for product in products {
            let seconds = fastest(5) { concurrently(cores) { product.multiply($0) } }
            report(BenchmarkFigure(name: "output layer \(product.name) (\(tokens)x\(features)x\(vocabulary)), per core",
                                   value: 2.0 * Double(tokens * features * vocabulary) / seconds / 1e9,
                                   unit: "GFLOP/s"))
        }
        blackHole(evicted)

        // The fixed cost of recording one op and of running its pullback, on 4 floats.
        let ops = 100_000
        let w = random([1, 4], grad: true), x = random([1, 4])
        var y = w
        let forward = fastest(3) {
            y = w
            for _ in 0..<ops { y = y + x }
        }
        let backward = fastest(1) {
            y = w
            for _ in 0..<ops { y = y + x }
            y.sum().backward()
        } - forward
        report(BenchmarkFigure(name: "recorded op, forward (1x4)", value: forward / Double(ops) * 1e9, unit: "ns"))
        report(BenchmarkFigure(name: "recorded op, backward (1x4)", value: backward / Double(ops) * 1e9, unit: "ns"))

        // One LSTM step at batch 64, input and hidden 512, forward and backward.
        let (batch, hidden) = (64, 512)
        let input = random([batch, hidden]), h = random([batch, hidden]), c = random([batch, hidden])
        let wIH = random([4 * hidden, hidden], grad: true), wHH = random([4 * hidden, hidden], grad: true)
        let bias = random([4 * hidden], grad: true)
        let step = fastest(10) {
            let inputGates = Tensor.affine(input, wIH, bias)
            let (h2, c2) = Tensor.lstmCell(inputGates: inputGates, step: 0, hidden: h, cell: c,
                                           recurrentWeight: wHH, recurrentBias: bias)
            (h2.sum() + c2.sum()).backward()
        }
        report(BenchmarkFigure(name: "LSTM step forward+backward (batch 64, hidden 512)", value: step * 1e3, unit: "ms"))
    }
}

/// Takes a value the compiler cannot see used, so that the loop computing it (a pass that
/// evicts the caches) is not optimised away.
@inline(never)
private func blackHole(_ value: Float) {}
