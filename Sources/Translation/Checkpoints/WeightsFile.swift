/// Reading a file of weights (best, last, averaged, a step's, or the training snapshot):
/// the safetensors format, holding finite values only.
import Files

enum WeightsFile {
    /// The arrays and metadata of the safetensors file at `path`, refusing a value that is
    /// not finite (see ``requireFinite(_:path:)``).
    static func read(_ path: String) throws -> (arrays: [NamedArray], metadata: [String: String]) {
        let contents = try SafeTensors.read(path)
        try requireFinite(contents.arrays, path: path)
        return contents
    }

    /// Throws naming the first tensor that holds a NaN or an infinity, and where.
    ///
    /// Training never saves such a value: it stops instead of taking a step whose loss or
    /// gradient is not finite. So one in a file means the file was damaged (a single
    /// flipped bit in an exponent makes one), and a model holding it would translate every
    /// sentence into `<unk>`; it is refused like any other damage. The safetensors format
    /// itself allows such values, so ``SafeTensors`` keeps them.
    static func requireFinite(_ arrays: [NamedArray], path: String) throws(InputError) {
        for array in arrays {
            if let index = array.values.firstIndex(where: { !$0.isFinite }) {
                throw InputError(path: path, "tensor \(array.name) holds a non-finite value (\(array.values[index])) at index \(index)")
            }
        }
    }
}
