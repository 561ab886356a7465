/// Sums and means over one axis, and over everything.

extension Tensor {
    /// Sums over `axis`, removing it from the shape. The adjoint of a sum is a broadcast:
    /// every summed element receives the gradient of its sum.
    public func sum(axis: Int) -> Tensor {
        precondition(axis >= 0 && axis < shape.count, "sum: axis \(axis) out of range for \(shape)")
        let x = self
        let outer = shape[..<axis].reduce(1, *)
        let length = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for l in 0..<length {
                let base = (o * length + l) * inner
                for i in 0..<inner { out[o * inner + i] += data[base + i] }
            }
        }
        var outShape = shape
        outShape.remove(at: axis)
        return Tensor(shape: outShape, data: out, inputs: [x]) { g in
            var dx = [Float](repeating: 0, count: x.count)
            for o in 0..<outer {
                for l in 0..<length {
                    let base = (o * length + l) * inner
                    for i in 0..<inner { dx[base + i] = g[o * inner + i] }
                }
            }
            x.accumulate(dx)
        }
    }

    /// The mean over `axis`.
    public func mean(axis: Int) -> Tensor {
        (1 / Float(shape[axis])) * sum(axis: axis)
    }

    /// The sum of all elements, a scalar.
    public func sum() -> Tensor {
        let x = self
        return Tensor(shape: [], data: [data.reduce(0, +)], inputs: [x]) { g in
            x.accumulate([Float](repeating: g[0], count: x.count))
        }
    }

    /// The mean of all elements, a scalar.
    public func mean() -> Tensor {
        (1 / Float(count)) * sum()
    }
}
