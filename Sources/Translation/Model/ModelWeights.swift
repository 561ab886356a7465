/// Moving a model's weights to and from named arrays (the contents of a safetensors file).
import Files

extension TranslationModel {
    /// Every parameter as a named array, in the model's order.
    public func weights() -> [NamedArray] {
        namedParameters.map { NamedArray(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.data) }
    }

    /// Replaces every parameter's values by the array of the same name. The file must hold
    /// exactly this model's names with exactly its shapes; anything else is described,
    /// naming `path`, and nothing is changed.
    public func load(_ arrays: [NamedArray], from path: String) throws(InputError) {
        let byName = Dictionary(arrays.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let expected = namedParameters
        let expectedNames = Set(expected.map(\.name))
        if let missing = expected.first(where: { byName[$0.name] == nil }) {
            throw InputError(path: path, "missing tensor \(missing.name) \(missing.tensor.shape)")
        }
        if let extra = arrays.first(where: { !expectedNames.contains($0.name) }) {
            throw InputError(path: path, "unexpected tensor \(extra.name) (not part of a \(kind) model)")
        }
        for (name, tensor) in expected where byName[name]!.shape != tensor.shape {
            throw InputError(path: path, "tensor \(name) has shape \(byName[name]!.shape), the configuration needs \(tensor.shape)")
        }
        for (name, tensor) in expected { tensor.data = byName[name]!.values }
    }
}
