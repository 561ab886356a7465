/// Row gather: the embedding lookup.

extension Tensor {
    /// Rows `ids` of the matrix `table`, in order: [ids.count, columns]. Backward adds each
    /// row's gradient into the table row it came from (a scatter-add), so a word that
    /// occurs twice in a batch gets both contributions.
    public static func gather(_ table: Tensor, rows ids: [Int]) -> Tensor {
        precondition(table.shape.count == 2, "gather: table must be a matrix, got \(table.shape)")
        let cols = table.columns, vocabulary = table.shape[0]
        var out = [Float](repeating: 0, count: ids.count * cols)
        for (r, id) in ids.enumerated() {
            precondition(id >= 0 && id < vocabulary, "gather: row \(id) outside 0..<\(vocabulary)")
            for c in 0..<cols { out[r * cols + c] = table.data[id * cols + c] }
        }
        return Tensor(shape: [ids.count, cols], data: out, inputs: [table]) { g in
            var d = [Float](repeating: 0, count: table.count)
            for (r, id) in ids.enumerated() {
                for c in 0..<cols { d[id * cols + c] += g[r * cols + c] }
            }
            table.accumulate(d)
        }
    }
}
